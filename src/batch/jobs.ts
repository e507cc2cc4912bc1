import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FieldError } from '../validation.js';
import { DATA_DIR, DATA_DIR_SHARED } from '../settings.js';
import { logger } from '../http/ops.js';
import { DataDirLock, fsyncDir, fsyncFile, writeFileDurably, type LockOptions } from './dataDir.js';

export const JOBS_DIR = join(DATA_DIR, 'jobs');

/** What a batch request may ask for besides its file and shared fields. */
export const BatchOptions = z.object({
  groupBy: z.enum(['authority', 'province', 'none']).default('authority')
    .describe('แยกเอกสารตาม อปท. จังหวัด หรือไม่แยก / one document per local authority, per province, or one for all rows'),
  output: z.enum(['zip', 'pdf']).default('zip')
    .describe('zip: ไฟล์ละหนึ่งกลุ่ม; pdf: รวมเป็น PDF เดียว แต่ละเอกสารเลขหน้าเริ่มที่ ๑ มีบุ๊กมาร์ก / zip of one file per group, or one merged PDF, each document numbered from 1 with a bookmark'),
  format: z.enum(['pdf', 'docx']).default('pdf').describe('ชนิดไฟล์ใน zip / file type inside the zip'),
  sheet: z.string().max(100).optional().describe('ชื่อชีตของไฟล์ XLSX (ค่าเริ่มต้น ชีตแรก) / XLSX sheet name (default: the first)'),
  columns: z.record(z.string().max(100), z.string().max(500)).refine((m) => Object.keys(m).length <= 100, 'จับคู่ได้ไม่เกิน 100 คอลัมน์ / at most 100 columns may be mapped').optional()
    .describe('จับคู่คอลัมน์เอง: {"ชื่อช่อง": "หัวคอลัมน์ในไฟล์"} / explicit column mapping: {"<canonical key>": "<header text in the file>"}'),
}).strict().refine((o) => o.output !== 'pdf' || o.format === 'pdf', {
  path: ['format'],
  message: 'ไฟล์รวมเป็น PDF เท่านั้น (DOCX ให้เลือก output=zip) / a merged file is PDF only: choose output=zip for DOCX',
});
export type BatchOptions = z.infer<typeof BatchOptions>;

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** A row the job could not use: its line in the file, the column header, and why. */
export interface BadRow {
  row: number;
  column: string;
  th: string;
  en: string;
  /** The cell as written; absent when it was empty. */
  value?: string;
  /** The row's person (its name column). */
  name?: string;
  /** The row's group (its local authority or office). */
  group?: string;
}

/** A totals or footer row left out of the data, reported once. */
export interface SkippedRow { row: number; th: string; en: string }

/** Skipped rows kept in a job's record; the rest are only counted. */
export const MAX_REPORTED_SKIPPED_ROWS = 100;

export interface Job {
  id: string;
  formId: string;
  state: JobState;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  options: BatchOptions;
  shared: Record<string, unknown>;
  input: { filename: string; bytes: number };
  progress: { rows: number; rowsDone: number; groups: number; groupsDone: number; pages: number };
  /** The first bad rows, in file order (all of them are counted in badRowCount). */
  badRows: BadRow[];
  badRowCount: number;
  /** Totals and footer rows left out (`รวม 300 ราย`): no data, not bad rows. */
  skippedRows?: SkippedRow[];
  /** Groups left out because their arithmetic does not hold (a sum that does not match). */
  groupErrors: { group: string; errors: FieldError[] }[];
  /** Why the job failed; `code` for a problem with the file as a whole (e.g. too_many_rows). */
  error?: { code?: string; th: string; en: string };
  result?: { filename: string; bytes: number; contentType: string };
  /** How many times the job was restarted after the service stopped in its middle. */
  restarts: number;
}

export const MAX_REPORTED_BAD_ROWS = 1000;

const ID = /^[0-9a-f-]{36}$/;
const Text = z.string();
const Count = z.number().int().nonnegative();
const Time = z.iso.datetime();
const Message = z.object({ path: Text, th: Text, en: Text });

/** What job.json must hold: a record that does not match is damaged (see JobStore.list). */
export const JobRecord = z.object({
  id: z.string().regex(ID),
  formId: Text,
  state: z.enum(['queued', 'running', 'done', 'failed']),
  createdAt: Time,
  startedAt: Time.optional(),
  finishedAt: Time.optional(),
  options: BatchOptions,
  shared: z.record(z.string(), z.unknown()),
  input: z.object({ filename: Text, bytes: Count }),
  progress: z.object({ rows: Count, rowsDone: Count, groups: Count, groupsDone: Count, pages: Count }),
  badRows: z.array(z.object({ row: Count, column: Text, th: Text, en: Text, value: Text.optional(), name: Text.optional(), group: Text.optional() })),
  badRowCount: Count,
  skippedRows: z.array(z.object({ row: Count, th: Text, en: Text })).optional(),
  groupErrors: z.array(z.object({ group: Text, errors: z.array(Message) })),
  error: z.object({ code: Text.optional(), th: Text, en: Text }).optional(),
  result: z.object({ filename: Text, bytes: Count, contentType: Text }).optional(),
  restarts: Count,
});
// The schema and the Job type describe the same record: this line stops compiling when one changes alone.
const sameShape: [z.infer<typeof JobRecord>] extends [Job] ? ([Job] extends [z.infer<typeof JobRecord>] ? true : false) : false = true;
void sameShape;

/** Names inside the jobs folder that are not jobs. */
const LOCK_FILE = '.lock';
const TRASH = '.trash';
const QUARANTINE = '.quarantine';
const TEMP = /\.(part|tmp)$/;
/** Temporary files and folders without a record older than this are left over from a crash. */
export const STRAY_AFTER_MS = 60 * 60_000;

export interface JobStoreOptions {
  /** Take the folder's lock (default: yes, unless SARABAN_DATA_DIR_SHARED=1). */
  lock?: boolean;
  /** The lock's timings (tests). */
  lockOptions?: LockOptions;
}

export interface SweepOptions {
  /** Finished jobs older than this are removed (0: kept forever). */
  ttlMs: number;
  /** Jobs not to touch: the running one, cancelled ones still winding down. */
  busy: ReadonlySet<string>;
  now?: number;
  strayAfterMs?: number;
}

type ReadOutcome = { job: Job } | { problem: string } | undefined;

/**
 * Jobs on disk: one directory per job with its input file, its record
 * (job.json, replaced atomically and flushed to disk) and its result once
 * whole. A restarted service reads them back, so finished results keep being
 * served. The store owns its folder: a second store on the same folder, in
 * this process or another, is refused (DataDirLock) until close().
 */
export class JobStore {
  private lock?: DataDirLock;

  constructor(readonly dir = JOBS_DIR, options: JobStoreOptions = {}) {
    mkdirSync(dir, { recursive: true });
    if (options.lock ?? !DATA_DIR_SHARED) this.lock = new DataDirLock(join(dir, LOCK_FILE), options.lockOptions);
    else if (DATA_DIR_SHARED) logger.warn({ dir }, 'SARABAN_DATA_DIR_SHARED=1: the data folder is not locked; instances sharing it do not coordinate their jobs');
  }

  /** Gives the folder up (removes the lock file). */
  close(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  /** A new queued job; its input is given as bytes or as an uploaded file, which is copied (never read into memory). */
  create(formId: string, input: Buffer | { path: string }, filename: string, options: BatchOptions, shared: Record<string, unknown>): Job {
    const id = randomUUID();
    const job: Job = {
      id, formId, state: 'queued', createdAt: new Date().toISOString(), options, shared,
      input: { filename, bytes: Buffer.isBuffer(input) ? input.length : statSync(input.path).size },
      progress: { rows: 0, rowsDone: 0, groups: 0, groupsDone: 0, pages: 0 },
      badRows: [], badRowCount: 0, groupErrors: [], restarts: 0,
    };
    const dir = join(this.dir, id);
    mkdirSync(dir);
    try {
      // The input on disk before the record that points to it.
      if (Buffer.isBuffer(input)) writeFileDurably(join(dir, 'input'), input);
      else {
        copyFileSync(input.path, join(dir, 'input.tmp'));
        fsyncFile(join(dir, 'input.tmp'));
        renameSync(join(dir, 'input.tmp'), join(dir, 'input'));
      }
      this.save(job);
      fsyncDir(this.dir);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return job;
  }

  get(id: string): Job | undefined {
    if (!ID.test(id)) return undefined;
    const read = this.read(id);
    if (read && 'problem' in read) logger.warn({ jobId: id, problem: read.problem }, 'batch job record unreadable');
    return read && 'job' in read ? read.job : undefined;
  }

  save(job: Job): void {
    writeFileDurably(join(this.dir, job.id, 'job.json'), JSON.stringify(job));
  }

  /**
   * Every job, oldest first. With `quarantine` (at start-up), a record that
   * cannot be read whole (empty, cut short, not a job) has its folder moved to
   * `.quarantine/<id>-<ms>` and is logged with its id, instead of stopping the
   * service; it is kept there for the jobs' time to live.
   */
  list(options: { quarantine?: boolean } = {}): Job[] {
    const jobs: Job[] = [];
    for (const id of readdirSync(this.dir)) {
      if (!ID.test(id)) continue;
      const read = this.read(id);
      if (read && 'job' in read) jobs.push(read.job);
      else if (read && options.quarantine) this.quarantine(id, read.problem);
    }
    return jobs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  inputPath(job: Job): string {
    return join(this.dir, job.id, 'input');
  }

  /** The finished result; while being written it is `result.part`. */
  resultPath(job: Job): string {
    return join(this.dir, job.id, 'result');
  }

  /** Flushes the result to disk (before the record says the job is done). */
  syncResult(job: Job): void {
    fsyncFile(this.resultPath(job));
  }

  /**
   * The result, opened and checked against its record (a file of the size
   * recorded), as a stream that closes itself; undefined, logged with its
   * path, when it is missing, cut or unreadable.
   */
  async openResult(job: Job): Promise<ReadStream | undefined> {
    const path = this.resultPath(job);
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const stat = await handle.stat();
      if (!stat.isFile() || stat.size !== job.result?.bytes) throw new Error(`${stat.size} bytes on disk, ${job.result?.bytes} in the record`);
    } catch (e) {
      await handle?.close().catch(() => {});
      logger.warn({ jobId: job.id, path, err: e }, 'batch result missing or unreadable');
      return undefined;
    }
    const stream = handle.createReadStream();
    stream.on('error', (e) => logger.warn({ jobId: job.id, path, err: e }, 'batch result could not be read to its end'));
    return stream;
  }

  /** Scratch space of a run (spilled rows, rendered parts); removed when the run ends. */
  workDir(job: Job): string {
    return join(this.dir, job.id, 'work');
  }

  clearWork(job: Job): void {
    rmSync(this.workDir(job), { recursive: true, force: true });
    rmSync(`${join(this.dir, job.id, 'result')}.part`, { force: true });
  }

  /**
   * Takes a job's folder out of the store at once (renamed into `.trash/`, so
   * a crash never leaves half a job behind); returns where it went, for
   * purge(), or undefined when there is no such job.
   */
  discard(id: string): string | undefined {
    if (!ID.test(id)) return undefined;
    const trash = join(this.dir, TRASH);
    mkdirSync(trash, { recursive: true });
    const to = join(trash, `${id}-${Date.now()}`);
    try {
      renameSync(join(this.dir, id), to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    fsyncDir(this.dir);
    return to;
  }

  /** Removes a discarded folder; what cannot be removed now is left to the next sweep. */
  purge(path: string): void {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch (e) {
      logger.warn({ path, err: e }, 'could not remove a discarded batch job yet');
    }
  }

  /**
   * Removes finished jobs past their time to live, and what crashes left:
   * temporary files (`*.part`, `*.tmp`) and folders without a record older
   * than an hour, leftover work folders of finished jobs, the trash, and
   * quarantined records past the time to live. Never touches a busy job or
   * one queued or running (in a shared folder, another instance's).
   */
  sweep(options: SweepOptions): { expired: string[]; removed: number } {
    const now = options.now ?? Date.now();
    const strayAfter = options.strayAfterMs ?? STRAY_AFTER_MS;
    const expired: string[] = [];
    let removed = 0;
    const olderThan = (path: string, ms: number) => {
      try { return now - statSync(path).mtimeMs > ms; } catch { return false; }
    };
    const remove = (path: string) => {
      try { rmSync(path, { recursive: true, force: true }); removed++; } catch (e) { logger.warn({ path, err: e }, 'sweep could not remove a leftover'); }
    };
    const idOf = (name: string) => name.slice(0, 36);
    const stampOf = (name: string) => Number(name.slice(name.lastIndexOf('-') + 1));
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (name === TRASH) {
        for (const t of readdirSync(path)) if (!options.busy.has(idOf(t))) remove(join(path, t));
      } else if (name === QUARANTINE) {
        for (const q of readdirSync(path)) if (options.ttlMs > 0 && now - stampOf(q) > options.ttlMs) remove(join(path, q));
      } else if (TEMP.test(name)) {
        if (olderThan(path, strayAfter)) remove(path);
      } else if (ID.test(name) && !options.busy.has(name)) {
        const read = this.read(name);
        // A folder without a record: a job whose creation was cut short.
        if (!read) { if (olderThan(path, strayAfter)) remove(path); continue; }
        if ('problem' in read) { this.quarantine(name, read.problem); continue; }
        const job = read.job;
        if (job.state !== 'done' && job.state !== 'failed') continue;
        if (options.ttlMs > 0 && now - Date.parse(job.finishedAt ?? job.createdAt) > options.ttlMs) {
          const gone = this.discard(name);
          if (gone) { this.purge(gone); expired.push(name); }
          continue;
        }
        for (const entry of readdirSync(path)) {
          if (entry === 'work' || TEMP.test(entry)) {
            const p = join(path, entry);
            if (olderThan(p, strayAfter)) remove(p);
          }
        }
      }
    }
    return { expired, removed };
  }

  private read(id: string): ReadOutcome {
    let raw: string;
    try {
      raw = readFileSync(join(this.dir, id, 'job.json'), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return { problem: `unreadable (${code})` };
    }
    if (raw.trim() === '') return { problem: 'empty' };
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      return { problem: `not whole JSON (${raw.length} bytes)` };
    }
    const parsed = JobRecord.safeParse(data);
    if (!parsed.success) return { problem: `not a job record: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ')}` };
    if (parsed.data.id !== id) return { problem: `its id ${parsed.data.id} is not its folder's` };
    return { job: parsed.data };
  }

  private quarantine(id: string, problem: string): void {
    const to = join(this.dir, QUARANTINE, `${id}-${Date.now()}`);
    try {
      mkdirSync(join(this.dir, QUARANTINE), { recursive: true });
      renameSync(join(this.dir, id), to);
      fsyncDir(this.dir);
      logger.error({ jobId: id, problem, movedTo: to }, 'batch job record damaged: moved to quarantine');
    } catch (e) {
      logger.error({ jobId: id, problem, err: e }, 'batch job record damaged and could not be moved to quarantine');
    }
  }
}
