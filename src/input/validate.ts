import type { z } from 'zod';
import type { BatchSpec } from '../forms/types.js';
import { fieldErrors } from '../validation.js';
import { mapColumns, requiredKeys } from './columns.js';
import { normalizeCell } from './normalize.js';
import type { SheetRows } from './read.js';

/** A row's problem, named as the clerk sees the file: its row number and the column's header. */
export interface RowError {
  row: number;
  /** The header as written in the file; the key itself for a problem of the whole row. */
  column: string;
  key: string;
  th: string;
  en: string;
}

export type RowResult<T> = { ok: true; row: number; value: T } | { ok: false; row: number; errors: RowError[] };

/**
 * Validates a file's rows with the spec's row schema, one at a time as the
 * file is read. Columns are mapped first (a missing required column throws
 * InputFileError before any row is read); each cell is normalized (digits,
 * spaces, dates in `dateColumns`), empty cells are left out so the schema
 * says "required" rather than "invalid".
 */
export async function* validateRows<R extends z.ZodObject>(
  source: Pick<SheetRows, 'headers' | 'rows'> & Partial<Pick<SheetRows, 'close'>>,
  spec: Pick<BatchSpec<R>, 'row' | 'columns' | 'dateColumns'>,
): AsyncGenerator<RowResult<z.infer<R>>> {
  let mapping: ReturnType<typeof mapColumns>;
  try {
    mapping = mapColumns(source.headers, spec.columns, requiredKeys(spec));
  } catch (error) {
    await source.close?.();
    throw error;
  }
  const dateKeys = new Set(spec.dateColumns ?? []);
  const mapped = Object.entries(mapping);
  for await (const { row, cells } of source.rows) {
    const data: Record<string, string> = {};
    for (const [key, header] of mapped) {
      const text = normalizeCell(cells[header] ?? '', { date: dateKeys.has(key) });
      if (text !== '') data[key] = text;
    }
    const parsed = spec.row.safeParse(data);
    if (parsed.success) {
      yield { ok: true, row, value: parsed.data };
      continue;
    }
    const messages = fieldErrors(parsed.error);
    const errors = parsed.error.issues.map((issue, i): RowError => {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '';
      return { row, column: mapping[key] ?? key, key, th: messages[i]!.th, en: messages[i]!.en };
    });
    yield { ok: false, row, errors };
  }
}
