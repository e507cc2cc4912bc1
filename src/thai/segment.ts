/**
 * Where a line may break in Thai text. Thai writes words without spaces, so
 * break opportunities come from ICU's dictionary segmenter, corrected in three
 * ways: official compounds ICU over-splits are merged back, a break is allowed
 * between Thai letters and digits (ICU glues `ที่๑เมษายน`), and no break is
 * allowed next to punctuation, inside abbreviations (ก.ค.ศ.) or before ๆ and ฯ.
 * On top of that, one no-break rule set (noBreakPairs) for the PDF and the
 * DOCX, URLs cut where URLs break (latinBreaks), and MAX_SPREAD.
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
  'ครั้งที่', 'ฉบับที่', 'ลำดับที่', 'เลขที่', 'ปีการศึกษา', 'ปีงบประมาณ', 'สถานศึกษา',
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

const COUNTED_BY = /(?:^|[^\u0e01-\u0e4e])(พ\.ศ\.|ค\.ศ\.|ข้อ|มาตรา|ครั้งที่|ฉบับที่|หมวด|ลำดับที่|เลขที่|หน้า|ชั้น|อันดับ|วรรค|ร้อยละ|ปีการศึกษา|ปีงบประมาณ)$|^(พ\.ศ\.|ค\.ศ\.|ข้อ|มาตรา|ครั้งที่|ฉบับที่|หมวด|ลำดับที่|เลขที่|หน้า|ชั้น|อันดับ|วรรค|ร้อยละ|ปีการศึกษา|ปีงบประมาณ)$/;

const MAX_MERGE_PARTS = 6;
const mergedSet = new Set(MERGED_WORDS);
/** Every beginning of a merged word: a run of words that is not one cannot grow into one. */
const mergedPrefixes = new Set(MERGED_WORDS.flatMap((w) => Array.from({ length: w.length }, (_, k) => w.slice(0, k + 1))));

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

export interface BreakUnit {
  text: string;
  /** White space: may be dropped at a line end and never starts a line. */
  space: boolean;
  /**
   * Where a unit the no-break rules glued together (a date, a number and what
   * it counts, an abbreviation and its word, a parenthesised name) may still
   * be cut when it is wider than a whole line: offsets into `text`, best
   * first by `rank` (0 a space, 1 after an abbreviation or a place word,
   * 2 a word join, 3 the space between a number and what counts it).
   */
  cuts?: UnitCut[];
}

export interface UnitCut { at: number; rank: number }

/** A unit before the no-break rules glue units across spaces, with its offset and its inner word joins. */
interface RawUnit { text: string; space: boolean; start: number; joins: number[] }

/**
 * An ICU word holding an abbreviation and the word after it (ICU reads
 * ผอ.สพท.ชำนาญ as one word) is split after the abbreviation's last full
 * stop, so that the word can merge with what follows (ชำนาญการพิเศษ).
 */
const ABBREVIATION_THEN_WORD = /^(.*[\u0e01-\u0e2e]\.)(?=[\u0e01-\u0e2e\u0e40-\u0e44])/;

function splitAbbreviations(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const m = ABBREVIATION_THEN_WORD.exec(w);
    if (m) out.push(m[1]!, w.slice(m[1]!.length));
    else out.push(w);
  }
  return out;
}

function rawUnits(text: string): RawUnit[] {
  const units: RawUnit[] = [];
  // The last code unit of the last unit: reading it from a unit's grown string would flatten that string for every word.
  let lastCode = 0;
  let at = 0;
  for (const w of mergeOverSplit(splitAbbreviations(icuWords(text)))) {
    if (w.length === 0) continue;
    const start = at;
    at += w.length;
    if (isSpaceCode(w.charCodeAt(0))) { units.push({ text: w, space: true, start, joins: [] }); continue; }
    const last = units[units.length - 1];
    if (last && !last.space && !canBreakBetween(lastCode, w.charCodeAt(0))) { last.text += w; last.joins.push(start); }
    else units.push({ text: w, space: false, start, joins: [] });
    lastCode = w.charCodeAt(w.length - 1);
  }
  return splitUrls(units);
}

/**
 * Splits text into units between which a line may break. Concatenating the
 * units gives the text back unchanged. Units are glued across the stretches
 * noBreakPairs finds; an address or a path is cut where URLs break.
 */
export function breakUnits(text: string): BreakUnit[] {
  const raw = rawUnits(text);
  const spans = spansOf(raw);
  const out: BreakUnit[] = [];
  let s = 0;
  for (let i = 0; i < raw.length; i++) {
    const u = raw[i]!;
    while (s < spans.length && spans[s]!.end <= u.start) s++;
    const span = spans[s];
    if (!span || span.start > u.start) {
      out.push(u.joins.length > 0 ? { text: u.text, space: u.space, cuts: joinCuts(text, u, u.start) } : { text: u.text, space: u.space });
      continue;
    }
    // The units a no-break stretch covers, glued, with the places it may still be cut.
    const cuts: UnitCut[] = [];
    let joined = '';
    let j = i;
    for (; j < raw.length && raw[j]!.start < span.end; j++) {
      const v = raw[j]!;
      const prev = raw[j - 1];
      if (j > i && v.space && !/^[ๆฯ]/.test(raw[j + 1]?.text ?? '')) cuts.push({ at: v.start - u.start, rank: span.spaces.get(v.start) ?? 0 });
      else if (j > i && prev && !prev.space) {
        const rank = joinRank(prev.text, v.text);
        if (rank !== undefined) cuts.push({ at: v.start - u.start, rank });
      }
      cuts.push(...joinCuts(text, v, u.start));
      joined += v.text;
    }
    cuts.sort((x, y) => x.rank - y.rank || x.at - y.at);
    out.push({ text: joined, space: false, cuts });
    i = j - 1;
  }
  return out;
}

/** Cuts at the word joins inside a raw unit, as offsets from `origin`. */
function joinCuts(text: string, u: RawUnit, origin: number): UnitCut[] {
  const cuts: UnitCut[] = [];
  const end = u.start + u.text.length;
  for (const k of u.joins) {
    const rank = joinRank(text.slice(u.start, k), text.slice(k, end));
    if (rank !== undefined) cuts.push({ at: k - origin, rank });
  }
  return cuts;
}

/** Words after which a name or a place may be cut before its proper part: บ้าน|ซูกุ่ม. */
const PLACE_WORD = /(บ้าน|ตำบล|อำเภอ|จังหวัด|หมู่|โรงเรียน|เทศบาล|วัด|ศูนย์)$/;
const STARTS_THAI_WORD = /^[\u0e01-\u0e2e\u0e40-\u0e44]/;

/**
 * How good a cut between two glued words is (lower is better), or undefined
 * where no line may end: after an abbreviation's full stop (ผอ.สพท.|ชำนาญการ)
 * or a place word (บ้าน|ซูกุ่ม) 1, between Thai words or after a slash 2.
 */
function joinRank(before: string, after: string): number | undefined {
  if (!STARTS_THAI_WORD.test(after)) return undefined;
  if (/[\u0e01-\u0e2e]\.$/.test(before)) return 1;
  if (PLACE_WORD.test(before)) return 1;
  if (/[\u0e01-\u0e4e/]$/.test(before)) return 2;
  return undefined;
}

// ---------------------------------------------------------------------------
// URLs, e-mail addresses and other long Latin tokens
// ---------------------------------------------------------------------------

/** A run of printable ASCII holding a Latin letter: a URL, an address, an English word. */
const LATIN_RUN = /[\x21-\x7e]*[A-Za-z][\x21-\x7e]*/g;
/** Characters kept on a line before a cut inside a Latin token. */
const LATIN_EDGE = 3;
/** Characters of a token after a cut, never a lone last character: `.pdf` may start a line, `.th` may not. */
const LATIN_TAIL = 4;

/**
 * Where a Latin token may be cut (offsets into it), by UAX #14 and the usual
 * URL conventions: after `/` (not inside `//`), after a hyphen before a
 * letter (UAX #14 keeps `-01` whole); before `.`, `_`, `?`, `#`, `&`, `=`,
 * `%`, `~` and `@` inside an address or path; never within LATIN_EDGE
 * characters of its start or LATIN_TAIL of its end, nor inside the scheme.
 */
export function latinBreaks(token: string): number[] {
  const out: number[] = [];
  const address = /[/@]|^www\./i.test(token) && token.length > 2 * LATIN_EDGE;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(token);
  const from = Math.max(LATIN_EDGE, scheme ? scheme[0].length + 1 : 0);
  for (let i = from; i <= token.length - LATIN_TAIL; i++) {
    const a = token[i - 1]!;
    const b = token[i]!;
    if (a === '/' && b !== '/') out.push(i);
    else if (a === '-' && /[A-Za-z0-9]/.test(token[i - 2] ?? '') && /[A-Za-z]/.test(b)) out.push(i);
    else if (address && /[._?#&=%~@]/.test(b) && !/[._?#&=%~@/:-]/.test(a)) out.push(i);
  }
  return out;
}

/** Cuts units holding a long Latin token at its break opportunities (latinBreaks). */
function splitUrls(units: RawUnit[]): RawUnit[] {
  if (!units.some((u) => !u.space && u.text.length > 2 * LATIN_EDGE && /[A-Za-z]/.test(u.text))) return units;
  const out: RawUnit[] = [];
  for (const u of units) {
    if (u.space || u.text.length <= 2 * LATIN_EDGE) { out.push(u); continue; }
    const cuts: number[] = [];
    for (const m of u.text.matchAll(LATIN_RUN)) for (const k of latinBreaks(m[0])) cuts.push(m.index + k);
    if (cuts.length === 0) { out.push(u); continue; }
    let from = 0;
    for (const k of [...cuts, u.text.length]) {
      const start = u.start + from;
      const end = u.start + k;
      out.push({ text: u.text.slice(from, k), space: false, start, joins: u.joins.filter((j) => j > start && j < end) });
      from = k;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// The no-break rule set
// ---------------------------------------------------------------------------

interface Span { start: number; end: number; /** The rank of a cut at each space the stretch holds, by offset. */ spaces: Map<number, number> }

const RANK_FIRST = /(ชำนาญการ|เชี่ยวชาญ)$/;
/** A longest number kept with any word before it: a longer one is a code (ศธ ๐๔๐๐๙/ว) that may start a line. */
const SHORT_NUMBER = /^[0-9\u0e50-\u0e59]{1,2}(?![0-9\u0e50-\u0e59])/;
/** The longest parenthesised name kept on one line, in code units: (บ้านซูกุ่ม), (ก.อบต.จังหวัด). */
const PAREN_LONGEST = 24;
/** Opening punctuation that stays with the number it opens: (๑ เมษายน. */
const OPENING = /^[(“"'[]+/;
const ENDS_THAI = /[\u0e01-\u0e4e.]$/;

/**
 * Whether the single space between two units must not break a line, and how
 * bad a cut there is when the whole stretch is wider than a line (UnitCut's
 * rank): 0 before a year (๑ เมษายน|๒๕๖๕), 2 between a day and its month, 3
 * between a number and what counts it (never a lone digit while another cut exists).
 */
function joinRank0(before: string, after: string): number | undefined {
  const word = before.replace(OPENING, '');
  // Official style writes ไม้ยมก after a space (เหตุใด ๆ): it still belongs to the word before.
  if (/^ๆ/.test(after) || after === 'ฯ') return 3;
  const number = /^[0-9\u0e50-\u0e59]/.test(after);
  if (number && (MONTH.test(word) || /^[พค]\.ศ\.$/.test(word))) return 0;
  if (MONTH.test(word) && /^[พค]\.ศ\.$/.test(after)) return 0;
  if (number && (COUNTED_BY.test(word) || /ที่$/.test(word))) return 3;
  // A one- or two-digit number never starts a line alone: เทศบาล ๔, ปีที่ ๑, จำนวน ๓.
  if (number && ENDS_THAI.test(word) && SHORT_NUMBER.test(after)) return 3;
  if (DIGITS.test(word) && MONTH.test(after)) return 2;
  if (DIGITS.test(word) && CLASSIFIER.test(after.replace(/[)”"',.]+$/, ''))) return 3;
  return undefined;
}

function spansOf(units: RawUnit[]): Span[] {
  const spans: Span[] = [];
  const add = (start: number, end: number, space?: number, rank = 0) => {
    let last = spans[spans.length - 1];
    if (last && start < last.end) last.end = Math.max(last.end, end);
    else spans.push((last = { start, end, spaces: new Map() }));
    if (space !== undefined) last.spaces.set(space, rank);
  };
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (u.space) continue;
    const uEnd = u.start + u.text.length;
    // An abbreviation and the word it is written against: ผอ.สพท.ชำนาญการพิเศษ.
    if (u.joins.some((k) => u.text[k - u.start - 1] === '.' && joinRank(u.text.slice(0, k - u.start), u.text.slice(k - u.start)) === 1)) add(u.start, uEnd);
    // A short parenthesised name without spaces: (บ้านซูกุ่ม).
    if (u.text.startsWith('(') && !u.text.includes(')')) {
      let j = i + 1;
      while (j < units.length && !units[j]!.space && !units[j - 1]!.text.includes(')')) j++;
      const last = units[j - 1]!;
      const end = last.start + last.text.length;
      if (j > i + 1 && last.text.includes(')') && end - u.start <= PAREN_LONGEST) add(u.start, end);
    }
    // A rank is one name: ชำนาญการ|พิเศษ, เชี่ยวชาญ|พิเศษ.
    if (RANK_FIRST.test(u.text) && units[i + 1]?.text.startsWith('พิเศษ')) add(u.start, units[i + 1]!.start + units[i + 1]!.text.length);
    const space = units[i + 1];
    const next = units[i + 2];
    if (!space?.space || !next || next.space || (space.text !== ' ' && space.text !== '\u00a0')) continue;
    const rank = joinRank0(u.text, next.text);
    if (rank === undefined) continue;
    // A day starts its date, which stays whole: วันที่ | ๑ เมษายน ๒๕๖๕ may break before the day.
    if (/^[0-9\u0e50-\u0e59]/.test(next.text) && units[i + 3]?.text === ' ' && MONTH.test(units[i + 4]?.text ?? '') && !MONTH.test(u.text)) continue;
    // An ordinal keeps the word it counts: ปี|ที่ ๑ → ปีที่ ๑.
    const before = units[i - 1];
    const start = /^ที่$/.test(u.text) && before && !before.space ? before.start : u.start;
    add(start, next.start + next.text.length, space.start, rank);
  }
  return spans;
}

/**
 * Stretches of `text` that must stay on one line, as [start, end) offsets in
 * code units, in order and not overlapping: a date (๑ เมษายน ๒๕๖๕, ธันวาคม
 * ๒๕๖๑), a number with the word that counts it or the unit it counts
 * (จำนวน ๑ ฉบับ, ปีที่ ๑, พ.ศ. ๒๕๖๕, ข้อ ๑), an abbreviation with the word
 * written against it (ผอ.สพท.ชำนาญการพิเศษ), a rank (ชำนาญการพิเศษ), a
 * short parenthesised name ((บ้านซูกุ่ม)), a word with its ไม้ยมก. A line break at an offset i with
 * start < i < end breaks the rule, unless the stretch is wider than the line
 * it stands on (then it is cut at its spaces or word joins, BreakUnit.cuts).
 * The PDF's line breaker (breakUnits) and the DOCX (protectNoBreaks) apply
 * these same stretches.
 */
export function noBreakPairs(text: string): [number, number][] {
  return spansOf(rawUnits(text)).map((s) => [s.start, s.end]);
}

/**
 * Whether a line of `text` may end before offset `index` (after the white
 * space, if any, that ends the line): at a break unit's edge, never inside a
 * no-break stretch, inside a Latin token only at latinBreaks. Offsets 0 and
 * text.length are always allowed. A unit wider than its line is cut anyway
 * (BreakUnit.cuts, then between grapheme clusters): the lint checks that
 * case against the width itself.
 */
export function breakAllowedAt(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return true;
  let at = 0;
  for (const u of breakUnits(text)) {
    if (at === index) return true;
    if (at > index) return false;
    // Inside white space: the line ends there.
    if (u.space && index < at + u.text.length) return true;
    at += u.text.length;
  }
  return at === index;
}

/** The cap on the space added between grapheme clusters of a spread line, in em of its font size: a line needing more is set flush left. */
export const MAX_SPREAD = 0.12;

const WORD_JOINER = '\u2060';
const NO_BREAK_SPACE = '\u00a0';
const ZERO_WIDTH_SPACE = '\u200b';
/** The end of the abbreviation an abbreviation stretch holds: ผอ.สพท.|ชำนาญการพิเศษ. */
const ABBREVIATION_END = /^[^(]*[\u0e01-\u0e2e]\.(?=[\u0e01-\u0e2e\u0e40-\u0e44][^.]*$)/;

/**
 * The text for a word processor, which breaks lines by its own dictionary:
 * inside every noBreakPairs stretch a space becomes a no-break space, and a
 * word joiner (U+2060) goes between the Thai words of a parenthesised name
 * ((บ้าน⁠ซู⁠กุ่ม)), so Word and LibreOffice keep the stretch on one line as
 * the PDF does. (Joiners elsewhere would stop searches for the words in
 * Word; a dictionary rarely breaks the other stretches' words.) An abbreviation
 * stretch gets a zero-width space (an optional break, as Thai typists write
 * it) after the abbreviation instead of a joiner: a word processor cuts a
 * stretch wider than a table column anywhere, the PDF cuts it there.
 */
export function protectNoBreaks(text: string): string {
  const raw = rawUnits(text);
  const spans = spansOf(raw);
  if (spans.length === 0) return text;
  const edges = new Set(raw.map((u) => u.start));
  let out = '';
  let from = 0;
  for (const { start, end } of spans) {
    out += text.slice(from, start);
    const stretch = text.slice(start, end);
    const abbreviation = ABBREVIATION_END.exec(stretch)?.[0].length;
    const name = stretch.startsWith('(');
    for (let at = 0; at < stretch.length; at++) {
      if (at === abbreviation) out += ZERO_WIDTH_SPACE;
      else if (name && edges.has(start + at) && isThaiLetter(stretch.charCodeAt(at - 1)) && isThaiLetter(stretch.charCodeAt(at))) out += WORD_JOINER;
      out += stretch[at] === ' ' ? NO_BREAK_SPACE : stretch[at];
    }
    from = end;
  }
  return out + text.slice(from);
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
