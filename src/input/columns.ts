import type { BatchSpec } from '../forms/types.js';
import { fileErrors } from './errors.js';
import { headerKeys, normalizeHeader } from './normalize.js';

/** Canonical key -> the header of the file that holds it. */
export type ColumnMapping = Record<string, string>;

/** A header the spec does not know, with the accepted name nearest to it (normalised edit distance). */
export interface UnknownHeader { header: string; closest?: { key: string; name: string } }

/** How a header row matches a spec: what maps where, what is left over, what is missing. */
export interface ColumnMatch {
  mapping: ColumnMapping;
  /** Headers matched by no key (in file order). */
  unknown: string[];
  /** Required keys with no header. */
  missing: string[];
  /** Headers that name a key another header already names. */
  duplicates: string[];
}

export interface MapOptions {
  /** The mapping the clerk chose (canonical key -> header text in the file); the rest is matched by name. */
  explicit?: ColumnMapping;
  /** The row read as the header, named in the message when columns are missing. */
  headerRow?: number;
}

/**
 * Matches a file's headers to the spec's canonical keys. Headers compare by
 * their letters and digits only (see normalizeHeader: no spaces, dashes,
 * dots, slashes or brackets, Thai digits as Arabic, any case), then without
 * a unit in brackets at their end (`เงินเดือน (บาท)` = `เงินเดือน`). A key the
 * clerk mapped explicitly takes that header. Nothing is thrown: see mapColumns.
 */
export function matchColumns(headers: string[], columns: Record<string, string[]>, required: string[] = Object.keys(columns), explicit: ColumnMapping = {}): ColumnMatch {
  const keyOfName = new Map<string, string>();
  for (const [key, names] of Object.entries(columns)) {
    for (const name of [key, ...names]) {
      const k = normalizeHeader(name);
      if (k !== '' && !keyOfName.has(k)) keyOfName.set(k, key);
    }
  }
  const mapping: ColumnMapping = {};
  const taken = new Set<string>();
  for (const [key, header] of Object.entries(explicit)) {
    const found = headers.find((h) => h === header) ?? headers.find((h) => normalizeHeader(h) === normalizeHeader(header));
    if (found === undefined) continue;
    mapping[key] = found;
    taken.add(found);
  }
  const duplicates: string[] = [];
  const unmatched = new Set(headers.filter((h) => !taken.has(h)));
  // Whole headers first, then headers without their unit: `เงินเดือน` beats `เงินเดือน (บาท)`.
  for (const tier of [0, 1, 2]) {
    for (const header of headers) {
      if (!unmatched.has(header)) continue;
      const name = headerKeys(header)[tier];
      const key = name === undefined ? undefined : keyOfName.get(name);
      if (key === undefined) continue;
      unmatched.delete(header);
      if (key in explicit && key in mapping) continue;
      if (key in mapping) {
        // `วิทยฐานะ` (the one held) beside `วิทยฐานะที่ขอ`: the longer, more specific name takes the key.
        const held = normalizeHeader(mapping[key]!);
        const here = normalizeHeader(header);
        if (here !== held && here.startsWith(held)) { unmatched.add(mapping[key]!); mapping[key] = header; }
        else if (here !== held && held.startsWith(here)) unmatched.add(header);
        else if (tier === 0) duplicates.push(mapping[key]!, header);
        continue;
      }
      mapping[key] = header;
    }
  }
  const missing = required.filter((key) => !(key in mapping));
  return { mapping, unknown: [...unmatched], missing, duplicates: [...new Set(duplicates)] };
}

/**
 * matchColumns, throwing InputFileError for a key given by two headers or a
 * required key with no header. The missing-columns message names the row
 * read as the header, the columns found there, the ones not recognised and
 * the accepted name nearest to each, in Thai and English.
 */
export function mapColumns(headers: string[], columns: Record<string, string[]>, required: string[] = Object.keys(columns), options: MapOptions = {}): ColumnMapping {
  const explicit = options.explicit ?? {};
  const strange = Object.keys(explicit).filter((key) => !(key in columns));
  if (strange.length > 0) throw fileErrors.unknownMappingKeys(strange, Object.keys(columns));
  const absent = Object.entries(explicit).filter(([, header]) => !headers.some((h) => normalizeHeader(h) === normalizeHeader(header)));
  if (absent.length > 0) throw fileErrors.mappedColumnsAbsent(absent.map(([, h]) => h), headers, options.headerRow);
  const match = matchColumns(headers, columns, required, explicit);
  if (match.duplicates.length > 0) throw fileErrors.duplicateColumns(match.duplicates);
  if (match.missing.length > 0) {
    // The nearest names are worked out only for the refusal, and for the first headers it names.
    const unknown = match.unknown.slice(0, MAX_SUGGESTED).map((header): UnknownHeader => ({ header, closest: closestName(header, columns, match.missing) }));
    throw fileErrors.missingColumns(match.missing.map((key) => columns[key]?.[0] ?? key), {
      headerRow: options.headerRow,
      headers,
      unknown,
      englishNames: match.missing.map((key) => englishName(key, columns)),
    });
  }
  return match.mapping;
}

/** Unknown headers given a nearest accepted name in a refusal. */
const MAX_SUGGESTED = 20;

/** The English name of a column: the first of its names in Latin letters, else its key. */
function englishName(key: string, columns: Record<string, string[]>): string {
  return columns[key]?.find((n) => /^[\x20-\x7e]+$/.test(n)) ?? key;
}

/** The accepted name of `keys` nearest to `header`, by edit distance over normalised names relative to their length. */
export function closestName(header: string, columns: Record<string, string[]>, keys: string[]): { key: string; name: string } | undefined {
  // A header is a cell: bounded here so a long one costs no more than a name.
  const target = [...(headerKeys(header).at(-1) ?? '')].slice(0, 60).join('');
  if (target === '') return undefined;
  let best: { key: string; name: string; score: number } | undefined;
  for (const key of keys) {
    for (const name of columns[key] ?? []) {
      const n = normalizeHeader(name);
      if (n === '') continue;
      const score = editDistance(target, n) / Math.max(target.length, n.length);
      if (!best || score < best.score) best = { key, name, score };
    }
  }
  return best && best.score < 0.75 ? { key: best.key, name: best.name } : undefined;
}

function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length]!;
}

/** The keys whose schema refuses an absent value: their column must be in the file. */
export function requiredKeys(spec: Pick<BatchSpec, 'row' | 'columns'>): string[] {
  const shape = spec.row.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  return Object.keys(spec.columns).filter((key) => shape[key] !== undefined && !shape[key].safeParse(undefined).success);
}

