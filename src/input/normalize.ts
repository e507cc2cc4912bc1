import { toArabicDigits } from '../thai/numerals.js';
import { THAI_MONTHS, THAI_MONTHS_SHORT, BE_OFFSET } from '../thai/date.js';

/** Spaces Thai word processors put in text: no-break and narrow no-break spaces. */
const WIDE_SPACES = /[\u00a0\u2007\u202f\u3000]/g;
/** Zero-width characters Thai editors insert as word-break hints; invisible, never data. */
const ZERO_WIDTH = /[\u200b\u200c\u200d\u2060\ufeff]/g;

/** Whatever normalizeCell would change: Thai digits, zero-width or wide spaces, line breaks, tabs, spaces doubled or at an end. */
const NEEDS_NORMALIZING = /[\u0e50-\u0e59\u200b\u200c\u200d\u2060\ufeff\u00a0\u2007\u202f\u3000\r\n\t]|^\s|\s$| {2}/;

/**
 * A cell as the row schema should see it: Thai digits as Arabic, no-break
 * spaces as spaces, runs of spaces collapsed, each line trimmed (a cell may
 * hold several lines, e.g. numbered works). In a date column a date written
 * the ways Thai offices write it becomes ISO `YYYY-MM-DD` (CE); a date that
 * cannot be read is left as written so the schema reports it.
 */
export function normalizeCell(value: string, options: { date?: boolean } = {}): string {
  // Most cells have nothing to change: they skip the replacing and splitting below.
  const text = !NEEDS_NORMALIZING.test(value) ? value : toArabicDigits(value)
    .replace(ZERO_WIDTH, '')
    .replace(WIDE_SPACES, ' ')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
  if (!options.date) return text;
  return parseThaiDate(text) ?? text;
}

/**
 * A header as compared with the spec's names: digits Arabic, lower case, and
 * nothing but its letters, marks and digits, so spaces, line breaks, dashes
 * of every kind (- – — ‐), slashes, dots and brackets do not count
 * (`ชื่อ – สกุล` = `ชื่อ-สกุล` = `ชื่อ สกุล`, `อปท` = `อปท.`, `Rank Requested` =
 * `rank requested`).
 */
export function normalizeHeader(header: string): string {
  return toArabicDigits(header.normalize('NFC')).replace(ZERO_WIDTH, '').toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, '');
}

/** A unit or note in brackets closing a header: `เงินเดือน (บาท)`, `อายุ (ปี)`, `จำนวน (คน)`, `ชื่อ (ผู้ขอ)`. */
const TRAILING_BRACKETS = /\s*[([{（［][^()[\]{}（）［］]*[)\]}）］]\s*\**\s*$/;

/** A column number before a header's name: `(1)`, `1.`, `๑)`. */
const LEADING_NUMBER = /^\s*(\([0-9๐-๙]{1,2}\)|[0-9๐-๙]{1,2}[.)])\s*/;

/**
 * The keys a header is looked up by, best first: the whole header, then
 * without a unit or note in brackets at its end (`เงินเดือน (บาท)` is looked up
 * as `เงินเดือน` when no column is named with its unit).
 */
export function headerKeys(header: string): string[] {
  const keys = [normalizeHeader(header)];
  // `(1) จังหวัด`, `1. จังหวัด`: a column's number printed before its name.
  const unnumbered = header.replace(LEADING_NUMBER, '');
  const bare = unnumbered.replace(TRAILING_BRACKETS, '');
  for (const variant of [unnumbered, bare]) if (variant !== header && normalizeHeader(variant) !== '') keys.push(normalizeHeader(variant));
  return [...new Set(keys)].filter((k) => k !== '');
}

const monthKey = (name: string) => name.replace(/[.\s]/g, '').toLowerCase();
const MONTHS = new Map<string, number>();
THAI_MONTHS.forEach((m, i) => MONTHS.set(monthKey(m), i + 1));
THAI_MONTHS_SHORT.forEach((m, i) => MONTHS.set(monthKey(m), i + 1));
['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
  .forEach((m, i) => { MONTHS.set(m, i + 1); MONTHS.set(m.slice(0, 3), i + 1); });

/** Excel's day 0 of the 1900 date system (its 1900 leap-year bug is before any date a clerk types). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * Reads `17/02/2565`, `17-2-2022`, `17 ก.พ. 2565`, `17 กุมภาพันธ์ พ.ศ. 2565`,
 * `2565-02-17`, `2022-02-17` and Excel serial day numbers (`44609`, from a
 * date cell saved without its date format). Day first, as Thai offices write
 * it; a year of 2400 or more is Buddhist era. Two-digit years are refused:
 * `17/02/65` could be either era. Returns ISO or null.
 */
export function parseThaiDate(text: string): string | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$/.exec(text);
  if (m) return isoDate(Number(m[4]), Number(m[3]), Number(m[1]));
  m = /^(?:วันที่\s*)?(\d{1,2})\s*([^\d]+?)\s*(\d{4})$/.exec(text);
  if (m) {
    const name = monthKey(m[2]!).replace(/(พศ|คศ)$/, '');
    const month = MONTHS.get(name);
    return month ? isoDate(Number(m[3]), month, Number(m[1])) : null;
  }
  if (/^\d{5}$/.test(text)) {
    const d = new Date(EXCEL_EPOCH_MS + Number(text) * 86_400_000);
    return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}

function isoDate(year: number, month: number, day: number): string | null {
  const ce = year >= 2400 ? year - BE_OFFSET : year;
  const probe = new Date(Date.UTC(ce, month - 1, day));
  if (ce < 1000 || probe.getUTCFullYear() !== ce || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return `${ce}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
