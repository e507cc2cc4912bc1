import { join } from 'node:path';
import { PROJECT_ROOT } from './fonts/registry.js';

/** Where batch jobs, their results and uploaded templates are kept (SARABAN_DATA_DIR). */
export const DATA_DIR = process.env.SARABAN_DATA_DIR ?? join(PROJECT_ROOT, 'data');

/** The largest JSON body any route accepts (SARABAN_JSON_LIMIT, in body-parser's units). */
export const JSON_LIMIT = process.env.SARABAN_JSON_LIMIT ?? '1mb';

/** JSON_LIMIT in bytes, for JSON that arrives as a file part (a multipart `data`), held to the same limit. */
export function bytesOf(limit: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!m) throw new Error(`SARABAN_JSON_LIMIT must be a size such as 1mb or 512kb (got "${limit}")`);
  return Math.floor(Number(m[1]) * 1024 ** ['b', 'kb', 'mb', 'gb'].indexOf((m[2] ?? 'b').toLowerCase()));
}
export const JSON_LIMIT_BYTES = bytesOf(JSON_LIMIT);

/** Reads a whole number setting; a malformed value stops the service at start-up rather than being guessed. */
export function intSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${raw}")`);
  return n;
}

/** Reads a number setting that may have a fraction (e.g. hours); malformed stops the service at start-up, as intSetting. */
export function numberSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min} (got "${raw}")`);
  return n;
}

/** Reads an on/off setting: 1/true/yes or 0/false/no; anything else stops the service at start-up. */
export function flagSetting(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be 1 or 0 (got "${process.env[name]}")`);
}

/**
 * SARABAN_DATA_DIR_SHARED=1: several instances use one data folder on purpose
 * (a shared queue, later), so none takes the folder's lock. Unset, the first
 * instance locks the folder and a second one refuses to start.
 */
export const DATA_DIR_SHARED = flagSetting('SARABAN_DATA_DIR_SHARED', false);

/** Hours a finished batch job (its input and result) is kept after it ends (SARABAN_JOB_TTL_HOURS; 0: forever). */
export const JOB_TTL_HOURS = numberSetting('SARABAN_JOB_TTL_HOURS', 72, 0);

/** Minutes between sweeps of expired jobs and stray temporary files (SARABAN_JOB_SWEEP_MINUTES; 0: at start-up only). */
export const JOB_SWEEP_MINUTES = numberSetting('SARABAN_JOB_SWEEP_MINUTES', 10, 0);

/**
 * REDIS_URL (redis://host:6379): batch jobs go through a BullMQ queue in that
 * Redis, shared by every instance that names it; their files stay in
 * SARABAN_DATA_DIR, which those instances must all mount (no folder lock is
 * taken: REDIS_URL implies SARABAN_DATA_DIR_SHARED). Unset: the embedded queue
 * of one instance, as always.
 */
export const REDIS_URL = process.env.REDIS_URL?.trim() || undefined;

/**
 * With REDIS_URL: how long a running batch job's lock lives unrenewed (ms); an
 * instance that died in a job's middle frees it after this long and another
 * instance runs it again from its input. Also the interval of the stalled-job check.
 */
export const QUEUE_LOCK_MS = intSetting('SARABAN_QUEUE_LOCK_MS', 30_000, 1000);

/**
 * SARABAN_PDF_ARCHIVE=pdf/a-3b: every PDF is PDF/A-3b with its data embedded
 * unless a request asks `archive: "none"`; unset or `none`: only when asked.
 * Read per render (threads share the environment); a value of neither stops the start.
 */
export function pdfArchiveDefault(): 'pdf/a-3b' | undefined {
  const raw = process.env.SARABAN_PDF_ARCHIVE?.trim().toLowerCase();
  if (!raw || raw === 'none') return undefined;
  if (raw === 'pdf/a-3b') return 'pdf/a-3b';
  throw new Error(`SARABAN_PDF_ARCHIVE must be pdf/a-3b or none (got "${process.env.SARABAN_PDF_ARCHIVE}")`);
}
