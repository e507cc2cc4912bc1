import { Decimal } from 'decimal.js';
import { printableDecimal } from '../arith/decimal.js';
import { applyNumerals, type Numerals } from './numerals.js';

export interface NumberFormat {
  /** Digits after the decimal point, 0 to 10; omitted means as many as the value has. */
  decimals?: number;
  numerals?: Numerals;
  /** The field a refusal names (NumberInputError); `(template)` when not given. */
  path?: string;
}

/** Thousands separators every three digits from the right, in one pass (a lookahead regex is quadratic). */
function grouped(whole: string): string {
  const head = whole.length % 3 || 3;
  let out = whole.slice(0, head);
  for (let at = head; at < whole.length; at += 3) out += ',' + whole.slice(at, at + 3);
  return out;
}

/**
 * Formats with thousands separators (๒๐,๙๖๐). Accepts strings so that money
 * and scores never pass through binary floating point. A value it cannot
 * print (not a number, more than 21 digits before the point, more than 20
 * decimals of its own, `decimals` outside 0-10) throws NumberInputError, a
 * ValidationError at `format.path`, before any digit is written.
 */
export function formatNumber(value: Decimal.Value, format: NumberFormat = {}): string {
  const d = printableDecimal(value, format.decimals, format.path ?? '(template)');
  // A decimal string keeps the decimals it was written with (3100.00 stays ๓,๑๐๐.๐๐).
  const written = typeof value === 'string' ? /\.(\d+)\s*$/.exec(value)?.[1]?.length : undefined;
  const decimals = format.decimals ?? written;
  const fixed = decimals === undefined ? d.toFixed() : d.toFixed(decimals, Decimal.ROUND_HALF_UP);
  // -0.004 to two decimals is ๐.๐๐, not -๐.๐๐.
  const negative = fixed.startsWith('-') && /[1-9]/.test(fixed);
  const [whole, fraction] = fixed.replace(/^-/, '').split('.');
  const text = (negative ? '-' : '') + grouped(whole!) + (fraction ? '.' + fraction : '');
  return applyNumerals(text, format.numerals ?? 'thai');
}
