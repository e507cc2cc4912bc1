import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { MAX_CLUSTER_GAP, MAX_SPACE_GAP } from '../src/render/pdf/renderPdf.js';
import { renderDocument } from '../src/render/index.js';
import { DocumentModel, type Alignment, type DocumentModelInput } from '../src/model/document.js';
import { prepareText } from '../src/model/prepareText.js';
import { layoutParagraph, lineText, type Line } from '../src/layout/paragraph.js';
import { Measurer, type PieceStyle } from '../src/layout/measure.js';
import { fontRegistry } from '../src/fonts/registry.js';
import { openFont } from '../src/fonts/fontkit.js';
import { cm } from '../src/model/units.js';
import { breakUnits, thaiClusters } from '../src/thai/segment.js';
import { pdftotext, stripSpace, tempDir } from './helpers/pdf.js';
import { pseudoParagraphs, seedParagraphs } from './helpers/seeds.js';

/**
 * Correct Thai in the PDF, checked on every paragraph of the seed corpus and
 * on pseudo-paragraphs made from its shuffled words (helpers/seeds.ts), in a
 * 16 cm column at 16 pt with a 2.5 cm first-line indent (the default A4 page).
 *
 * Each property is checked twice: on the layout (src/layout/paragraph.ts, the
 * same Measurer as the PDF) and on the PDF itself, whose lines are read back
 * with pdf.js (text items grouped by baseline) and with pdftotext -layout.
 * Many paragraphs go into one PDF; the lines read back are matched to their
 * paragraphs in order, so every paragraph is still checked on its own.
 *
 * White space is not compared (runs of spaces are set as one space). Plain
 * pdftotext (not -layout) drops a hyphen that ends a line, taking it for
 * hyphenation: that is poppler's reading, expected exactly where a line ends
 * in '-'.
 */

const family = fontRegistry().defaultFamily();
const font = family.faces.normal;
const fallback = fontRegistry().fallbackFamily();
// The renderer draws characters Sarabun lacks (✓) in the fallback font; the reference layout does too.
const m = new Measurer(family, fallback);
const WIDTH = cm(16);
const INDENT = cm(2.5);
const STYLE: PieceStyle = { size: 16 };
/** A4 left margin of the default page: where the column starts in the PDF. */
const LEFT = cm(3);
/** The line breaker keeps this much slack at each line end (paragraph.ts SAFETY). */
const SAFETY = 0.5;
/** Thai combining vowels and tone marks: never the first character of a line. */
const COMBINING = /[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]/u;
const COMBINING_G = /[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]/gu;
const MAX_REPORTED = 12;

const SEEDS = seedParagraphs().map((p) => p.text);
const PSEUDO = pseudoParagraphs(150);
/** Every fourth seed paragraph: the subset typeset in all three alignments. */
const SUBSET = SEEDS.filter((_, i) => i % 4 === 0);
const ALIGNMENTS: Alignment[] = ['left', 'justify', 'thai-distributed'];

const show = (s: string) => JSON.stringify(s);
const context = (s: string, at: number, span = 25) => show(s.slice(Math.max(0, at - span), at)) + ' ‖ ' + show(s.slice(at, at + span));

function layout(text: string, align: Alignment): Line[] {
  return layoutParagraph([{ text }], { width: WIDTH, firstLineIndent: INDENT, align, style: STYLE }, m);
}

/**
 * Offsets of `text` where a line may end: the boundaries of its break units.
 * A unit too wide for any line (a URL, a dot leader) has to be cut; inside it
 * a break may fall between grapheme clusters, never inside one.
 */
function allowedBreaks(text: string, narrowest = WIDTH - INDENT - SAFETY): Set<number> {
  const allowed = new Set<number>([0]);
  let at = 0;
  for (const u of breakUnits(text)) {
    if (!u.space && m.width(u.text, STYLE) > narrowest) {
      let inner = at;
      for (const c of thaiClusters(u.text)) allowed.add((inner += c.length));
    }
    at += u.text.length;
    allowed.add(at);
  }
  return allowed;
}

/** Non-space characters before each offset: maps offsets in a text to offsets in stripSpace(text). */
function strippedOffsets(text: string): number[] {
  const out = [0];
  let n = 0;
  for (const ch of text) {
    if (!/\s/u.test(ch)) n += ch.length;
    for (let k = 0; k < ch.length; k++) out.push(n);
  }
  return out;
}

/**
 * Problems with the lines of one paragraph: every line must be the next piece
 * of the text (nothing lost, added or moved; white space runs aside), lines
 * may be separated only by white space, and every line must end at an
 * allowed break.
 */
function layoutLineProblems(original: string, laidLines: string[]): string[] {
  // A run of white space is set as one space (the layout keeps one space unit
  // of a run): compare with every run written as one space.
  const one = (s: string) => s.replace(/\s+/gu, ' ');
  const text = one(original);
  const lines = laidLines.map(one);
  const problems: string[] = [];
  const allowed = allowedBreaks(text);
  let p = 0;
  lines.forEach((line, i) => {
    const start = p;
    while (p < text.length && /\s/u.test(text[p]!)) p++;
    if (i > 0 && !allowed.has(p)) problems.push(`line ${i + 1} starts inside a word: ${context(text, p)}`);
    if (i === 0 && p !== start) problems.push('the first line drops leading white space');
    if (!text.startsWith(line, p)) {
      problems.push(`line ${i + 1} is not the next part of the text: line ${show(line)}, text ${context(text, p)}`);
      p = text.length;
      return;
    }
    p += line.length;
    if (i < lines.length - 1 && !allowed.has(p)) problems.push(`line ${i + 1} ends inside a word: ${context(text, p)}`);
  });
  if (text.slice(p).trim() !== '') problems.push(`text after the last line is lost: ${show(text.slice(p, p + 40))}`);
  return problems;
}

/** A line that starts with a combining vowel or tone mark. */
function badStart(line: string): boolean {
  return COMBINING.test(line[0] ?? '');
}
/** A line that starts with ๆ or ฯ (ฯลฯ is a word of its own). */
function badRepetitionStart(line: string): boolean {
  return line.startsWith('ๆ') || (line.startsWith('ฯ') && !line.startsWith('ฯลฯ'));
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

function expectNoProblems(problems: string[], what: string) {
  expect(problems.length, `${what}:\n${problems.slice(0, MAX_REPORTED).join('\n')}${problems.length > MAX_REPORTED ? `\n... and ${problems.length - MAX_REPORTED} more` : ''}`).toBe(0);
}

/** The first place two texts differ, with context. */
function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  return `first difference at ${i} of ${expected.length}: expected ${context(expected, i)} got ${context(actual, i)}`;
}

// ---------------------------------------------------------------------------
// Layout level
// ---------------------------------------------------------------------------

describe('Thai line breaking in the layout (16 cm column, 16 pt, first-line indent 2.5 cm)', () => {
  const corpora: [string, string[], Alignment[]][] = [
    ['every seed paragraph, thai-distributed', SEEDS, ['thai-distributed']],
    ['seed subset, left and justify', SUBSET, ['left', 'justify']],
    ['pseudo-paragraphs never seen before, all alignments', PSEUDO, ALIGNMENTS],
  ];
  for (const [name, texts, aligns] of corpora) {
    describe(name, () => {
      const laid = texts.flatMap((text) => aligns.map((align) => ({ text, align, lines: layout(text, align) })));

      it('a) puts every line break at a break-unit boundary (or a space), and d) loses, adds or moves no character', () => {
        const problems = laid.flatMap(({ text, align, lines }) =>
          layoutLineProblems(text, lines.map(lineText)).map((p) => `[${align}] ${p}`));
        expectNoProblems(problems, 'line breaks');
        expect(laid.length).toBeGreaterThan(0);
      });

      it('b) starts no line with a combining vowel or tone mark', () => {
        const problems = laid.flatMap(({ lines }) => lines.map(lineText).filter(badStart).map((l) => show(l.slice(0, 30))));
        expectNoProblems(problems, 'lines starting with a mark');
      });

      it('starts no line with ๆ or ฯ (they belong to the word before them)', () => {
        const problems = laid.flatMap(({ lines }) => lines.map(lineText).filter(badRepetitionStart).map((l) => show(l.slice(0, 30))));
        expectNoProblems(problems, 'lines starting with ๆ or ฯ');
      });

      it('d) leaves no lone character on a line of its own unless it is a whole word', () => {
        const problems: string[] = [];
        for (const { text, lines } of laid) {
          if (stripSpace(text).length <= 1) continue;
          const units = new Set(breakUnits(text).map((u) => u.text));
          for (const line of lines.map(lineText)) {
            const s = stripSpace(line);
            if (thaiClusters(s).length <= 1 && !units.has(s)) problems.push(`${show(line)} in ${show(text.slice(0, 60))}`);
          }
        }
        expectNoProblems(problems, 'lone characters');
      });

      it('f) marks only the last line of a paragraph as last (never spread)', () => {
        const problems: string[] = [];
        for (const { text, lines } of laid) {
          lines.forEach((l, i) => {
            if (l.last !== (i === lines.length - 1)) problems.push(`line ${i + 1}/${lines.length} last=${l.last}: ${show(text.slice(0, 50))}`);
          });
        }
        expectNoProblems(problems, 'last flags');
      });

      it('keeps every line within the column', () => {
        const problems = laid.flatMap(({ lines }) => lines.filter((l) => l.indent + l.width > WIDTH + 0.01).map((l) => `${show(lineText(l).slice(0, 30))} is ${(l.indent + l.width - WIDTH).toFixed(2)} pt too wide`));
        expectNoProblems(problems, 'overfull lines');
      });
    });
  }

  it('never starts a line with ๆ written after a space (เหตุใด ๆ), whatever the width', () => {
    // Official style writes ไม้ยมก with a space before it; the space is no break opportunity.
    const text = 'ของผู้ดำรงตำแหน่งครูได้ไม่ว่าด้วยเหตุใด ๆ ให้เสนอ ก.จ.จ. และลาอื่น ๆ (โปรดระบุ) ต่าง ๆ ที่เกี่ยวข้อง';
    const problems: string[] = [];
    for (let w = cm(3); w <= cm(16); w += 1.5) {
      const lines = layoutParagraph([{ text }], { width: w, align: 'left', style: STYLE }, m).map(lineText);
      for (const l of lines) if (badRepetitionStart(l)) problems.push(`width ${(w / cm(1)).toFixed(2)} cm: ${show(l)}`);
    }
    expectNoProblems(problems, 'lines starting with ๆ');
  });

  it('never ends a line on a leading vowel when a word wider than the column is cut, whatever the width', () => {
    // เ แ โ ใ ไ are written before their consonant: a cut after one splits ผอ.สพท.เ|ชี่ยวชาญ.
    const text = 'ผอ.สพท.เชี่ยวชาญโรงเรียนเทศบาลแม่ใจไตรมาส';
    const problems: string[] = [];
    for (let w = cm(0.8); w <= cm(4); w += 0.75) {
      const lines = layoutParagraph([{ text }], { width: w, align: 'left', style: STYLE }, m).map(lineText);
      expect(lines.join('')).toBe(text);
      for (const l of lines.slice(0, -1)) if (/[\u0e40-\u0e44]$/.test(l)) problems.push(`width ${(w / cm(1)).toFixed(2)} cm: ${show(l)}`);
    }
    expectNoProblems(problems, 'lines ending on a leading vowel');
  });

  it('cuts a token wider than the column between grapheme clusters, and only such a token', () => {
    const url = 'https://personnel.obec.go.th/home/wp-content/uploads/2022/02/very-long-file-name-of-an-official-letter-2565.pdf';
    const text = `ดาวน์โหลดได้ที่ ${url} ภายในวันที่ ๑ เมษายน ๒๕๖๕`;
    const lines = layout(text, 'thai-distributed').map(lineText);
    expect(stripSpace(lines.join(''))).toBe(stripSpace(text));
    expectNoProblems(layoutLineProblems(text, lines), 'line breaks');
    // The address starts on the first line and is cut where URLs break (after a slash or a hyphen, before a dot), not letter by letter.
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/[/-]$|[^.]$/);
    expect(url.startsWith(lines[0]!.slice(lines[0]!.indexOf('https')))).toBe(true);
    expect(/[/-]$/.test(lines[0]!) || /^[.]/.test(lines[1]!)).toBe(true);
  });
});

describe('c) every character has a glyph (no tofu, no .notdef)', () => {
  it('in the font or the fallback font, for every character of the seeds and the pseudo-paragraphs', () => {
    expect(fallback, 'a fallback font (DejaVu Sans) ships in fonts/').toBeDefined();
    const missing = new Map<string, string>();
    for (const text of [...SEEDS, ...PSEUDO]) {
      for (const ch of text) {
        if (/[\n\r\t]/u.test(ch)) continue;
        const cp = ch.codePointAt(0)!;
        if (!font.hasGlyphForCodePoint(cp) && !fallback!.faces.normal.hasGlyphForCodePoint(cp) && !missing.has(ch)) missing.set(ch, text.slice(0, 80));
      }
    }
    const report = [...missing].map(([ch, where]) => `${show(ch)} U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} in ${show(where)}`);
    expectNoProblems(report, 'characters without a glyph');
  });

  it('after shaping: no paragraph shapes to glyph 0 in the font, the characters it lacks aside', () => {
    const problems: string[] = [];
    for (const text of [...SEEDS, ...PSEUDO]) {
      const run = font.layout([...text].filter((ch) => /\s/.test(ch) || font.hasGlyphForCodePoint(ch.codePointAt(0)!)).join(''));
      run.glyphs.forEach((g, i) => { if (g.id === 0) problems.push(`glyph ${i} of ${show(text.slice(0, 60))}`); });
    }
    expectNoProblems(problems, '.notdef glyphs');
  });
});

// ---------------------------------------------------------------------------
// PDF level
// ---------------------------------------------------------------------------

interface PdfLine { page: number; text: string; xMin: number; xMax: number; y: number }

/** Lines of a PDF as pdf.js sees them: consecutive text items on (nearly) the same baseline. */
async function pdfjsRead(pdf: Buffer): Promise<{ lines: PdfLine[]; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const lines: PdfLine[] = [];
  let text = '';
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    let current: PdfLine | undefined;
    for (const item of content.items) {
      if (!('str' in item)) continue;
      // The page text exactly as helpers/pdf.ts pdfjsText reads it.
      text += item.str + (item.hasEOL ? '\n' : '');
      if (item.str.length === 0) continue;
      const x = item.transform[4] as number;
      const y = item.transform[5] as number;
      // Raised marks are drawn a fraction of a point off the baseline; lines are 17 pt apart.
      if (!current || Math.abs(y - current.y) > 4) {
        current = { page: p, text: '', xMin: x, xMax: x + item.width, y };
        lines.push(current);
      }
      current.text += item.str;
      current.xMin = Math.min(current.xMin, x);
      current.xMax = Math.max(current.xMax, x + item.width);
    }
    text += '\n';
  }
  await doc.destroy();
  return { lines: lines.filter((l) => stripSpace(l.text).length > 0), text };
}

/**
 * Horizontal extent of each line as poppler measures it: pdftotext -bbox word
 * boxes grouped by page and baseline, lines top to bottom (not in poppler's
 * reading order, which takes widely spaced lines for columns). pdf.js is not
 * used for this: its item widths come out a point or so short on Thai marks,
 * where poppler's boxes match the font's advances exactly.
 */
function popplerLineExtents(pdf: Buffer): { page: number; xMin: number; xMax: number; y: number; text: string }[] {
  const dir = tempDir();
  const file = join(dir, 'in.pdf');
  writeFileSync(file, pdf);
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const words: { page: number; xMin: number; xMax: number; y: number; text: string }[] = [];
  let page = 0;
  for (const m of html.matchAll(/<page\b|<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/gu)) {
    if (m[0] === '<page') { page++; continue; }
    words.push({ page, xMin: Number(m[1]), xMax: Number(m[2]), y: Number(m[3]), text: m[4] ?? '' });
  }
  words.sort((a, b) => a.page - b.page || a.y - b.y || a.xMin - b.xMin);
  const lines: typeof words = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last && last.page === w.page && Math.abs(last.y - w.y) < 4) {
      last.xMin = Math.min(last.xMin, w.xMin);
      last.xMax = Math.max(last.xMax, w.xMax);
      last.text += ' ' + w.text;
    } else {
      lines.push({ ...w });
    }
  }
  return lines;
}

/** Lines of a PDF as pdftotext -layout prints them. */
function popplerLines(pdf: Buffer): string[] {
  return pdftotext(pdf, ['-layout']).split(/\n|\f/u).filter((l) => stripSpace(l).length > 0);
}

/** The glyphs a PDF draws, in content order, with their positions (from pdf.js's operator list). */
interface DrawnGlyph { text: string; x: number; y: number; page: number }
async function drawnGlyphs(pdf: Buffer): Promise<DrawnGlyph[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const OPS = pdfjs.OPS as Record<string, number>;
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const out: DrawnGlyph[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const ops = await page.getOperatorList();
    let size = 0; let x = 0; let y = 0; let lineX = 0; let lineY = 0; let charSpacing = 0; let hScale = 1;
    for (let i = 0; i < ops.fnArray.length; i++) {
      const fn = ops.fnArray[i];
      const args = ops.argsArray[i] as unknown[];
      if (fn === OPS.beginText) { x = lineX = 0; y = lineY = 0; }
      else if (fn === OPS.setFont) size = args[1] as number;
      else if (fn === OPS.setTextMatrix) { const t = args[0] as number[] | number; const a = Array.isArray(t) ? t : (args as number[]); x = lineX = a[4]!; y = lineY = a[5]!; }
      else if (fn === OPS.moveText) { lineX += args[0] as number; lineY += args[1] as number; x = lineX; y = lineY; }
      else if (fn === OPS.setCharSpacing) charSpacing = args[0] as number;
      else if (fn === OPS.setHScale) hScale = (args[0] as number) / 100;
      else if (fn === OPS.showText || fn === OPS.showSpacedText) {
        for (const g of args[0] as (number | { unicode: string; width: number })[]) {
          if (typeof g === 'number') { x -= (g / 1000) * size * hScale; continue; }
          out.push({ text: g.unicode, x, y, page: p });
          x += ((g.width / 1000) * size + charSpacing) * hScale;
        }
      } else if (fn === OPS.nextLine || fn === OPS.nextLineShowText || fn === OPS.nextLineSetSpacingShowText || fn === OPS.setTextRise) {
        throw new Error('text operator the glyph reader does not handle: ' + fn);
      }
    }
  }
  await doc.destroy();
  return out;
}

/** Glyphs grouped into clusters: a base glyph and the marks (or text-less glyphs) drawn after it. */
function glyphClusters(glyphs: DrawnGlyph[]): DrawnGlyph[][] {
  const clusters: DrawnGlyph[][] = [];
  for (const g of glyphs) {
    if (clusters.length > 0 && (g.text === '' || COMBINING.test(g.text[0]!))) clusters[clusters.length - 1]!.push(g);
    else clusters.push([g]);
  }
  return clusters;
}

/** The decompressed streams of a PDF. */
function pdfStreams(pdf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const raw = pdf.toString('latin1');
  for (const match of raw.matchAll(/stream\r?\n/gu)) {
    const start = match.index! + match[0].length;
    const end = raw.indexOf('endstream', start);
    try { out.push(inflateSync(pdf.subarray(start, end))); } catch { /* not Flate: images, uncompressed */ }
  }
  return out;
}

/**
 * Glyphs of the embedded font subsets that draw the .notdef box (tofu). Every
 * subset holds .notdef as its glyph 0; pdfkit adds a glyph used under another
 * text as a copy at a new index, so a character the font lacks shows up as a
 * copy of glyph 0. Returns, per embedded font, the indices of such copies.
 */
function notdefCopies(pdf: Buffer): { fonts: number; copies: number[] } {
  let fonts = 0;
  const copies: number[] = [];
  for (const data of pdfStreams(pdf)) {
    const tag = data.subarray(0, 4).toString('latin1');
    if (tag !== '\u0000\u0001\u0000\u0000' && tag !== 'true' && tag !== 'OTTO') continue;
    const subset = openFont(data);
    fonts++;
    const box = subset.getGlyph(0).path.toSVG();
    if (box === '') throw new Error('the .notdef glyph of the embedded font draws nothing: the test cannot see tofu');
    for (let gid = 1; gid < subset.numGlyphs; gid++) if (subset.getGlyph(gid).path.toSVG() === box) copies.push(gid);
  }
  return { fonts, copies };
}

interface Rendered {
  name: string;
  /** Paragraph texts as the PDF must show them (digits localised as the renderer does). */
  texts: string[];
  aligns: Alignment[];
  /** Layout lines of each paragraph, from layoutParagraph with the PDF's settings. */
  lines: Line[][];
  pdf: Buffer;
  pdfjsLines: PdfLine[];
  pdfjsText: string;
  popplerText: string;
  popplerLines: string[];
}

async function renderParagraphs(name: string, texts: string[], align?: Alignment): Promise<Rendered> {
  const input: DocumentModelInput = {
    page: { pageNumbers: false, continuation: false },
    blocks: texts.map((text) => ({ type: 'paragraph', text, firstLineIndent: '2.5cm', ...(align ? { align } : {}) })),
  };
  const model = prepareText(DocumentModel.parse(input));
  const localized = model.blocks.map((b) => (b.type === 'paragraph' && typeof b.text === 'string' ? b.text : ''));
  const aligns = model.blocks.map((b) => (b.type === 'paragraph' ? b.align ?? model.align : model.align));
  expect(model.page.margins.left).toBeCloseTo(LEFT, 6);
  expect(595.28 - model.page.margins.left - model.page.margins.right).toBeCloseTo(WIDTH, 1);
  const pdf = await renderDocument(input, 'pdf');
  const read = await pdfjsRead(pdf);
  return {
    name, texts: localized, aligns, pdf,
    lines: localized.map((t, i) => layout(t, aligns[i]!)),
    pdfjsLines: read.lines,
    pdfjsText: read.text,
    popplerText: pdftotext(pdf),
    popplerLines: popplerLines(pdf),
  };
}

/**
 * Reads extracted lines against the paragraphs: each line must be the next
 * part of one paragraph (apart from white space) and end at an allowed break.
 * A mismatching line is reported and skipped by its length so that later
 * lines are still checked.
 */
function extractedLineProblems(r: Rendered, lines: string[]): string[] {
  const problems: string[] = [];
  const paras = r.texts.map((t) => ({ s: stripSpace(t), allowed: new Set([...allowedBreaks(t)].map((o) => strippedOffsets(t)[o]!)) }));
  let pi = 0;
  let pos = 0;
  lines.forEach((raw, li) => {
    const line = stripSpace(raw);
    while (pi < paras.length && pos >= paras[pi]!.s.length) { pi++; pos = 0; }
    const para = paras[pi];
    if (!para) { problems.push(`extra line ${li + 1}: ${show(raw)}`); return; }
    if (pos > 0 && badStart(line)) problems.push(`line ${li + 1} starts with a mark: ${show(line.slice(0, 30))}`);
    const want = para.s.slice(pos, pos + line.length);
    if (want !== line) {
      problems.push(`line ${li + 1} (paragraph ${pi + 1}) reads ${show(line.slice(0, 80))}, expected ${show(want.slice(0, 80))}${firstDifference(want, line) ? ' — ' + firstDifference(want, line) : ''}`);
    }
    pos += line.length;
    if (pos > para.s.length) { problems.push(`line ${li + 1} runs past the end of paragraph ${pi + 1}`); pos = para.s.length; }
    if (!para.allowed.has(pos)) problems.push(`line ${li + 1} (paragraph ${pi + 1}) ends inside a word: ${context(para.s, pos)}`);
  });
  if (pi < paras.length - 1 || (pi === paras.length - 1 && pos < paras[pi]!.s.length)) problems.push(`the lines end in paragraph ${pi + 1} of ${paras.length} at ${pos}: text lost`);
  return problems;
}

function pdfChecks(get: () => Rendered) {
  it('a, d) pdf.js lines are exactly the layout lines, in order (no character lost or moved to a line of its own)', () => {
    const r = get();
    const expected = r.lines.flat().map((l) => stripSpace(lineText(l)));
    const actual = r.pdfjsLines.map((l) => stripSpace(l.text));
    const problems: string[] = [];
    for (let i = 0; i < Math.max(expected.length, actual.length) && problems.length < MAX_REPORTED; i++) {
      if (expected[i] !== actual[i]) problems.push(`line ${i + 1}: layout ${show(expected[i] ?? '(none)')} pdf ${show(actual[i] ?? '(none)')}`);
    }
    expect(actual.length, `pdf.js finds ${actual.length} lines, the layout has ${expected.length}\n${problems.join('\n')}`).toBe(expected.length);
    expectNoProblems(problems, 'lines differing from the layout');
  });

  it('a, b) every pdf.js line is the next part of its paragraph, ends at a break-unit boundary and starts with no mark', () => {
    const r = get();
    expectNoProblems(extractedLineProblems(r, r.pdfjsLines.map((l) => l.text)), 'pdf.js lines');
  });

  it('a, b) every pdftotext -layout line is the next part of its paragraph, ends at a break-unit boundary and starts with no mark', () => {
    const r = get();
    expectNoProblems(extractedLineProblems(r, r.popplerLines), 'pdftotext lines');
  });

  it('e) pdftotext and pdf.js give back the input text apart from white space, every ำ included', () => {
    const r = get();
    const want = stripSpace(r.texts.join(''));
    // pdftotext (without -layout) joins a line ending in a hyphen to the next
    // and drops the hyphen, as if the word were hyphenated. That is poppler's
    // reading, not the PDF's content: expect it exactly where a line ends in '-'.
    const all = r.lines.flat().map((l) => stripSpace(lineText(l)));
    const wantDehyphenated = all.map((l, i) => (i < all.length - 1 ? l.replace(/-$/u, '') : l)).join('');
    for (const [tool, text, expected] of [
      ['pdftotext', r.popplerText, wantDehyphenated],
      ['pdftotext -layout', r.popplerLines.join('\n'), want],
      ['pdf.js', r.pdfjsText, want],
    ] as const) {
      const got = stripSpace(text);
      expect(firstDifference(expected, got), `${tool} text`).toBeUndefined();
      expect(count(got, /\u0e33/gu), `${tool}: number of ำ`).toBe(count(want, /\u0e33/gu));
      expect(count(got, /\u0e33\u0e32/gu), `${tool}: ำา sequences`).toBe(count(want, /\u0e33\u0e32/gu));
      expect(count(got, /\u0e4d\u0e32/gu), `${tool}: ํา sequences`).toBe(count(want, /\u0e4d\u0e32/gu));
      expect(count(got, /\u0e4d/gu), `${tool}: NIKHAHIT`).toBe(count(want, /\u0e4d/gu));
      expect(count(got, COMBINING_G), `${tool}: combining marks`).toBe(count(want, COMBINING_G));
    }
  });

  it('c, d) the PDF text has no U+FFFD, no control character and the same characters as the input', () => {
    const r = get();
    expect(r.popplerText.includes('\ufffd'), 'pdftotext: U+FFFD').toBe(false);
    const want = [...stripSpace(r.texts.join(''))].sort().join('');
    for (const [tool, text] of [['pdftotext -layout', r.popplerLines.join('\n')], ['pdf.js', r.pdfjsText]] as const) {
      expect(text.includes('\ufffd'), `${tool}: U+FFFD`).toBe(false);
      expect(/[\u0000-\u0008\u000e-\u001f]/u.test(text), `${tool}: control characters`).toBe(false);
      const got = [...stripSpace(text)].sort().join('');
      if (got !== want) {
        const tally = (s: string) => { const t = new Map<string, number>(); for (const c of s) t.set(c, (t.get(c) ?? 0) + 1); return t; };
        const a = tally(want); const b = tally(got);
        const diff = [...new Set([...a.keys(), ...b.keys()])].filter((c) => a.get(c) !== b.get(c)).map((c) => `${show(c)}: input ${a.get(c) ?? 0}, ${tool} ${b.get(c) ?? 0}`);
        expect.fail(`${tool}: characters differ from the input: ${diff.slice(0, MAX_REPORTED).join('; ')}`);
      }
    }
  });

  it('c) draws no .notdef glyph (tofu box)', () => {
    const { fonts, copies } = notdefCopies(get().pdf);
    expect(fonts).toBeGreaterThan(0);
    expect(copies, 'glyphs of the embedded font that are the .notdef box').toEqual([]);
  });

  it('f) spreads full lines to the right margin and leaves last lines (and left-aligned lines) at their natural width', () => {
    const r = get();
    const laid = r.lines.flatMap((lines, p) => lines.map((line) => ({ line, p })));
    const extents = popplerLineExtents(r.pdf);
    const problems: string[] = [];
    if (laid.length !== extents.length) problems.push(`line counts differ: layout ${laid.length}, pdftotext -bbox ${extents.length}`);
    laid.forEach(({ line }, i) => {
      const got = extents[i];
      if (!got || problems.length >= MAX_REPORTED) return;
      const text = lineText(line);
      const left = LEFT + line.indent;
      // Natural width as pdfkit shapes each piece (line.width sums break units, a hair off where kerning crosses them).
      const natural = line.pieces.reduce((w, piece) => w + m.width(piece.text, piece.style), 0);
      const room = line.available - natural;
      const em = m.actualSize(16);
      // Justify spreads at spaces, or between clusters where the spaces would open holes wider than
      // MAX_SPACE_GAP; a line that would need more than MAX_CLUSTER_GAP between clusters, or has no Thai, is set flush left.
      const spaces = (text.trim().match(/\s+/g) ?? []).length;
      const clusterGaps = line.pieces.reduce((n, piece) => n + thaiClusters(piece.text).length, 0) - 1;
      const thai = /[\u0e01-\u0e5b]/.test(text);
      const byClusters = (line.align === 'thai-distributed' && thai) || spaces === 0 || room / spaces > MAX_SPACE_GAP * em;
      const spread = !line.last && (line.align === 'thai-distributed' || line.align === 'justify') && (byClusters ? clusterGaps > 0 : spaces > 0);
      const lettered = thai && room <= MAX_CLUSTER_GAP * em * clusterGaps;
      const right = !spread ? left + natural : byClusters ? left + natural + (lettered ? room : 0) : LEFT + line.indent + line.available;
      if (Math.abs(got.xMin - left) > 1 || Math.abs(got.xMax - right) > 1) {
        problems.push(`line ${i + 1} [${line.align}${line.last ? ', last' : ''}] spans ${got.xMin.toFixed(1)}–${got.xMax.toFixed(1)} pt, expected ${left.toFixed(1)}–${right.toFixed(1)}: ${show(text.slice(0, 40))}`);
      }
    });
    expectNoProblems(problems, 'line extents');
  });
}

describe('Thai in the PDF: every seed paragraph, default alignment (thai-distributed)', () => {
  let r: Rendered;
  beforeAll(async () => { r = await renderParagraphs('seeds', SEEDS); });
  it('is typeset thai-distributed by default', () => {
    expect(new Set(r.aligns)).toEqual(new Set(['thai-distributed']));
    expect(r.pdfjsLines.length).toBeGreaterThan(SEEDS.length);
  });
  pdfChecks(() => r);
});

for (const align of ALIGNMENTS) {
  describe(`Thai in the PDF: seed subset, ${align}`, () => {
    let r: Rendered;
    beforeAll(async () => { r = await renderParagraphs(`subset-${align}`, SUBSET, align); });
    pdfChecks(() => r);
  });
}

describe('Thai in the PDF: pseudo-paragraphs never seen before (digits, abbreviations, Latin, URLs), thai-distributed', () => {
  let r: Rendered;
  beforeAll(async () => { r = await renderParagraphs('pseudo', PSEUDO); });
  pdfChecks(() => r);
});

describe('Thai in the PDF: pseudo-paragraphs, left and justify', () => {
  for (const align of ['left', 'justify'] as const) {
    describe(align, () => {
      let r: Rendered;
      beforeAll(async () => { r = await renderParagraphs(`pseudo-${align}`, PSEUDO.slice(0, 50), align); });
      pdfChecks(() => r);
    });
  }
});

describe('f) thai-distributed spreading keeps every mark on its consonant', () => {
  const STACKS = 'ที่ปั้นปู่ฟ้าฝั่งญี่ปุ่นน้ำฐญฏฎฤๅกำลังสำนักงานผู้อำนวยการเชี่ยวชาญพิเศษ';
  const texts = [
    STACKS.repeat(6),
    (STACKS.split('').join('') + ' ').repeat(4),
    ...SEEDS.filter((t) => t.length > 400).slice(0, 12),
  ];
  let natural: DrawnGlyph[];
  let spread: DrawnGlyph[];
  beforeAll(async () => {
    const render = async (align: Alignment) => drawnGlyphs(await renderDocument({
      page: { pageNumbers: false, continuation: false },
      blocks: texts.map((text) => ({ type: 'paragraph', text, firstLineIndent: '2.5cm', align })),
    }, 'pdf'));
    natural = await render('left');
    spread = await render('thai-distributed');
  });

  it('draws the same glyphs in the same order whether spread or not', () => {
    expect(spread.map((g) => g.text).join('|')).toBe(natural.map((g) => g.text).join('|'));
  });

  it('moves whole clusters only: each mark keeps its offset from its base glyph', () => {
    const a = glyphClusters(natural);
    const b = glyphClusters(spread);
    expect(b.length).toBe(a.length);
    const problems: string[] = [];
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      const ca = a[i]!; const cb = b[i]!;
      if (Math.abs(cb[0]!.x - ca[0]!.x) > 0.01) moved++;
      for (let k = 1; k < Math.min(ca.length, cb.length); k++) {
        const dxA = ca[k]!.x - ca[0]!.x; const dxB = cb[k]!.x - cb[0]!.x;
        const dyA = ca[k]!.y - ca[0]!.y; const dyB = cb[k]!.y - cb[0]!.y;
        if (Math.abs(dxA - dxB) > 0.01 || Math.abs(dyA - dyB) > 0.01) {
          problems.push(`${show(ca.map((g) => g.text).join(''))}: mark ${show(ca[k]!.text)} at (${dxA.toFixed(2)}, ${dyA.toFixed(2)}) from its base unspread, (${dxB.toFixed(2)}, ${dyB.toFixed(2)}) spread`);
        }
      }
    }
    // The comparison means something only if the lines were in fact spread.
    expect(moved).toBeGreaterThan(a.length / 2);
    expectNoProblems(problems, 'marks moved off their consonants');
  });
});
