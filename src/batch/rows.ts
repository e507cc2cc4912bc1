import type { BatchSpec } from '../forms/types.js';
import { InputFileError, mapColumns, normalizeHeader, readRows, requiredKeys, validateRows, type InputSource, type ReadOptions } from '../input/index.js';
import type { BadRow } from './jobs.js';

export type ValidatedRow =
  | { ok: true; row: number; value: Record<string, unknown> }
  | { ok: false; row: number; errors: BadRow[] };

/** The rows of a batch's input file, each validated by the form's row schema. File-level problems throw InputFileError. */
export async function* validatedRows(path: string, filename: string, spec: BatchSpec, sheet?: string): AsyncGenerator<ValidatedRow> {
  const source = await readRows({ path }, { filename, sheet, ...headerOf(spec) });
  for await (const r of validateRows(source, spec)) {
    if (r.ok) yield { ok: true, row: r.row, value: r.value as Record<string, unknown> };
    else yield { ok: false, row: r.row, errors: r.errors.map((e) => ({ row: e.row, column: e.column, th: e.th, en: e.en })) };
  }
}

/**
 * Reads only a file's header and checks it has the columns the form needs, so
 * a wrong file is refused when it is uploaded rather than failing as a job.
 * Throws InputFileError.
 */
export async function checkColumns(file: InputSource, filename: string, spec: BatchSpec, sheet?: string): Promise<void> {
  const source = await readRows(file, { filename, sheet, ...headerOf(spec) });
  try {
    mapColumns(source.headers, spec.columns, requiredKeys(spec));
  } finally {
    await source.close?.();
  }
}

/**
 * How the form's header is told: a row (or two) naming every column the form
 * needs, below any title rows. A row that names one twice is taken too, so
 * that is reported.
 */
function headerOf(spec: BatchSpec): Pick<ReadOptions, 'isHeader' | 'isColumnName'> {
  const required = requiredKeys(spec);
  const names = new Set(Object.entries(spec.columns).flatMap(([key, list]) => [key, ...list].map(normalizeHeader)));
  return {
    isHeader: (texts) => {
      try {
        mapColumns(texts, spec.columns, required);
        return true;
      } catch (error) {
        return error instanceof InputFileError && error.code === 'duplicate_columns';
      }
    },
    isColumnName: (text) => names.has(normalizeHeader(text)),
  };
}
