import type { ReadStream } from 'node:fs';
import { InputFileError } from '../input/errors.js';
import { RenderPool } from './pool.js';
import { runJob } from './runJob.js';
import { BatchFailure } from './groupRows.js';
import { JobStore, type BatchOptions, type Job } from './jobs.js';
import type { JobQueue } from './queue.js';
import { batchJobEntered, logger } from '../http/ops.js';
import { JOB_SWEEP_MINUTES, JOB_TTL_HOURS } from '../settings.js';

export interface BatchManagerOptions {
  /** How long a finished job is kept, in ms (0: forever); default SARABAN_JOB_TTL_HOURS. */
  ttlMs?: number;
  /** Time between sweeps, in ms (0: only at start-up); default SARABAN_JOB_SWEEP_MINUTES. */
  sweepMs?: number;
}

/** What the pool answers a run that must stop: its job was deleted, or the manager is closing. */
export class RunStopped extends Error {
  constructor() { super('batch run stopped'); }
}

export type Method = (...args: unknown[]) => unknown;

/** `target` seen through a proxy: the methods named in `wrap` are wrapped (each given the original, bound); every other member is the target's own. */
export function wrapped<T extends object>(target: T, wrap: Record<string, (original: Method) => Method>): T {
  return new Proxy(target, {
    get(t, key) {
      const value = Reflect.get(t, key, t) as unknown;
      if (typeof value !== 'function') return value;
      const bound = (value as Method).bind(t);
      return typeof key === 'string' && Object.hasOwn(wrap, key) ? wrap[key]!(bound) : bound;
    },
  });
}

/** Marks a job failed by what its run threw: the file's or the rows' own words, or an internal error (logged). */
export function failJob(job: Job, e: unknown): void {
  job.state = 'failed';
  if (e instanceof BatchFailure || e instanceof InputFileError) job.error = { ...(e instanceof InputFileError ? { code: e.code } : {}), th: e.th, en: e.en };
  else {
    logger.error({ err: e, jobId: job.id, formId: job.formId }, 'batch job failed');
    job.error = { th: 'เกิดข้อผิดพลาดภายในระบบระหว่างทำเอกสาร กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ', en: 'internal error while rendering the batch' };
  }
}

/**
 * Removes the store's expired jobs and leftovers, but those of `busy` (running
 * or being cancelled here), and logs what went; the ids of the expired jobs.
 * Never throws: a sweep that fails is logged and tried again at the next one.
 */
export function sweepStore(store: JobStore, ttlMs: number, busy: Iterable<string>, now: number): string[] {
  try {
    const { expired, removed } = store.sweep({ ttlMs, busy: new Set(busy), now });
    if (expired.length || removed) logger.info({ expired, removed }, 'batch jobs swept');
    return expired;
  } catch (e) {
    logger.error({ err: e }, 'batch job sweep failed');
    return [];
  }
}

/**
 * Runs batch jobs one after another on a shared render pool. Jobs live on
 * disk (JobStore): a job the service was running when it stopped is run again
 * from its saved input when the service starts (its partial output is
 * discarded first), so no result is ever half-written. Finished jobs are
 * removed `ttlMs` after they end by a sweep, at start-up and every `sweepMs`.
 */
export class BatchManager implements JobQueue {
  readonly ttlMs: number;
  private queue: string[] = [];
  private active?: Promise<void>;
  private listeners = new Map<string, Set<(job: Job) => void>>();
  private live = new Map<string, Job>();
  /** Deleted while running: the job's folder (in the trash), removed once its run has stopped. */
  private cancelled = new Map<string, string>();
  private closing = false;
  private sweeper?: NodeJS.Timeout;

  /** Takes the store's folder (a second manager on the same folder is refused: DataDirLockedError). */
  constructor(readonly store = new JobStore(), readonly pool = new RenderPool(), options: BatchManagerOptions = {}) {
    this.ttlMs = options.ttlMs ?? JOB_TTL_HOURS * 3_600_000;
    for (const job of store.list({ quarantine: true })) {
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
    this.sweep();
    const sweepMs = options.sweepMs ?? JOB_SWEEP_MINUTES * 60_000;
    if (sweepMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), sweepMs);
      this.sweeper.unref();
    }
    this.pump();
  }

  submit(formId: string, input: Buffer | { path: string }, filename: string, options: BatchOptions, shared: Record<string, unknown>): Job {
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

  /**
   * Deletes a job and its files: a queued one leaves the queue; a running one
   * is cancelled (no more of its documents go to the render pool; those being
   * rendered finish and are thrown away). Its folder leaves the store at once,
   * so it is gone for every request and for a restart. False: no such job.
   */
  delete(id: string): boolean {
    const job = this.get(id);
    const gone = job && this.store.discard(id);
    if (!job || !gone) return false;
    this.queue = this.queue.filter((q) => q !== id);
    if (this.live.delete(id)) {
      this.cancelled.set(id, gone);
      logger.info({ jobId: id, formId: job.formId }, 'batch job cancelled');
    } else {
      this.store.purge(gone);
    }
    // Whoever waits for it to end hears that it did.
    if (job.state === 'queued' || job.state === 'running') this.emit({ ...job, state: 'failed', error: { code: 'deleted', th: 'งานนี้ถูกลบแล้ว', en: 'the job was deleted' } });
    this.listeners.delete(id);
    return true;
  }

  /** The result of a done job, checked against its record; undefined when it is missing or unreadable. */
  openResult(job: Job): Promise<ReadStream | undefined> {
    return this.store.openResult(job);
  }

  /** Removes expired jobs and leftovers now (also run at start-up and every `sweepMs`); never throws. */
  sweep(now = Date.now()): string[] {
    return sweepStore(this.store, this.ttlMs, [...this.live.keys(), ...this.cancelled.keys()], now);
  }

  /**
   * Stops taking jobs and gives the data folder up; a running job is stopped
   * where it is and left on disk as running, to restart with the service.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.queue = [];
    if (this.sweeper) clearInterval(this.sweeper);
    await this.pool.close();
    // The run stops at its next step (the pool refuses its tasks, its saves write nothing): nothing more is written once the folder is given up.
    await this.active;
    this.store.close();
  }

  private emit(job: Job): void {
    for (const l of this.listeners.get(job.id) ?? []) l(job);
  }

  private pump(): void {
    if (this.active || this.queue.length === 0 || this.closing) return;
    const id = this.queue.shift()!;
    this.active = this.run(id)
      // A record that cannot be written (a full disk): the job stays as it was on disk; the service goes on.
      .catch((e: unknown) => { this.live.delete(id); logger.error({ err: e, jobId: id }, 'batch job could not be recorded'); })
      .finally(() => { this.active = undefined; this.pump(); });
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
    // What the run sees: a pool that takes no more of its tasks once the job is deleted or the manager
    // closes, and a store that then writes nothing. Its saves are progress only (the record that ends
    // the job is saved below): one that fails is logged, never thrown into the pool's callbacks.
    const stopped = () => this.closing || this.cancelled.has(id);
    let saveFailed = false;
    const store = wrapped(this.store, {
      save: (save) => (j) => {
        if (stopped()) return;
        try {
          save(j);
        } catch (e) {
          if (!saveFailed) logger.warn({ err: e, jobId: id }, 'batch job progress could not be saved');
          saveFailed = true;
        }
      },
    });
    const refuseWhenStopped = (submit: Method): Method => (...args) => (stopped() ? Promise.reject(new RunStopped()) : submit(...args));
    const pool = wrapped(this.pool, { render: refuseWhenStopped, run: refuseWhenStopped });
    try {
      await runJob(job, store, pool, (j) => { if (!stopped()) this.emit(j); });
      if (this.cancelled.has(id)) { this.endCancelled(id); return; }
      // The result's bytes on disk before the record that says it is there.
      this.store.syncResult(job);
      job.state = 'done';
    } catch (e) {
      if (this.cancelled.has(id)) { this.endCancelled(id); return; }
      // Stopped by a shutdown: left as running on disk, to run again at start-up.
      if (this.closing) return;
      failJob(job, e);
      this.store.clearWork(job);
    }
    job.finishedAt = new Date().toISOString();
    this.store.save(job);
    this.live.delete(id);
    batchJobEntered(job);
    this.emit(job);
  }

  /** A deleted job's run has stopped: its folder goes. */
  private endCancelled(id: string): void {
    this.store.purge(this.cancelled.get(id)!);
    this.cancelled.delete(id);
  }
}

export type { BatchOptions };
