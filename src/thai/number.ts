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
  const fixed = format.decimals === undefined ? d.toFixed() : d.toFixed(format.decimals, Decimal.ROUND_HALF_UP);
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = (negative ? '-' : '') + grouped + (fraction ? '.' + fraction : '');
  return applyNumerals(text, format.numerals ?? 'thai');
}
