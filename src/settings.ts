import { join } from 'node:path';
import { PROJECT_ROOT } from './fonts/registry.js';

/** Where batch jobs, their results and uploaded templates are kept (SARABAN_DATA_DIR). */
export const DATA_DIR = process.env.SARABAN_DATA_DIR ?? join(PROJECT_ROOT, 'data');

/** The largest JSON body any route accepts (SARABAN_JSON_LIMIT, in body-parser's units). */
export const JSON_LIMIT = process.env.SARABAN_JSON_LIMIT ?? '1mb';

/** Reads a whole number setting; a malformed value stops the service at start-up rather than being guessed. */
export function intSetting(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${raw}")`);
  return n;
}
