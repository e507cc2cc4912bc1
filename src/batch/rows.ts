import type { BatchSpec } from '../forms/types.js';
import {
  InputFileError, headerKeys, mapColumns, matchColumns, normalizeHeader, readRows, requiredKeys, validateRows,
  type ColumnMapping, type InputSource, type ReadOptions,
} from '../input/index.js';
import type { BadRow, SkippedRow } from './jobs.js';

export type ValidatedRow =
  | { ok: true; row: number; value: Record<string, unknown> }
  | { ok: false; row: number; errors: BadRow[]; skipped?: SkippedRow };

/** The rows of a batch's input file, each validated by the form's row schema. File-level problems throw InputFileError. */
export async function* validatedRows(path: string, filename: string, spec: BatchSpec, sheet?: string, columns?: ColumnMapping, groupKey?: string): AsyncGenerator<ValidatedRow> {
  const source = await readRows({ path }, { filename, sheet, ...headerOf(spec, columns) });
  for await (const r of validateRows(source, spec, { columns, groupKey })) {
    if (r.ok) yield { ok: true, row: r.row, value: r.value as Record<string, unknown> };
    else if (r.skipped) yield { ok: false, row: r.row, errors: [], skipped: r.skipped };
    else {
      yield {
        ok: false, row: r.row,
        errors: r.errors.map(({ key: _key, ...e }) => e),
      };
    }
  }
}

/**
 * Reads only a file's header and checks it has the columns the form needs, so
 * a wrong file is refused when it is uploaded rather than failing as a job.
 * Throws InputFileError.
 */
export async function checkColumns(file: InputSource, filename: string, spec: BatchSpec, sheet?: string, columns?: ColumnMapping): Promise<void> {
  const source = await readRows(file, { filename, sheet, ...headerOf(spec, columns) });
  try {
    mapColumns(source.headers, spec.columns, requiredKeys(spec), { explicit: columns, headerRow: source.headerRow });
  } finally {
    await source.close?.();
  }
}

/** A file's header row and the best-guess mapping of the form's keys to it, for a page that lets the clerk map columns. */
export interface ColumnsPreview {
  headerRow: number;
  headers: string[];
  /** Each key of the form: the header it was matched to, or null. */
  mapping: Record<string, string | null>;
  /** Keys whose column must be in the file. */
  required: string[];
  /** Each key's accepted header names (Thai first, then English). */
  accepted: Record<string, string[]>;
}

/** Reads a file's header (below any title rows) and matches it, without refusing it for a missing column. Throws InputFileError for a file that cannot be read. */
export async function previewColumns(file: InputSource, filename: string, spec: BatchSpec, sheet?: string): Promise<ColumnsPreview> {
  const source = await readRows(file, { filename, sheet, ...headerOf(spec) });
  try {
    const required = requiredKeys(spec);
    const match = matchColumns(source.headers, spec.columns, required);
    const mapping = Object.fromEntries(Object.keys(spec.columns).map((key) => [key, match.mapping[key] ?? null]));
    return { headerRow: source.headerRow, headers: source.headers, mapping, required, accepted: spec.columns };
  } finally {
    await source.close?.();
  }
}

/**
 * How the form's header is told: a row (or two) naming every column the form
 * needs, below any title rows. A row that names one twice is taken too, so
 * that is reported. With no such row, the row naming most of the form's
 * columns is the header (so a refusal names what it has and lacks).
 */
function headerOf(spec: BatchSpec, columns?: ColumnMapping): Pick<ReadOptions, 'isHeader' | 'isColumnName' | 'headerScore'> {
  const required = requiredKeys(spec);
  const names = new Set(Object.entries(spec.columns).flatMap(([key, list]) => [key, ...list].map(normalizeHeader)));
  const chosen = new Set(Object.values(columns ?? {}).map(normalizeHeader));
  return {
    isHeader: (texts) => {
      try {
        mapColumns(texts, spec.columns, required, { explicit: columns });
        return true;
      } catch (error) {
        return error instanceof InputFileError && error.code === 'duplicate_columns';
      }
    },
    isColumnName: (text) => headerKeys(text).some((k) => names.has(k)) || chosen.has(normalizeHeader(text)),
    headerScore: (texts) => Object.keys(matchColumns(texts, spec.columns, required, columns).mapping).length,
  };
}
