import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { buildDocument, getForm } from '../src/forms/registry.js';
import { renderDocument } from '../src/render/index.js';
import { prepareText } from '../src/model/prepareText.js';
import { fontRegistry } from '../src/fonts/registry.js';
import { layoutDocument, TABLE, type DocumentLayout, type TableCellLayout } from '../src/layout/page.js';
import { lineText } from '../src/layout/paragraph.js';
import { Measurer } from '../src/layout/measure.js';
import { breakUnits } from '../src/thai/segment.js';
import { fitHeaderWidths, headerWords, linesAt, narrowHeaderCells, widthForLines } from '../src/layout/tableHeader.js';
import { pageCount, pdftotext, tempDir } from './helpers/pdf.js';
import { example } from './helpers/forms.js';

/**
 * Tables as paper (issue 16): headers that read as phrases (no word cut, no
 * cell one word per line where the table has room), short lists whose notes,
 * certification and both signatures stay on page 1, room to sign above each
 * (ลงชื่อ) line, and the evaluation forms' header cells merged down (rowSpan)
 * in the PDF and the DOCX.
 */

const family = () => fontRegistry().defaultFamily();

function built(formId: string, data: unknown) {
  return buildDocument(getForm(formId)!, data);
}

async function pdfOf(formId: string, data: unknown): Promise<Buffer> {
  const b = built(formId, data);
  return renderDocument(b.model, 'pdf', b.options);
}

async function docxOf(formId: string, data: unknown): Promise<Buffer> {
  const b = built(formId, data);
  return renderDocument(b.model, 'docx', b.options);
}

function layoutOf(formId: string, data: unknown): DocumentLayout {
  return layoutDocument(prepareText(built(formId, data).model), family());
}

/** The header rows of every table in a layout, each table once (not its repeats), with the cells' text. */
function headerTables(layout: DocumentLayout): { widths: number[]; rows: TableCellLayout[][] }[] {
  const out = new Map<number, { widths: number[]; rows: TableCellLayout[][] }>();
  for (const page of layout.pages) {
    for (const p of page.slices) {
      const c = p.slice.content;
      if (c.kind !== 'tableRow' || !c.header) continue;
      let t = out.get(c.table.id);
      if (!t) out.set(c.table.id, (t = { widths: c.table.widths, rows: [] }));
      if (!t.rows.includes(c.cells)) t.rows.push(c.cells);
    }
  }
  // A repeated header is the same rows again: keep the first set only.
  return [...out.values()].map((t) => ({ widths: t.widths, rows: t.rows.filter((r, i) => t.rows.indexOf(r) === i) }));
}

const words = (text: string) => breakUnits(text).filter((u) => !u.space).map((u) => u.text);

/** Words cut across a header cell's lines: a line's last word and the next line's first that are one word together (ข้าราช|การ). */
function cutWords(cell: TableCellLayout): string[] {
  const lines = cell.lines.map(lineText);
  const cuts: string[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const end = words(lines[i]!).at(-1) ?? '';
    const start = words(lines[i + 1]!)[0] ?? '';
    if (/[\u0e01-\u0e4e]$/.test(end) && /^[\u0e01-\u0e4e]/.test(start) && words(end + start).length < 2) cuts.push(`${end}|${start}`);
  }
  return cuts;
}

const summary11 = () => example('salary-increment-summary', '11-teachers-2565.json');
const summary13 = () => example('salary-increment-summary', '13-section-38c2-by-person-2565.json');
const quota14 = () => example('permanent-employee-quota', '14-permanent-employees-2565.json');
const quota14People = () => example('permanent-employee-quota', '14-by-person-2565.json');

/** Words of a PDF page with their boxes (pdftotext -bbox), top to bottom. */
function pageWords(pdf: Buffer, page: number): { text: string; x: number; y: number; yMax: number }[] {
  const html = pdftotext(pdf, ['-bbox', '-f', String(page), '-l', String(page)]);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ x: Number(m[1]), y: Number(m[2]), yMax: Number(m[3]), text: m[4]! }));
}

/**
 * Signing room: for each (ลงชื่อ) line, the distance from the line above it
 * to it, in lines of the block (the distance from (ลงชื่อ) to the name below).
 */
function signingRoom(pdf: Buffer): number[] {
  const rooms: number[] = [];
  for (let p = 1; p <= pageCount(pdf); p++) {
    const ws = pageWords(pdf, p);
    // Line tops: words within a point of each other stand on one line.
    const lineTops: number[] = [];
    for (const y of ws.map((w) => w.y).sort((a, b) => a - b)) if (!lineTops.some((t) => Math.abs(t - y) < 1)) lineTops.push(y);
    for (const sign of ws.filter((w) => w.text.startsWith('(ลงชื่อ)'))) {
      const i = lineTops.findIndex((t) => Math.abs(t - sign.y) < 1);
      const above = lineTops[i - 1];
      const below = lineTops[i + 1];
      if (above === undefined || below === undefined) continue;
      rooms.push((lineTops[i]! - above) / (below - lineTops[i]!));
    }
  }
  return rooms;
}

describe('fitHeaderWidths: column widths for headers that read as phrases', () => {
  const m = new Measurer(family());
  const measure = (text: string) => m.width(text, { size: 11, bold: true });

  it('finds the least width for n lines at word boundaries, never cutting a word', () => {
    const w = headerWords('ไม่ได้รับการเลื่อนเงินเดือน', measure);
    const one = widthForLines(w, 1);
    const two = widthForLines(w, 2);
    expect(two).toBeLessThan(one);
    expect(linesAt(w, one)).toBe(1);
    expect(linesAt(w, two)).toBe(2);
    expect(linesAt(w, two - 0.2)).toBeGreaterThan(2);
    // Narrower than its widest word, a header cuts a word: linesAt says so.
    expect(linesAt(w, measure('เงินเดือน') - 1)).toBe(Infinity);
    // A line break written in the text is kept: two lines at least.
    expect(widthForLines(headerWords('ไม่ได้รับการ\nเลื่อนเงินเดือน', measure), 1)).toBe(Infinity);
  });

  it('gives a narrow column the width its phrase needs from the others, in the fewest header lines', () => {
    const header = [[{ text: 'ไม่ได้รับการเลื่อนเงินเดือน' }, { text: 'รวมคน/เลื่อนเงินเดือนและค่าตอบแทนทั้งสิ้น', colSpan: 2 }, { text: 'วงเงินคงเหลือหลังจากเลื่อนเงินเดือน', rowSpan: 2 }],
      [{ text: 'คน' }, { text: 'คน' }, { text: 'เงิน' }]];
    const mins = [20, 20, 20, 20];
    const { widths } = fitHeaderWidths({ header, mins, total: 320, pad: 8.5, measure });
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(320, 5);
    for (const [i, w] of widths.entries()) expect(w).toBeGreaterThanOrEqual(mins[i]!);
    // Evenly shared (80 each), the first cell took 3 lines; fitted it takes fewer, and no cell cuts a word.
    const lines = (text: string, inner: number) => linesAt(headerWords(text, measure), inner);
    expect(lines('ไม่ได้รับการเลื่อนเงินเดือน', widths[0]! - 8.5)).toBeLessThanOrEqual(2);
    expect(lines('รวมคน/เลื่อนเงินเดือนและค่าตอบแทนทั้งสิ้น', widths[1]! + widths[2]! - 8.5)).toBeLessThan(Infinity);
    expect(lines('วงเงินคงเหลือหลังจากเลื่อนเงินเดือน', widths[3]! - 8.5)).toBeLessThanOrEqual(3);
  });

  it('stress: a long header over many narrow columns stays within the table and keeps the body widths', () => {
    const n = 23;
    const header = [Array.from({ length: n }, (_, i) => ({ text: i % 2 ? 'จำนวนเงินเลื่อนขั้นทุกขั้น (บาท)' : 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา' }))];
    const mins = Array.from({ length: n }, (_, i) => 20 + (i % 5));
    const total = 770;
    const fit = fitHeaderWidths({ header, mins, total, pad: 8.5, measure });
    expect(fit.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 5);
    for (const [i, w] of fit.widths.entries()) expect(w).toBeGreaterThanOrEqual(mins[i]! - 1e-9);
    // Wider than the page even one word per line: the body widths scaled to the table, nothing lost.
    const tooMuch = fitHeaderWidths({ header, mins: mins.map(() => 40), total: 600, pad: 8.5, measure });
    expect(tooMuch.widths.reduce((a, b) => a + b, 0)).toBeCloseTo(600, 5);
  });
});

describe('attachments 11, 13 and 14: one page with notes, certification and both signatures', () => {
  const cases: [string, string, () => unknown][] = [
    ['attachment 11 (2 groups and the total)', 'salary-increment-summary', summary11],
    ['attachment 11 with 1 row', 'salary-increment-summary', () => ({ ...summary11(), rows: [summary11().rows[0]] })],
    ['attachment 13 (by person)', 'salary-increment-summary', summary13],
    ['attachment 14', 'permanent-employee-quota', quota14],
    ['attachment 14 (by person)', 'permanent-employee-quota', quota14People],
  ];
  for (const [name, formId, data] of cases) {
    it(`${name}: PDF is one page, signatures on page 1, header words whole`, async () => {
      const pdf = await pdfOf(formId, data());
      expect(pageCount(pdf)).toBe(1);
      const text = pdftotext(pdf).replace(/\s+/g, '');
      expect(text).toContain('ขอรับรองว่าข้อมูลดังกล่าวข้างต้นถูกต้อง');
      expect(text.match(/\(ลงชื่อ\)/g)?.length).toBe(2);
      expect(text).toContain('ผู้อำนวยการกลุ่มบริหารงานบุคคล');
      const layout = layoutOf(formId, data());
      for (const table of headerTables(layout)) {
        for (const row of table.rows) for (const cell of row) expect(cutWords(cell), cell.lines.map(lineText).join(' | ')).toEqual([]);
      }
    });
  }

  it('attachment 11: no header cell one word per line where a wider split exists (the page lint\'s rule)', () => {
    const layout = layoutOf('salary-increment-summary', summary11());
    const m = layout.measurer;
    const [table] = headerTables(layout);
    expect(table).toBeDefined();
    const model = prepareText(built('salary-increment-summary', summary11()).model);
    const block = model.blocks.find((b) => b.type === 'table')!;
    if (block.type !== 'table') throw new Error('no table');
    const size = block.size ?? model.fontSize;
    const measure = (text: string, bold = true) => m.width(text, { size, bold });
    const rows = block.header!.map((cells, r) => {
      const laid = table!.rows[r]!.filter((c) => !c.covered);
      let col = 0;
      return cells.map((cell, i) => {
        const spec = typeof cell === 'string' || Array.isArray(cell) ? { text: cell } : cell;
        // Columns: count the laid row's cells, covered ones included.
        const at = table!.rows[r]!.findIndex((c) => c === laid[i]);
        col = table!.rows[r]!.slice(0, at).reduce((a, c) => a + c.colSpan, 0);
        return { text: typeof spec.text === 'string' ? spec.text : spec.text.map((x) => x.text).join(''), col, colSpan: laid[i]!.colSpan, rowSpan: laid[i]!.rowSpan, lines: laid[i]!.lines.map(lineText) };
      });
    });
    const mins = table!.widths.map(() => 0);
    expect(narrowHeaderCells(rows, table!.widths, mins, 2 * TABLE.padX + TABLE.rule, measure)).toEqual([]);
    // Before the fit (the columns shared evenly), ไม่ได้รับการเลื่อนเงินเดือน went one word per line: the rule finds it.
    const even = table!.widths.map(() => table!.widths.reduce((a, b) => a + b, 0) / table!.widths.length);
    const squeezed = rows.map((cells) => cells.map((c) => {
      let inner = -(2 * TABLE.padX + TABLE.rule);
      for (let j = c.col; j < c.col + c.colSpan; j++) inner += even[j]!;
      const lines = c.text.split('\n').flatMap((part) => (linesAt(headerWords(part, measure), inner) > 1 ? words(part) : [part]));
      return { ...c, lines };
    }));
    const found = narrowHeaderCells(squeezed, even, mins, 2 * TABLE.padX + TABLE.rule, measure);
    expect(found.map((f) => f.text)).toContain('ไม่ได้รับการ\nเลื่อนเงินเดือน');
  });

  it('attachment 11 in the DOCX: the same fitted widths as the PDF, header rows repeated, rows never split', async () => {
    const layout = layoutOf('salary-increment-summary', summary11());
    const [table] = headerTables(layout);
    const docx = await docxOf('salary-increment-summary', summary11());
    const xml = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!);
    // The list's table: the first grid (the certifiers stand side by side in a borderless table of their own after it).
    const grid = [...xml.split('</w:tblGrid>')[0]!.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]) / 20);
    expect(grid.length).toBe(23);
    // Within the rounding of twips and the PDF's extra rule: the same columns.
    grid.forEach((w, i) => expect(Math.abs(w - table!.widths[i]!)).toBeLessThan(1.5));
    expect(new Set(grid.map(Math.round)).size).toBeGreaterThan(5);
    const rows = xml.split('<w:tr>').slice(1);
    expect(rows.slice(0, 4).every((r) => r.includes('<w:tblHeader/>'))).toBe(true);
    expect(rows.every((r) => r.includes('<w:cantSplit/>'))).toBe(true);
    // The header was fitted smaller than the table's 11 pt: its cells carry a size of their own, in half points.
    expect(xml).toMatch(/w:pStyle w:val="TableHeaderSz\d+/);
  });
});

describe('salary lists: room to sign above each (ลงชื่อ) line', () => {
  const lists: [string, string, unknown][] = [
    ['attachment 11', 'salary-increment-summary', summary11()],
    ['attachment 14', 'permanent-employee-quota', quota14()],
    ['attachment 1', 'salary-increment-list', example('salary-increment-list', '1-seconded-teachers-obec-2565.json')],
    ['attachment 5', 'salary-increment-list', example('salary-increment-list', '5-teacher-head-count-2565.json')],
    ['government-employee score', 'government-employee-score', example('government-employee-score', 'yearly-scores-2565.json')],
  ];
  for (const [name, formId, data] of lists) {
    it(`${name}: a line and a half of room above both (ลงชื่อ) lines`, async () => {
      const rooms = signingRoom(await pdfOf(formId, data));
      expect(rooms.length).toBe(2);
      // From the line above to (ลงชื่อ): 2.5 lines (a line and a half blank), against 1 from (ลงชื่อ) to the name.
      for (const r of rooms) expect(r).toBeGreaterThanOrEqual(2.4);
    });
  }
});

describe('evaluation forms 10/1 and 10/2: header cells merged down', () => {
  const forms = [
    ['10/1', example('esa-director-evaluation', 'expert-round1-2565.json')],
    ['10/2', example('esa-director-evaluation', 'not-expert-round2-2565-refused.json')],
  ] as const;
  const merged = ['การปฏิบัติงาน', 'รายการประเมิน', 'ที่', 'คะแนน', 'ค่าน้ำหนัก(ข)', 'คะแนนที่ได้(กxข)'];

  for (const [name, data] of forms) {
    it(`${name}: no bordered empty header cell; การปฏิบัติงาน, รายการประเมิน, ที่, คะแนน run down the header rows, on every page`, () => {
      const layout = layoutOf('esa-director-evaluation', data);
      let spans = 0;
      for (const page of layout.pages) {
        for (const p of page.slices) {
          const c = p.slice.content;
          if (c.kind !== 'tableRow' || !c.header) continue;
          for (const cell of c.cells) {
            if (cell.covered) continue;
            // A header cell that is drawn has text: an empty one would be a bordered blank box.
            expect(cell.lines.map(lineText).join('').trim().length).toBeGreaterThan(0);
            const text = cell.lines.map(lineText).join('').replace(/\s+/g, '');
            if (merged.includes(text) && cell.rowSpan! > 1) spans++;
          }
        }
      }
      // Component 1 part 1 (its header on each of its pages), part 2, component 2 (three) and component 3 (two).
      expect(spans).toBeGreaterThanOrEqual(1 + 3 + 3 + 2);
    });

    it(`${name}: in the PDF the merged cells' text stands in the middle of the header rows`, async () => {
      const pdf = await pdfOf('esa-director-evaluation', data);
      let checked = 0;
      for (let p = 1; p <= pageCount(pdf); p++) {
        const ws = pageWords(pdf, p);
        for (const head of ws.filter((w) => w.text === 'การปฏิบัติงาน' || w.text === 'รายการประเมิน')) {
          // The header's first row (ผลการประเมินตนเอง) and its last (the level numbers ๑ ... under it).
          const top = ws.find((w) => w.text.startsWith('ผลการประเมิน') && w.y < head.y && head.y - w.y < 60 && w.x > head.x);
          const level = ws.find((w) => w.text === '๑' && w.y > head.y && w.y - head.y < 60 && w.x > head.x);
          if (!top || !level) continue;
          expect(head.y).toBeGreaterThan(top.yMax - 1);
          expect(head.yMax).toBeLessThan(level.yMax + 12);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(4);
    });

    it(`${name}: in the DOCX the merged cells are w:vMerge, with no empty header cell`, async () => {
      const docx = await docxOf('esa-director-evaluation', data);
      const xml = strFromU8(unzipSync(new Uint8Array(docx))['word/document.xml']!);
      const headerRows = xml.split('<w:tr>').slice(1).filter((r) => r.includes('<w:tblHeader/>'));
      expect(headerRows.length).toBeGreaterThan(0);
      const restarts = headerRows.join('').match(/<w:vMerge w:val="restart"\/>/g)?.length ?? 0;
      expect(restarts).toBeGreaterThanOrEqual(1 + 3 + 3 + 2);
      for (const row of headerRows) {
        for (const cell of row.split('<w:tc>').slice(1)) {
          const continued = /<w:vMerge\/>|<w:vMerge w:val="continue"\/>/.test(cell);
          const text = [...cell.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
          if (!continued) expect(text.trim().length, cell.slice(0, 200)).toBeGreaterThan(0);
        }
      }
    });
  }
});

describe('LibreOffice: attachment 11 and 14 DOCX as paper', () => {
  /** LibreOffice with the Sarabun the DOCX names (options.font), so the page is the one Word users get with TH Sarabun. */
  function libreOffice(docx: Buffer): Buffer {
    const dir = tempDir('saraban-tables-lo-');
    try {
      const fonts = join(dir, 'fonts.conf');
      writeFileSync(fonts, `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${join(process.cwd(), 'fonts')}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>`);
      const file = join(dir, 'list.docx');
      writeFileSync(file, docx);
      execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, file],
        { timeout: 120_000, stdio: 'pipe', env: { ...process.env, FONTCONFIG_FILE: fonts } });
      const pdf = join(dir, 'list.pdf');
      if (!existsSync(pdf)) throw new Error('LibreOffice wrote no PDF');
      return readFileSync(pdf);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('one page each, signatures with room to sign, no header word cut at (บาท)', { timeout: 240_000 }, async () => {
    for (const [formId, data] of [['salary-increment-summary', summary11()], ['permanent-employee-quota', quota14()]] as const) {
      const pdf = libreOffice(await docxOf(formId, { ...(data as object), options: { font: 'Sarabun' } }));
      expect(pageCount(pdf), formId).toBe(1);
      const text = pdftotext(pdf, ['-layout']);
      expect(text).not.toMatch(/\(บา\s*\n/);
      expect(text.match(/\(ลงชื่อ\)/g)?.length).toBe(2);
      for (const r of signingRoom(pdf)) expect(r).toBeGreaterThanOrEqual(2);
    }
  });
});
