import { InputFileError } from '../input/errors.js';
import { RenderPool } from './pool.js';
import { runJob } from './runJob.js';
import { BatchFailure } from './groupRows.js';
import { JobStore, type BatchOptions, type Job } from './jobs.js';
import { batchJobEntered, logger } from '../http/ops.js';

/**
 * Runs batch jobs one after another on a shared render pool. Jobs live on
 * disk (JobStore): a job the service was running when it stopped is run again
 * from its saved input when the service starts (its partial output is
 * discarded first), so no result is ever half-written.
 */
export class BatchManager {
  private queue: string[] = [];
  private active?: Promise<void>;
  private listeners = new Map<string, Set<(job: Job) => void>>();
  private live = new Map<string, Job>();
  private closing = false;

  constructor(readonly store = new JobStore(), readonly pool = new RenderPool()) {
    for (const job of store.list()) {
      if (job.state !== 'queued' && job.state !== 'running') continue;
      store.clearWork(job);
      Object.assign(job, {
        state: 'queued', restarts: job.restarts + 1, startedAt: undefined,
        progress: { rows: 0, rowsDone: 0, groups: 0, groupsDone: 0, pages: 0 },
        badRows: [], badRowCount: 0, groupErrors: [],
      } satisfies Partial<Job>);
      store.save(job);
      batchJobEntered(job);
      this.queue.push(job.id);
    }
    this.pump();
  }

  submit(formId: string, input: Buffer, filename: string, options: BatchOptions, shared: Record<string, unknown>): Job {
    const job = this.store.create(formId, input, filename, options, shared);
    batchJobEntered(job);
    this.queue.push(job.id);
    this.pump();
    return job;
  }

  /** The job as it stands: the running one from memory (fresher than its last save). */
  get(id: string): Job | undefined {
    return this.live.get(id) ?? this.store.get(id);
  }

  /** Hears every progress step of a job until it ends. */
  watch(id: string, listener: (job: Job) => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Resolves when the job has ended (done or failed). */
  finished(id: string): Promise<Job> {
    return new Promise((resolve) => {
      const now = this.get(id);
      if (now && (now.state === 'done' || now.state === 'failed')) { resolve(now); return; }
      const stop = this.watch(id, (job) => {
        if (job.state === 'done' || job.state === 'failed') { stop(); resolve(job); }
      });
    });
  }

  /** Stops taking jobs; a running job is left on disk as running and restarts with the service. */
  async close(): Promise<void> {
    this.closing = true;
    this.queue = [];
    await this.pool.close();
  }

  private emit(job: Job): void {
    for (const l of this.listeners.get(job.id) ?? []) l(job);
  }

  private pump(): void {
    if (this.active || this.queue.length === 0) return;
    const id = this.queue.shift()!;
    this.active = this.run(id).finally(() => { this.active = undefined; this.pump(); });
  }

  private async run(id: string): Promise<void> {
    const job = this.store.get(id);
    if (!job) return;
    this.live.set(id, job);
    job.state = 'running';
    job.startedAt = new Date().toISOString();
    this.store.save(job);
    batchJobEntered(job);
    this.emit(job);
    try {
      await runJob(job, this.store, this.pool, (j) => this.emit(j));
      job.state = 'done';
    } catch (e) {
      // Stopped by a shutdown: left as running on disk, to run again at start-up.
      if (this.closing) return;
      job.state = 'failed';
      if (e instanceof BatchFailure || e instanceof InputFileError) job.error = { ...(e instanceof InputFileError ? { code: e.code } : {}), th: e.th, en: e.en };
      else {
        logger.error({ err: e, jobId: id, formId: job.formId }, 'batch job failed');
        job.error = { th: 'เกิดข้อผิดพลาดภายในระบบระหว่างทำเอกสาร กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ', en: 'internal error while rendering the batch' };
      }
      this.store.clearWork(job);
    }
    job.finishedAt = new Date().toISOString();
    this.store.save(job);
    this.live.delete(id);
    batchJobEntered(job);
    this.emit(job);
  }
}

export type { BatchOptions };
