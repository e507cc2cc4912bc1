import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, existsSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { FieldError } from '../validation.js';
import { DATA_DIR } from '../settings.js';

export const JOBS_DIR = join(DATA_DIR, 'jobs');

/** What a batch request may ask for besides its file and shared fields. */
export const BatchOptions = z.object({
  groupBy: z.enum(['authority', 'province', 'none']).default('authority')
    .describe('แยกเอกสารตาม อปท. จังหวัด หรือไม่แยก / one document per local authority, per province, or one for all rows'),
  output: z.enum(['zip', 'pdf']).default('zip')
    .describe('zip: ไฟล์ละหนึ่งกลุ่ม; pdf: รวมเป็น PDF เดียว เลขหน้าต่อเนื่อง / zip of one file per group, or one merged PDF numbered continuously'),
  format: z.enum(['pdf', 'docx']).default('pdf').describe('ชนิดไฟล์ใน zip / file type inside the zip'),
  sheet: z.string().max(100).optional().describe('ชื่อชีตของไฟล์ XLSX (ค่าเริ่มต้น ชีตแรก) / XLSX sheet name (default: the first)'),
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
}

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

/**
 * Jobs on disk: one directory per job with its input file, its record
 * (job.json, replaced atomically) and its result once whole. A restarted
 * service reads them back, so finished results keep being served.
 */
export class JobStore {
  constructor(readonly dir = JOBS_DIR) {
    mkdirSync(dir, { recursive: true });
  }

  create(formId: string, input: Buffer, filename: string, options: BatchOptions, shared: Record<string, unknown>): Job {
    const id = randomUUID();
    const job: Job = {
      id, formId, state: 'queued', createdAt: new Date().toISOString(), options, shared,
      input: { filename, bytes: input.length },
      progress: { rows: 0, rowsDone: 0, groups: 0, groupsDone: 0, pages: 0 },
      badRows: [], badRowCount: 0, groupErrors: [], restarts: 0,
    };
    mkdirSync(join(this.dir, id), { recursive: true });
    writeFileSync(join(this.dir, id, 'input'), input);
    this.save(job);
    return job;
  }

  get(id: string): Job | undefined {
    if (!ID.test(id)) return undefined;
    const file = join(this.dir, id, 'job.json');
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, 'utf8')) as Job;
  }

  save(job: Job): void {
    const file = join(this.dir, job.id, 'job.json');
    writeFileSync(`${file}.part`, JSON.stringify(job));
    renameSync(`${file}.part`, file);
  }

  /** Every job, oldest first. */
  list(): Job[] {
    return readdirSync(this.dir)
      .map((id) => this.get(id))
      .filter((j): j is Job => j !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  inputPath(job: Job): string {
    return join(this.dir, job.id, 'input');
  }

  /** The finished result; while being written it is `result.part`. */
  resultPath(job: Job): string {
    return join(this.dir, job.id, 'result');
  }

  /** Scratch space of a run (spilled rows, rendered parts); removed when the run ends. */
  workDir(job: Job): string {
    return join(this.dir, job.id, 'work');
  }

  clearWork(job: Job): void {
    rmSync(this.workDir(job), { recursive: true, force: true });
    rmSync(`${join(this.dir, job.id, 'result')}.part`, { force: true });
  }
}
