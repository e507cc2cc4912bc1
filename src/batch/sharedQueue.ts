import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, renameSync, rmSync, type ReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker, WaitingError, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { RenderPool } from './pool.js';
import { runJob } from './runJob.js';
import { BatchFailure } from './groupRows.js';
import { JobStore, type BatchOptions, type Job } from './jobs.js';
import { QueueUnavailableError, type JobQueue } from './queue.js';
import { failJob, RunStopped, sweepStore, wrapped, type Method } from './manager.js';
import { fsyncDir, fsyncFile } from './dataDir.js';
import { batchJobEntered, logger } from '../http/ops.js';
import { JOB_SWEEP_MINUTES, JOB_TTL_HOURS, QUEUE_LOCK_MS } from '../settings.js';

export interface SharedJobQueueOptions {
  /** How long a finished job is kept, in ms (0: forever); default SARABAN_JOB_TTL_HOURS. */
  ttlMs?: number;
  /** Time between sweeps of this instance, in ms (0: only at start-up); default SARABAN_JOB_SWEEP_MINUTES. */
  sweepMs?: number;
  /** How long a running job's lock lives unrenewed; default SARABAN_QUEUE_LOCK_MS. */
  lockMs?: number;
  /** Redis keys and the BullMQ queue are named after it (tests; default saraban). */
  prefix?: string;
}

/** How long a request waits for the first connection to Redis after start-up before it is refused. */
const FIRST_CONNECTION_WAIT_MS = 5000;

/** Times an instance may die in a job's middle before the job fails instead of being run again. */
export const MAX_STALLS = 2;

const ID = /^[0-9a-f-]{36}$/;

/** Takes a job for one attempt: the attempt becomes its owner; the record, or nil when the job was deleted. */
const CLAIM = `local rec = redis.call('get', KEYS[2])
if not rec then return false end
redis.call('set', KEYS[1], ARGV[1])
return rec`;

/** Writes an attempt's record while the attempt still owns the job; with ARGV[3] (seconds, 0: no expiry) it is the last write, and the ownership ends. */
const SAVE = `if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] then
  redis.call('del', KEYS[1])
  if tonumber(ARGV[3]) > 0 then redis.call('set', KEYS[2], ARGV[2], 'EX', ARGV[3]) else redis.call('set', KEYS[2], ARGV[2]) end
else
  redis.call('set', KEYS[2], ARGV[2])
end
return 1`;

/** One run of a job on this instance. */
interface Attempt {
  id: string;
  token: string;
  /** Deleted, or taken over by another instance after this one was thought dead: its work is thrown away. */
  lost: boolean;
  /** Record writes to Redis, in order. */
  writes: Promise<void>;
}

/**
 * Batch jobs shared by several instances through Redis (REDIS_URL): a BullMQ
 * queue of job ids, one job at a time per instance on its render pool, as the
 * embedded BatchManager runs them. Each job's record (state, progress, bad
 * rows) is a JSON string in Redis, written by the instance running it, so
 * every instance answers the same; its input and result are files in the
 * shared data folder (JobStore, unlocked).
 *
 * An instance that dies in a job's middle stops renewing the job's BullMQ
 * lock; after SARABAN_QUEUE_LOCK_MS another instance's stalled-job check puts
 * the job back in the queue and a worker runs it again from its input. Each
 * attempt works in files named after itself (`work-<attempt>`,
 * `result-<attempt>.part`), and only the attempt that still owns the job
 * renames its whole result to `result`, so a retried job never serves a
 * partial result or a half of each attempt. An instance told to stop (SIGTERM)
 * stops its job and hands it back to the queue at once.
 */
export class SharedJobQueue implements JobQueue {
  readonly ttlMs: number;
  private readonly redis: Redis;
  /** The worker's connection (BullMQ makes its blocking one from it, and closes only that one). */
  private readonly workerRedis: Redis;
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly prefix: string;
  /** This instance's running attempts, by job id. */
  private readonly live = new Map<string, Attempt>();
  /** Deleted while running here: the folder in the trash, removed once the run has stopped. */
  private readonly cancelled = new Map<string, string>();
  private closing = false;
  /** Redis has answered once: from then on, a connection lost is refused at once (QueueUnavailableError). */
  private everConnected = false;
  private sweeper?: NodeJS.Timeout;
  private readonly instance = `${hostname()}:${process.pid}`;

  constructor(redisUrl: string, readonly store = new JobStore(undefined, { lock: false }), readonly pool = new RenderPool(), options: SharedJobQueueOptions = {}) {
    this.ttlMs = options.ttlMs ?? JOB_TTL_HOURS * 3_600_000;
    this.prefix = options.prefix ?? 'saraban';
    const lockMs = options.lockMs ?? QUEUE_LOCK_MS;
    // BullMQ's blocking commands need maxRetriesPerRequest: null; a Redis that goes away is waited for, not failed.
    const connect = () => new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.redis = connect();
    this.redis.on('error', (e) => logger.warn({ err: e }, 'redis connection error'));
    this.redis.once('ready', () => { this.everConnected = true; });
    const name = `${this.prefix}-batch`;
    this.queue = new Queue(name, { connection: this.redis });
    this.queue.on('error', (e) => logger.warn({ err: e }, 'batch queue error'));
    this.workerRedis = connect();
    this.workerRedis.on('error', (e) => logger.warn({ err: e }, 'redis connection error'));
    this.worker = new Worker<{ id: string }>(name, (job, token) => this.process(job, token), {
      connection: this.workerRedis,
      concurrency: 1,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // The stalls are counted here (MAX_STALLS), so that the job's record says why it failed.
      maxStalledCount: 1000,
    });
    this.worker.on('error', (e) => logger.warn({ err: e }, 'batch worker error'));
    this.worker.on('stalled', (id) => {
      logger.warn({ jobId: id, instance: this.instance }, 'batch job stalled (its instance stopped in its middle): queued again');
      this.redis.incr(this.key('stalls', id)).catch(() => {});
    });
    this.sweep();
    const sweepMs = options.sweepMs ?? JOB_SWEEP_MINUTES * 60_000;
    if (sweepMs > 0) {
      this.sweeper = setInterval(() => this.sweep(), sweepMs);
      this.sweeper.unref();
    }
  }

  async submit(formId: string, input: Buffer | { path: string }, filename: string, options: BatchOptions, shared: Record<string, unknown>): Promise<Job> {
    await this.reachable();
    const job = this.store.create(formId, input, filename, options, shared);
    try {
      await this.redis.set(this.key('job', job.id), JSON.stringify(job));
      await this.queue.add('batch', { id: job.id }, { jobId: job.id, removeOnComplete: true, removeOnFail: true });
    } catch (e) {
      const gone = this.store.discard(job.id);
      if (gone) this.store.purge(gone);
      throw e;
    }
    batchJobEntered(job);
    return job;
  }

  /** The job's record as the instance running it last wrote it: the same answer from every instance. */
  async get(id: string): Promise<Job | undefined> {
    if (!ID.test(id)) return undefined;
    await this.reachable();
    const raw = await this.redis.get(this.key('job', id));
    return raw ? JSON.parse(raw) as Job : this.store.get(id);
  }

  async delete(id: string): Promise<boolean> {
    const job = await this.get(id);
    const gone = job && this.store.discard(id);
    if (!job || !gone) return false;
    // Whichever instance runs it loses it at its next record write (or its files, gone from under it).
    await this.redis.del(this.key('job', id), this.key('owner', id), this.key('stalls', id));
    await this.queue.remove(id).catch(() => 0);
    const here = this.live.get(id);
    if (here) {
      here.lost = true;
      this.cancelled.set(id, gone);
    } else {
      this.store.purge(gone);
    }
    logger.info({ jobId: id, formId: job.formId }, 'batch job deleted');
    return true;
  }

  openResult(job: Job): Promise<ReadStream | undefined> {
    return this.store.openResult(job);
  }

  /** Removes expired jobs and leftovers of the shared folder (any instance may); never throws. */
  sweep(now = Date.now()): string[] {
    const expired = sweepStore(this.store, this.ttlMs, [...this.live.keys(), ...this.cancelled.keys()], now);
    // Their records expire in Redis on their own (set with the TTL when they ended); this only makes it prompt.
    if (expired.length) this.redis.del(...expired.map((id) => this.key('job', id))).catch(() => {});
    return expired;
  }

  /**
   * Takes no more jobs; a job running here is stopped and handed back to the
   * queue, where another instance (or this one, restarted) runs it again.
   */
  async close(): Promise<void> {
    this.closing = true;
    if (this.sweeper) clearInterval(this.sweeper);
    const workerClosed = this.worker.close();
    await this.pool.close();
    await workerClosed;
    await this.queue.close();
    // BullMQ leaves connections it was given open (they may be shared): they are closed here.
    await Promise.all([this.redis.quit().catch(() => {}), this.workerRedis.quit().catch(() => {})]);
    this.store.close();
  }

  /**
   * Refuses a request while Redis is not connected: its commands would wait
   * in ioredis's queue until Redis is back (BullMQ needs that for its own),
   * and the request with them.
   */
  private async reachable(): Promise<void> {
    if (this.redis.status === 'ready') return;
    // Just started: the first connection is given a moment (a request right after start-up is not refused for it).
    if (!this.everConnected) {
      const ready = once(this.redis, 'ready');
      ready.catch(() => {});
      await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, FIRST_CONNECTION_WAIT_MS).unref())]);
      // Read again: the wait above may have changed it (TypeScript keeps the narrowing from before the await).
      if ((this.redis.status as string) === 'ready') return;
    }
    throw new QueueUnavailableError();
  }

  private key(kind: 'job' | 'owner' | 'stalls', id: string): string {
    return `${this.prefix}:${kind}:${id}`;
  }

  /** Queues a write of the attempt's record; one refused (the attempt no longer owns the job) marks it lost. */
  private write(run: Attempt, job: Job, final = false): Promise<void> {
    const args = [this.key('owner', run.id), this.key('job', run.id), run.token, JSON.stringify(job)];
    if (final) args.push(String(Math.ceil(this.ttlMs / 1000)));
    run.writes = run.writes
      .then(() => this.redis.eval(SAVE, 2, ...args))
      .then((ok) => { if (ok !== 1) run.lost = true; })
      .catch((e: unknown) => { logger.warn({ err: e, jobId: run.id }, 'batch job progress could not be saved to redis'); });
    return run.writes;
  }

  /** Removes what attempts left in the job's folder (their work folders and unfinished results), but `keep`'s. */
  private clearAttempts(job: Job, keep?: string): void {
    const dir = join(this.store.dir, job.id);
    this.store.clearWork(job);
    let entries: string[] = [];
    try { entries = readdirSync(dir); } catch { return; }
    for (const entry of entries) {
      if (/^(work|result)-[0-9a-f-]{36}/.test(entry) && !(keep && entry.includes(keep))) rmSync(join(dir, entry), { recursive: true, force: true });
    }
  }

  private async process(bull: BullJob<{ id: string }>, token?: string): Promise<void> {
    const id = bull.data.id;
    const run: Attempt = { id, token: randomUUID(), lost: false, writes: Promise.resolve() };
    const raw = await this.redis.eval(CLAIM, 2, this.key('owner', id), this.key('job', id), run.token) as string | null;
    // Deleted before it ran, or ended by an attempt that lost its lock just before finishing.
    if (!raw) return;
    const job = JSON.parse(raw) as Job;
    if (job.state === 'done' || job.state === 'failed') { await this.redis.del(this.key('owner', id)); return; }
    if (job.startedAt) {
      // An attempt before this one stopped in the middle: its partial work is discarded, the job runs again from its input.
      Object.assign(job, {
        restarts: job.restarts + 1,
        progress: { rows: 0, rowsDone: 0, groups: 0, groupsDone: 0, pages: 0 },
        badRows: [], badRowCount: 0, groupErrors: [], skippedRows: [],
      } satisfies Partial<Job>);
    }
    this.clearAttempts(job);
    this.live.set(id, run);
    try {
      await this.attempt(bull, token, run, job);
    } finally {
      this.live.delete(id);
    }
  }

  /** Runs the job claimed by `run` to its end: done, failed, lost to another attempt or a delete, or handed back at shutdown. */
  private async attempt(bull: BullJob<{ id: string }>, token: string | undefined, run: Attempt, job: Job): Promise<void> {
    const id = run.id;
    job.state = 'running';
    job.startedAt = new Date().toISOString();
    logger.info({ jobId: id, formId: job.formId, instance: this.instance, restarts: job.restarts }, 'batch job started');
    const stalls = Number(await this.redis.get(this.key('stalls', id)) ?? 0);
    const stopped = () => this.closing || run.lost;
    const dir = join(this.store.dir, id);
    const attemptResult = join(dir, `result-${run.token}`);
    try {
      if (stalls > MAX_STALLS) {
        throw new BatchFailure(`งานนี้หยุดกลางคันเพราะเครื่องที่ทำงานหยุดทำงาน ${stalls} ครั้ง จึงไม่ทำต่อ กรุณาตรวจไฟล์หรือแจ้งผู้ดูแลระบบ`, `the instance running this job stopped in its middle ${stalls} times: it is not run again`);
      }
      this.store.save(job);
      await this.write(run, job);
      batchJobEntered(job);
      // What the run sees: the record written to Redis only (the folder's job.json is written at the start and the end),
      // files of this attempt's own, and a pool that takes no more of its tasks once the attempt is lost or the instance closes.
      const store = wrapped(this.store, {
        save: () => (j) => { if (!stopped()) void this.write(run, j as Job); },
        workDir: () => () => join(dir, `work-${run.token}`),
        resultPath: () => () => attemptResult,
        clearWork: () => () => {
          rmSync(join(dir, `work-${run.token}`), { recursive: true, force: true });
          rmSync(`${attemptResult}.part`, { force: true });
        },
      });
      const refuseWhenStopped = (submit: Method): Method => (...args) => (stopped() ? Promise.reject(new RunStopped()) : submit(...args));
      const pool = wrapped(this.pool, { render: refuseWhenStopped, run: refuseWhenStopped });
      await runJob(job, store, pool);
      await run.writes;
      if (stopped()) throw new RunStopped();
      // Only the attempt that still owns the job puts its result in place, whole (the rename is atomic).
      if (!(await this.owns(run))) { run.lost = true; throw new RunStopped(); }
      fsyncFile(attemptResult);
      renameSync(attemptResult, this.store.resultPath(job));
      fsyncDir(dir);
      job.state = 'done';
    } catch (e) {
      // Deleted on another instance (its files gone from under this run), or taken over: not this attempt's to record.
      if (!run.lost && !this.closing && !(await this.owns(run))) run.lost = true;
      this.clearOwnFiles(run);
      if (run.lost) {
        await this.endLost(run, job);
        return;
      }
      if (this.closing) {
        // Handed back to the queue now rather than after its lock runs out.
        logger.info({ jobId: id, instance: this.instance }, 'batch job handed back to the queue (shutting down)');
        await run.writes;
        await bull.moveToWait(token);
        throw new WaitingError();
      }
      failJob(job, e);
    }
    job.finishedAt = new Date().toISOString();
    // The owner's: what other attempts left is theirs no more.
    this.clearAttempts(job);
    try {
      this.store.save(job);
    } catch (e) {
      // Deleted on another instance in the last moment: its folder is gone, and with it what this run made.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      run.lost = true;
      await this.endLost(run, job);
      return;
    }
    await this.write(run, job, true);
    await this.redis.del(this.key('stalls', id)).catch(() => {});
    batchJobEntered(job);
    logger.info({ jobId: id, formId: job.formId, state: job.state, instance: this.instance, restarts: job.restarts }, 'batch job ended');
  }

  /** Whether the attempt still owns its job (no other attempt claimed it, and it was not deleted). */
  private async owns(run: Attempt): Promise<boolean> {
    return await this.redis.get(this.key('owner', run.id)) === run.token;
  }

  /**
   * Removes this attempt's own files only: another attempt may have taken the
   * job over and be running in the same folder.
   */
  private clearOwnFiles(run: Attempt): void {
    const dir = join(this.store.dir, run.id);
    for (const name of [`work-${run.token}`, `result-${run.token}`, `result-${run.token}.part`]) rmSync(join(dir, name), { recursive: true, force: true });
  }

  /** A run that lost its job (deleted, or taken over): its files go, nothing of it is recorded. */
  private async endLost(run: Attempt, job: Job): Promise<void> {
    const trash = this.cancelled.get(run.id);
    if (trash) {
      this.store.purge(trash);
      this.cancelled.delete(run.id);
      logger.info({ jobId: run.id, formId: job.formId }, 'batch job cancelled');
    } else if (!(await this.redis.exists(this.key('job', run.id)))) {
      logger.info({ jobId: run.id, formId: job.formId, instance: this.instance }, 'batch job deleted on another instance: this run is discarded');
    } else {
      logger.warn({ jobId: run.id, instance: this.instance }, 'batch job taken over by another instance: this run is discarded');
    }
  }
}
