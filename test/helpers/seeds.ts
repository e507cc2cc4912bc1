import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakUnits } from '../../src/thai/segment.js';
// The province generator's PRNG (mulberry32): same seed, same corpus, on every machine.
import { random as prng } from '../../scripts/generate-province.js';

export { prng };

/**
 * The seed corpus: OCR text of five real official documents
 * (/work/shared/seeds/*.txt, or SARABAN_SEEDS_DIR), in a markdown-ish form.
 * The tests typeset every paragraph of it, so the conversion from that form to
 * plain paragraphs is spelled out here:
 *
 * - Paragraphs are separated by blank lines. Lines inside a paragraph are hard
 *   wrapped: each is trimmed and they are joined with NO space (Thai writes no
 *   space where OCR wrapped a line).
 * - Markdown and HTML markers are removed: leading `#`s, leading list markers
 *   `- ` / `* `, `**` (bold; `\*` is an escaped literal `*`), `[text](url)`
 *   links keep their text, `<https://...>` autolinks keep the address, HTML
 *   tags (`<p>`, `<b>`, `<br>`) are dropped.
 * - Table rows (a line holding a tab, or starting with `|`; the seeds use
 *   tab-separated rows) are not joined to their neighbours: EACH ROW BECOMES A
 *   PARAGRAPH OF ITS OWN with its non-empty cells joined by one space. Their
 *   cells hold long Thai sentences worth typesetting.
 * - Lines of TeX math (`$...$`, `\frac`) are dropped: they are not text.
 * - Letters of scripts no Thai official document uses (Arabic, Khmer) are OCR
 *   noise inside Thai words (`เนماสูง`) and are removed. Everything else is kept
 *   as it is, including symbols such as ✓, • and NBSP, so that the glyph
 *   coverage test sees what real documents contain.
 * - Runs of spaces and tabs become one space; empty results are dropped.
 */

export const SEEDS_DIR = process.env.SARABAN_SEEDS_DIR ?? '/work/shared/seeds';

export interface SeedParagraph {
  /** Seed file name. */
  file: string;
  /** Index of the paragraph in the whole corpus. */
  index: number;
  text: string;
}

const OCR_NOISE = /[\u0600-\u06ff\u1780-\u17ff]/gu;

function cleanLine(raw: string): string {
  let s = raw.replace(/\s+$/u, '').trim();
  s = s.replace(/^#+\s*/u, '');
  s = s.replace(/^[-*]\s+/u, '');
  s = s.replace(/(?<!\\)\*\*/gu, '');
  s = s.replace(/\\\*/gu, '*');
  s = s.replace(/\[([^\]]*)\]\([^)]*\)/gu, '$1');
  s = s.replace(/<(https?:\/\/[^>\s]+)>/gu, '$1');
  s = s.replace(/<br\s*\/?>/giu, ' ');
  s = s.replace(/<\/?[a-z][a-z0-9]*(\s[^>]*)?>/giu, '');
  s = s.replace(OCR_NOISE, '');
  return s;
}

const isTableRow = (line: string) => line.includes('\t') || /^\s*\|/u.test(line);
const isMath = (line: string) => line.includes('$') || /\\(frac|text|times)\b/u.test(line);

function tableRowText(line: string): string {
  const cells = line.replace(/^\s*\|/u, '').replace(/\|\s*$/u, '').split(/\t|\|/u);
  // A markdown separator row (|---|---|) says nothing.
  if (cells.every((c) => /^\s*:?-*:?\s*$/u.test(c))) return '';
  return cells.map(cleanLine).filter((c) => c.length > 0).join(' ');
}

const squeeze = (s: string) => s.replace(/[ \t]+/gu, ' ').trim();

/** Paragraphs of one seed file's text, by the rules above. */
export function paragraphsOf(content: string): string[] {
  const out: string[] = [];
  for (const block of content.replace(/\r\n?/gu, '\n').split(/\n[ \t\u00a0]*\n/u)) {
    let prose = '';
    const flush = () => {
      const t = squeeze(prose);
      if (t) out.push(t);
      prose = '';
    };
    for (const line of block.split('\n')) {
      if (isMath(line)) continue;
      if (isTableRow(line)) {
        flush();
        const row = squeeze(tableRowText(line));
        if (row) out.push(row);
        continue;
      }
      prose += cleanLine(line);
    }
    flush();
  }
  return out;
}

let cached: SeedParagraph[] | undefined;

/** Every paragraph of the seed corpus, in file order. */
export function seedParagraphs(): SeedParagraph[] {
  if (cached) return cached;
  const files = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
  if (files.length === 0) throw new Error(`no seed files in ${SEEDS_DIR}`);
  const all: SeedParagraph[] = [];
  for (const file of files) {
    for (const text of paragraphsOf(readFileSync(join(SEEDS_DIR, file), 'utf8'))) {
      all.push({ file, index: all.length, text });
    }
  }
  cached = all;
  return all;
}

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** Words of the corpus: the non-space break units of every seed paragraph. */
export function seedWords(): string[] {
  const words = new Set<string>();
  for (const p of seedParagraphs()) for (const u of breakUnits(p.text)) if (!u.space) words.add(u.text);
  return [...words].sort();
}

const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';
const ABBREVIATIONS = ['ก.ค.ศ.', 'พ.ศ.', 'ค.ศ.', 'สพฐ.', 'ก.พ.', 'ม.ค.', 'อ.ก.พ.', 'ร.ร.', 'กทม.', 'น.ส.', 'ฯลฯ', 'กรุงเทพฯ'];
const LATIN = ['Personal', 'Performance', 'Report', 'PPR', 'PLC', 'QR', 'CODE', 'Download', 'E-mail', 'ID', 'Microsoft Word', 'PDF'];
const LONG_TOKENS = [
  'https://personnel.obec.go.th/home/wp-content/uploads/2022/02/%E0%B8%AB%E0%B8%99%E0%B8%B1%E0%B8%87%E0%B8%AA%E0%B8%B7%E0%B8%AD.pdf',
  'www.dla.go.th/upload/document/type2/2019/6/22164_1_1560758232286.pdf',
  'wondamin@hotmail.com',
  '๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙๐๔๐๐๙',
  '....................................................................................................................',
];

/** A number as official documents write them: Thai or Arabic digits, sometimes grouped or with decimals. */
function number(rnd: () => number): string {
  const n = Math.floor(rnd() ** 3 * 10_000_000);
  let s = rnd() < 0.4 ? n.toLocaleString('en-US') : String(n);
  if (rnd() < 0.2) s += '.' + String(Math.floor(rnd() * 100)).padStart(2, '0');
  return rnd() < 0.75 ? s.replace(/[0-9]/gu, (d) => THAI_DIGITS[Number(d)]!) : s;
}

/**
 * Pseudo-paragraphs the tests have never seen: corpus words shuffled and
 * glued together, mostly without spaces as Thai is written, with numbers,
 * abbreviations, parentheses, quotes, Latin words, ๆ and ฯ, and long
 * unbreakable tokens (URLs, digit runs, dot leaders) that must be cut.
 */
export function pseudoParagraphs(count: number, seed = 20220217): string[] {
  const rnd = prng(seed);
  const words = seedWords().filter((w) => /[\u0e01-\u0e2e]/u.test(w));
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const target = 20 + Math.floor(rnd() * 700);
    let s = '';
    while (s.length < target) {
      const r = rnd();
      let token: string;
      if (r < 0.70) token = pick(rnd, words);
      else if (r < 0.78) token = number(rnd);
      else if (r < 0.83) token = pick(rnd, ABBREVIATIONS);
      else if (r < 0.87) token = `(${pick(rnd, words)}${rnd() < 0.5 ? ' ' + number(rnd) : ''})`;
      else if (r < 0.90) token = `“${pick(rnd, words)}${pick(rnd, words)}”`;
      else if (r < 0.94) token = pick(rnd, LATIN);
      else if (r < 0.97) token = pick(rnd, words) + (rnd() < 0.5 ? 'ๆ' : 'ฯ');
      else if (r < 0.985) token = `${pick(rnd, words)} ๆ`;
      else token = pick(rnd, LONG_TOKENS);
      // Thai is written without spaces; numbers and Latin words mostly have one around them, not always (`ที่๑เมษายน`).
      const latin = /[A-Za-z.)”]$/u.test(s) || /^[A-Za-z(“]/u.test(token);
      const digit = /[0-9๐-๙]$/u.test(s) || /^[0-9๐-๙]/u.test(token);
      const spaced = latin ? rnd() < 0.85 : digit ? rnd() < 0.6 : rnd() < 0.15;
      const glue = s.length > 0 && spaced ? ' ' : '';
      s += glue + token;
    }
    out.push(s);
  }
  return out;
}
