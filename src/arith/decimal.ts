import { Decimal } from 'decimal.js';

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
