import { Decimal } from 'decimal.js';
import { ValidationError } from '../validation.js';

/**
 * Exact decimal helpers for scores and money. Values enter as strings or
 * integers and leave as strings, so no binary floating point touches them.
 * Official forms print two decimals and round half up (๐.๔๕๕ -> ๐.๔๖), which
 * is what `roundHalfUp` does; round once, where the form prints the value.
 */

export { Decimal };

/** A decimal from a number or a numeric string (a JS number is read through its shortest decimal text). */
export function dec(value: Decimal.Value): Decimal {
  return new Decimal(typeof value === 'number' ? String(value) : value);
}

/** Rounded half up (away from zero on a tie) to `places` decimals. */
export function roundHalfUp(value: Decimal.Value, places = 2): Decimal {
  return dec(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
}

/** The value rounded half up and written with exactly `places` decimals: "59.99", "60.00". */
export function fixed(value: Decimal.Value, places = 2): string {
  return dec(value).toFixed(places, Decimal.ROUND_HALF_UP);
}

/** Sum of decimals, exactly. */
export function sum(values: Iterable<Decimal.Value>): Decimal {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(dec(v));
  return total;
}

/**
 * What the helpers that print numbers (formatNumber, bahtText) take. Printing
 * writes every digit, so a hostile value costs work in proportion to it:
 * "1e900000000" is a billion digits (4 GB) to decimal.js. 21 digits before
 * the point hold any sum of the forms' 15-digit amounts over their largest
 * lists; 20 decimals are the most a division of decimal.js writes; 10
 * decimals asked for are more than any document prints.
 */
export const PRINT_LIMITS = { integerDigits: 21, fractionDigits: 20, decimals: 10, textLength: 100 } as const;

/**
 * A value a number helper cannot print: not a number, too large, too many
 * decimals, or a count of decimals out of range. A ValidationError with one
 * field error at the caller's `path` (a template's `(template)`, a merge
 * row's field), so an API answers it as a 400.
 */
export class NumberInputError extends ValidationError {
  constructor(path: string, th: string, en: string) {
    super([{ path, th, en }]);
    this.name = 'NumberInputError';
  }
}

/** A value as a message quotes it: short, whatever was sent. */
const quoted = (value: Decimal.Value) => {
  const text = String(value);
  return `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;
};

/**
 * The value as a Decimal, checked against PRINT_LIMITS before anything
 * writes its digits: `decimals` is the count the caller will print (else its
 * own decimals are). Throws NumberInputError at `path`.
 */
export function printableDecimal(value: Decimal.Value, decimals: number | undefined, path: string): Decimal {
  const { integerDigits, fractionDigits, textLength } = PRINT_LIMITS;
  if (decimals !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= PRINT_LIMITS.decimals)) {
    throw new NumberInputError(path, `จำนวนตำแหน่งทศนิยมต้องเป็น 0 ถึง ${PRINT_LIMITS.decimals} (ได้ ${quoted(decimals)})`, `decimals must be 0 to ${PRINT_LIMITS.decimals} (got ${quoted(decimals)})`);
  }
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text === 'string' && text.length > textLength) {
    throw new NumberInputError(path, `ตัวเลข ${quoted(text)} ยาวเกิน ${textLength} ตัวอักษร`, `the number ${quoted(text)} is longer than ${textLength} characters`);
  }
  let d: Decimal | undefined;
  try { d = new Decimal(text); } catch { d = undefined; }
  if (!d || !d.isFinite()) throw new NumberInputError(path, `${quoted(value)} ไม่ใช่ตัวเลข`, `${quoted(value)} is not a number`);
  // e is the power of ten of the first digit: cheap to read whatever the value's size.
  if (!d.isZero() && d.e >= integerDigits) {
    throw new NumberInputError(path, `ตัวเลข ${quoted(value)} ใหญ่เกินกำหนด (ไม่เกิน ${integerDigits} หลักก่อนจุดทศนิยม)`, `the number ${quoted(value)} is too large: at most ${integerDigits} digits before the decimal point`);
  }
  if (decimals === undefined && d.decimalPlaces() > fractionDigits) {
    throw new NumberInputError(path, `ตัวเลข ${quoted(value)} มีทศนิยมเกิน ${fractionDigits} ตำแหน่ง`, `the number ${quoted(value)} has more than ${fractionDigits} decimals`);
  }
  return d;
}
