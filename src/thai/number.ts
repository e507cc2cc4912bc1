import { Decimal } from 'decimal.js';
import { applyNumerals, type Numerals } from './numerals.js';

export interface NumberFormat {
  /** Digits after the decimal point; omitted means as many as the value has. */
  decimals?: number;
  numerals?: Numerals;
}

/**
 * Formats with thousands separators (๒๐,๙๖๐). Accepts strings so that money
 * and scores never pass through binary floating point.
 */
export function formatNumber(value: Decimal.Value, format: NumberFormat = {}): string {
  const d = new Decimal(value);
  // A decimal string keeps the decimals it was written with (3100.00 stays ๓,๑๐๐.๐๐).
  const written = typeof value === 'string' ? /\.(\d+)\s*$/.exec(value)?.[1]?.length : undefined;
  const decimals = format.decimals ?? written;
  const fixed = decimals === undefined ? d.toFixed() : d.toFixed(decimals, Decimal.ROUND_HALF_UP);
  // -0.004 to two decimals is ๐.๐๐, not -๐.๐๐.
  const negative = fixed.startsWith('-') && /[1-9]/.test(fixed);
  const [whole, fraction] = fixed.replace(/^-/, '').split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = (negative ? '-' : '') + grouped + (fraction ? '.' + fraction : '');
  return applyNumerals(text, format.numerals ?? 'thai');
}
