import { unzip } from './helpers/zip.js';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderDocument } from '../src/render/index.js';
import { placeholderEmblem } from '../src/render/emblem.js';
import { cm } from '../src/model/units.js';
import { toThaiDigits } from '../src/thai/numerals.js';
import { FONTS_DIR, fontRegistry } from '../src/fonts/registry.js';
import type { DocumentModelInput, RenderOptions } from '../src/model/document.js';
import { pdftotext, stripSpace, tempDir } from './helpers/pdf.js';

/* ------------------------------------------------------------------ helpers */

/**
 * The parts of a DOCX (a zip). docx v9 packs with fflate, not jszip, and the
 * project depends on neither, so the central directory is read here with
 * node:zlib: stored (0) and deflated (8) entries, which is all a DOCX holds.
 */

interface Docx { parts: Map<string, Buffer>; document: string; styles: string; part: (name: string) => string }

async function docx(model: DocumentModelInput, options: RenderOptions = {}): Promise<Docx & { bytes: Buffer }> {
  const bytes = await renderDocument(model, 'docx', options);
  const parts = unzip(bytes);
  const part = (name: string) => {
    const p = parts.get(name);
    if (!p) throw new Error(`no part ${name} in the DOCX`);
    return p.toString('utf8');
  };
  return { bytes, parts, part, document: part('word/document.xml'), styles: part('word/styles.xml') };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The text of an XML part, in order: w:t contents; tabs and breaks as spaces. */
function textOf(xml: string): string {
  let out = '';
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>|<\/w:p>/g)) out += m[1] !== undefined ? unescape(m[1]) : ' ';
  return out;
}

/** Top-level and nested paragraphs (w:p elements) of a part. */
function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p(?:\s[^>]*)?>[\s\S]*?<\/w:p>|<w:p\/>/g)].map((m) => m[0]);
}

/** The paragraph whose text contains `text`. */
function paragraphWith(xml: string, text: string): string {
  const p = paragraphs(xml).find((x) => stripSpace(textOf(x)).includes(stripSpace(text)));
  if (!p) throw new Error(`no paragraph with "${text}"`);
  return p;
}

/** The w:style element with this id. */
function style(styles: string, id: string): string {
  const m = new RegExp(`<w:style [^>]*w:styleId="${id}"[^>]*>[\\s\\S]*?</w:style>`).exec(styles);
  if (!m) throw new Error(`no style ${id}`);
  return m[0];
}

const count = (s: string, needle: string) => s.split(needle).length - 1;

/** Finds every expected text in order in the haystack (whitespace-insensitive); returns the ones missing. */
function missingInOrder(haystack: string, expected: string[], norm: (s: string) => string = stripSpace): string[] {
  const hay = norm(haystack);
  const missing: string[] = [];
  let from = 0;
  for (const e of expected) {
    const at = hay.indexOf(norm(e), from);
    if (at < 0) missing.push(e);
    else from = at + norm(e).length;
  }
  return missing;
}

const twips = (pt: number) => Math.round(pt * 20);

/* ------------------------------------------------------------------ models */

const BODY = 'ตามที่สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานได้แจ้งหลักเกณฑ์และวิธีการเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ประจำปีงบประมาณ พ.ศ. 2565 ครั้งที่ 1 (1 เมษายน 2565) ให้สำนักงานเขตพื้นที่การศึกษาทราบและถือปฏิบัติ ความละเอียดแจ้งแล้ว นั้น';

/** A letter with every kind of block, digits written in Arabic (the caller localizes them). */
function letter(): DocumentModelInput {
  return {
    title: 'หนังสือทดสอบ',
    blocks: [
      // As the external-letter template writes it: the urgency mark beside the emblem.
      { type: 'emblem', mark: [{ text: 'ด่วนที่สุด', bold: true, size: 32, color: '#d00000' }] },
      { type: 'row', spaceBefore: 0, left: ['ที่ ศธ 04009/ว 1075'], right: ['สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน', 'ถนนราชดำเนินนอก กทม. 10300'] },
      { type: 'paragraph', text: '17 กุมภาพันธ์ 2565', indent: '8cm', align: 'left' },
      { type: 'labeled', label: 'เรื่อง', text: 'การเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ประจำปีงบประมาณ พ.ศ. 2565 ครั้งที่ 1' },
      { type: 'labeled', label: 'เรียน', text: 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต', keepWithNext: true },
      { type: 'list', label: 'อ้างถึง', items: ['หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ 0206.3/ว 10 ลงวันที่ 3 กันยายน 2564', 'หนังสือ สพฐ. ที่ ศธ 04009/ว 5487 ลงวันที่ 15 ตุลาคม 2564'] },
      { type: 'list', label: 'สิ่งที่ส่งมาด้วย', numbering: 'none', items: ['บัญชีรายชื่อ จำนวน 1 ฉบับ'] },
      { type: 'paragraph', text: BODY, firstLineIndent: '2.5cm', spaceAfter: 3 },
      {
        type: 'paragraph', firstLineIndent: '2.5cm', align: 'justify',
        text: [{ text: 'จึงเรียนมาเพื่อ' }, { text: 'โปรดทราบ', bold: true }, { text: 'และ' }, { text: 'ดำเนินการ', italic: true, underline: true, color: '#0000ff' }],
      },
      { type: 'signature', closing: ['ขอแสดงความนับถือ'], name: '(นายสมชาย ใจดี)', lines: ['รองเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน', 'ปฏิบัติราชการแทน', 'เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน'] },
      { type: 'spacer', height: '1cm' },
      { type: 'paragraph', text: 'สำนักพัฒนาครูและบุคลากรทางการศึกษา\nโทร. 0 2288 5555', align: 'left', size: 14, keepTogether: true },
      { type: 'paragraph', align: 'left', text: [{ text: 'ผู้ประสานงาน', bold: true, size: 20 }, { text: '  นางสาวสมใจ ใฝ่รู้' }] },
      { type: 'paragraph', text: 'สำเนาส่ง ผู้ตรวจราชการกระทรวงศึกษาธิการ', align: 'right', spaceBefore: 12 },
      { type: 'pageBreak' },
      { type: 'paragraph', text: 'บัญชีรายชื่อผู้ได้เลื่อนเงินเดือน', align: 'center', role: 'title', bold: true },
      {
        type: 'table', widths: ['2cm', '*', '3cm'], size: 14,
        header: [['ลำดับ', 'ชื่อ - สกุล', 'เงินเดือน']],
        rows: [
          [{ text: '1', align: 'center' }, 'นางสาวสมศรี มีสุข', { text: '20,960', align: 'right' }],
          [{ text: '2', align: 'center' }, 'นายสมศักดิ์ รักงาน', { text: '21,480', align: 'right' }],
          [{ text: 'รวม', colSpan: 2, bold: true, align: 'center' }, { text: '42,440', align: 'right' }],
        ],
      },
    ],
  };
}

/** The text of every block of `letter()`, in order, as the DOCX must carry it (Thai digits). */
const LETTER_TEXTS = [
  'ด่วนที่สุด', 'ที่ ศธ 04009/ว 1075', 'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน', 'ถนนราชดำเนินนอก กทม. 10300', '17 กุมภาพันธ์ 2565',
  'เรื่อง', 'การเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ประจำปีงบประมาณ พ.ศ. 2565 ครั้งที่ 1',
  'เรียน', 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต',
  'อ้างถึง', '1.', 'หนังสือสำนักงาน ก.ค.ศ. ที่ ศธ 0206.3/ว 10 ลงวันที่ 3 กันยายน 2564', '2.', 'หนังสือ สพฐ. ที่ ศธ 04009/ว 5487 ลงวันที่ 15 ตุลาคม 2564',
  'สิ่งที่ส่งมาด้วย', 'บัญชีรายชื่อ จำนวน 1 ฉบับ',
  BODY, 'จึงเรียนมาเพื่อโปรดทราบและดำเนินการ',
  'ขอแสดงความนับถือ', '(นายสมชาย ใจดี)', 'รองเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน', 'ปฏิบัติราชการแทน', 'เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน',
  'สำนักพัฒนาครูและบุคลากรทางการศึกษา', 'โทร. 0 2288 5555', 'ผู้ประสานงาน', 'นางสาวสมใจ ใฝ่รู้', 'สำเนาส่ง ผู้ตรวจราชการกระทรวงศึกษาธิการ',
  'บัญชีรายชื่อผู้ได้เลื่อนเงินเดือน', 'ลำดับ', 'ชื่อ - สกุล', 'เงินเดือน', '1', 'นางสาวสมศรี มีสุข', '20,960', '2', 'นายสมศักดิ์ รักงาน', '21,480', 'รวม', '42,440',
].map(toThaiDigits);

const CONTENT_WIDTH = 595.28 - cm(3) - cm(2);

/* ------------------------------------------------------------------ tests */

describe('renderDocx: document.xml', () => {
  it('carries the text of every block, in order, with Thai digits', async () => {
    const { document, bytes } = await docx(letter());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(missingInOrder(textOf(document), LETTER_TEXTS)).toEqual([]);
    // Digits were localized by renderDocument, none are left in Arabic in the text.
    expect(textOf(document)).not.toMatch(/[0-9]/);
  });

  it('numbers list items ๑. ๒. with Thai numerals and 1. 2. with Arabic ones', async () => {
    const thai = await docx(letter());
    const first = paragraphWith(thai.document, 'หนังสือสำนักงาน');
    expect(stripSpace(textOf(first))).toMatch(/^อ้างถึง๑\.หนังสือสำนักงาน/);
    expect(stripSpace(textOf(paragraphWith(thai.document, 'ลงวันที่ ๑๕')))).toMatch(/^๒\.หนังสือ/);
    const arabic = await docx({ ...letter(), numerals: 'arabic' });
    expect(stripSpace(textOf(paragraphWith(arabic.document, 'หนังสือสำนักงาน')))).toMatch(/^อ้างถึง1\.หนังสือสำนักงาน/);
    expect(stripSpace(textOf(paragraphWith(arabic.document, 'ลงวันที่ 15')))).toMatch(/^2\.หนังสือ/);
    // A list without numbering writes its items as they are.
    expect(stripSpace(textOf(paragraphWith(thai.document, 'บัญชีรายชื่อ จำนวน')))).toBe(stripSpace('สิ่งที่ส่งมาด้วยบัญชีรายชื่อ จำนวน ๑ ฉบับ'));
  });

  it('writes each alignment: thaiDistribute by default, both, center, right, left', async () => {
    const { document } = await docx(letter());
    expect(paragraphWith(document, 'ตามที่สำนักงาน')).toContain('<w:jc w:val="thaiDistribute"/>');
    expect(paragraphWith(document, 'ผู้อำนวยการสำนักงานเขต')).toContain('<w:jc w:val="thaiDistribute"/>');
    expect(paragraphWith(document, 'จึงเรียนมาเพื่อ')).toContain('<w:jc w:val="both"/>');
    expect(paragraphWith(document, 'บัญชีรายชื่อผู้ได้')).toContain('<w:jc w:val="center"/>');
    expect(paragraphWith(document, 'สำเนาส่ง')).toContain('<w:jc w:val="right"/>');
    expect(paragraphWith(document, 'ด่วนที่สุด')).toContain('<w:jc w:val="left"/>');
    // The document's own default alignment applies to paragraphs that name none.
    const justified = await docx({ align: 'justify', blocks: [{ type: 'paragraph', text: BODY }] });
    expect(paragraphWith(justified.document, 'ตามที่')).toContain('<w:jc w:val="both"/>');
  });

  it('writes indents, spacing (points to twips) and keep-with-next', async () => {
    const { document } = await docx(letter());
    const body = paragraphWith(document, 'ตามที่สำนักงาน');
    expect(body).toContain(`<w:ind w:firstLine="${twips(cm(2.5))}"/>`);
    // 6 pt before every part but the first (as the PDF layout), and the model's space after.
    expect(body).toMatch(/<w:spacing w:after="60" w:before="120"\/>|<w:spacing w:before="120" w:after="60"\/>/);
    expect(paragraphWith(document, 'สำเนาส่ง')).toMatch(/<w:spacing w:before="240"\/>/);
    expect(paragraphWith(document, '๑๗ กุมภาพันธ์')).toContain(`<w:ind w:left="${twips(cm(8))}"/>`);
    expect(paragraphWith(document, 'ผู้อำนวยการสำนักงานเขต')).toContain('<w:keepNext/>');
    expect(paragraphWith(document, 'สำนักพัฒนาครู')).toContain('<w:keepLines/>');
    expect(paragraphWith(document, 'ตามที่สำนักงาน')).not.toContain('<w:keepLines/>');
    expect(paragraphWith(document, 'การเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ประจำ')).not.toContain('<w:keepNext/>');
    // No exact line heights on text: the paragraphs with text set no w:line at all.
    for (const p of paragraphs(document).filter((x) => textOf(x).trim().length > 0)) expect(p).not.toContain('w:line=');
  });

  it('hangs labeled text and list items after their label and number', async () => {
    const { document } = await docx(letter());
    const subject = paragraphWith(document, 'การเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ประจำ');
    const ind = /<w:ind w:left="(\d+)" w:hanging="(\d+)"\/>/.exec(subject);
    expect(ind).not.toBeNull();
    expect(ind![1]).toBe(ind![2]);
    expect(Number(ind![1])).toBeGreaterThan(twips(16));
    expect(subject).toContain(`<w:tab w:val="left" w:pos="${ind![1]}"/>`);
    // Label, then a tab, then the text.
    expect(subject).toMatch(/เรื่อง<\/w:t><\/w:r><w:r><w:tab\/><\/w:r><w:r><w:t[^>]*>การเลื่อน/);
    const item1 = paragraphWith(document, 'หนังสือสำนักงาน');
    const item2 = paragraphWith(document, 'ลงวันที่ ๑๕');
    const hang = (p: string) => /<w:ind w:left="(\d+)" w:hanging="\d+"\/>/.exec(p)?.[1];
    expect(hang(item1)).toBeDefined();
    expect(hang(item1)).toBe(hang(item2));
    // The second item starts with a tab to the number column, then the number and a tab to the text.
    expect(textOf(item2).startsWith(' ๒. ')).toBe(true);
    // Explicit label and number widths are taken as they are.
    const fixed = await docx({ blocks: [{ type: 'list', label: 'อ้างถึง', labelWidth: '2cm', numberWidth: '1cm', items: ['ก', 'ข'] }] });
    expect(paragraphWith(fixed.document, 'ก')).toContain(`<w:ind w:left="${twips(cm(2)) + twips(cm(1))}" w:hanging="${twips(cm(2)) + twips(cm(1))}"/>`);
  });

  it('puts a row block in a borderless two-column table whose right column is 42% of the text width', async () => {
    const { document } = await docx(letter());
    const table = /<w:tbl>(?:(?!<\/w:tbl>)[\s\S])*?ที่ ศธ[\s\S]*?<\/w:tbl>/.exec(document)![0];
    const cols = [...table.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(cols).toHaveLength(2);
    expect(Math.abs(cols[1]! - twips(CONTENT_WIDTH * 0.42))).toBeLessThanOrEqual(1);
    expect(Math.abs(cols[0]! + cols[1]! - twips(CONTENT_WIDTH))).toBeLessThanOrEqual(1);
    expect(table).not.toMatch(/w:val="single"/);
    const cells = [...table.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => stripSpace(textOf(m[0])));
    expect(cells).toEqual([stripSpace('ที่ ศธ ๐๔๐๐๙/ว ๑๐๗๕'), stripSpace('สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ถนนราชดำเนินนอก กทม. ๑๐๓๐๐')]);
  });

  it('centres every signature line on the axis', async () => {
    const { document } = await docx(letter());
    for (const t of ['ขอแสดงความนับถือ', '(นายสมชาย ใจดี)', 'ปฏิบัติราชการแทน']) {
      expect(paragraphWith(document, t)).toContain('<w:jc w:val="center"/>');
    }
    // Three blank lines between the closing and the name, by default.
    const ps = paragraphs(document);
    const closing = ps.findIndex((p) => textOf(p).includes('ขอแสดงความนับถือ'));
    const name = ps.findIndex((p) => textOf(p).includes('(นายสมชาย ใจดี)'));
    expect(name - closing - 1).toBe(3);
    // An axis other than the middle of the text column: the box around it is symmetric.
    const axis = cm(10);
    const moved = await docx({ blocks: [{ type: 'signature', name: '(นายสมชาย ใจดี)', axis: '10cm', blankLines: 0 }] });
    const ind = /<w:ind w:left="(\d+)" w:right="(\d+)"\/>/.exec(paragraphWith(moved.document, 'นายสมชาย'));
    expect(ind).not.toBeNull();
    const left = Number(ind![1]);
    const right = Number(ind![2]);
    expect(Math.abs((left + (twips(CONTENT_WIDTH) - right)) / 2 - twips(axis))).toBeLessThanOrEqual(1);
  });

  it('writes tables with header rows repeated, column widths, spans and alignment', async () => {
    const { document, styles } = await docx(letter());
    const table = /<w:tbl>(?:(?!<\/w:tbl>)[\s\S])*?ลำดับ[\s\S]*?<\/w:tbl>/.exec(document)![0];
    const rows = [...table.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toContain('<w:tblHeader/>');
    for (const r of rows.slice(1)) expect(r).not.toContain('<w:tblHeader/>');
    const cols = [...table.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
    expect(cols[0]).toBe(twips(cm(2)));
    expect(cols[2]).toBe(twips(cm(3)));
    expect(Math.abs(cols[1]! - twips(CONTENT_WIDTH - cm(5)))).toBeLessThanOrEqual(1);
    expect(rows[3]).toContain('<w:gridSpan w:val="2"/>');
    expect(rows[1]).toMatch(/<w:jc w:val="right"\/>(?:(?!<\/w:p>)[\s\S])*๒๐,๙๖๐/);
    expect(table).toContain('w:val="single"');
    // Header cells take the bold, centred header style; body cells the table text style at the table's size.
    const headerStyle = /<w:pStyle w:val="([^"]+)"\/>/.exec(rows[0]!)![1]!;
    expect(headerStyle.startsWith('TableHeader')).toBe(true);
    expect(style(styles, 'TableHeader')).toContain('<w:b/>');
    expect(style(styles, 'TableHeader')).toContain('<w:jc w:val="center"/>');
    const bodyStyle = /<w:pStyle w:val="([^"]+)"\/>/.exec(rows[1]!)![1]!;
    expect(style(styles, bodyStyle)).toContain('<w:szCs w:val="28"/>');
    // The total row's bold label comes from a bold variant of the table style, not from its runs.
    expect(style(styles, /<w:pStyle w:val="([^"]+)"\/>/.exec(rows[3]!)![1]!)).toContain('<w:b/>');
    expect(rows[3]).not.toContain('<w:rPr>');
  });

  it('merges a header cell down the header rows it runs down (w:vMerge), the lower row\'s cells in their own columns', async () => {
    const { document } = await docx({ blocks: [{
      type: 'table', widths: [cm(2), cm(4), cm(6)],
      header: [[{ text: 'ที่', rowSpan: 2 }, { text: 'ผลงานวิชาการที่ส่งประเมิน', colSpan: 2 }], ['กลุ่มสาระ', 'เรื่อง']],
      rows: [['๑', 'คณิตศาสตร์', 'แบบฝึก']],
    }] });
    const rows = [...document.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    const cells = (row: string) => [...row.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((m) => m[0]);
    expect(cells(rows[0]!)[0]).toContain('<w:vMerge w:val="restart"/>');
    expect(cells(rows[0]!)[0]).toContain('<w:vAlign w:val="center"/>');
    // The second header row: a continuation of ที่, then its own two cells at 4 cm and 6 cm.
    const lower = cells(rows[1]!);
    expect(lower).toHaveLength(3);
    expect(lower[0]).toMatch(/<w:vMerge(?: w:val="continue")?\/>/);
    expect(textOf(lower[1]!).trim()).toBe('กลุ่มสาระ');
    expect(lower[1]).toContain(`<w:tcW w:type="dxa" w:w="${twips(cm(4))}"/>`);
    expect(lower[2]).toContain(`<w:tcW w:type="dxa" w:w="${twips(cm(6))}"/>`);
  });

  it('starts the page after a page break with a page-break-before, and gives a spacer its height', async () => {
    const { document } = await docx(letter());
    expect(paragraphWith(document, 'บัญชีรายชื่อผู้ได้')).toContain('<w:pageBreakBefore/>');
    expect(count(document, '<w:pageBreakBefore/>')).toBe(1);
    const spacer = paragraphs(document).find((p) => p.includes(`w:line="${twips(cm(1))}"`));
    expect(spacer).toBeDefined();
    expect(spacer).toContain('w:lineRule="exact"');
    expect(textOf(spacer!).trim()).toBe('');
  });

  it('writes run styles on the runs that have them, and block styles as paragraph styles', async () => {
    const { document, styles } = await docx(letter());
    const p = paragraphWith(document, 'จึงเรียนมาเพื่อ');
    expect(p).toMatch(/<w:r><w:rPr><w:b\/><w:bCs\/><\/w:rPr><w:t[^>]*>โปรดทราบ/);
    expect(p).toMatch(/<w:rPr>(?:(?!<\/w:rPr>).)*<w:i\/>(?:(?!<\/w:rPr>).)*<\/w:rPr><w:t[^>]*>ดำเนินการ/);
    expect(p).toMatch(/<w:color w:val="0000FF"\/>(?:(?!<\/w:rPr>).)*<w:u w:val="single"\/>|<w:u w:val="single"\/>(?:(?!<\/w:rPr>).)*<w:color w:val="0000FF"\/>/);
    expect(p).toMatch(/<w:r><w:t[^>]*>จึงเรียนมาเพื่อ/);
    // The red 32 pt bold mark: one paragraph style says all of it, the run says nothing.
    const mark = paragraphWith(document, 'ด่วนที่สุด');
    const markStyle = style(styles, /<w:pStyle w:val="([^"]+)"\/>/.exec(mark)![1]!);
    expect(markStyle).toContain('<w:basedOn w:val="Mark"/>');
    expect(markStyle).toContain('<w:color w:val="D00000"/>');
    expect(markStyle).toContain('<w:szCs w:val="64"/>');
    expect(markStyle).toContain('<w:bCs/>');
    expect(mark).not.toContain('<w:rPr>');
    // Runs of mixed sizes: only the one that differs carries its size.
    const contact = paragraphWith(document, 'ผู้ประสานงาน');
    expect(contact).toMatch(/<w:r><w:rPr><w:b\/><w:bCs\/><w:sz w:val="40"\/><w:szCs w:val="40"\/><\/w:rPr><w:t[^>]*>ผู้ประสานงาน/);
    expect(contact).toMatch(/<w:r><w:t[^>]*>  นางสาวสมใจ/);
    // A newline in the text is a line break.
    expect(paragraphWith(document, 'สำนักพัฒนาครู')).toMatch(/ศึกษา<\/w:t><\/w:r><w:r><w:br\/><w:t[^>]*>โทร\./);
  });
});

describe('renderDocx: styles, fonts and page', () => {
  const saved = process.env.SARABAN_DOCX_FONT;
  afterEach(() => {
    if (saved === undefined) delete process.env.SARABAN_DOCX_FONT;
    else process.env.SARABAN_DOCX_FONT = saved;
  });

  it('puts the official font, its complex-script size and Thai language in the styles, not on runs', async () => {
    delete process.env.SARABAN_DOCX_FONT;
    const { document, styles } = await docx(letter());
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)![0];
    for (const x of [defaults, style(styles, 'Normal')]) {
      expect(x).toMatch(/<w:rFonts w:ascii="TH SarabunPSK" w:cs="TH SarabunPSK" w:eastAsia="TH SarabunPSK" w:hAnsi="TH SarabunPSK"\/>/);
      expect(x).toContain('<w:sz w:val="32"/>');
      expect(x).toContain('<w:szCs w:val="32"/>');
      expect(x).toContain('<w:lang w:val="th-TH" w:bidi="th-TH"/>');
      // Single spacing, said so that LibreOffice does not take 240 as exact 12 pt.
      const spacing = /<w:spacing ([^>]*)\/>/.exec(x)![1]!.split(' ').sort();
      expect(spacing).toEqual(['w:after="0"', 'w:before="0"', 'w:line="240"', 'w:lineRule="auto"']);
    }
    for (const id of ['Body', 'Title', 'Heading', 'Mark', 'Small', 'Signature', 'TableText', 'TableHeader']) expect(style(styles, id)).toContain('w:basedOn');
    expect(count(document, '<w:rFonts')).toBe(0);
    expect(count(document, '<w:lang')).toBe(0);
    // Sizes only on the one run of the letter that has a size of its own (ผู้ประสานงาน, 20 pt).
    expect(count(document, '<w:sz ')).toBe(1);
    expect(count(document, '<w:sz w:val="40"/>')).toBe(1);
  });

  it('writes sizes as official points (no scaling) and takes the body size from the model', async () => {
    const { styles } = await docx({ fontSize: 15, blocks: [{ type: 'paragraph', text: 'ก' }, { type: 'paragraph', text: 'บันทึกข้อความ', size: 29, bold: true, role: 'title' }] });
    expect(style(styles, 'Normal')).toContain('<w:szCs w:val="30"/>');
    expect(styles).toMatch(/<w:style [^>]*w:styleId="TitleSz58Bold"[\s\S]*?<w:szCs w:val="58"\/>/);
  });

  it('names the font from options.font, else SARABAN_DOCX_FONT, else TH SarabunPSK', async () => {
    process.env.SARABAN_DOCX_FONT = 'TH Sarabun New';
    const fromEnv = await docx(letter());
    expect(style(fromEnv.styles, 'Normal')).toContain('w:cs="TH Sarabun New"');
    const fromOption = await docx(letter(), { font: 'TH SarabunIT๙' });
    expect(style(fromOption.styles, 'Normal')).toContain('w:cs="TH SarabunIT๙"');
    expect(fromOption.styles).not.toContain('TH Sarabun New');
  });

  it('keeps run properties out of a long table: no rFonts, sizes or language per run', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [String(i + 1), `นายทดสอบ ลำดับที่ ${i + 1}`, { text: '20,960', align: 'right' as const }]);
    const { document } = await docx({ blocks: [{ type: 'table', widths: ['2cm', '*', '3cm'], size: 14, header: [['ลำดับ', 'ชื่อ', 'เงินเดือน']], rows }] });
    expect(count(document, '<w:tr>')).toBe(1001);
    expect(count(document, '<w:r>')).toBeGreaterThanOrEqual(3003);
    expect(count(document, '<w:rFonts')).toBe(0);
    expect(count(document, '<w:szCs')).toBe(0);
    expect(count(document, '<w:lang')).toBe(0);
    expect(count(document, '<w:rPr>')).toBe(0);
    expect(count(document, '<w:tblHeader/>')).toBe(1);
  });

  it('sets A4, the model margins in twips, and landscape', async () => {
    const portrait = await docx(letter());
    expect(portrait.document).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/);
    expect(portrait.document).toContain(`<w:pgMar w:top="${twips(cm(2.5))}" w:right="${twips(cm(2))}" w:bottom="${twips(cm(2))}" w:left="${twips(cm(3))}"`);
    const landscape = await docx({ page: { orientation: 'landscape', margins: { top: '2cm', left: '2cm', right: '1.5cm', bottom: '1.5cm' } }, blocks: [{ type: 'paragraph', text: 'ก' }] });
    expect(landscape.document).toMatch(/<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"\/>/);
    expect(landscape.document).toContain(`<w:pgMar w:top="${twips(cm(2))}" w:right="${twips(cm(1.5))}" w:bottom="${twips(cm(1.5))}" w:left="${twips(cm(2))}"`);
  });

  it('numbers pages after the first with a PAGE field in the header, in Thai digits', async () => {
    const { document, part } = await docx(letter());
    expect(document).toContain('<w:titlePg/>');
    expect(document).toContain('<w:pgNumType w:fmt="thaiNumbers"/>');
    const refs = Object.fromEntries([...document.matchAll(/<w:headerReference w:type="(\w+)" r:id="(\w+)"\/>/g)].map((m) => [m[1], m[2]]));
    expect(Object.keys(refs).sort()).toEqual(['default', 'first']);
    const rels = part('word/_rels/document.xml.rels');
    const target = (id: string) => `word/${new RegExp(`Id="${id}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${id}"`).exec(rels)!.slice(1).find(Boolean)}`;
    const header = part(target(refs.default!));
    expect(header).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/);
    expect(header).toContain('<w:jc w:val="center"/>');
    expect(textOf(header).replace(/\s+$/, '')).toBe('-  -');
    expect(part(target(refs.first!))).not.toContain('PAGE');
    const arabic = await docx({ ...letter(), numerals: 'arabic' });
    expect(arabic.document).not.toContain('thaiNumbers');
    const none = await docx({ ...letter(), page: { pageNumbers: false } });
    expect(none.document).not.toContain('<w:footerReference');
    expect(none.document).not.toContain('<w:headerReference');
    expect(none.document).not.toContain('<w:titlePg/>');
  });
});

describe('renderDocx: secrecy mark', () => {
  it('prints the secrecy mark in red at the top and bottom centre of every page', async () => {
    const { document, styles, part } = await docx({ ...letter(), page: { secrecy: 'ลับมาก' } });
    const rels = part('word/_rels/document.xml.rels');
    const partOf = (kind: 'header' | 'footer', type: string) => {
      const id = new RegExp(`<w:${kind}Reference w:type="${type}" r:id="(\\w+)"/>`).exec(document)![1];
      return part(`word/${new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)![1]}`);
    };
    for (const x of [partOf('header', 'first'), partOf('header', 'default'), partOf('footer', 'first'), partOf('footer', 'default')]) {
      expect(stripSpace(textOf(x))).toContain('ลับมาก');
      const p = paragraphWith(x, 'ลับมาก');
      expect(p).toContain('<w:jc w:val="center"/>');
      const st = style(styles, /<w:pStyle w:val="([^"]+)"\/>/.exec(p)![1]!);
      expect(st).toContain('<w:color w:val="D00000"/>');
      expect(st).toContain('<w:bCs/>');
    }
    // Pages after the first carry the page number under the mark; the first page does not.
    expect(stripSpace(textOf(partOf('header', 'default')))).toBe(stripSpace('ลับมาก - -'));
    expect(partOf('header', 'default')).toContain('PAGE');
    expect(partOf('header', 'first')).not.toContain('PAGE');
    // Without page numbers the mark is on every page all the same.
    const plain = await docx({ ...letter(), page: { secrecy: 'ลับ', pageNumbers: false } });
    expect(plain.document).not.toContain('<w:titlePg/>');
    expect(plain.document).toMatch(/<w:headerReference w:type="default"/);
    expect(plain.document).toMatch(/<w:footerReference w:type="default"/);
    // An empty secrecy (a template with none) writes nothing.
    const empty = await docx({ ...letter(), page: { secrecy: '' } });
    expect(empty.document).not.toContain('<w:footerReference');
  });
});

describe('renderDocx: emblem', () => {
  const pngParts = (parts: Map<string, Buffer>) => [...parts.keys()].filter((k) => k.startsWith('word/media/'));

  const emuOf = (pt: number) => Math.round(pt * 12700);
  /** Vertical offset of the floating emblem (points) and what it is measured from. */
  const floatOf = (document: string) => {
    const m = /<wp:positionV relativeFrom="(\w+)"><wp:posOffset>(\d+)<\/wp:posOffset>/.exec(document)!;
    return { from: m[1], offset: Number(m[2]) / 12700 };
  };
  /** Spacing before and line pitch (1.1 em of the size) of the paragraph with a text. */
  const placed = (document: string, styles: string, text: string) => {
    const p = paragraphWith(document, text);
    const before = Number(/w:before="(\d+)"/.exec(p)?.[1] ?? 0) / 20;
    const size = Number(/<w:szCs w:val="(\d+)"\/>/.exec(style(styles, /<w:pStyle w:val="([^"]+)"\/>/.exec(p)![1]!))![1]) / 2;
    return { before, pitch: size * 1.1 };
  };

  it('floats the opening emblem 1.5 cm from the top edge at its height, and keeps its room', async () => {
    const { document, parts } = await docx({ blocks: [{ type: 'emblem' }, { type: 'paragraph', text: 'ก' }] });
    const media = pngParts(parts);
    expect(media).toHaveLength(1);
    expect(parts.get(media[0]!)!.subarray(1, 4).toString()).toBe('PNG');
    const anchor = /<wp:anchor[\s\S]*?<\/wp:anchor>/.exec(document)![0];
    expect(anchor).toContain(`<wp:positionV relativeFrom="page"><wp:posOffset>${emuOf(cm(1.5))}</wp:posOffset>`);
    expect(anchor).toContain('<wp:align>center</wp:align>');
    expect(anchor).toContain('<wp:wrapNone/>');
    const emu = Math.round((Math.round((cm(3) * 96) / 72) * 914400) / 96);
    expect(anchor).toMatch(new RegExp(`<wp:extent cx="\\d+" cy="(${emu - 1}|${emu}|${emu + 1})"/>`));
    // The room below the top margin: 3 cm less the 1 cm it rises above the 2.5 cm margin,
    // in empty paragraphs of exact heights before the first text.
    const ps = paragraphs(document);
    const room = ps.slice(0, ps.findIndex((p) => textOf(p).trim() !== ''))
      .reduce((h, p) => h + Number(/w:line="(\d+)" w:lineRule="exact"/.exec(p)![1]), 0);
    expect(Math.abs(room - twips(cm(2)))).toBeLessThanOrEqual(2);
  });

  it('puts the mark level with the middle of the emblem', async () => {
    const { document, styles } = await docx(letter());
    const float = floatOf(document);
    expect(float.from).toBe('page');
    // About 1.5 cm from the top edge (it moves down when the mark would start above the margin).
    expect(float.offset).toBeGreaterThanOrEqual(cm(1.5) - 0.1);
    expect(float.offset).toBeLessThan(cm(1.5) + 6);
    const mark = placed(document, styles, 'ด่วนที่สุด');
    // Anchor paragraph (1 twip), space before, half a line: the middle of the emblem.
    const middle = cm(2.5) + 0.05 + mark.before + mark.pitch / 2;
    expect(Math.abs(middle - (float.offset + cm(3) / 2))).toBeLessThan(0.5);
    expect(paragraphWith(document, 'ด่วนที่สุด')).toContain('<w:jc w:val="left"/>');
  });

  it('puts the memo title on the bottom line of the emblem, opening the document or not', async () => {
    const title = [{ text: 'บันทึกข้อความ', bold: true, size: 29 }];
    const first = await docx({ blocks: [{ type: 'emblem', height: '1.5cm', align: 'left', title }, { type: 'paragraph', text: 'ส่วนราชการ' }] });
    const f = floatOf(first.document);
    expect(f.from).toBe('page');
    const t = placed(first.document, first.styles, 'บันทึกข้อความ');
    expect(Math.abs(cm(2.5) + 0.05 + t.before + t.pitch - (f.offset + cm(1.5)))).toBeLessThan(0.5);
    expect(paragraphWith(first.document, 'บันทึกข้อความ')).toContain('<w:jc w:val="center"/>');
    expect(first.document).toContain('<wp:align>left</wp:align>');
    // After an urgency paragraph the emblem floats from its own paragraph, below the 6 pt before it.
    const second = await docx({ blocks: [{ type: 'paragraph', text: 'ด่วน' }, { type: 'emblem', height: '1.5cm', align: 'left', title }] });
    const s2 = floatOf(second.document);
    expect(s2.from).toBe('paragraph');
    expect(s2.offset).toBeCloseTo(6, 1);
    const t2 = placed(second.document, second.styles, 'บันทึกข้อความ');
    const anchorLine = Number(/w:line="(\d+)" w:lineRule="exact"/.exec(paragraphs(second.document).find((p) => p.includes('<wp:anchor'))!)![1]) / 20;
    expect(Math.abs(anchorLine + t2.before + t2.pitch - (s2.offset + cm(1.5)))).toBeLessThan(0.5);
    expect(missingInOrder(textOf(second.document), ['ด่วน', 'บันทึกข้อความ'])).toEqual([]);
  });

  it('puts an emblem that does not open the document inline, left or centred', async () => {
    const { document } = await docx({ blocks: [{ type: 'paragraph', text: 'ก' }, { type: 'emblem', height: '1.5cm', align: 'left' }] });
    expect(document).not.toContain('<wp:anchor');
    const p = paragraphs(document).find((x) => x.includes('<wp:inline'))!;
    expect(p).toContain('<w:jc w:val="left"/>');
    const emu = Math.round((Math.round((cm(1.5) * 96) / 72) * 914400) / 96);
    expect(p).toMatch(new RegExp(`<wp:extent cx="\\d+" cy="(${emu - 1}|${emu}|${emu + 1})"/>`));
  });

  it('writes an SVG emblem with the placeholder PNG as fallback', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120"><circle cx="50" cy="60" r="40" fill="#c00"/></svg>');
    const { document, parts } = await docx(letter(), { emblem: { type: 'svg', data: svg } });
    const media = pngParts(parts);
    expect(media.some((k) => k.endsWith('.svg'))).toBe(true);
    const png = media.find((k) => k.endsWith('.png'));
    expect(png).toBeDefined();
    expect(parts.get(png!)!.equals(placeholderEmblem().data)).toBe(true);
    expect(document).toContain('svgBlip');
    // Fitted in the 3 cm box: 120 tall, 100 wide.
    const [, cx, cy] = /<wp:extent cx="(\d+)" cy="(\d+)"\/>/.exec(document)!;
    expect(Number(cx) / Number(cy)).toBeCloseTo(100 / 120, 2);
  });
});

/* ------------------------------------------------------------ LibreOffice */

/** Converts a DOCX with LibreOffice in a fresh profile; returns the PDF. */
function libreOffice(docxBytes: Buffer, env: NodeJS.ProcessEnv = process.env): Buffer {
  const dir = tempDir('saraban-docx-lo-');
  try {
    const file = join(dir, 'letter.docx');
    writeFileSync(file, docxBytes);
    execFileSync('soffice', [
      `-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore',
      '--convert-to', 'pdf', '--outdir', dir, file,
    ], { timeout: 120_000, stdio: 'pipe', env });
    const pdf = join(dir, 'letter.pdf');
    if (!existsSync(pdf)) throw new Error('LibreOffice wrote no PDF');
    return readFileSync(pdf);
  } finally {
    // A LibreOffice profile is a few megabytes: do not leave one per run in /tmp.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fonts poppler finds in a PDF (pdffonts), one line each after the heading. */
function pdffonts(pdf: Buffer): string {
  const dir = tempDir();
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdffonts', [file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * LibreOffice shapes Thai itself and pdftotext gives some marks back after the
 * consonant that follows them (`ขัน้` for `ขั้น`) or with a space: compare the
 * letters without the above/below marks, and count the marks separately.
 */
const MARKS = /[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]/g;
const skeleton = (s: string) => stripSpace(s).replace(/\u0e33/g, '\u0e32').replace(MARKS, '');
const marksOf = (s: string) => {
  const counts = new Map<string, number>();
  for (const m of s.replace(/\u0e33/g, '\u0e4d\u0e32').match(MARKS) ?? []) counts.set(m, (counts.get(m) ?? 0) + 1);
  return counts;
};

interface Word { text: string; xMin: number; xMax: number; yMin: number; yMax: number }
function words(bboxHtml: string, page = 1): Word[] {
  const pageHtml = bboxHtml.split('<page ')[page] ?? '';
  return [...pageHtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: unescape(m[5]!) }));
}
describe('renderDocx: LibreOffice', () => {
  it('opens in LibreOffice and prints the letter with its text, sizes and geometry', { timeout: 240_000 }, async () => {
    const { bytes } = await docx(letter());
    const pdf = libreOffice(bytes);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // -layout: a table's cells in rows, as they are read (raw order goes column by column).
    const text = pdftotext(pdf, ['-layout']);
    expect(missingInOrder(text, LETTER_TEXTS, skeleton)).toEqual([]);
    const expectedMarks = marksOf(LETTER_TEXTS.join(''));
    const printedMarks = marksOf(text);
    for (const [mark, n] of expectedMarks) expect(printedMarks.get(mark) ?? 0, `mark U+${mark.codePointAt(0)!.toString(16)}`).toBeGreaterThanOrEqual(n);
    // TH SarabunPSK is not installed here: LibreOffice substitutes a font, and embeds it.
    const fonts = pdffonts(pdf);
    console.log(`LibreOffice drew the letter with:\n${fonts}`);
    expect(fonts.split('\n').slice(2).filter((l) => l.trim()).length).toBeGreaterThan(0);
    // Geometry of page 1, in points from the top-left corner.
    const bbox = pdftotext(pdf, ['-bbox', '-f', '1', '-l', '1']);
    const page1 = words(bbox);
    const left = cm(3);
    // The 32 pt mark is twice as tall as 16 pt body text.
    const mark = page1.find((w) => w.text.startsWith('ด่วน'))!;
    const body = page1.find((w) => w.text === 'ที่')!;
    expect((mark.yMax - mark.yMin) / (body.yMax - body.yMin)).toBeCloseTo(2, 1);
    expect(mark.xMin).toBeCloseTo(left, 0);
    // The right column of the row starts at 58 % of the text column.
    const office = page1.find((w) => w.text.startsWith('สำนักงานคณะ'))!;
    expect(Math.abs(office.xMin - (left + CONTENT_WIDTH * 0.58))).toBeLessThan(2);
    // The mark beside the emblem (1.5 to 4.5 cm from the top edge), the row below it. The
    // substitute font's lines are 1.99 em tall, so the mark's exact height is checked with Sarabun below.
    expect(mark.yMin).toBeGreaterThan(cm(1.5));
    expect(mark.yMax).toBeLessThan(cm(4.5) + 10);
    expect(body.yMin).toBeGreaterThan(cm(4.5));
    // The signature is centred on the axis, 8 cm from the left margin (it may be on page 2).
    const all = [1, 2].flatMap((p) => words(pdftotext(pdf, ['-bbox', '-f', String(p), '-l', String(p)])).map((w) => ({ ...w, page: p })));
    const nameWord = all.find((w) => w.text.startsWith('(นายสมชาย'))!;
    const nameLine = all.filter((w) => w.page === nameWord.page && Math.abs(w.yMin - nameWord.yMin) < 1);
    const centre = (Math.min(...nameLine.map((w) => w.xMin)) + Math.max(...nameLine.map((w) => w.xMax))) / 2;
    expect(Math.abs(centre - (left + cm(8)))).toBeLessThan(3);
  });

  it('draws the text in the font the DOCX names when that font is installed', { timeout: 240_000 }, async () => {
    // The shipped Sarabun stands in for an installed official font: a fontconfig
    // file that adds the project's fonts/ folder, and a DOCX that names Sarabun.
    const dir = tempDir('saraban-docx-fc-');
    writeFileSync(join(dir, 'fonts.conf'), `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${FONTS_DIR}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`);
    const { bytes } = await docx(letter(), { font: 'Sarabun' });
    let pdf: Buffer;
    try {
      pdf = libreOffice(bytes, { ...process.env, FONTCONFIG_FILE: join(dir, 'fonts.conf') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const fonts = pdffonts(pdf);
    const names = fonts.split('\n').slice(2).filter((l) => l.trim()).map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, ''));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^Sarabun-(Regular|Bold|Italic|BoldItalic)$/);
    expect(names).toContain('Sarabun-Bold');
    // At the model's official sizes scaled for Sarabun, as in the PDF: poppler makes a word
    // as tall as the font's ascender + descender at its size.
    const sarabun = fontRegistry().get('Sarabun');
    const em = sarabun.naturalLineEm * sarabun.scale;
    const page1 = words(pdftotext(pdf, ['-bbox', '-f', '1', '-l', '1']));
    const body = page1.find((w) => w.text === 'ที่')!;
    expect(body.yMax - body.yMin).toBeCloseTo(16 * em, 0);
    const mark = page1.find((w) => w.text.startsWith('ด่วน'))!;
    expect(mark.yMax - mark.yMin).toBeCloseTo(32 * em, 0);
    // Level with the emblem's middle, give or take the font: the layout counts TH Sarabun's
    // 1.1 em lines, LibreOffice gives Sarabun's about 1.4 em (the exact placement is checked in the XML above).
    const emblemTop = Number(/<wp:positionV relativeFrom="page"><wp:posOffset>(\d+)</.exec(unzip(bytes).get('word/document.xml')!.toString())![1]) / 12700;
    expect(Math.abs((mark.yMin + mark.yMax) / 2 - (emblemTop + cm(3) / 2))).toBeLessThan(8);
    expect(missingInOrder(pdftotext(pdf, ['-layout']), LETTER_TEXTS, skeleton)).toEqual([]);
  });
});
