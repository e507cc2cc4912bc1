import { Decimal } from 'decimal.js';
import { NumberInputError, printableDecimal } from '../arith/decimal.js';

const DIGITS: readonly string[] = ['ศูนย์', 'หนึ่ง', 'สอง', 'สาม', 'สี่', 'ห้า', 'หก', 'เจ็ด', 'แปด', 'เก้า'];
const PLACES: readonly string[] = ['', 'สิบ', 'ร้อย', 'พัน', 'หมื่น', 'แสน'];

/** Reads a whole number below one million; the caller chains ล้าน groups. */
function readBelowMillion(n: number): string {
  let out = '';
  const digits = String(n).split('').map(Number);
  const len = digits.length;
  digits.forEach((d, i) => {
    const place = len - i - 1;
    if (d === 0) return;
    if (place === 0 && d === 1 && len > 1) out += 'เอ็ด';
    else if (place === 1 && d === 1) out += 'สิบ';
    else if (place === 1 && d === 2) out += 'ยี่สิบ';
    else out += DIGITS[d]! + PLACES[place]!;
  });
  return out;
}

/** Reads a whole number of any size: groups of six digits joined by ล้าน, in one pass over its digits. */
export function thaiNumberText(whole: bigint): string {
  if (whole === 0n) return DIGITS[0]!;
  if (whole < 0n) return 'ลบ' + thaiNumberText(-whole);
  const digits = whole.toString();
  let out = '';
  for (let end = digits.length % 6 || 6, first = true; end <= digits.length; end += 6, first = false) {
    const group = Number(digits.slice(Math.max(0, end - 6), end));
    if (!first) out += 'ล้าน';
    // 1,000,001 reads หนึ่งล้านเอ็ด: a trailing one after a higher group is เอ็ด.
    out += group === 1 && !first ? 'เอ็ด' : group > 0 ? readBelowMillion(group) : '';
  }
  return out;
}

/**
 * Thai baht text as written on official money amounts: หนึ่งพันบาทถ้วน,
 * สิบบาทห้าสิบสตางค์. Satang are rounded half-up to two places. An amount it
 * cannot read (not a number, negative, more than 21 digits before the point)
 * throws NumberInputError, a ValidationError at `options.path` (`(template)`
 * when not given), before any digit is read.
 */
export function bahtText(amount: Decimal.Value, options: { path?: string } = {}): string {
  const path = options.path ?? '(template)';
  const d = printableDecimal(amount, 2, path).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (d.isNegative()) throw new NumberInputError(path, 'จำนวนเงินติดลบ อ่านเป็นตัวอักษรไม่ได้', 'baht text of a negative amount');
  const baht = BigInt(d.trunc().toFixed(0));
  const satang = d.minus(d.trunc()).times(100).toNumber();
  if (satang === 0) return thaiNumberText(baht) + 'บาทถ้วน';
  const bahtPart = baht > 0n ? thaiNumberText(baht) + 'บาท' : '';
  return bahtPart + readBelowMillion(satang) + 'สตางค์';
}
