/** Thai digits ๐-๙ are U+0E50..U+0E59, in the same order as 0-9. */
const THAI_ZERO = 0x0e50;

export type Numerals = 'thai' | 'arabic';

export function toThaiDigits(text: string): string {
  return text.replace(/[0-9]/g, (d) => String.fromCharCode(THAI_ZERO + d.charCodeAt(0) - 48));
}

export function toArabicDigits(text: string): string {
  return text.replace(/[\u0e50-\u0e59]/g, (d) => String.fromCharCode(48 + d.charCodeAt(0) - THAI_ZERO));
}

/** Applies the requested numeral system to every digit of a text. */
export function applyNumerals(text: string, numerals: Numerals): string {
  return numerals === 'thai' ? toThaiDigits(text) : toArabicDigits(text);
}
