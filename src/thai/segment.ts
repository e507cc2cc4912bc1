/**
 * Where a line may break in Thai text. Thai writes words without spaces, so
 * break opportunities come from ICU's dictionary segmenter, corrected in three
 * ways: official compounds ICU over-splits are merged back, a break is allowed
 * between Thai letters and digits (ICU glues `ที่๑เมษายน`), and no break is
 * allowed next to punctuation, inside abbreviations (ก.ค.ศ.) or before ๆ and ฯ.
 */

import { RecentCache } from '../util/recentCache.js';

const segmenter = new Intl.Segmenter('th', { granularity: 'word' });

/**
 * Words ICU splits that must stay on one line (ผู้|อำนวย|การ, ขั้น|พื้น|ฐาน).
 * Single words only: a long compound kept whole (องค์กรปกครองส่วนท้องถิ่น)
 * leaves a distributed line with wide gaps.
 */
export const MERGED_WORDS: readonly string[] = [
  'ผู้อำนวยการ', 'ขั้นพื้นฐาน', 'สำนักงาน', 'ข้าราชการ', 'ราชการ', 'เขตพื้นที่', 'พื้นที่',
  'ศึกษาธิการ', 'คณะกรรมการ', 'กรรมการ', 'วิทยฐานะ', 'ชำนาญการ', 'เชี่ยวชาญ', 'เทศบาล',
  'บุคลากร', 'ลูกจ้างประจำ', 'พนักงานราชการ', 'กรุงเทพมหานคร', 'งบประมาณ', 'ประกาศ',
  'คำสั่ง', 'ตำแหน่ง', 'เงินเดือน', 'ประเมิน', 'ปฏิบัติงาน', 'ผู้บังคับบัญชา', 'ผู้ประสานงาน',
  'ระเบียบ', 'หลักเกณฑ์', 'ท้องถิ่น', 'จังหวัด', 'อำเภอ', 'ตำบล', 'โทรสาร', 'สารบรรณ',
  'แต่งตั้ง', 'คัดเลือก', 'ผลงาน', 'สายงาน', 'เห็นชอบ', 'สูงขึ้น', 'อย่างน้อย', 'ดำเนินการ',
  'พิจารณา', 'ข้อเสนอ', 'คุณสมบัติ', 'คุณวุฒิ', 'ยุ่งยาก', 'เชิงรุก',
  'ครั้งที่', 'ฉบับที่', 'ลำดับที่', 'เลขที่',
];

/**
 * A number never starts a line away from the word that counts it: พ.ศ. ๒๕๖๕,
 * ข้อ ๑, มาตรา ๓๘, ครั้งที่ ๑. The space between them does not break.
 */
const MONTHS = 'มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม|ม\\.ค\\.|ก\\.พ\\.|มี\\.ค\\.|เม\\.ย\\.|พ\\.ค\\.|มิ\\.ย\\.|ก\\.ค\\.|ส\\.ค\\.|ก\\.ย\\.|ต\\.ค\\.|พ\\.ย\\.|ธ\\.ค\\.';
/** A date stays on one line: ๑๗ กุมภาพันธ์ ๒๕๖๕. */
const MONTH = new RegExp(`^(${MONTHS})$`);
/** A number stays with the unit it counts: ๑ ฉบับ, ๓๐ คน, ๑,๐๐๐ บาท. */
const CLASSIFIER = /^(ฉบับ|ชุด|คน|ราย|บาท|สตางค์|วัน|ครั้ง|ปี|เดือน|ชั่วโมง|นาที|แห่ง|เล่ม|แผ่น|ขั้น|น\.?)$/;
const DIGITS = /^[0-9\u0e50-\u0e59][0-9\u0e50-\u0e59,.]*$/;

const COUNTED_BY = /(?:^|[^\u0e01-\u0e4e])(พ\.ศ\.|ค\.ศ\.|ข้อ|มาตรา|ครั้งที่|ฉบับที่|หมวด|ลำดับที่|เลขที่|หน้า|ชั้น|อันดับ|วรรค|ร้อยละ)$|^(พ\.ศ\.|ค\.ศ\.|ข้อ|มาตรา|ครั้งที่|ฉบับที่|หมวด|ลำดับที่|เลขที่|หน้า|ชั้น|อันดับ|วรรค|ร้อยละ)$/;

const MAX_MERGE_PARTS = 6;
const mergedSet = new Set(MERGED_WORDS);
/** Every beginning of a merged word: a run of words that is not one cannot grow into one. */
const mergedPrefixes = new Set(MERGED_WORDS.flatMap((w) => Array.from({ length: w.length }, (_, k) => w.slice(0, k + 1))));

export interface BreakUnit {
  text: string;
  /** White space: may be dropped at a line end and never starts a line. */
  space: boolean;
}

/** JavaScript's \s by UTF-16 code unit: white space (Zs, tab, BOM) and line terminators. */
function isSpaceCode(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
/** Thai letters and vowels that can stand on either side of a word break. */
const isThaiLetter = (c: number) => (c >= 0x0e01 && c <= 0x0e2e) || (c >= 0x0e30 && c <= 0x0e3a) || (c >= 0x0e40 && c <= 0x0e4e);
const isDigit = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x0e50 && c <= 0x0e59);
const MAI_YAMOK = 0x0e46;
const PAIYANNOI = 0x0e2f;

/** Whether a line may break between a word ending in code unit `a` and one starting with `b`. */
function canBreakBetween(a: number, b: number): boolean {
  if (isSpaceCode(a) || isSpaceCode(b)) return true;
  // Repetition and abbreviation marks belong to the word before them.
  if (b === MAI_YAMOK || b === PAIYANNOI) return false;
  if (isThaiLetter(a) && isThaiLetter(b)) return true;
  if ((isThaiLetter(a) && isDigit(b)) || (isDigit(a) && isThaiLetter(b))) return true;
  return false;
}

/**
 * ICU's words, computed per run of text between white space (ICU never joins
 * across it) and cached: official documents repeat the same phrases, and
 * segmentation was the largest single cost of laying out a letter. A digit
 * run glued to Thai letters is split off (ICU keeps `ที่๑เมษายน` whole).
 * The cache keeps the words' lengths as the char codes of one string, not the
 * words: a list's names fill it, and an array of strings per entry took about
 * 280 bytes where this takes about 50.
 */
const segmentCache = new RecentCache<string, string>(25_000);
/** Longer runs hardly repeat, and their words' lengths might not fit a char code. */
const SEGMENT_CACHE_LONGEST = 1_000;
const HAS_DIGIT = /[0-9\u0e50-\u0e59]/;
const LETTER_DIGIT = /(?<=[\u0e01-\u0e4e])(?=[0-9\u0e50-\u0e59])|(?<=[0-9\u0e50-\u0e59])(?=[\u0e01-\u0e2e\u0e40-\u0e44])/u;

function segmentWords(chunk: string, words: string[]): void {
  for (const { segment } of segmenter.segment(chunk)) {
    if (HAS_DIGIT.test(segment)) for (const part of segment.split(LETTER_DIGIT)) words.push(part);
    else words.push(segment);
  }
}

function icuWords(text: string): string[] {
  const words: string[] = [];
  for (const chunk of text.split(/(\s+)/)) {
    if (chunk === '') continue;
    if (isSpaceCode(chunk.charCodeAt(0))) { words.push(chunk); continue; }
    if (chunk.length > SEGMENT_CACHE_LONGEST) { segmentWords(chunk, words); continue; }
    const lengths = segmentCache.get(chunk);
    if (lengths === undefined) {
      const first = words.length;
      segmentWords(chunk, words);
      segmentCache.set(chunk, String.fromCharCode(...words.slice(first).map((w) => w.length)));
      continue;
    }
    for (let i = 0, at = 0; i < lengths.length; i++) {
      const end = at + lengths.charCodeAt(i);
      words.push(chunk.slice(at, end));
      at = end;
    }
  }
  return words;
}

function mergeOverSplit(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    let taken = 1;
    let joined = words[i]!;
    for (let n = 2, acc = joined; n <= MAX_MERGE_PARTS && i + n <= words.length && mergedPrefixes.has(acc); n++) {
      acc += words[i + n - 1];
      if (mergedSet.has(acc)) { taken = n; joined = acc; }
    }
    out.push(joined);
    i += taken;
  }
  return out;
}

/** The last word of a unit that may already hold glued words (๑๗ กุมภาพันธ์). */
function lastWordOf(unit: string): string {
  return unit.slice(unit.lastIndexOf(' ') + 1);
}

/**
 * Splits text into units between which a line may break. Concatenating the
 * units gives the text back unchanged.
 */
export function breakUnits(text: string): BreakUnit[] {
  const units: BreakUnit[] = [];
  // The last code unit of the last unit: reading it from a unit's grown string would flatten that string for every word.
  let lastCode = 0;
  for (const w of mergeOverSplit(icuWords(text))) {
    if (w.length === 0) continue;
    if (/^\s+$/.test(w)) { units.push({ text: w, space: true }); continue; }
    const last = units[units.length - 1];
    if (last && !last.space && !canBreakBetween(lastCode, w.charCodeAt(0))) last.text += w;
    else units.push({ text: w, space: false });
    lastCode = w.charCodeAt(w.length - 1);
  }
  return glueAcrossSpaces(units);
}

/** Whether the space between two words must not break a line. */
function keepTogether(before: string, after: string): boolean {
  const word = lastWordOf(before);
  // Official style writes ไม้ยมก after a space (เหตุใด ๆ): it still belongs to the word before.
  if (/^ๆ/.test(after) || after === 'ฯ') return true;
  if (/^[0-9\u0e50-\u0e59]/.test(after) && (COUNTED_BY.test(word) || MONTH.test(word))) return true;
  return DIGITS.test(word) && (MONTH.test(after) || CLASSIFIER.test(after));
}

function glueAcrossSpaces(units: BreakUnit[]): BreakUnit[] {
  const out: BreakUnit[] = [];
  for (const u of units) {
    const space = out[out.length - 1];
    const before = out[out.length - 2];
    if (!u.space && space?.space && !space.text.includes('\n') && before && !before.space && keepTogether(before.text, u.text)) {
      out.pop();
      before.text += space.text + u.text;
      continue;
    }
    out.push(u);
  }
  return out;
}


const COMBINING = /[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]/;

/**
 * Thai grapheme clusters: a base character with its above/below marks. Thai
 * distributed justification adds space only between clusters so that every
 * mark stays on its consonant. SARA AM (ำ) stays with its consonant too.
 */
export function thaiClusters(text: string): string[] {
  const clusters: string[] = [];
  for (const ch of text) {
    if (clusters.length > 0 && COMBINING.test(ch)) clusters[clusters.length - 1] += ch;
    else clusters.push(ch);
  }
  return clusters;
}

const LEADING_VOWEL = /^[\u0e40-\u0e44]$/;
const FOLLOWING_VOWEL = /^[\u0e30\u0e32\u0e33\u0e45]/;
const CONSONANT = /^[\u0e01-\u0e2e]/;
const VOWEL = /[\u0e30-\u0e3a\u0e45\u0e47]/;

/**
 * Where to cut a word's grapheme clusters (thaiClusters) when those from
 * `start` up to `end` fit a line and the rest do not: before the last
 * syllable start after `start` ("ข้าราช|การ", "ค่าตอบ|แทน", not "ข้าราชก|าร"
 * or "ค่าตอบแท|น"), else at `end`.
 */
export function clusterCut(clusters: string[], start: number, end: number): number {
  for (let k = end; k > start; k--) if (startsSyllable(clusters, k)) return k;
  // No syllable start within reach: still never a leading vowel at a line's end or a following vowel at its start.
  if (end - 1 > start && (LEADING_VOWEL.test(clusters[end - 1]!) || FOLLOWING_VOWEL.test(clusters[end]!))) return end - 1;
  return end;
}

const bareConsonant = (cluster: string | undefined) => cluster !== undefined && CONSONANT.test(cluster) && !VOWEL.test(cluster);

/**
 * Whether a Thai syllable starts at cluster `k`: a leading vowel, or a
 * consonant carrying or followed by a vowel, unless the consonant before it
 * starts the syllable with it (ป in ประ: a bare consonant after another bare
 * consonant or a leading vowel, where ช in ราช|การ follows a vowel).
 */
function startsSyllable(clusters: string[], k: number): boolean {
  const here = clusters[k]!;
  const before = clusters[k - 1]!;
  if (LEADING_VOWEL.test(before)) return false;
  if (LEADING_VOWEL.test(here)) return true;
  if (!CONSONANT.test(here) || !(VOWEL.test(here) || FOLLOWING_VOWEL.test(clusters[k + 1] ?? ''))) return false;
  return !(bareConsonant(before) && (k - 2 < 0 || bareConsonant(clusters[k - 2]) || LEADING_VOWEL.test(clusters[k - 2]!)));
}
