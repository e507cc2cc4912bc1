import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { DocumentModel, type BlockInput } from '../src/model/document.js';
import { prepareText } from '../src/model/prepareText.js';
import { continuationWord, layoutDocument, type DocumentLayout, type SliceContent } from '../src/layout/page.js';
import { FontRegistry, fontRegistry, OFFICIAL_LINE_HEIGHT_EM } from '../src/fonts/registry.js';
import { layoutParagraph, lineText } from '../src/layout/paragraph.js';
import { Measurer } from '../src/layout/measure.js';
import { renderDocument } from '../src/render/index.js';
import { pageCount, pdftotext, rasterise, stripSpace } from './helpers/pdf.js';
import { inkIn } from './helpers/pixels.js';
import { toThaiDigits } from '../src/thai/numerals.js';

const SENTENCE = 'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานพิจารณาแล้ว ขอให้สำนักงานเขตพื้นที่การศึกษาทุกเขตดำเนินการเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ';
const paragraph = (n: number, extra: Partial<BlockInput> = {}): BlockInput => ({ type: 'paragraph', text: SENTENCE.repeat(n).trim(), firstLineIndent: '2.5cm', ...extra } as BlockInput);

function lay(blocks: BlockInput[], font = 'Sarabun'): DocumentLayout {
  return layoutDocument(prepareText(DocumentModel.parse({ blocks })), fontRegistry().get(font));
}

const textLines = (layout: DocumentLayout, page: number) =>
  layout.pages[page]!.slices.filter((s) => s.slice.content.kind === 'text').length;

describe('page geometry in official TH Sarabun points', () => {
  it('holds as many 16 pt lines on an A4 page as TH Sarabun New single spacing', () => {
    const bodyHeight = 841.89 - 70.87 - 56.69;
    const expected = Math.floor(bodyHeight / (16 * OFFICIAL_LINE_HEIGHT_EM));
    const layout = lay([paragraph(60, { spaceBefore: 0 })]);
    expect(layout.pages.length).toBeGreaterThan(1);
    expect(textLines(layout, 0)).toBe(expected);
  });

  it('gives another font the same lines per page and about the same words per line', () => {
    const laksaman = '/usr/share/fonts/truetype/tlwg/Laksaman.ttf';
    expect(existsSync(laksaman), 'fonts-tlwg-laksaman-ttf is installed by npm test / .ci/run').toBe(true);
    const registry = new FontRegistry([new URL('../fonts', import.meta.url).pathname, '/usr/share/fonts/truetype/tlwg']);
    const sarabun = layoutDocument(DocumentModel.parse({ blocks: [paragraph(60, { spaceBefore: 0 })] }), registry.get('Sarabun'));
    const other = layoutDocument(DocumentModel.parse({ blocks: [paragraph(60, { spaceBefore: 0 })] }), registry.get('Laksaman'));
    expect(textLines(other, 0)).toBe(textLines(sarabun, 0));
    const total = (l: DocumentLayout) => l.pages.reduce((n, _p, i) => n + textLines(l, i), 0);
    // Scaled to the official x-height, a different design still sets a similar number of lines.
    expect(Math.abs(total(other) - total(sarabun)) / total(sarabun)).toBeLessThan(0.15);
  });

  it('keeps every line inside the content width', () => {
    const layout = lay([paragraph(20), { type: 'labeled', label: 'เรื่อง', text: SENTENCE.repeat(3) }, { type: 'list', label: 'อ้างถึง', items: [SENTENCE, SENTENCE.repeat(2)] }]);
    for (const page of layout.pages) for (const { slice } of page.slices) {
      if (slice.content.kind !== 'text') continue;
      for (const part of slice.content.parts) expect(part.x + part.line.indent + part.line.width).toBeLessThanOrEqual(layout.contentWidth + 0.01);
    }
  });
});

describe('pagination', () => {
  it('never leaves a signature at the top of a page without the last lines of the body', () => {
    // Grow the body one sentence at a time so that the signature falls at every position around the page end.
    for (let n = 25; n <= 34; n++) {
      const layout = lay([paragraph(n), { type: 'signature', closing: ['ขอแสดงความนับถือ'], name: '(นายทดสอบ ระบบ)', lines: ['ผู้อำนวยการ'] }]);
      for (const page of layout.pages.slice(1)) {
        const first = page.slices.findIndex((s) => s.slice.text.includes('ขอแสดงความนับถือ') || s.slice.text.includes('(นายทดสอบ'));
        if (first === -1) continue;
        expect(first, `sentences=${n}`).toBeGreaterThanOrEqual(2);
      }
    }
  });

  it('names the first word of the next page at the bottom of each page but the last', async () => {
    const model = { blocks: [paragraph(40)] };
    const layout = lay(model.blocks as BlockInput[]);
    expect(layout.pages.length).toBeGreaterThan(1);
    const pdf = await renderDocument(model, 'pdf');
    for (let i = 0; i < layout.pages.length; i++) {
      const page = pdftotext(pdf, ['-f', String(i + 1), '-l', String(i + 1)]);
      const next = layout.pages[i + 1];
      if (next) {
        const word = continuationWord(next.slices.find((s) => s.slice.text.trim())!.slice.text);
        expect(layout.pages[i]!.nextWord).toBe(word);
        expect(stripSpace(page)).toContain(`/${word}...`);
      } else {
        expect(page).not.toMatch(/\/\S+\.\.\./);
      }
    }
  });

  it('takes a bare item number together with the next word, and drops a full stop before the ellipsis', () => {
    expect(continuationWord('การปฏิบัติงาน ของข้าราชการ')).toBe('การ');
    expect(continuationWord('๔. การพิจารณาเลื่อนเงินเดือน')).toBe('๔. การ');
    expect(continuationWord('ก.พ. ด่วนที่สุด')).toBe('ก.พ');
  });

  it('numbers pages after the first as - ๒ - at the top', async () => {
    const pdf = await renderDocument({ blocks: [paragraph(40)] }, 'pdf');
    expect(pageCount(pdf)).toBeGreaterThan(1);
    const firstLine = (p: number) => pdftotext(pdf, ['-layout', '-f', String(p), '-l', String(p)]).split('\n').find((l) => l.trim())!;
    expect(firstLine(1)).not.toMatch(/-\s*๑\s*-/);
    expect(firstLine(2)).toMatch(/^\s{20,}-\s*๒\s*-\s*$/);
  });

  it('keeps a row marked keepWithNextRows on the page of the row after it', () => {
    const rows = Array.from({ length: 80 }, (_, i) => [String(i + 1), `นางสาวทดสอบ ลำดับที่ ${i + 1}`]);
    const table = (keepWithNextRows?: number[]) => ({ type: 'table' as const, widths: ['2cm', '*' as const], header: [['ลำดับ', 'ชื่อ-สกุล']], rows, keepWithNextRows });
    const lastRowOf = (layout: DocumentLayout) => layout.pages.map((p) => p.slices.filter((s) => s.slice.content.kind === 'tableRow').length);
    const plain = lastRowOf(lay([table()]));
    // The row that ends page 1 without the mark moves to page 2 with it, and the rows after it follow.
    const endOfFirst = plain[0]! - 2;
    const kept = lastRowOf(lay([table([endOfFirst])]));
    expect(kept[0]).toBe(plain[0]! - 1);
    // Every row is still there once (each page also holds one header row).
    expect(kept.reduce((a, b) => a + b, 0) - kept.length).toBe(80);
  });

  it('repeats table header rows on every page a table spans', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => [String(i + 1), `นางสาวทดสอบ ลำดับที่ ${i + 1}`, '20,960']);
    const model = { blocks: [{ type: 'table' as const, widths: ['2cm', '*' as const, '3cm'], header: [['ลำดับ', 'ชื่อ-สกุล', 'เงินเดือน']], rows }] };
    const layout = lay(model.blocks as BlockInput[]);
    expect(layout.pages.length).toBeGreaterThan(1);
    const pdf = await renderDocument(model, 'pdf');
    expect(pageCount(pdf)).toBe(layout.pages.length);
    for (let p = 1; p <= layout.pages.length; p++) expect(pdftotext(pdf, ['-f', String(p), '-l', String(p)])).toContain('ชื่อ-สกุล');
    const all = stripSpace(pdftotext(pdf));
    for (let i = 1; i <= 80; i++) expect(all).toContain(stripSpace(`นางสาวทดสอบ ลำดับที่ ${toThaiDigits(String(i))}`));
  });

  it('continues a table row taller than a page on the next page, losing nothing', async () => {
    const long = 'ข้อความยาวมากในตาราง '.repeat(400).trim();
    const model = { blocks: [{ type: 'table' as const, widths: ['3cm', '*' as const], header: [['ที่', 'รายละเอียด']], rows: [['๑', long], ['๒', 'แถวสุดท้าย']] }] };
    const layout = lay(model.blocks as BlockInput[]);
    expect(layout.pages.length).toBeGreaterThan(2);
    const pdf = await renderDocument(model, 'pdf');
    expect(pageCount(pdf)).toBe(layout.pages.length);
    const text = stripSpace(pdftotext(pdf));
    expect(text.split('ข้อความยาวมากในตาราง').length - 1).toBe(400);
    expect(text).toContain('แถวสุดท้าย');
    for (let p = 1; p <= layout.pages.length; p++) expect(pdftotext(pdf, ['-f', String(p), '-l', String(p)])).toContain('รายละเอียด');
  });

  it('lays out pages exactly as pdfmake draws them (same page count, no page pdfmake adds itself)', async () => {
    const blocks = [paragraph(7), { type: 'list', label: 'อ้างถึง', items: Array.from({ length: 12 }, () => SENTENCE) }, paragraph(30), { type: 'signature', closing: ['ขอแสดงความนับถือ'], name: '(นาย ก)', lines: ['ตำแหน่ง'] }] as BlockInput[];
    const layout = lay(blocks);
    const pdf = await renderDocument({ blocks }, 'pdf');
    expect(pageCount(pdf)).toBe(layout.pages.length);
  });

  it('drops the space before a block at the top of a page and glues a heading to what follows', () => {
    const oneLiners = Array.from({ length: 39 }, () => ({ type: 'paragraph', text: 'บรรทัดเดียว', spaceBefore: 0 }) as BlockInput);
    const layout = lay([...oneLiners, { type: 'paragraph', text: 'หมวด ๑', keepWithNext: true, spaceBefore: 0 }, paragraph(3)]);
    const second = layout.pages[1]!;
    expect(second.slices[0]!.spaceBefore).toBe(0);
    expect(lineText((second.slices[0]!.slice.content as Extract<SliceContent, { kind: 'text' }>).parts[0]!.line)).toBe('หมวด ๑');
  });
});

describe('page furniture and spacing', () => {
  it('prints a secrecy mark at the top and bottom of every page', async () => {
    const pdf = await renderDocument({ page: { secrecy: 'ลับมาก' }, blocks: [paragraph(45)] }, 'pdf');
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const lines = pdftotext(pdf, ['-layout', '-f', String(p), '-l', String(p)]).split('\n').filter((l) => l.trim());
      expect(lines[0]!.trim()).toBe('ลับมาก');
      expect(lines[lines.length - 1]!.trim()).toBe('ลับมาก');
    }
  });

  it('adds space after a block to the space before the next', () => {
    const y = (spaceAfter: number) => {
      const layout = lay([{ type: 'paragraph', text: 'ก', spaceAfter }, { type: 'paragraph', text: 'ข' }]);
      return layout.pages[0]!.slices[1]!.spaceBefore;
    };
    expect(y(12) - y(0)).toBe(12);
  });
});

describe('bottom-anchored blocks', () => {
  it('put a letter\'s contact lines at the foot of the last page', () => {
    const layout = lay([paragraph(5), { type: 'paragraph', text: 'สำนักพัฒนาระบบบริหารงานบุคคล\nโทร. ๐ ๒๒๘๘ ๕๖๕๒', keepTogether: true, anchor: 'bottom' }]);
    const page = layout.pages[layout.pages.length - 1]!;
    const total = page.slices.reduce((h, p) => h + p.spaceBefore + p.slice.height, 0);
    const bodyHeight = 841.89 - 70.87 - 56.69;
    expect(total).toBeGreaterThan(bodyHeight - 1);
    expect(total).toBeLessThanOrEqual(bodyHeight);
    expect(page.slices[page.slices.length - 1]!.slice.text).toContain('โทร.');
  });
});

describe('text preparation', () => {
  it('drops control codes and zero-width characters, turns tabs into spaces and separators into line breaks', async () => {
    const pdf = await renderDocument({ align: 'left', blocks: [{ type: 'paragraph', text: 'ก\tข\u0000ค\u000bง\u200bจ\u00a0ฉ\r\nช\u2028ซ 12' }] }, 'pdf');
    const lines = pdftotext(pdf).split('\n').filter((l) => l.trim());
    expect(lines.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(['ก ขคงจ ฉ', 'ช', 'ซ ๑๒']);
  });
});

describe('degenerate widths', () => {
  it('finishes, and loses no text, when a label or a column is wider than the line allows', async () => {
    const model = { blocks: [
      { type: 'labeled' as const, label: 'ป้ายยาวมาก'.repeat(30), text: 'ข้อความทดสอบ' },
      { type: 'list' as const, label: 'ป้าย'.repeat(60), items: ['หนึ่ง', 'สอง'] },
      { type: 'table' as const, widths: ['0.1cm', '*' as const], rows: [['ข้อความยาว', '']] },
    ] };
    const pdf = await renderDocument(model, 'pdf');
    const text = stripSpace(pdftotext(pdf));
    for (const piece of ['ข้อความทดสอบ', 'หนึ่ง', 'สอง', 'ข้อความยาว']) expect(text).toContain(piece);
  }, 20_000);
});

describe('long tables', () => {
  it('lays out a table of 150,000 rows, more rows than a call can take as arguments', () => {
    const rows = Array.from({ length: 150_000 }, (_, i) => [String(i % 10), 'ก']);
    const layout = lay([{ type: 'table', widths: ['*', '*'], rows } as BlockInput]);
    const placed = layout.pages.reduce((n, p) => n + p.slices.filter((s) => s.slice.content.kind === 'tableRow').length, 0);
    expect(placed).toBe(150_000);
  });
});

describe('whole words in name columns', () => {
  const m = new Measurer(fontRegistry().get('Sarabun'));
  const style = { size: 14 };
  const NAME = 'นางสาวเยาวลักษณ์ ทองศิลป์วัฒน์';
  // Room for the given name and the surname's first part, not for the whole surname.
  const width = m.width('นางสาวเยาวลักษณ์ ทอง', style) + 2;
  const lines = (wholeWords: boolean, w = width) => layoutParagraph([{ text: NAME }], { width: w, align: 'left', style, wholeWords }, m).map(lineText);

  it('cuts the surname by default, Thai-style, at a word inside it', () => {
    expect(lines(false)).toEqual(['นางสาวเยาวลักษณ์ ทอง', 'ศิลป์วัฒน์']);
  });

  it('moves the surname down whole when it fits a line', () => {
    expect(lines(true)).toEqual(['นางสาวเยาวลักษณ์', 'ทองศิลป์วัฒน์']);
  });

  it('breaks a word wider than the column as before', () => {
    const narrow = m.width('ทองศิลป์', style) + 2;
    expect(lines(true, narrow)).toEqual(lines(false, narrow));
    expect(lines(true, narrow).length).toBeGreaterThan(2);
  });

  it('applies to the columns a table names', () => {
    const nameCell = (wholeWordColumns: number[]) => {
      // The cell's text width is the column less its padding and rule (TABLE in page.ts).
      const layout = lay([{ type: 'table', size: 14, widths: [width + 2 * 4 + 0.5, '*'], wholeWordColumns, rows: [[NAME, 'ครู']] } as BlockInput]);
      const row = layout.pages[0]!.slices.map((s) => s.slice.content).find((c): c is Extract<SliceContent, { kind: 'tableRow' }> => c.kind === 'tableRow');
      return row!.cells[0]!.lines.map(lineText);
    };
    expect(nameCell([0])).toEqual(['นางสาวเยาวลักษณ์', 'ทองศิลป์วัฒน์']);
    expect(nameCell([1])).toEqual(['นางสาวเยาวลักษณ์ ทอง', 'ศิลป์วัฒน์']);
  });
});

describe('header cells running down header rows (rowSpan)', () => {
  type TableRowContent = Extract<SliceContent, { kind: 'tableRow' }>;
  const table = (header: unknown[][]) => ({
    type: 'table', size: 14, widths: [120, 150, 150],
    header, rows: [['๑', 'คณิตศาสตร์', 'แบบฝึก']],
  }) as BlockInput;
  const HEADER = [[{ text: 'ที่', rowSpan: 2 }, { text: 'ผลงานวิชาการที่ส่งประเมิน', colSpan: 2 }], ['กลุ่มสาระ', 'เรื่อง']];
  const headerRows = (layout: DocumentLayout) => layout.pages[0]!.slices.filter((s) => s.slice.content.kind === 'tableRow' && s.slice.content.header).map((s) => s.slice);

  it('places a lower row\'s cells past the columns a cell above runs down over', () => {
    const [upper, lower] = headerRows(lay([table(HEADER)])).map((s) => s.content as TableRowContent);
    expect(upper!.cells[0]!.rowSpan).toBe(2);
    expect(lower!.cells.map((c) => [c.covered ?? false, c.colSpan, c.lines.map(lineText).join(' ')])).toEqual([[true, 1, ''], [false, 1, 'กลุ่มสาระ'], [false, 1, 'เรื่อง']]);
  });

  it('makes the last row it runs down taller when its text needs more room than the rows have', () => {
    const rows = headerRows(lay([table([[{ text: 'ก\nข\nค\nง\nจ', rowSpan: 2 }, { text: 'กลุ่ม', colSpan: 2 }], ['ก', 'ข']])]));
    const cell = (rows[0]!.content as TableRowContent).cells[0]!;
    const needed = cell.lines.reduce((h, l) => h + l.pitch, 0);
    // Rule, header top padding, bottom padding (TABLE in page.ts).
    const chrome = 0.5 + 2.5 + 1;
    expect(cell.lines).toHaveLength(5);
    expect(rows[0]!.height).toBeLessThan(needed);
    expect(rows[0]!.height + rows[1]!.height - chrome).toBeCloseTo(needed, 6);
  });

  it('keeps a header\'s bold tone marks (ค่าจ้าง ขั้น) clear of the rule above them', async () => {
    const model = { page: { margins: { top: 72, right: 72, bottom: 72, left: 72 } }, blocks: [table([['ค่าจ้างปัจจุบัน', 'ขั้นเงินเดือน', 'ตำแหน่งเลขที่']])] };
    const [page] = rasterise(await renderDocument(model, 'pdf'), 288);
    // 4 px a point. The rule above the header is at 72 pt (0.5 pt: 2 px); the 3/4 pt under it is blank
    // inside each cell (the stacked ้ of ขั้น comes next; at 1 pt of padding it touched the rule).
    const under = (fromPt: number, widthPt: number) => inkIn(page!, { x: Math.round((72 + fromPt) * 4), y: 72 * 4 + 2, w: widthPt * 4, h: 3 });
    expect(under(4, 112) + under(124, 142) + under(274, 142)).toBe(0);
    // And the marks are there, just below.
    expect(inkIn(page!, { x: 76 * 4, y: 72 * 4 + 7, w: 112 * 4, h: 12 })).toBeGreaterThan(0);
  });

  it('draws no rule across the rows it runs down, and the rule under a group title', async () => {
    const model = { page: { margins: { top: 72, right: 72, bottom: 72, left: 72 } }, blocks: [table(HEADER)] };
    const layout = layoutDocument(prepareText(DocumentModel.parse(model)), fontRegistry().get('Sarabun'));
    const [upper] = headerRows(layout);
    const [page] = rasterise(await renderDocument(model, 'pdf'), 144);
    // 2 px a point. The rule between the header rows, in the left part of each column (clear of centred text).
    const y = Math.round((72 + upper!.height) * 2) - 3;
    const band = (fromPt: number) => inkIn(page!, { x: Math.round((72 + fromPt) * 2), y, w: 60, h: 7 });
    expect(band(8)).toBe(0);
    expect(band(128)).toBeGreaterThanOrEqual(60);
    // The rule above the header is there in both columns.
    expect(inkIn(page!, { x: Math.round(80 * 2), y: 72 * 2 - 3, w: 60, h: 7 })).toBeGreaterThanOrEqual(60);
  });

  it('is refused outside the header rows, and past the last header row, naming the cell', () => {
    const parse = (t: unknown) => DocumentModel.safeParse({ blocks: [t] });
    const inBody = parse({ type: 'table', widths: ['*'], rows: [[{ text: 'ก', rowSpan: 2 }], ['ข']] });
    expect(inBody.success).toBe(false);
    expect(inBody.error!.issues[0]!.path).toEqual(['blocks', 0, 'rows', 0, 0, 'rowSpan']);
    const tooLong = parse({ type: 'table', widths: ['*'], header: [[{ text: 'ก', rowSpan: 3 }], []], rows: [] });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error!.issues[0]!.path).toEqual(['blocks', 0, 'header', 0, 0, 'rowSpan']);
  });
});

describe('words wider than their column', () => {
  const m = new Measurer(fontRegistry().get('Sarabun'));
  const style = { size: 14 };
  const cut = (word: string, fits: string) => layoutParagraph([{ text: word }], { width: m.width(fits, style) + 1, align: 'center', style }, m).map(lineText);

  it('are cut where a Thai syllable starts, not after the last letter that fits', () => {
    expect(cut('ข้าราชการ', 'ข้าราชก')).toEqual(['ข้าราช', 'การ']);
    expect(cut('ตอบแทน', 'ตอบแท')).toEqual(['ตอบ', 'แทน']);
    expect(cut('เงินเดือน', 'เงินเดือ')).toEqual(['เงิน', 'เดือน']);
    // A consonant that starts a syllable with the next one (ปร in ประ) is not left behind.
    expect(cut('ลูกจ้างประจำ', 'ลูกจ้างประ')).toEqual(['ลูกจ้างประ', 'จำ']);
    expect(cut('ลูกจ้างประจำ', 'ลูกจ้างปร')).toEqual(['ลูก', 'จ้างประ', 'จำ']);
    // A leading vowel goes down with its consonant.
    expect(cut('ข้าราชเกษียณ', 'ข้าราชเ')).toEqual(['ข้าราช', 'เกษียณ']);
  });

  it('leave a Latin or digit string cut where it fills the line', () => {
    expect(cut('ABCDEFGHIJ', 'ABCDE')).toEqual(['ABCDE', 'FGHIJ']);
  });

  it('in a header cell, set the cell slightly smaller (to 90 %) where that keeps them whole; body cells keep their size', () => {
    const column = m.width('จำนวน', { size: 14, bold: true }) * 0.95 + 2 * 4 + 0.5;
    const layout = lay([{ type: 'table', size: 14, widths: [column, '*'], header: [['จำนวน', 'เงิน']], rows: [['จำนวน', 'เงิน']] } as BlockInput]);
    const [header, body] = layout.pages[0]!.slices.map((s) => s.slice.content).filter((c): c is Extract<SliceContent, { kind: 'tableRow' }> => c.kind === 'tableRow');
    expect(header!.cells[0]!.lines.map(lineText)).toEqual(['จำนวน']);
    const size = header!.cells[0]!.lines[0]!.pieces[0]!.style.size;
    expect(size).toBeLessThan(14);
    expect(size).toBeGreaterThanOrEqual(14 * 0.9);
    expect(header!.cells[1]!.lines[0]!.pieces[0]!.style.size).toBe(14);
    expect(body!.cells[0]!.lines.length).toBe(2);
    // A word that would need more than 10 % less is cut at a syllable instead, and the cell keeps its size.
    const cut = lay([{ type: 'table', size: 14, widths: [column, '*'], header: [['ข้าราชการ', 'เงิน']], rows: [['ก', 'ข']] } as BlockInput]);
    const cell = (cut.pages[0]!.slices[0]!.slice.content as Extract<SliceContent, { kind: 'tableRow' }>).cells[0]!;
    expect(cell.lines.map(lineText)).toEqual(['ข้า', 'ราช', 'การ']);
    expect(cell.lines[0]!.pieces[0]!.style.size).toBe(14);
  });

  it('leave no header of attachment 11 (23 narrow columns) with a line that starts with a following vowel or is one bare consonant', async () => {
    const { buildDocument, getForm } = await import('../src/forms/registry.js');
    const { example } = await import('./helpers/forms.js');
    const { model } = buildDocument(getForm('salary-increment-summary')!, example('salary-increment-summary', '11-teachers-2565.json'));
    const layout = layoutDocument(prepareText(model), fontRegistry().defaultFamily(), fontRegistry().fallbackFamily());
    const headerLines = layout.pages[0]!.slices.map((s) => s.slice.content)
      .flatMap((c) => (c.kind === 'tableRow' && c.header ? c.cells.flatMap((cell) => cell.lines.map(lineText)) : []));
    // The header's columns are fitted to it (fitHeader): ข้าราชการ stands whole, no longer cut ข้าราช|การ.
    expect(headerLines).toContain('ข้าราชการ');
    const broken = headerLines.filter((l) => /^[\u0e30\u0e32\u0e33\u0e45]/.test(l) || /^[\u0e01-\u0e2e]$/.test(l));
    expect(broken).toEqual([]);
  });
});

describe('room to sign above every signing line (a rule of the signature block)', () => {
  const SIGN = '(ลงชื่อ)..................................................';
  /** Blank (points) between a page's signing line and the text slice above it, and the line's pitch. */
  function roomAbove(layout: DocumentLayout): { blank: number; pitch: number; parts: number[] }[] {
    const out: { blank: number; pitch: number; parts: number[] }[] = [];
    for (const page of layout.pages) {
      let blank = 0;
      for (const p of page.slices) {
        blank += p.spaceBefore;
        if (p.slice.content.kind === 'space') { blank += p.slice.height; continue; }
        if (p.slice.content.kind === 'text' && p.slice.text.includes('ลงชื่อ')) {
          out.push({ blank, pitch: p.slice.height, parts: p.slice.content.parts.map((q) => q.x + q.line.width / 2) });
        }
        blank = 0;
      }
    }
    return out;
  }

  it('leaves a line and a half above (ลงชื่อ) whatever blank lines and space the form asked for', () => {
    for (const [blankLines, spaceBefore] of [[0, 0], [1, 0], [0, 6], [3, 0]] as const) {
      const layout = lay([paragraph(2), { type: 'signature', blankLines, spaceBefore, lines: [SIGN, '(นายทดสอบ ระบบ)', 'ตำแหน่ง ผู้อำนวยการ'] }]);
      const [sign] = roomAbove(layout);
      expect(sign, `blankLines ${blankLines}`).toBeDefined();
      expect(sign!.blank, `blankLines ${blankLines}, spaceBefore ${spaceBefore}`).toBeGreaterThanOrEqual(1.5 * sign!.pitch - 0.01);
      // Never less than the form asked for either.
      expect(sign!.blank).toBeGreaterThanOrEqual(blankLines * sign!.pitch + spaceBefore - 0.01);
    }
  });

  it('gives the room to a signing closing line too (ขอรับรอง..., ลงชื่อ ...)', () => {
    const layout = lay([paragraph(2), { type: 'signature', blankLines: 0, closing: ['ขอรับรองว่าข้อมูลข้างต้นเป็นความจริง', 'ลงชื่อ ..............................'], name: '(นาย ก)' }]);
    const [sign] = roomAbove(layout);
    expect(sign!.blank).toBeGreaterThanOrEqual(1.5 * sign!.pitch - 0.01);
  });

  it('sets signers beside each other on one line each, centred on their own axes', () => {
    const layout = lay([paragraph(2), {
      type: 'signature', blankLines: 0, axis: '5cm', lines: [SIGN, '(นางสาวพิมพ์ใจ รัตนวงศ์)', 'ตำแหน่ง ผู้อำนวยการกลุ่มบริหารงานบุคคล'],
      beside: [{ axis: '13cm', lines: [SIGN, '(นายสุรพล ศรีบุญ)', 'ตำแหน่ง ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท'] }],
    }]);
    expect(layout.pages.length).toBe(1);
    const [sign] = roomAbove(layout);
    expect(sign!.blank).toBeGreaterThanOrEqual(1.5 * sign!.pitch - 0.01);
    // One slice holds both signing lines, each centred on its axis (5 cm and 13 cm from the margin).
    expect(sign!.parts.map((x) => Math.round(x / 28.3465))).toEqual([5, 13]);
    const names = layout.pages[0]!.slices.find((p) => p.slice.text.includes('พิมพ์ใจ'))!;
    expect(names.slice.text).toContain('สุรพล');
  });

  it('adds nothing where the blank lines above are room enough', () => {
    const block = (first: string): BlockInput => ({ type: 'signature', closing: ['ขอแสดงความนับถือ'], blankLines: 3, lines: [first, '(นาย ก)'] });
    const height = (l: DocumentLayout) => l.pages[0]!.slices.reduce((h, p) => h + p.spaceBefore + p.slice.height, 0);
    expect(height(lay([paragraph(2), block(SIGN)]))).toBeCloseTo(height(lay([paragraph(2), block('(นาย ข)')])), 5);
  });
});

describe('balanced column widths (a table\'s balance)', () => {
  const WORKS = 'แบบฝึกทักษะสังคมศึกษา ศาสนาและวัฒนธรรม เรื่อง พระพุทธศาสนา ชั้น ป.๖ แบบฝึกทักษะสังคมศึกษา ศาสนาและวัฒนธรรม เรื่อง เศรษฐกิจพอเพียง ชั้น ม.๒';
  const table = (balance: boolean): BlockInput => ({
    type: 'table', size: 14, balance, wholeWordColumns: [1],
    // A wide column for a short word, a narrow one for long text: the form's guess, wrong for this data.
    widths: [30, 200, 150, '*'],
    header: [['ที่', 'ชื่อ - สกุล', 'ตำแหน่ง', 'เรื่อง']],
    rows: Array.from({ length: 3 }, (_, i) => [String(i + 1), 'นายสมศักดิ์ แสงอรุณ', 'ครู', WORKS]),
  } as BlockInput);
  const rowsOf = (l: DocumentLayout) => l.pages.flatMap((p) => p.slices).filter((p) => p.slice.content.kind === 'tableRow' && !p.slice.content.header);

  it('moves width to the column that wraps, so the rows get shorter, and cuts no word', () => {
    const given = rowsOf(lay([table(false)]));
    const balanced = rowsOf(lay([table(true)]));
    const height = (rows: typeof given) => rows.reduce((h, r) => h + r.slice.height, 0);
    expect(height(balanced)).toBeLessThan(height(given) * 0.75);
    for (const r of balanced) {
      if (r.slice.content.kind !== 'tableRow') continue;
      // The name whole, or broken between its two parts only; ครู on one line.
      const name = r.slice.content.cells[1]!.lines.map(lineText);
      expect(name.join(' ')).toBe('นายสมศักดิ์ แสงอรุณ');
      for (const part of name) expect(['นายสมศักดิ์', 'แสงอรุณ', 'นายสมศักดิ์ แสงอรุณ']).toContain(part);
      expect(r.slice.content.cells[2]!.lines.map(lineText)).toEqual(['ครู']);
    }
  });

  it('gives the Word file the same widths', async () => {
    const { unzip } = await import('./helpers/zip.js');
    const grid = async (balance: boolean) => {
      const docx = await renderDocument({ blocks: [table(balance)] }, 'docx');
      return [...unzip(docx).get('word/document.xml')!.toString().matchAll(/<w:gridCol w:w="(\d+)"/g)].map((m) => Number(m[1]));
    };
    const given = await grid(false);
    const balanced = await grid(true);
    expect(balanced).not.toEqual(given);
    // The last column (the long text) wider, the name column narrower.
    expect(balanced[3]!).toBeGreaterThan(given[3]!);
    expect(balanced[1]!).toBeLessThan(given[1]!);
  });
});
