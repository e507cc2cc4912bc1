import { describe, expect, it } from 'vitest';
import {
  applyNumerals, bahtText, breakUnits, formatNumber, MERGED_WORDS, thaiClusters, thaiDate, thaiMonthYear, thaiWeekday,
  toArabicDigits, toThaiDigits,
} from '../src/thai/index.js';
import { prng, pseudoParagraphs, seedParagraphs } from './helpers/seeds.js';

/** The Thai text layer (src/thai): numerals, Buddhist-era dates, numbers, baht text, line-break units. */

const THAI = '๐๑๒๓๔๕๖๗๘๙';
const ARABIC = '0123456789';
const COMBINING = /[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]/u;

describe('Thai numerals', () => {
  it('maps every digit both ways', () => {
    expect(toThaiDigits(ARABIC)).toBe(THAI);
    expect(toArabicDigits(THAI)).toBe(ARABIC);
    for (let d = 0; d <= 9; d++) {
      expect(toThaiDigits(String(d))).toBe(THAI[d]);
      expect(toArabicDigits(THAI[d]!)).toBe(String(d));
    }
  });

  it('leaves everything but digits alone', () => {
    const text = 'ที่ ศธ 04009/ว 1075 ลงวันที่ 17 ก.พ. 2565 (A4, E-mail: x@y.th) ๆ ฯ ฿';
    expect(toThaiDigits(text)).toBe('ที่ ศธ ๐๔๐๐๙/ว ๑๐๗๕ ลงวันที่ ๑๗ ก.พ. ๒๕๖๕ (A๔, E-mail: x@y.th) ๆ ฯ ฿');
    expect(toArabicDigits(toThaiDigits(text))).toBe(text);
    expect(toThaiDigits('ไม่มีตัวเลข')).toBe('ไม่มีตัวเลข');
    expect(toArabicDigits('')).toBe('');
  });

  it('applyNumerals writes mixed text in one system, idempotently', () => {
    const mixed = 'ครั้งที่ 1 (๑ เมษายน 2565)';
    expect(applyNumerals(mixed, 'thai')).toBe('ครั้งที่ ๑ (๑ เมษายน ๒๕๖๕)');
    expect(applyNumerals(mixed, 'arabic')).toBe('ครั้งที่ 1 (1 เมษายน 2565)');
    expect(applyNumerals(applyNumerals(mixed, 'thai'), 'thai')).toBe(applyNumerals(mixed, 'thai'));
    expect(applyNumerals(applyNumerals(mixed, 'thai'), 'arabic')).toBe(applyNumerals(mixed, 'arabic'));
  });
});

describe('Buddhist-era dates from ISO input', () => {
  it('writes day, full month name and BE year in Thai digits', () => {
    expect(thaiDate('2022-02-17')).toBe('๑๗ กุมภาพันธ์ ๒๕๖๕');
    expect(thaiDate('2022-04-01')).toBe('๑ เมษายน ๒๕๖๕');
    expect(thaiDate('2019-06-10')).toBe('๑๐ มิถุนายน ๒๕๖๒');
    expect(thaiDate('2022-02-17', { numerals: 'arabic' })).toBe('17 กุมภาพันธ์ 2565');
  });

  it('writes the short form for tables: abbreviated month, two-digit BE year', () => {
    expect(thaiDate('2022-02-17', { style: 'short' })).toBe('๑๗ ก.พ. ๖๕');
    expect(thaiDate('2021-03-17', { style: 'short' })).toBe('๑๗ มี.ค. ๖๔');
    expect(thaiDate('2000-01-05', { style: 'short' })).toBe('๕ ม.ค. ๔๓');
    // BE 2600: the two-digit year keeps its leading zeros.
    expect(thaiDate('2057-12-31', { style: 'short' })).toBe('๓๑ ธ.ค. ๐๐');
    expect(thaiDate('2022-02-17', { style: 'short', numerals: 'arabic' })).toBe('17 ก.พ. 65');
  });

  it('names all twelve months, full and short', () => {
    const full = ['มกราคม', 'กุมภาพันธ์', 'มีนาคม', 'เมษายน', 'พฤษภาคม', 'มิถุนายน', 'กรกฎาคม', 'สิงหาคม', 'กันยายน', 'ตุลาคม', 'พฤศจิกายน', 'ธันวาคม'];
    const short = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
    for (let i = 0; i < 12; i++) {
      const iso = `2023-${String(i + 1).padStart(2, '0')}-15`;
      expect(thaiDate(iso)).toBe(`๑๕ ${full[i]} ๒๕๖๖`);
      expect(thaiDate(iso, { style: 'short' })).toBe(`๑๕ ${short[i]} ๖๖`);
    }
    expect(thaiMonthYear('2022-02-17')).toBe('กุมภาพันธ์ ๒๕๖๕');
    expect(thaiMonthYear('2022-02-17', 'arabic')).toBe('กุมภาพันธ์ 2565');
    // The weekday of a (CE, as the schemas hand it on) date: 12 Sep 2015 was a Saturday, 29 Feb 2024 a Thursday.
    expect(thaiWeekday('2015-09-12')).toBe('เสาร์');
    expect(thaiWeekday('2024-02-29')).toBe('พฤหัสบดี');
  });

  it('accepts leap days that exist', () => {
    expect(thaiDate('2024-02-29')).toBe('๒๙ กุมภาพันธ์ ๒๕๖๗');
    expect(thaiDate('2000-02-29')).toBe('๒๙ กุมภาพันธ์ ๒๕๔๓');
  });

  it('rejects days that do not exist and text that is not an ISO date', () => {
    for (const bad of ['2022-02-30', '2022-02-29', '2023-02-29', '1900-02-29', '2022-04-31', '2022-13-01', '2022-00-10', '2022-01-00', '2022-01-32']) {
      expect(() => thaiDate(bad), bad).toThrow(RangeError);
      expect(() => thaiMonthYear(bad), bad).toThrow(RangeError);
    }
    for (const bad of ['2022-2-17', '17/02/2022', '2565-02-17x', '', '2022-02-17T00:00:00Z', '๒๐๒๒-๐๒-๑๗', 'today']) {
      expect(() => thaiDate(bad), bad).toThrow(RangeError);
    }
  });
});

describe('numbers with thousands separators', () => {
  it('groups thousands in Thai digits', () => {
    expect(formatNumber(20960)).toBe('๒๐,๙๖๐');
    expect(formatNumber(0)).toBe('๐');
    expect(formatNumber(999)).toBe('๙๙๙');
    expect(formatNumber(1000)).toBe('๑,๐๐๐');
    expect(formatNumber(1234567)).toBe('๑,๒๓๔,๕๖๗');
    expect(formatNumber('12345678901234567890')).toBe('๑๒,๓๔๕,๖๗๘,๙๐๑,๒๓๔,๕๖๗,๘๙๐');
    expect(formatNumber(20960, { numerals: 'arabic' })).toBe('20,960');
  });

  it('keeps the decimals a value has, and never groups them', () => {
    expect(formatNumber('1234567.891')).toBe('๑,๒๓๔,๕๖๗.๘๙๑');
    expect(formatNumber('0.12345')).toBe('๐.๑๒๓๔๕');
  });

  it('rounds half up to the requested decimals, without binary floating-point error', () => {
    expect(formatNumber('2.345', { decimals: 2 })).toBe('๒.๓๕');
    expect(formatNumber('2.344', { decimals: 2 })).toBe('๒.๓๔');
    // 1.005 and 2.675 are just below the half in binary; written as decimals they round up.
    expect(formatNumber(1.005, { decimals: 2 })).toBe('๑.๐๑');
    expect(formatNumber(2.675, { decimals: 2 })).toBe('๒.๖๘');
    // Half up, not half to even.
    expect(formatNumber(0.5, { decimals: 0 })).toBe('๑');
    expect(formatNumber(2.5, { decimals: 0 })).toBe('๓');
    expect(formatNumber('999999.995', { decimals: 2 })).toBe('๑,๐๐๐,๐๐๐.๐๐');
    expect(formatNumber(5, { decimals: 2 })).toBe('๕.๐๐');
    expect(formatNumber('1234.5', { decimals: 2, numerals: 'arabic' })).toBe('1,234.50');
  });

  it('writes negative numbers with a minus before the grouped digits', () => {
    expect(formatNumber(-20960)).toBe('-๒๐,๙๖๐');
    expect(formatNumber('-1234567.891')).toBe('-๑,๒๓๔,๕๖๗.๘๙๑');
    expect(formatNumber('-999.5', { decimals: 0 })).toBe('-๑,๐๐๐');
    expect(formatNumber('-1234.5', { decimals: 0 })).toBe('-๑,๒๓๕');
    expect(formatNumber(-0.5, { decimals: 2 })).toBe('-๐.๕๐');
  });

  it('writes no minus sign on a value that rounds to zero', () => {
    expect(formatNumber('-0.004', { decimals: 2 })).toBe('๐.๐๐');
    expect(formatNumber(-0.4, { decimals: 0 })).toBe('๐');
  });

  it('keeps the decimals a decimal string was written with, unless told otherwise', () => {
    expect(formatNumber('3100.00')).toBe('๓,๑๐๐.๐๐');
    expect(formatNumber('20960.5')).toBe('๒๐,๙๖๐.๕');
    expect(formatNumber('3100.00', { decimals: 0 })).toBe('๓,๑๐๐');
    expect(formatNumber(3100)).toBe('๓,๑๐๐');
  });
});

describe('baht text', () => {
  const cases: [string | number, string][] = [
    [1000, 'หนึ่งพันบาทถ้วน'],
    [21, 'ยี่สิบเอ็ดบาทถ้วน'],
    [11, 'สิบเอ็ดบาทถ้วน'],
    [101, 'หนึ่งร้อยเอ็ดบาทถ้วน'],
    [1000001, 'หนึ่งล้านเอ็ดบาทถ้วน'],
    [20000000, 'ยี่สิบล้านบาทถ้วน'],
    [12.50, 'สิบสองบาทห้าสิบสตางค์'],
    [0.25, 'ยี่สิบห้าสตางค์'],
    ['3100.00', 'สามพันหนึ่งร้อยบาทถ้วน'],
    ['0.29', 'ยี่สิบเก้าสตางค์'],
    [0.29, 'ยี่สิบเก้าสตางค์'],
    [1, 'หนึ่งบาทถ้วน'],
    [10, 'สิบบาทถ้วน'],
    [20, 'ยี่สิบบาทถ้วน'],
    [100, 'หนึ่งร้อยบาทถ้วน'],
    [111, 'หนึ่งร้อยสิบเอ็ดบาทถ้วน'],
    [1001, 'หนึ่งพันเอ็ดบาทถ้วน'],
    [20960, 'สองหมื่นเก้าร้อยหกสิบบาทถ้วน'],
    [121121, 'หนึ่งแสนสองหมื่นหนึ่งพันหนึ่งร้อยยี่สิบเอ็ดบาทถ้วน'],
    [1000000, 'หนึ่งล้านบาทถ้วน'],
    [1000010, 'หนึ่งล้านสิบบาทถ้วน'],
    [1000021, 'หนึ่งล้านยี่สิบเอ็ดบาทถ้วน'],
    [2000001, 'สองล้านเอ็ดบาทถ้วน'],
    [11000000, 'สิบเอ็ดล้านบาทถ้วน'],
    [21000001, 'ยี่สิบเอ็ดล้านเอ็ดบาทถ้วน'],
    [101000000, 'หนึ่งร้อยเอ็ดล้านบาทถ้วน'],
    ['1000000000000', 'หนึ่งล้านล้านบาทถ้วน'],
    ['1000000000001', 'หนึ่งล้านล้านเอ็ดบาทถ้วน'],
    [0.01, 'หนึ่งสตางค์'],
    [0.11, 'สิบเอ็ดสตางค์'],
    [0.21, 'ยี่สิบเอ็ดสตางค์'],
    [1.01, 'หนึ่งบาทหนึ่งสตางค์'],
    [21.21, 'ยี่สิบเอ็ดบาทยี่สิบเอ็ดสตางค์'],
    // Decimals that binary floating point gets wrong when multiplied by 100.
    ['0.57', 'ห้าสิบเจ็ดสตางค์'],
    ['4.35', 'สี่บาทสามสิบห้าสตางค์'],
    ['1.15', 'หนึ่งบาทสิบห้าสตางค์'],
    [4.35, 'สี่บาทสามสิบห้าสตางค์'],
    ['20960.57', 'สองหมื่นเก้าร้อยหกสิบบาทห้าสิบเจ็ดสตางค์'],
    // Satang rounded half up to two places, carrying into baht.
    ['0.125', 'สิบสามสตางค์'],
    ['0.995', 'หนึ่งบาทถ้วน'],
    [1.005, 'หนึ่งบาทหนึ่งสตางค์'],
    ['0.004', 'ศูนย์บาทถ้วน'],
    [0, 'ศูนย์บาทถ้วน'],
  ];
  for (const [amount, text] of cases) {
    it(`${typeof amount === 'string' ? `'${amount}'` : amount} -> ${text}`, () => {
      expect(bahtText(amount)).toBe(text);
    });
  }

  it('refuses a negative amount and a string that is no number', () => {
    expect(() => bahtText(-1)).toThrow();
    expect(() => bahtText('-0.50')).toThrow();
    expect(() => bahtText('สิบบาท')).toThrow();
  });
});

// ---------------------------------------------------------------------------
// Line-break units
// ---------------------------------------------------------------------------

const units = (text: string) => breakUnits(text).map((u) => u.text);

/** Offsets inside `text` where a line may break. */
function boundaries(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  for (const u of breakUnits(text)) { at += u.text.length; out.push(at); }
  return out.slice(0, -1);
}

/** True when no break falls strictly inside `word` wherever it occurs in `text`. */
function keptWhole(text: string, word: string): boolean {
  const b = boundaries(text);
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (b.some((x) => x > i && x < i + word.length)) return false;
  }
  return true;
}

describe('line-break units (breakUnits)', () => {
  it('keeps words of the merge list whole: ผู้อำนวยการ, ขั้นพื้นฐาน', () => {
    expect(units('ผู้อำนวยการ')).toEqual(['ผู้อำนวยการ']);
    expect(units('ขั้นพื้นฐาน')).toEqual(['ขั้นพื้นฐาน']);
    const text = 'เรียน ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน';
    expect(units(text)).toContain('ผู้อำนวยการ');
    expect(units(text)).toContain('ขั้นพื้นฐาน');
  });

  it('keeps every word of the merge list whole, alone and inside a sentence', () => {
    const broken: string[] = [];
    for (const w of MERGED_WORDS) {
      if (units(w).length !== 1) broken.push(`${w} alone: ${units(w).join('|')}`);
      for (const text of [`ตามที่${w}ได้แจ้งไว้`, `ให้${w} ดำเนินการ`, `${w}และ${w}`]) {
        if (!keptWhole(text, w)) broken.push(`${w} in ${units(text).join('|')}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('allows breaks between Thai letters and digits that ICU glues together', () => {
    expect(units('ที่๑เมษายน')).toEqual(['ที่', '๑', 'เมษายน']);
    expect(units('ที่๑เมษายน๒๕๖๕')).toEqual(['ที่', '๑', 'เมษายน', '๒๕๖๕']);
    expect(boundaries('ครั้งที่1')).toContain('ครั้งที่'.length);
  });

  it('never breaks inside a number, an abbreviation or a Thai cluster', () => {
    for (const [text, word] of [
      ['หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ ๐๒๐๖.๗/ว ๑๕', 'ก.ค.ศ.'],
      ['หนังสือสำนักงานก.ค.ศ.ที่', 'ก.ค.ศ.'],
      ['ตามมติ อ.ก.พ. กระทรวง', 'อ.ก.พ.'],
      ['ประกาศ ณ วันที่ ๑๗ ก.พ. ๒๕๖๕', 'ก.พ.'],
      ['พระราชบัญญัติ พ.ศ. ๒๕๔๗', 'พ.ศ.'],
      ['จำนวน ๑,๒๓๔,๕๖๗.๕๐ บาท', '๑,๒๓๔,๕๖๗.๕๐'],
      ['ร้อยละ 20.00 ของ', '20.00'],
      ['น.ส.กนกนิภา ใจเกลี้ยง', 'น.ส.'],
      ['ส่งที่ สพฐ.ภายใน', 'สพฐ.'],
    ] as const) {
      expect(keptWhole(text, word), `${word} in ${units(text).join('|')}`).toBe(true);
    }
    expect(units('ก.ค.ศ.')).toEqual(['ก.ค.ศ.']);
  });

  it('puts nothing before ๆ and ฯ: they stay with the word before them', () => {
    for (const [text, word] of [
      ['เด็กๆ ไปโรงเรียน', 'เด็กๆ'],
      ['ต่างๆ นานา', 'ต่างๆ'],
      ['ส่งผลงานฯ ดังกล่าว', 'งานฯ'],
      ['กรุงเทพฯ ๑๐๓๐๐', 'กรุงเทพฯ'],
      ['คณะกรรมการฯ และ', 'การฯ'],
      ['ทุกๆปี', 'ทุกๆ'],
    ] as const) {
      expect(keptWhole(text, word), `${word} in ${units(text).join('|')}`).toBe(true);
    }
  });

  it('over the whole seed corpus: no unit starts with ๆ or ฯ (except ฯลฯ), or with a combining mark, unless after a space', () => {
    const problems: string[] = [];
    for (const { text } of seedParagraphs()) {
      const us = breakUnits(text);
      us.forEach((u, i) => {
        if (i === 0 || u.space || us[i - 1]!.space) return;
        if (/^[ๆฯ]/u.test(u.text) && !u.text.startsWith('ฯลฯ')) problems.push(`${us[i - 1]!.text}|${u.text}`);
        if (COMBINING.test(u.text[0]!)) problems.push(`${us[i - 1]!.text}|${u.text}`);
      });
    }
    expect(problems).toEqual([]);
  });

  it('gives back its input: units concatenate to the text, for arbitrary substrings of the corpus', () => {
    const corpus = seedParagraphs().map((p) => p.text).join('\n\n');
    const rnd = prng(7);
    let checked = 0;
    for (let i = 0; i < 3000; i++) {
      // Cuts anywhere: mid-word, mid-cluster (a piece may start with a lone mark), across paragraphs.
      const start = Math.floor(rnd() * corpus.length);
      const len = Math.floor(rnd() ** 2 * 400);
      const text = corpus.slice(start, start + len);
      const us = breakUnits(text);
      expect(us.map((u) => u.text).join('')).toBe(text);
      for (const u of us) {
        expect(u.text.length).toBeGreaterThan(0);
        if (u.space) expect(u.text).toMatch(/^\s+$/u);
      }
      checked++;
    }
    expect(checked).toBe(3000);
  });

  it('gives back its input for pseudo-paragraphs and odd strings', () => {
    const odd = [
      '', ' ', '   ', '\n', 'ั', 'ำ', '่่่', 'ๆ', 'ฯ', 'ๆๆๆ', 'ฯลฯ', ' ๆ', 'ก\u00a0ข', 'ก\u200bข', 'a\tb', '\r\n',
      'น้ำน้ำน้ำ', 'ฤๅษี', '๑๒๓abcกขค', '(ก)', '“ประกาศ”', 'https://example.go.th/ก/ข?x=1', '😀ก😀', 'ก̈', 'ไ', 'เ',
    ];
    for (const text of [...odd, ...pseudoParagraphs(200, 99)]) {
      expect(breakUnits(text).map((u) => u.text).join(''), JSON.stringify(text)).toBe(text);
    }
  });

  it('makes one space unit of a run of any character JavaScript counts as white space (\\s), and of no other', () => {
    const wrong: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      const spaces = breakUnits(`ก${ch}${ch}ข`).filter((u) => u.space).map((u) => u.text);
      if (JSON.stringify(spaces) !== JSON.stringify(/\s/.test(ch) ? [ch + ch] : [])) wrong.push(`U+${c.toString(16)}: ${JSON.stringify(spaces)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('makes white space units of white space only, and never joins words across a space', () => {
    const us = breakUnits('ที่ ศธ ๐๔๐๐๙/ว ๑๐๗๕  ลงวันที่\t๑๗');
    expect(us.filter((u) => u.space).every((u) => /^\s+$/u.test(u.text))).toBe(true);
    expect(us.filter((u) => !u.space).every((u) => !/\s/u.test(u.text))).toBe(true);
  });
});

describe('Thai grapheme clusters', () => {
  it('keeps marks on their base character', () => {
    expect(thaiClusters('น้ำ')).toEqual(['น้ำ']);
    expect(thaiClusters('ปั้น')).toEqual(['ปั้', 'น']);
    expect(thaiClusters('ที่ญี่ปุ่น')).toEqual(['ที่', 'ญี่', 'ปุ่', 'น']);
    expect(thaiClusters('ฤๅ')).toEqual(['ฤ', 'ๅ']);
  });

  it('gives back its input and starts no cluster but the first with a mark', () => {
    for (const { text } of seedParagraphs().slice(0, 200)) {
      const cs = thaiClusters(text);
      expect(cs.join('')).toBe(text);
      cs.slice(1).forEach((c) => expect(COMBINING.test(c[0]!), c).toBe(false));
      cs.forEach((c) => expect([...c.slice(1)].every((ch) => COMBINING.test(ch)), c).toBe(true));
    }
  });
});
