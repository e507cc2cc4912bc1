import type { BatchSpec } from '../forms/types.js';
import { fileErrors } from './errors.js';
import { normalizeHeader } from './normalize.js';

/** Canonical key -> the header of the file that holds it. */
export type ColumnMapping = Record<string, string>;

/**
 * Matches a file's headers to the spec's canonical keys. Headers compare
 * without spaces, line breaks or case, Thai digits as Arabic (`ชื่อ - สกุล`
 * = `ชื่อ-สกุล`, `Rank Requested` = `rank requested`). Headers the spec does
 * not know are ignored; a required key with no header, or a key given by two
 * headers, is a file-level error naming the column by its Thai header.
 */
export function mapColumns(headers: string[], columns: Record<string, string[]>, required: string[] = Object.keys(columns)): ColumnMapping {
  const keyOfName = new Map<string, string>();
  for (const [key, names] of Object.entries(columns)) {
    for (const name of [key, ...names]) if (!keyOfName.has(normalizeHeader(name))) keyOfName.set(normalizeHeader(name), key);
  }
  const mapping: ColumnMapping = {};
  const duplicates: string[] = [];
  for (const header of headers) {
    const key = keyOfName.get(normalizeHeader(header));
    if (key === undefined) continue;
    if (key in mapping) duplicates.push(mapping[key]!, header);
    else mapping[key] = header;
  }
  if (duplicates.length > 0) throw fileErrors.duplicateColumns([...new Set(duplicates)]);
  const missing = required.filter((key) => !(key in mapping));
  if (missing.length > 0) throw fileErrors.missingColumns(missing.map((key) => columns[key]?.[0] ?? key));
  return mapping;
}

/** The keys whose schema refuses an absent value: their column must be in the file. */
export function requiredKeys(spec: Pick<BatchSpec, 'row' | 'columns'>): string[] {
  const shape = spec.row.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return Object.keys(spec.columns).filter((key) => shape[key] !== undefined && !shape[key].safeParse(undefined).success);
}
