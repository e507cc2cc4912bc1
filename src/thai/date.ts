import { applyNumerals, type Numerals } from './numerals.js';

export const THAI_MONTHS = [
  'มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน',
  'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม',
] as const;

export const THAI_MONTHS_SHORT = [
  'ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.',
  'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.',
] as const;

/** The Buddhist era counts from 543 BCE. */
export const BE_OFFSET = 543;

export interface ParsedDate { year: number; month: number; day: number }

/** Parses an ISO calendar date (YYYY-MM-DD, CE) and rejects impossible days. */
export function parseIsoDate(iso: string): ParsedDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    throw new RangeError(`no such day: ${iso}`);
  }
  return { year, month, day };
}

export interface ThaiDateOptions {
  /** `full` for letters (๑๗ กุมภาพันธ์ ๒๕๖๕), `short` for tables (๑๗ ก.พ. ๖๕). */
  style?: 'full' | 'short';
  /** Writes `พ.ศ.` before the year, as announcements and orders do (ณ วันที่ ๓๑ กรกฎาคม พ.ศ. ๒๕๖๒). */
  era?: boolean;
  numerals?: Numerals;
}

/** Day, month name and Buddhist-era year, as the correspondence regulation writes a date. */
export function thaiDate(iso: string, options: ThaiDateOptions = {}): string {
  const { year, month, day } = parseIsoDate(iso);
  const be = year + BE_OFFSET;
  const text = options.style === 'short'
    ? `${day} ${THAI_MONTHS_SHORT[month - 1]} ${String(be).slice(-2)}`
    : `${day} ${THAI_MONTHS[month - 1]} ${options.era ? 'พ.ศ. ' : ''}${be}`;
  return applyNumerals(text, options.numerals ?? 'thai');
}

/** `เดือน พ.ศ.` only, for dates the regulation writes without a day (announcements of a month). */
export function thaiMonthYear(iso: string, numerals: Numerals = 'thai'): string {
  const { year, month } = parseIsoDate(iso);
  return applyNumerals(`${THAI_MONTHS[month - 1]} ${year + BE_OFFSET}`, numerals);
}

export const THAI_WEEKDAYS = ['อาทิตย์', 'จันทร์', 'อังคาร', 'พุธ', 'พฤหัสบดี', 'ศุกร์', 'เสาร์'] as const;

/** The day of the week an ISO date falls on: `เสาร์` for 2015-09-12. */
export function thaiWeekday(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return THAI_WEEKDAYS[new Date(Date.UTC(year, month - 1, day)).getUTCDay()]!;
}
