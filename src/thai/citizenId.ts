import { toArabicDigits } from './numerals.js';

/**
 * The Thai 13-digit citizen identification number (เลขประจำตัวประชาชน).
 * The last digit checks the first twelve: the sum of digit[i] × (13 − i) for
 * i = 0..11, then (11 − sum mod 11) mod 10. One mistyped digit, and most
 * swaps of neighbouring digits, change the check digit.
 */

/** The digits of an ID as people write it: dashes and spaces dropped, Thai digits read as Arabic. */
export function citizenIdDigits(written: string): string {
  return toArabicDigits(written).replace(/[\s-]/g, '');
}

/** The check digit of the first twelve digits. */
export function citizenIdCheckDigit(first12: string): number {
  if (!/^\d{12}$/.test(first12)) throw new RangeError(`expected 12 digits, got "${first12}"`);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (13 - i);
  return (11 - (sum % 11)) % 10;
}

export type CitizenIdProblem = 'length' | 'check-digit';

/** Why a written ID is not a valid one, or undefined when it is. */
export function citizenIdProblem(written: string): CitizenIdProblem | undefined {
  const digits = citizenIdDigits(written);
  if (!/^\d{13}$/.test(digits)) return 'length';
  return citizenIdCheckDigit(digits.slice(0, 12)) === Number(digits[12]) ? undefined : 'check-digit';
}

export function isValidCitizenId(written: string): boolean {
  return citizenIdProblem(written) === undefined;
}

/** The printed grouping of the card: 1-2345-67890-12-3. */
export function formatCitizenId(written: string): string {
  const d = citizenIdDigits(written);
  if (!/^\d{13}$/.test(d)) throw new RangeError(`expected 13 digits, got "${written}"`);
  return `${d[0]}-${d.slice(1, 5)}-${d.slice(5, 10)}-${d.slice(10, 12)}-${d[12]}`;
}
