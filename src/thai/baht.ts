import { Decimal } from 'decimal.js';

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

/** Reads a whole number of any size: groups of six digits joined by ล้าน. */
export function thaiNumberText(whole: bigint): string {
  if (whole === 0n) return DIGITS[0]!;
  if (whole < 0n) return 'ลบ' + thaiNumberText(-whole);
  const million = 1_000_000n;
  const high = whole / million;
  const low = Number(whole % million);
  const head = high > 0n ? thaiNumberText(high) + 'ล้าน' : '';
  // 1,000,001 reads หนึ่งล้านเอ็ด: a trailing one after a higher group is เอ็ด.
  const tail = low === 1 && high > 0n ? 'เอ็ด' : low > 0 ? readBelowMillion(low) : '';
  return head + tail;
}

/**
 * Thai baht text as written on official money amounts: หนึ่งพันบาทถ้วน,
 * สิบบาทห้าสิบสตางค์. Satang are rounded half-up to two places.
 */
export function bahtText(amount: Decimal.Value): string {
  const d = new Decimal(amount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  if (d.isNegative()) throw new RangeError('baht text of a negative amount');
  const baht = BigInt(d.trunc().toFixed(0));
  const satang = d.minus(d.trunc()).times(100).toNumber();
  if (satang === 0) return thaiNumberText(baht) + 'บาทถ้วน';
  const bahtPart = baht > 0n ? thaiNumberText(baht) + 'บาท' : '';
  return bahtPart + readBelowMillion(satang) + 'สตางค์';
}
