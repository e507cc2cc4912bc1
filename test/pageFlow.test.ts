import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { renderForm } from '../src/service.js';
import { buildDocument, getForm } from '../src/forms/registry.js';
import { fontRegistry } from '../src/fonts/registry.js';
import { layoutDocument, MARK_FROM_EDGE, type DocumentLayout, type PageLayout } from '../src/layout/page.js';
import { DocumentModel, type DocumentModelInput } from '../src/model/document.js';
import { pageCount, pdftotext, rasterise, stripSpace } from './helpers/pdf.js';
import { unzip } from './helpers/zip.js';

/**
 * Page decisions shared by every form (src/layout/page.ts): contact lines
 * never alone on a page, a signature with at least two lines of the body,
 * continuation words that are the next page's first body text, the memo's
 * urgency mark inside what printers reach, and their DOCX counterparts.
 */

const example = (formId: string, name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../examples/${formId}/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

function layoutOf(formId: string, input: unknown): DocumentLayout {
  const registry = fontRegistry();
  return layoutDocument(buildDocument(getForm(formId)!, input).model, registry.defaultFamily(), registry.fallbackFamily());
}

/** Lines of the body on a page: a text line one, a table row its tallest cell's. */
const bodyLines = (page: PageLayout): number => page.slices.reduce((n, { slice }) => {
  if (slice.role === 'body') return n + 1;
  if (slice.role === 'table-row' && slice.content.kind === 'tableRow') return n + Math.max(1, ...slice.content.cells.map((c) => c.lines.length));
  return n;
}, 0);

/** Checks the page rules on a layout: no page of only contact or signature lines; the signature's page has two body lines. */
function expectPageRules(layout: DocumentLayout, name: string): void {
  layout.pages.forEach((page, p) => {
    const roles = new Set(page.slices.map((s) => s.slice.role));
    expect(page.slices.every((s) => s.slice.role !== undefined), `${name} page ${p + 1}: every slice has a role`).toBe(true);
    const content = [...roles].filter((r) => r !== 'space');
    const onlyEnd = content.length > 0 && content.every((r) => r === 'contact' || r === 'signature' || r === 'closing');
    expect(onlyEnd, `${name} page ${p + 1} holds only ${content.join(', ')}`).toBe(false);
    if (p > 0 && (roles.has('signature') || roles.has('contact'))) {
      expect(bodyLines(page), `${name} page ${p + 1}: body lines with its signature or contact lines`).toBeGreaterThanOrEqual(2);
    }
  });
}

/** The chainat letter with `n` body paragraphs, e-mail, coordinator and สำเนาส่ง: contact and copies of 8 lines. */
function letterWith(n: number): Record<string, unknown> {
  const base = example('external-letter', 'chainat-rank-evaluation-2562');
  const body = base.body as string[];
  return {
    ...base,
    body: Array.from({ length: n }, (_, i) => body[i % body.length]!),
    contact: { ...(base.contact as object), email: 'saraban.contact@example.go.th', coordinator: 'นางสาวสมใจ ใจดี โทร. ๐๘-๑๒๓๔-๕๖๗๘' },
    copyTo: ['นายอำเภอทุกอำเภอ', 'ท้องถิ่นอำเภอทุกอำเภอ'],
  };
}

describe('contact lines and signatures never alone on a page', () => {
  it('keeps the DLA stamped letter on one page with its contact lines, as seed 000', async () => {
    const input = example('stamped-letter', 'dla-submission-rights-2561');
    const pdf = (await renderForm('stamped-letter', input, 'pdf')).data;
    expect(pageCount(pdf)).toBe(1);
    const text = stripSpace(pdftotext(pdf));
    expect(text).toContain('ผู้ประสานงาน');
    expect(text).toContain('๒๕กรกฎาคม๒๕๖๑');
    // The space given up to keep it on one sheet stays within the limit: the contact lines start below the date.
    const layout = layoutOf('stamped-letter', input);
    const page = layout.pages[0]!.slices;
    const firstContact = page.findIndex((s) => s.slice.role === 'contact');
    expect(firstContact).toBeGreaterThan(page.findIndex((s) => s.slice.text.includes('กรกฎาคม ๒๕๖๑') && s.slice.role === 'signature'));
  });

  it('holds on every letter example, the order, the announcement, the PPR and letters of 1 to 14 paragraphs', () => {
    const cases: [string, unknown, string][] = [
      ['external-letter', example('external-letter', 'obec-salary-increment-2565'), 'obec'],
      ['external-letter', example('external-letter', 'chainat-rank-evaluation-2562'), 'chainat'],
      ['external-letter', example('external-letter', 'minimal'), 'minimal'],
      ['memo', example('memo', 'budget-request'), 'memo'],
      ['stamped-letter', example('stamped-letter', 'dla-submission-rights-2561'), 'stamped'],
      ['order', example('order', 'committee-appointment'), 'order'],
      ['announcement', example('announcement', 'lampang-promotion-criteria-2562'), 'announcement'],
      ['ppr', example('ppr', 'municipal-school-2563-2564'), 'ppr'],
    ];
    for (let n = 1; n <= 14; n++) cases.push(['external-letter', letterWith(n), `letter of ${n} paragraphs`]);
    // The stamped letter with longer bodies: its contact lines go to the next page with lines of the body.
    const stamped = example('stamped-letter', 'dla-submission-rights-2561');
    for (let extra = 1; extra <= 12; extra++) {
      cases.push(['stamped-letter', { ...stamped, body: [...(stamped.body as string[]), 'ข้อความเพิ่มเติม '.repeat(extra * 3).trim()] }, `stamped letter +${extra}`]);
    }
    let contactMoved = 0;
    for (const [formId, input, name] of cases) {
      const layout = layoutOf(formId, input);
      expectPageRules(layout, name);
      if (layout.pages.length > 1 && layout.pages.at(-1)!.slices.some((s) => s.slice.role === 'contact')) contactMoved++;
    }
    // The rule was met where it matters: some of these letters end with contact lines on a later page.
    expect(contactMoved).toBeGreaterThan(3);
  });

  it('puts at least two lines of the body with the order\'s signature, and keeps the last body paragraph with it in the DOCX', async () => {
    const input = example('order', 'committee-appointment');
    const layout = layoutOf('order', input);
    const last = layout.pages.at(-1)!;
    expect(last.slices.some((s) => s.slice.role === 'signature')).toBe(true);
    expect(bodyLines(last)).toBeGreaterThanOrEqual(2);
    // สั่ง ณ วันที่ is kept with the signature: it is not counted as body.
    expect(last.slices.find((s) => s.slice.text.startsWith('สั่ง ณ วันที่'))?.slice.role).toBe('closing');
    const xml = unzip((await renderForm('order', input, 'docx')).data).get('word/document.xml')!.toString('utf8');
    const paragraphOf = (text: string) => xml.split('</w:p>').find((p) => p.replace(/<[^>]+>/g, '').includes(text))!;
    expect(paragraphOf('ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป')).toContain('<w:keepNext/>');
    expect(paragraphOf('สั่ง ณ วันที่')).toContain('<w:keepLines/>');
  });
});

describe('continuation words', () => {
  it('are the next page\'s first body text, never the PPR\'s repeated column header', async () => {
    const pdf = (await renderForm('ppr', example('ppr', 'municipal-school-2563-2564'), 'pdf')).data;
    const pages = pdftotext(pdf, ['-layout']).split('\f').slice(0, pageCount(pdf));
    expect(pages.length).toBeGreaterThan(2);
    for (let p = 0; p < pages.length - 1; p++) {
      const word = /\/(\S.*?)\.\.\.\s*$/.exec(pages[p]!.trimEnd())?.[1];
      expect(word, `page ${p + 1}`).toBeDefined();
      expect(word!.startsWith('ที่'), `page ${p + 1}: /${word}...`).toBe(false);
      // The first row under the repeated header starts with the word: its number, then its date.
      const lines = pages[p + 1]!.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
      const header = lines.findIndex((l) => l.startsWith('ที่'));
      expect(stripSpace(lines[header + 1]!).startsWith(stripSpace(word!)), `page ${p + 2}: ${lines[header + 1]}`).toBe(true);
    }
  });

  it('include the number of a list item that starts the next page (/๔. QR...)', () => {
    const registry = fontRegistry();
    let checked = 0;
    for (let filler = 25; filler <= 40; filler++) {
      const input: DocumentModelInput = {
        title: 'list at a page break',
        page: { pageNumbers: true, continuation: true },
        blocks: [
          ...Array.from({ length: filler }, () => ({ type: 'paragraph' as const, text: 'ข้อความบรรทัดเดียว' })),
          { type: 'list', label: 'สิ่งที่ส่งมาด้วย', items: ['สำเนาหนังสือ จำนวน ๑ ชุด', 'แบบรายงาน จำนวน ๑ ชุด', 'บัญชีรายชื่อ จำนวน ๑ ชุด', 'QR code สำหรับดาวน์โหลดเอกสาร จำนวน ๑ แผ่น', 'คู่มือ จำนวน ๑ เล่ม'] },
        ],
      };
      const layout = layoutDocument(DocumentModel.parse(input), registry.defaultFamily(), registry.fallbackFamily());
      if (layout.pages.length < 2) continue;
      const first = layout.pages[1]!.slices[0]!.slice;
      const item = ['๑.', '๒.', '๓.', '๔.', '๕.'].find((n) => first.text.includes(n));
      if (!item || item === '๑.') continue;
      // The number, then the item's first word: /๔. QR... rather than /QR...
      const words: Record<string, string> = { '๒.': 'แบบ', '๓.': 'บัญชี', '๔.': 'QR', '๕.': 'คู่มือ' };
      expect(layout.pages[0]!.nextWord, `filler ${filler}`).toBe(`${item} ${words[item]}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('the memo\'s urgency mark', () => {
  it('stands at least 1 cm from the paper\'s top edge in the PDF and the DOCX', async () => {
    const input = example('memo', 'budget-request');
    expect(input.urgency).toBeTruthy();
    const pdf = (await renderForm('memo', input, 'pdf')).data;
    const dpi = 100;
    const png = PNG.sync.read(rasterise(pdf, dpi, 1, 1)[0]!);
    // The topmost red pixel (the mark is the only red on the page).
    let top = -1;
    for (let y = 0; y < png.height && top < 0; y++) {
      for (let x = 0; x < png.width; x++) {
        const i = (y * png.width + x) * 4;
        if (png.data[i]! > 150 && png.data[i + 1]! < 90 && png.data[i + 2]! < 90) { top = y; break; }
      }
    }
    expect(top).toBeGreaterThan(0);
    expect((top / dpi) * 2.54).toBeGreaterThanOrEqual(1);
    // Still above the emblem, in the top margin, and the page holds its lines.
    expect((top / dpi) * 2.54).toBeLessThan(2);
    const xml = unzip((await renderForm('memo', input, 'docx')).data).get('word/document.xml')!.toString('utf8');
    const header = Number(/<w:pgMar [^>]*w:header="(\d+)"/.exec(xml)?.[1]);
    expect(header / 20).toBeGreaterThanOrEqual(MARK_FROM_EDGE - 0.5);
  });
});

describe('the memo\'s dotted rules in the DOCX', () => {
  it('runs under every line of a wrapped header field, as in the PDF', async () => {
    const input = {
      ...example('memo', 'budget-request'),
      department: 'กลุ่มบริหารวิชาการ โรงเรียนบ้านหนองบัววิทยา สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน โทร. ๐ ๕๖๔๑ ๒๓๔๕',
      subject: 'ขออนุมัติงบประมาณโครงการอบรมเชิงปฏิบัติการการจัดการเรียนรู้เชิงรุก (Active Learning) สำหรับครูและบุคลากรทางการศึกษาทุกกลุ่มสาระการเรียนรู้ ประจำปีงบประมาณ พ.ศ. ๒๕๖๗',
    };
    const layout = layoutOf('memo', input);
    const dottedLines = layout.pages[0]!.slices.filter((s) => s.slice.content.kind === 'text' && s.slice.content.dotted).length;
    // ส่วนราชการ on two lines, ที่/วันที่ on one, เรื่อง on two.
    expect(dottedLines).toBeGreaterThanOrEqual(5);
    const xml = unzip((await renderForm('memo', input, 'docx')).data).get('word/document.xml')!.toString('utf8');
    const dotted = xml.split('</w:p>').filter((p) => /<w:bottom w:val="dotted"/.test(p));
    // One more than the PDF's lines: ที่ and วันที่ share a line, in two cells of their own.
    expect(dotted.length).toBe(dottedLines + 1);
    // Every word of the two fields is in one of the dotted paragraphs, in order.
    const text = stripSpace(dotted.map((p) => p.replace(/<[^>]+>/g, '')).join(''));
    expect(text).toContain(stripSpace(input.department));
    expect(text).toContain(stripSpace(input.subject));
  });
});
