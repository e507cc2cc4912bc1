import type { ReadStream } from 'node:fs';
import type { RenderPool } from './pool.js';
import type { BatchOptions, Job } from './jobs.js';

/**
 * What the HTTP routes and the server need of batch jobs, whichever queue runs
 * them: the embedded one of one instance (BatchManager, the default) or the
 * one several instances share through Redis (SharedJobQueue, with REDIS_URL).
 * Answers may come at once or as promises: the routes await them either way.
 */
export interface JobQueue {
  /** How long a finished job is kept, in ms (0: forever). */
  readonly ttlMs: number;
  /** The render threads this instance runs its share of the jobs on. */
  readonly pool: RenderPool;
  submit(formId: string, input: Buffer | { path: string }, filename: string, options: BatchOptions, shared: Record<string, unknown>): Job | Promise<Job>;
  /** The job as it stands, or undefined when there is no such job. */
  get(id: string): Job | undefined | Promise<Job | undefined>;
  /** Deletes a job and its files (a running one is cancelled); false: no such job. */
  delete(id: string): boolean | Promise<boolean>;
  /** The result of a done job, checked against its record; undefined when it is missing or unreadable. */
  openResult(job: Job): Promise<ReadStream | undefined>;
  /** Stops taking jobs; a job running here is left to run again (at the next start, or on another instance). */
  close(): Promise<void>;
}

/**
 * The shared queue cannot be reached (Redis down or reconnecting): answered
 * 503 with Retry-After at once, rather than a request held until Redis is back.
 */
export class QueueUnavailableError extends Error {
  readonly th = 'ระบบคิวงานชุดใช้งานไม่ได้ชั่วคราว กรุณาลองใหม่ในอีกสักครู่';
  readonly en = 'the batch job queue is unavailable for now (its Redis cannot be reached): try again shortly';
  constructor() { super('batch job queue unavailable: redis is not connected'); }
}
