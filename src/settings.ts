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
