import type { z } from 'zod';
import type { BatchSpec } from '../forms/types.js';
import { fieldErrors } from '../validation.js';
import { mapColumns, requiredKeys, type ColumnMapping } from './columns.js';
import { normalizeCell, normalizeHeader } from './normalize.js';
import type { SheetRows } from './read.js';

/** A row's problem, named as the clerk sees the file: its row number and the column's header. */
export interface RowError {
  row: number;
  /** The header as written in the file; the key itself for a problem of the whole row. */
  column: string;
  key: string;
  th: string;
  en: string;
  /** The cell as written (cut to 100 characters); absent for an empty cell. */
  value?: string;
  /** The row's person, from its name column, when it has one. */
  name?: string;
  /** The row's group (its local authority or office), when it has one. */
  group?: string;
}

/** A row that is no data: a totals or footer row (`รวม 300 ราย`, a row of only a sum, `ลงชื่อ ... ผู้รายงาน`). */
export interface SkippedRow { row: number; th: string; en: string }

export type RowResult<T> =
  | { ok: true; row: number; value: T }
  /** A bad row; or, with `skipped` (and no errors), a totals or footer row left out. */
  | { ok: false; row: number; errors: RowError[]; skipped?: SkippedRow };

export interface ValidateOptions {
  /** The clerk's own mapping of keys to headers (see mapColumns). */
  columns?: ColumnMapping;
  /** The key whose cell names the row's group in messages (default: the spec's authority key). */
  groupKey?: string;
}

/** Text opening a totals row: รวม, รวมทั้งสิ้น, ยอดรวม, Total. */
const TOTALS = /^(รวม|ยอดรวม|total\b|grand total|sum\b)/i;
/** Text opening a footer under a table: a signature line, a note, the preparer. */
const FOOTER = /^(ลงชื่อ|ลงนาม|หมายเหตุ|ผู้จัดทำ|ผู้รายงาน|ผู้รับรอง|ที่มา|ข้อมูล ณ|\(ลงชื่อ\)|\.{3,})/;
/** A number as a sum cell holds it: digits, separators, a decimal point, a unit. */
const NUMBER = /^[\d,.\s]+(บาท|คน|ราย|เล่ม)?$/;

/**
 * Why a row that the schema refused is no data, or undefined when it is a
 * bad row: its first filled cells open with รวม / Total (a totals row), or a
 * note or signature line, or every filled cell is a number and the name
 * column is empty (a row of only sums), or it has one filled cell outside
 * the name column (a heading between groups).
 */
export function footerReason(cells: string[], name: string | undefined): { th: string; en: string } | undefined {
  const filled = cells.map((c) => c.trim()).filter((c) => c !== '');
  if (filled.length === 0) return undefined;
  if (filled.slice(0, 3).some((c) => TOTALS.test(c))) return { th: `แถวรวมยอด ("${cut(filled.find((c) => TOTALS.test(c))!, 40)}") ข้ามไป`, en: `a totals row ("${cut(filled.find((c) => TOTALS.test(c))!, 40)}"), skipped` };
  if (FOOTER.test(filled[0]!) && filled.length <= 3) return { th: `แถวท้ายตาราง ("${cut(filled[0]!, 40)}") ข้ามไป`, en: `a footer row ("${cut(filled[0]!, 40)}"), skipped` };
  if (!name && filled.every((c) => NUMBER.test(c))) return { th: 'แถวที่มีแต่ตัวเลข (ยอดรวม) ข้ามไป', en: 'a row of only numbers (a sum), skipped' };
  // A heading between groups of rows (`เทศบาลเมืองชัยนาท` alone on its row), not a person without data.
  if (!name && filled.length === 1) return { th: `แถวหัวข้อ ("${cut(filled[0]!, 40)}") ไม่มีข้อมูลอื่น ข้ามไป`, en: `a heading row ("${cut(filled[0]!, 40)}") with no other data, skipped` };
  return undefined;
}

/** A given-name column, and the surname and title columns that complete it. */
const GIVEN_NAME = new Set(['ชื่อ', 'ชื่อต้น', 'firstname', 'givenname']);
const SURNAME = new Set(['นามสกุล', 'สกุล', 'ชื่อสกุล', 'surname', 'lastname', 'familyname']);
const TITLE = new Set(['คำนำหน้า', 'คำนำหน้าชื่อ', 'คำนำหน้านาม', 'ยศ', 'title', 'prefix']);

/**
 * A name written in two or three columns, as many personnel systems export
 * it (คำนำหน้า | ชื่อ | นามสกุล): when the name column is a given-name column
 * and the file has a surname column, the headers whose cells make the name,
 * title first. Otherwise undefined.
 */
export function nameParts(headers: string[], mapping: ColumnMapping): { title?: string; given: string; surname: string } | undefined {
  const given = mapping.name;
  if (given === undefined || !GIVEN_NAME.has(normalizeHeader(given))) return undefined;
  const taken = new Set(Object.values(mapping));
  const free = headers.filter((h) => !taken.has(h));
  const surname = free.find((h) => SURNAME.has(normalizeHeader(h)));
  if (surname === undefined) return undefined;
  return { title: free.find((h) => TITLE.has(normalizeHeader(h))), given, surname };
}

/** A cell numbering a column, as official forms print a row of them under the header: `(1)`, `(๓)`. */
const COLUMN_NUMBER = /^\([0-9๐-๙]{1,3}\)$/;

/**
 * The header printed again (an export paged for printing repeats it on each
 * page), or its row of column numbers: most mapped cells read as their own
 * header, or every filled cell is a column number.
 */
function repeatedHeader(cells: Record<string, string>, mapped: [string, string][]): { th: string; en: string } | undefined {
  const same = mapped.filter(([, header]) => normalizeHeader(cells[header] ?? '') === normalizeHeader(header) && normalizeHeader(header) !== '').length;
  if (mapped.length > 0 && same * 2 >= mapped.length) return { th: 'แถวหัวตารางซ้ำ ข้ามไป', en: 'the header repeated, skipped' };
  const filled = Object.values(cells).map((c) => c.trim()).filter((c) => c !== '');
  if (filled.length > 1 && filled.every((c) => COLUMN_NUMBER.test(c))) return { th: 'แถวเลขลำดับคอลัมน์ ข้ามไป', en: 'a row of column numbers, skipped' };
  return undefined;
}

const cut = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}…` : text);

/**
 * Validates a file's rows with the spec's row schema, one at a time as the
 * file is read. Columns are mapped first (a missing required column throws
 * InputFileError before any row is read); each cell is normalized (digits,
 * spaces, dates in `dateColumns`), empty cells are left out so the schema
 * says "required" rather than "invalid". A refused row that is a totals or
 * footer row is yielded as skipped, not as bad. A bad row's errors carry the
 * cell's value, the row's name and its group.
 */
export async function* validateRows<R extends z.ZodObject>(
  source: Pick<SheetRows, 'headers' | 'rows'> & Partial<Pick<SheetRows, 'close' | 'headerRow'>>,
  spec: Pick<BatchSpec<R>, 'row' | 'columns' | 'dateColumns'> & Partial<Pick<BatchSpec<R>, 'groupKeys'>>,
  options: ValidateOptions = {},
): AsyncGenerator<RowResult<z.infer<R>>> {
  let mapping: ColumnMapping;
  try {
    mapping = mapColumns(source.headers, spec.columns, requiredKeys(spec), { explicit: options.columns, headerRow: source.headerRow });
  } catch (error) {
    await source.close?.();
    throw error;
  }
  const dateKeys = new Set(spec.dateColumns ?? []);
  const mapped = Object.entries(mapping);
  const groupKey = options.groupKey ?? spec.groupKeys?.authority ?? spec.groupKeys?.province;
  const split = nameParts(source.headers, mapping);
  for await (const { row, cells } of source.rows) {
    const data: Record<string, string> = {};
    for (const [key, header] of mapped) {
      const text = normalizeCell(cells[header] ?? '', { date: dateKeys.has(key) });
      if (text !== '') data[key] = text;
    }
    if (split && data.name !== undefined) {
      // นาย | สมชาย | ใจดี -> นายสมชาย ใจดี, as a name is written with its title.
      const part = (h: string | undefined) => (h === undefined ? '' : normalizeCell(cells[h] ?? ''));
      data.name = `${part(split.title)}${data.name} ${part(split.surname)}`.trim();
    }
    const parsed = spec.row.safeParse(data);
    if (parsed.success) {
      yield { ok: true, row, value: parsed.data };
      continue;
    }
    const name = 'name' in mapping ? data.name : undefined;
    const skip = repeatedHeader(cells, mapped) ?? footerReason(Object.values(cells), name);
    if (skip) {
      yield { ok: false, row, errors: [], skipped: { row, ...skip } };
      continue;
    }
    const group = groupKey ? data[groupKey] : undefined;
    const messages = fieldErrors(parsed.error);
    const errors = parsed.error.issues.map((issue, i): RowError => {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '';
      const value = data[key];
      // The message says what was written and whose row it is, so it reads alone (a list on a page, a line of the CLI).
      const given = value !== undefined ? { th: ` (กรอกไว้ "${cut(value, 40)}")`, en: ` (given "${cut(value, 40)}")` } : { th: '', en: '' };
      const whose = name ? { th: ` — แถวของ ${cut(name, 60)}`, en: ` — the row of ${cut(name, 60)}` } : { th: '', en: '' };
      const error: RowError = { row, column: mapping[key] ?? key, key, th: `${messages[i]!.th}${given.th}${whose.th}`, en: `${messages[i]!.en}${given.en}${whose.en}` };
      if (value !== undefined) error.value = cut(value, 100);
      if (name) error.name = cut(name, 100);
      if (group) error.group = cut(group, 100);
      return error;
    });
    yield { ok: false, row, errors };
  }
}
