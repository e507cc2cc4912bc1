import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderDocument } from '../src/render/index.js';
import { glyphTexts } from '../src/render/pdf/pdfkitPatches.js';
import { fontRegistry } from '../src/fonts/registry.js';
import { pdfjsText, pdftotext, stripSpace } from './helpers/pdf.js';

const require = createRequire(import.meta.url);

describe('the pinned pdfmake and pdfkit that the patches were written against', () => {
  it('are the versions installed and declared exactly', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.pdfmake).toBe('0.3.11');
    expect(pkg.dependencies.pdfkit).toBe('0.19.1');
    expect((require('pdfmake/package.json') as { version: string }).version).toBe('0.3.11');
    expect((require('pdfkit/package.json') as { version: string }).version).toBe('0.19.1');
  });
});

describe('per-glyph text (ToUnicode) patch', () => {
  const font = fontRegistry().get('Sarabun').faces.normal;
  it('gives SARA AM to the SARA AA glyph and nothing to its NIKHAHIT', () => {
    const run = font.layout('สำ');
    expect(glyphTexts(font, run.glyphs, 'สำ')).toEqual(['ส', '', 'ำ']);
  });
  it('keeps a tone mark that ligates with NIKHAHIT', () => {
    const run = font.layout('น้ำ');
    expect(glyphTexts(font, run.glyphs, 'น้ำ').join('')).toBe('น้ำ');
  });

  const cases = ['น้ำ', 'สำนักงาน กำหนด จำนวน ทำงาน', 'กา กำ ก้ำ ก่ำ ก๊ำ ก๋ำ ํ', 'ข้าราชการ ปั้น ญี่ปุ่น ฤๅษี ฐาน ฎีกา ฏ'];
  for (const text of cases) {
    it(`extracts "${text}" exactly with pdftotext and pdf.js`, async () => {
      // The words in order, then in reverse order: a glyph shared by า and ำ must say the right thing whichever comes first.
      const reversed = text.split(' ').reverse().join(' ');
      const model = { align: 'left' as const, blocks: [{ type: 'paragraph' as const, text }, { type: 'paragraph' as const, text: reversed }] };
      const pdf = await renderDocument(model, 'pdf');
      const expected = stripSpace(text + reversed);
      expect(stripSpace(pdftotext(pdf))).toBe(expected);
      expect(stripSpace((await pdfjsText(pdf)).join(''))).toBe(expected);
    });
  }
});

describe('marks nudged by the bold face', () => {
  for (const size of [16, 32]) {
    it(`extract in order at ${size} pt bold`, async () => {
      const text = 'ด่วนที่สุด ด่วนมาก ลับที่สุด';
      const pdf = await renderDocument({ align: 'left', blocks: [{ type: 'paragraph', text: [{ text, bold: true, size, color: '#d00000' }] }] }, 'pdf');
      expect(stripSpace(pdftotext(pdf))).toBe(stripSpace(text));
      expect(stripSpace((await pdfjsText(pdf)).join(''))).toBe(stripSpace(text));
    });
  }
});

describe('spreading patch (justify and Thai distributed)', () => {
  const text = 'สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานพิจารณาแล้ว ขอให้สำนักงานเขตพื้นที่การศึกษาทุกเขตดำเนินการเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ในวันที่ ๑ เมษายน ๒๕๖๕ โดยถือปฏิบัติตามหนังสือที่อ้างถึง';
  for (const align of ['thai-distributed', 'justify'] as const) {
    it(`${align}: full lines end at the right margin, the last line does not, text unchanged`, async () => {
      const pdf = await renderDocument({ blocks: [{ type: 'paragraph', text: text.repeat(2), align }] }, 'pdf');
      const words = [...pdftotext(pdf, ['-bbox']).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"/g)].map((m) => ({ y: Number(m[2]), xMax: Number(m[3]) }));
      const lines = new Map<number, number>();
      for (const w of words) lines.set(Math.round(w.y), Math.max(lines.get(Math.round(w.y)) ?? 0, w.xMax));
      const ends = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, x]) => x);
      const right = 595.28 - 56.69;
      expect(ends.length).toBeGreaterThan(2);
      for (const end of ends.slice(0, -1)) expect(Math.abs(end - right)).toBeLessThan(1.5);
      expect(ends[ends.length - 1]!).toBeLessThan(right - 20);
      expect(stripSpace(pdftotext(pdf))).toBe(stripSpace(text.repeat(2)));
    });
  }
});
