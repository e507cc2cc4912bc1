import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { breakAllowedAt, breakUnits, latinBreaks, MAX_SPREAD, noBreakPairs, protectNoBreaks, thaiClusters } from '../src/thai/segment.js';
import { layoutParagraph, lineText, type Line } from '../src/layout/paragraph.js';
import { Measurer } from '../src/layout/measure.js';
import { fontRegistry } from '../src/fonts/registry.js';
import { renderDocument } from '../src/render/index.js';
import type { BlockInput } from '../src/model/document.js';
import { pdftotext, stripSpace, tempDir } from './helpers/pdf.js';
import { unzip } from './helpers/zip.js';

/*
 * The line-breaking rules of issue 16 (items 4, 8, 10): URLs, e-mail
 * addresses and English words cut only where URLs break, no line inside a
 * no-break stretch, no letter-spacing past MAX_SPREAD, balanced centred titles.
 * Checked on real PDFs and DOCX files of stress paragraphs.
 */

const URL = 'https://www.example.go.th/attachments/2565/salary-increment-list-01-to-15.pdf';
const MAIL = 'saraban.office@dla.go.th';
const STRESS = [
  `ในการนี้ สำนักงานเขตพื้นที่การศึกษาได้จัดทำรายชื่อไว้แล้ว ดาวน์โหลดได้ที่ ${URL} หรือสอบถามทาง ${MAIL} ภายในวันที่ ๑ เมษายน ๒๕๖๕`,
  'สิ่งที่ส่งมาด้วย ปฏิทินการปฏิบัติงานเพื่อพิจารณาเลื่อนเงินเดือนข้าราชการ ครั้งที่ ๑ (๑ เมษายน ๒๕๖๕) จำนวน ๓ ฉบับ และสำเนาหนังสือลงวันที่ ๒๘ ธันวาคม ๒๕๖๑ จำนวน ๑ ฉบับ',
  'ขอให้ส่งแบบรายงานของ รอง ผอ.สพท.ชำนาญการพิเศษ และครูผู้สอนชั้นประถมศึกษาปีที่ ๑ โรงเรียนเทศบาล ๔ (บ้านซูกุ่ม) ผ่านระบบ Google Workspace for Education ภายในกำหนด',
  `รายละเอียดตามเอกสารแนบ ${URL}?download=true&lang=th_TH#section-2 ซึ่งเป็นไปตามหลักเกณฑ์ของ Office of the Basic Education Commission (OBEC)`,
];
/** Words put in front of a paragraph so that each of its pairs falls at a line's end in one of the variants. */
const PADDING = 'การศึกษา';

const m = new Measurer(fontRegistry().defaultFamily(), fontRegistry().fallbackFamily());
const STYLE = { size: 16 };
const WIDTH = 453.5;

const within = (text: string, offset: number) => noBreakPairs(text).find(([a, b]) => a < offset && offset < b);

/** Offsets of `text` where each line after the first starts, from the lines' texts. */
function lineStarts(text: string, lines: string[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const line of lines.slice(0, -1)) {
    // Skip the line's characters (spaces aside, as extraction may lose or add them).
    for (const ch of line.replace(/\s+/gu, '')) {
      while (at < text.length && /\s/u.test(text[at]!)) at++;
      expect(text[at], `"${line}" against the input at ${at}`).toBe(ch);
      at++;
    }
    while (at < text.length && /\s/u.test(text[at]!)) at++;
    starts.push(at);
  }
  return starts;
}

/** What breaks a rule at each line start. */
function breakProblems(text: string, starts: number[]): string[] {
  const problems: string[] = [];
  for (const at of starts) {
    const pair = within(text, at);
    const show = `${text.slice(Math.max(0, at - 15), at)}|${text.slice(at, at + 15)}`;
    if (pair) problems.push(`inside "${text.slice(pair[0], pair[1])}": ${show}`);
    else if (!breakAllowedAt(text, at)) problems.push(`not a break opportunity: ${show}`);
  }
  return problems;
}

describe('no-break stretches (noBreakPairs)', () => {
  const pairs = (text: string) => noBreakPairs(text).map(([a, b]) => text.slice(a, b));

  it('keeps dates, numbers with what they count, abbreviations with their word and short parenthesised names', () => {
    expect(pairs('ครั้งที่ ๑ (๑ เมษายน ๒๕๖๕) จำนวน ๑ ฉบับ')).toEqual(['ครั้งที่ ๑', '(๑ เมษายน ๒๕๖๕)', 'จำนวน ๑ ฉบับ']);
    expect(pairs('ลงวันที่ ๒๘ ธันวาคม ๒๕๖๑ เรื่อง')).toEqual(['๒๘ ธันวาคม ๒๕๖๑']);
    expect(pairs('ลงวันที่ ๓ สิงหาคม พ.ศ. ๒๕๖๑')).toEqual(['๓ สิงหาคม พ.ศ. ๒๕๖๑']);
    expect(pairs('ชั้นประถมศึกษาปีที่ ๑ ปีการศึกษา ๒๕๖๔')).toEqual(['ปีที่ ๑', 'ปีการศึกษา ๒๕๖๔']);
    expect(pairs('รอง ผอ.สพท.ชำนาญการพิเศษ')).toEqual(['ผอ.สพท.ชำนาญการพิเศษ']);
    expect(pairs('โรงเรียนเทศบาล ๔ (บ้านซูกุ่ม)')).toEqual(['เทศบาล ๔', '(บ้านซูกุ่ม)']);
    expect(pairs('เหตุใด ๆ ก็ตาม')).toEqual(['ใด ๆ']);
  });

  it('leaves long codes, long parentheses and ordinary words breakable', () => {
    expect(pairs('ที่ ศธ ๐๔๐๐๙/ว ๑๐๗๕ ลงวันที่')).toEqual([]);
    expect(pairs('(ผลการปฏิบัติงานและผลงานทางวิชาการของข้าราชการ)')).toEqual([]);
    expect(pairs('สำนักงานเขตพื้นที่การศึกษา')).toEqual([]);
  });

  it('agrees with breakUnits and breakAllowedAt: no unit edge inside a stretch', () => {
    for (const text of STRESS) {
      let at = 0;
      for (const u of breakUnits(text)) {
        expect(within(text, at), `${text.slice(0, at)}|`).toBeUndefined();
        at += u.text.length;
      }
      for (const [a, b] of noBreakPairs(text)) for (let i = a + 1; i < b; i++) expect(breakAllowedAt(text, i)).toBe(false);
    }
  });
});

describe('URLs, e-mail addresses and English words (latinBreaks)', () => {
  it('cuts after a slash or a hyphen before a letter, before a dot or @, never in the scheme, never leaving a lone last character', () => {
    const cuts = (t: string) => { let from = 0; return [...latinBreaks(t), t.length].map((k) => t.slice(from, (from = k))); };
    expect(cuts(URL)).toEqual(['https://www', '.example', '.go', '.th/', 'attachments/', '2565/', 'salary-', 'increment-', 'list-01-', 'to-15', '.pdf']);
    expect(cuts(MAIL)).toEqual(['saraban', '.office', '@dla', '.go.th']);
    expect(cuts('Workspace')).toEqual(['Workspace']);
    expect(cuts('e-mail')).toEqual(['e-mail']);
    for (const t of [URL, MAIL, 'a/b/c/d/e']) for (const k of latinBreaks(t)) expect(t.length - k).toBeGreaterThanOrEqual(4);
  });

  it('a Latin word too long for its column leaves at least two letters on the last line', () => {
    const lines = layoutParagraph([{ text: 'Supercalifragilisticexpialidocious' }], { width: 60, align: 'left', style: STYLE }, m).map(lineText);
    expect(lines.join('')).toBe('Supercalifragilisticexpialidocious');
    expect(lines.at(-1)!.length).toBeGreaterThanOrEqual(2);
  });
});

describe('line breaks in the PDF', () => {
  it('break stress paragraphs only where the rules allow, at every shift of the text, and keep every character in order', async () => {
    const problems: string[] = [];
    for (const body of STRESS) {
      for (let shift = 0; shift < 8; shift++) {
        const text = `${PADDING.repeat(shift)}${body}`;
        const pdf = await renderDocument({ blocks: [{ type: 'paragraph', text, firstLineIndent: '2.5cm' }] }, 'pdf');
        const lines = pdftotext(pdf, ['-layout']).split('\n').filter((l) => l.trim() !== '');
        expect(stripSpace(lines.join(''))).toBe(stripSpace(text));
        problems.push(...breakProblems(text, lineStarts(text, lines)));
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('starts a long URL on the line where it stands and cuts it after a slash or hyphen, not letter by letter', async () => {
    const text = STRESS[3]!;
    const pdf = await renderDocument({ blocks: [{ type: 'paragraph', text, firstLineIndent: '2.5cm' }] }, 'pdf');
    const lines = pdftotext(pdf, ['-layout']).split('\n').filter((l) => l.trim() !== '').map((l) => l.trim());
    expect(lines[0]).toContain('https://');
    expect(lines[0]).toMatch(/[/-]$/);
  });

  it('sets flush left a line that would need more than MAX_SPREAD between its clusters', async () => {
    // A narrow cell: the date cannot join the first line, which would need wide letter-spacing.
    const text = 'ให้ส่งภายใน (๑ เมษายน ๒๕๖๕) นี้';
    const width = 130;
    const lines = layoutParagraph([{ text }], { width, align: 'thai-distributed', style: STYLE }, m);
    const first = lines[0]!;
    const em = m.actualSize(16);
    expect((first.available - first.width) / (thaiClusters(lineText(first)).length - 1)).toBeGreaterThan(MAX_SPREAD * em);
    const pdf = await renderDocument({ blocks: [{ type: 'table', widths: [width + 2 * 4 + 0.5, '*'], align: ['thai-distributed', 'left'], rows: [[text, '']] } as BlockInput] }, 'pdf');
    const dir = tempDir();
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const html = execFileSync('pdftotext', ['-bbox', join(dir, 'in.pdf'), '-'], { encoding: 'utf8' });
    const word = [...html.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/gu)].find((x) => x[3] === lineText(first));
    expect(word, 'the first line as one word: not letter-spaced').toBeDefined();
    expect(Number(word![2]) - Number(word![1])).toBeLessThan(first.width + 1);
  });

  it('balances a centred title and breaks it at a phrase boundary (the Lampang announcement: …ส่วนตำบล / ให้ดำรงตำแหน่ง…)', async () => {
    const title = 'เรื่อง หลักเกณฑ์และเงื่อนไขเกี่ยวกับการคัดเลือกเพื่อเลื่อนและแต่งตั้งพนักงานส่วนตำบลให้ดำรงตำแหน่งที่สูงขึ้นในสายงานวิทยาศาสตร์และเทคโนโลยี พ.ศ. ๒๕๖๒';
    const pdf = await renderDocument({ blocks: [{ type: 'paragraph', text: title, align: 'center' }] }, 'pdf');
    const lines = pdftotext(pdf).split('\n').filter((l) => l.trim() !== '').map((l) => l.trim());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ส่วนตำบล$/);
    expect(lines[1]).toMatch(/^ให้ดำรงตำแหน่งที่สูงขึ้น/);
    const laid = layoutParagraph([{ text: title }], { width: WIDTH, align: 'center', style: STYLE }, m);
    const [a, b] = laid.map((l) => l.width);
    expect(Math.abs(a! - b!) / WIDTH).toBeLessThan(0.15);
  });
});

describe('the same rules in the DOCX', () => {
  it('writes no-break spaces inside dates and counted numbers and joiners inside a parenthesised name, and the text stays the same', async () => {
    const blocks = STRESS.map((text) => ({ type: 'paragraph', text } as BlockInput));
    const doc = unzip(await renderDocument({ blocks }, 'docx')).get('word/document.xml')!.toString('utf8');
    expect(doc).toContain('๒๘\u00a0ธันวาคม\u00a0๒๕๖๑');
    expect(doc).toContain('จำนวน\u00a0๓\u00a0ฉบับ');
    expect(doc).toContain('ปีที่\u00a0๑');
    expect(doc).toContain('(บ้าน\u2060ซู\u2060กุ่ม)');
    expect(doc).toContain('ผอ.สพท.\u200bชำนาญการพิเศษ');
    const text = [...doc.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((x) => x[1]).join('').replace(/[\u2060\u200b]/g, '').replace(/&amp;/g, '&');
    expect(stripSpace(text)).toBe(stripSpace(STRESS.join('')));
  });

  it('LibreOffice keeps the stretches on one line at every shift of the text', async () => {
    const dir = tempDir();
    const blocks: BlockInput[] = [];
    for (let shift = 0; shift < 6; shift++) blocks.push({ type: 'paragraph', text: `${PADDING.repeat(shift)}${STRESS[1]}` } as BlockInput);
    writeFileSync(join(dir, 'in.docx'), await renderDocument({ blocks }, 'docx'));
    execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, join(dir, 'in.docx')], { stdio: 'ignore', timeout: 120_000 });
    const lines = pdftotext(readFileSync(join(dir, 'in.pdf'))).split('\n').map((l) => l.trim()).filter(Boolean);
    for (const pair of ['(๑ เมษายน ๒๕๖๕)', 'จำนวน ๓ ฉบับ', '๒๘ ธันวาคม ๒๕๖๑', 'จำนวน ๑ ฉบับ']) {
      const whole = lines.filter((l) => stripSpace(l).includes(stripSpace(pair))).length;
      expect(whole, `${pair} on one line in each of the 6 paragraphs`).toBe(6);
    }
  }, 180_000);
});

describe('protectNoBreaks', () => {
  it('changes nothing outside the stretches', () => {
    expect(protectNoBreaks('สำนักงานเขตพื้นที่การศึกษา ทุกเขต')).toBe('สำนักงานเขตพื้นที่การศึกษา ทุกเขต');
    expect(protectNoBreaks(URL)).toBe(URL);
  });
});
