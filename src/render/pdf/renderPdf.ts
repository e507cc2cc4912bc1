import pdfmake from 'pdfmake';
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { fontRegistry, type FontFamily } from '../../fonts/registry.js';
import { defaultEmblem, placeholderEmblem, prepareEmblem } from '../emblem.js';
import { cellPadTop, layoutDocument, linesHeight, TABLE, type DocumentLayout, type LinePart, type PlacedSlice, type SliceContent, type TableLayout } from '../../layout/page.js';
import type { Line, Piece } from '../../layout/paragraph.js';
import type { Measurer, PieceStyle } from '../../layout/measure.js';
import { MAX_SPREAD, thaiClusters } from '../../thai/segment.js';
import type { DocumentModel, EmblemImage, RenderOptions } from '../../model/document.js';
import { concatPdfs } from './concatPdfs.js';
import { archiveDefinition, type ArchiveMeta } from './archive.js';
import { applyPdfPatches, textOperators, type PdfFont, type SharedFaces, type SpreadMarker } from './pdfkitPatches.js';

/** pdfkit's number format in content streams. */
const num = (n: number) => Math.round(n * 1e6) / 1e6;

type Node = Record<string, unknown>;

let registered = false;
/** Font files go into pdfmake's in-memory file system once per process. */
function registerFonts(): void {
  if (registered) return;
  const registry = fontRegistry();
  const fonts: Record<string, Record<string, string>> = {};
  const faces: SharedFaces = new Map();
  for (const name of registry.names()) {
    const fam = registry.get(name);
    fonts[name] = {};
    for (const [style, buffer] of Object.entries(fam.buffers)) {
      const vname = `${name}-${style}.ttf`;
      pdfmake.virtualfs.writeFileSync(vname, buffer);
      fonts[name]![style] = vname;
    }
    faces.set(name, { ...fam.faces });
  }
  pdfmake.setFonts(fonts);
  // Documents never fetch anything: fonts and images come from memory only.
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  applyPdfPatches(registry.defaultFamily().buffers.normal, faces);
  registered = true;
}

/**
 * Where each piece of a line is drawn, and how much space goes after each
 * Thai grapheme cluster (Thai distributed) or each space (justify). The
 * spreading itself happens in pdfkit's glyph positions (pdfkitPatches.ts), so
 * a spread line is still one text run per style, marks stay on their bases,
 * and no space characters are invented for text extraction.
 */
interface Placed { piece: Piece; x: number; width: number; spread?: SpreadMarker }

type SpreadMode = 'cluster' | 'space';

/** Where a line may take extra space, and how many such places it has. */
function spreadSlots(line: Line, mode: SpreadMode | undefined): { inner: number[]; after: number[]; slots: number } {
  const inner = line.pieces.map((p) => (mode === 'cluster' ? thaiClusters(p.text).length - 1 : mode === 'space' ? (p.text.replace(/\s$/, '').match(/\s/g) ?? []).length : 0));
  const after = line.pieces.map((p, i): number => (i === line.pieces.length - 1 || !mode ? 0 : mode === 'cluster' || /\s$/.test(p.text) ? 1 : 0));
  return { inner, after, slots: inner.reduce((a, b) => a + b, 0) + after.reduce((a, b) => a + b, 0) };
}

/**
 * Justification limits, in ems of the text. A Thai line with one or two
 * spaces cannot be justified at its spaces without holes that readers and
 * text extractors take for columns: past MAX_SPACE_GAP it is spread between
 * grapheme clusters instead. A line that would need more than
 * MAX_CLUSTER_GAP between clusters (a long unbreakable word follows) is not
 * letter-spaced at all: it is set flush left. A line without Thai is never
 * spread between its letters.
 */
export const MAX_SPACE_GAP = 0.5;
export const MAX_CLUSTER_GAP = MAX_SPREAD;
const HAS_THAI = /[\u0e01-\u0e5b]/;

function placeParts(part: LinePart, m: Measurer): Placed[] {
  const { line } = part;
  const slack = line.available - line.width;
  const base = part.x + line.indent + (line.align === 'center' ? slack / 2 : line.align === 'right' ? slack : 0);
  const widths = line.pieces.map((p) => m.width(p.text, p.style));
  const natural = widths.reduce((a, b) => a + b, 0);
  const room = Math.max(0, line.available - natural);
  const em = m.actualSize(line.pieces[0]?.style.size ?? 16);
  const thai = line.pieces.some((p) => HAS_THAI.test(p.text));
  // Latin text (an address on a line of its own) is spread at its spaces only.
  let mode: SpreadMode | undefined = line.last ? undefined : line.align === 'thai-distributed' && thai ? 'cluster' : line.align === 'justify' || line.align === 'thai-distributed' ? 'space' : undefined;
  let spots = spreadSlots(line, mode);
  if (mode === 'space' && (spots.slots === 0 || room / spots.slots > MAX_SPACE_GAP * em)) {
    mode = thai ? 'cluster' : undefined;
    spots = spreadSlots(line, mode);
  }
  const { inner, after, slots } = spots;
  // Past the cap the line is set flush left rather than letter-spaced.
  const gap = mode && slots > 0 && (mode !== 'cluster' || room / slots <= MAX_CLUSTER_GAP * em) ? room / slots : 0;
  let x = base;
  return line.pieces.map((piece, i) => {
    const at = x;
    x += widths[i]! + gap * (inner[i]! + after[i]!);
    const size = m.actualSize(piece.style.size, piece.style);
    return { piece, x: at, width: widths[i]!, spread: gap > 0 && mode ? { saraban: mode, gap: (gap * 1000) / size } : undefined };
  });
}

function lineNode(parts: LinePart[], m: Measurer, family: FontFamily, spaceBefore: number): Node {
  const inlines: Node[] = [];
  let natural = 0;
  const pitch = Math.max(...parts.map((p) => p.line.pitch));
  for (const part of parts) {
    for (const placed of placeParts(part, m)) {
      const st = placed.piece.style;
      const fam = m.familyOf(st);
      const fontSize = m.actualSize(st.size, st);
      inlines.push({
        text: placed.piece.text,
        font: fam.name,
        fontSize,
        // Every inline is exactly one line pitch tall, whatever its font: pages hold what the layout counted.
        lineHeight: pitch / (fam.naturalLineEm * fontSize),
        bold: st.bold ?? false,
        italics: st.italic ?? false,
        color: st.color,
        decoration: st.underline ? 'underline' : undefined,
        fontFeatures: placed.spread,
        noWrap: true,
        sarabanShift: placed.x - natural,
      });
      natural += placed.width;
    }
  }
  if (inlines.length === 0) return { text: ' ', font: family.name, fontSize: m.actualSize(16), lineHeight: pitch / (family.naturalLineEm * m.actualSize(16)), margin: [0, spaceBefore, 0, 0] };
  return { text: inlines, margin: [0, spaceBefore, 0, 0] };
}

function emblemNode(content: Extract<SliceContent, { kind: 'emblem' }>, layout: DocumentLayout, family: FontFamily, emblem: EmblemImage, spaceBefore: number): Node {
  const h = content.height;
  const x = content.align === 'center' ? (layout.contentWidth - h) / 2 : 0;
  const image = emblem === placeholderEmblem()
    ? placeholderRings(h)
    : emblem.type === 'svg'
      ? { svg: emblem.data.toString('utf8'), fit: [h, h] }
      : { image: `data:image/${emblem.type};base64,${emblem.data.toString('base64')}`, fit: [h, h] };
  const m = layout.measurer;
  const stack: Node[] = [{ ...image, relativePosition: { x, y: -content.raise } }];
  // The mark sits level with the emblem's middle, the title on its bottom line.
  if (content.mark) {
    // Beside a centred emblem the mark stands level with its middle; a left emblem (a memo's)
    // has it above, in the top margin, where there is room for it.
    const pitch = content.mark.line.pitch;
    const above = content.markAbove === true;
    stack.push({ ...lineNode([content.mark], m, family, 0), relativePosition: { x: 0, y: above ? -content.raise - pitch : -content.raise + (h - pitch) / 2 } });
  }
  if (content.title) stack.push({ ...lineNode([content.title], m, family, 0), relativePosition: { x: 0, y: -content.raise + h - content.title.line.pitch } });
  return { stack, margin: [0, spaceBefore, 0, h - content.raise] };
}

/**
 * The placeholder's two grey rings (templates/emblem/placeholder.png, which
 * DOCX uses) drawn as vectors: decoding a PNG costs pdfkit a millisecond a document.
 */
function placeholderRings(h: number): Node {
  const ring = (r: number, w: number) => ({ type: 'ellipse', x: h / 2, y: h / 2, r1: (r / 360) * h, r2: (r / 360) * h, lineWidth: (w / 360) * h, lineColor: '#969696' });
  return { canvas: [ring(168, 6), ring(150, 2)], width: h, height: h };
}

/** A dotted rule just below a line's baseline, taking no space of its own. */
function dottedRule(width: number, pitch: number): Node {
  return { canvas: [{ type: 'line', x1: 0, y1: 0, x2: width, y2: 0, lineWidth: 0.6, dash: { length: 0.6, space: 1.8 }, lineColor: '#000000' }], relativePosition: { x: 0, y: -pitch * 0.18 } };
}

/**
 * placeParts for a line that is not spread: the pieces one after another from
 * where the alignment puts them. A line of one piece (most table cells) needs
 * no measuring: the layout knows its width.
 */
function unspreadParts(line: Line, m: Measurer): Placed[] {
  const slack = line.available - line.width;
  let x = line.indent + (line.align === 'center' ? slack / 2 : line.align === 'right' ? slack : 0);
  return line.pieces.map((piece, i) => {
    const width = line.pieces.length === 1 ? line.width : i === line.pieces.length - 1 ? 0 : m.width(piece.text, piece.style);
    const at = x;
    x += width;
    return { piece, x: at, width };
  });
}

/** What drawTableRows needs of pdfmake's pdfkit document. */
interface PdfDoc {
  provideFont(family: string, bold: boolean, italics: boolean): PdfFont & { ascender: number; ref(): unknown };
  page: { height: number; fonts: Record<string, unknown> };
  addContent(data: string): PdfDoc;
  _font: unknown;
  fontSize(size: number): PdfDoc;
  fillColor(color: string): PdfDoc;
  text(text: string, x: number, y: number, options: Record<string, unknown>): PdfDoc;
}

type TableRowContent = Extract<SliceContent, { kind: 'tableRow' }>;

/**
 * Table rows on one page, drawn straight into the page's content stream at
 * the place pdfmake gives the block. The layout has already broken every cell
 * into lines and put every row on its page, so a pdfmake table (which
 * measures, wraps and paginates every cell again) and pdfkit's text() (which
 * measures and writes each run operator by operator) would only redo that
 * work: a table of thousands of rows is written as one block of operators.
 * The geometry is pdfmake's: a rule, the padding, the content, per row and
 * per column, and one more rule at the bottom and the right. Coloured or
 * underlined text goes through pdfkit's text(), as elsewhere.
 */
function drawTableRows(doc: PdfDoc, x: number, y: number, table: TableLayout, rows: TableRowContent[], heights: number[], m: Measurer): void {
  const { widths, rule } = table;
  const pageHeight = doc.page.height;
  const lefts: number[] = [];
  let acc = x;
  for (const w of widths) { lefts.push(acc); acc += w; }
  const right = acc;
  // By face: fallback, bold, italic as bits.
  const fonts: ReturnType<PdfDoc['provideFont']>[] = [];
  const fontOf = (st: PieceStyle) => {
    const key = (st.fallback ? 4 : 0) + (st.bold ? 2 : 0) + (st.italic ? 1 : 0);
    let font = fonts[key];
    if (!font) {
      font = doc.provideFont(m.familyOf(st).name, st.bold ?? false, st.italic ?? false);
      doc.page.fonts[font.id] ??= font.ref();
      fonts[key] = font;
    }
    return font;
  };
  const plain = (st: PieceStyle) => !st.underline && (!st.color || st.color === 'black' || st.color === '#000000');
  const setFont = (fontId: string, size: number) => {
    const fontKey = `/${fontId} ${num(size)} Tf`;
    if (fontKey !== currentFont) { ops.push(fontKey); currentFont = fontKey; }
  };
  // Text in PDF space (y up), black, one text object; rules after it.
  // The page's matrix is pdfkit's (y down): undo it, as pdfkit's text() does.
  let ops: string[] = ['q', `1 0 0 -1 0 ${num(pageHeight)} cm`, '0 0 0 rg', 'BT'];
  let currentFont = '';
  const special: (() => void)[] = [];
  const rules: string[] = [];
  const edge = (col: number) => lefts[col] ?? right;
  // A rule across the table, but over columns a cell from the row above runs down over.
  const hline = (y1: number, gaps: [number, number][] = []) => {
    let from = x;
    for (const [a, b] of [...gaps, [right + rule, right + rule] as [number, number]]) {
      if (a > from) rules.push(`${num(from)} ${num(pageHeight - y1)} m ${num(a)} ${num(pageHeight - y1)} l`);
      from = b;
    }
  };
  const vline = (vx: number, y1: number, y2: number) => rules.push(`${num(vx)} ${num(pageHeight - y1)} m ${num(vx)} ${num(pageHeight - y2)} l`);
  // An inner vertical rule runs down as one line while rows continue it, instead of one line a row:
  // the same ink (pixel-identical pages), and a 20,000-row list's PDF is 11 % smaller.
  // By column: [from, to] of the rule running down; a row that does not continue it (a cell spanning
  // that column) ends it.
  const running: ([number, number] | undefined)[] = [];
  const endRule = (col: number) => {
    const run = running[col];
    if (run) vline(lefts[col]! + rule / 2, run[0], run[1]);
    running[col] = undefined;
  };
  let top = y;
  rows.forEach((row, r) => {
    const h = heights[r]!;
    let col = 0;
    const gaps: [number, number][] = [];
    for (const cell of row.cells) {
      if (col > 0 && rule > 0) {
        const run = running[col];
        if (run && run[1] >= top) run[1] = top + h + rule;
        else { endRule(col); running[col] = [top, top + h + rule]; }
      }
      if (cell.covered) {
        gaps.push([edge(col) + rule, edge(col + cell.colSpan)]);
        col += cell.colSpan;
        continue;
      }
      const padTop = cellPadTop(row.header);
      let lineTop = top + rule + padTop;
      if (cell.rowSpan! > 1) {
        // Centred in the rows it runs down (header rows are drawn together, on one page).
        const spanned = heights.slice(r, r + cell.rowSpan!).reduce((a, b) => a + b, 0);
        lineTop += Math.max(0, (spanned - rule - padTop - TABLE.padBottom - linesHeight(cell.lines)) / 2);
      }
      const cellX = lefts[col]! + rule + TABLE.padX;
      for (const line of cell.lines) {
        const only = line.pieces.length === 1 ? line.pieces[0]! : undefined;
        if (only && plain(only.style) && (line.last || (line.align !== 'justify' && line.align !== 'thai-distributed'))) {
          // Most cells: one black run, not spread, placed by its alignment (unspreadParts, without the arrays).
          const font = fontOf(only.style);
          const size = m.actualSize(only.style.size, only.style);
          const slack = line.available - line.width;
          const dx = line.indent + (line.align === 'center' ? slack / 2 : line.align === 'right' ? slack : 0);
          setFont(font.id, size);
          ops.push(textOperators(font, size, cellX + dx, pageHeight - lineTop - (font.ascender / 1000) * size, only.text));
          lineTop += line.pitch;
          continue;
        }
        const placed = line.last || (line.align !== 'justify' && line.align !== 'thai-distributed') ? unspreadParts(line, m) : placeParts({ line, x: 0 }, m);
        const asc = placed.map((p) => (fontOf(p.piece.style).ascender / 1000) * m.actualSize(p.piece.style.size, p.piece.style));
        const lineAsc = Math.max(...asc);
        placed.forEach((p, k) => {
          const st = p.piece.style;
          const font = fontOf(st);
          const size = m.actualSize(st.size, st);
          const runTop = lineTop + lineAsc - asc[k]!;
          if (!plain(st)) {
            special.push(() => {
              doc._font = font;
              doc.fontSize(size);
              doc.fillColor(st.color ?? 'black');
              doc.text(p.piece.text, cellX + p.x, runTop, { lineBreak: false, textWidth: p.width, wordCount: 1, features: p.spread, underline: st.underline || undefined });
            });
            return;
          }
          setFont(font.id, size);
          // The baseline: pdfkit puts the run's top at `runTop` and its baseline one ascender below.
          ops.push(textOperators(font, size, cellX + p.x, pageHeight - runTop - asc[k]!, p.piece.text, p.spread));
        });
        lineTop += line.pitch;
      }
      col += cell.colSpan;
    }
    if (rule > 0) hline(top + rule / 2, gaps);
    top += h;
  });
  ops.push('ET');
  if (rule > 0) {
    // The bottom rule and the outer verticals (inner ones, none inside a spanned cell, are in `rules`).
    for (let c = 1; c < running.length; c++) endRule(c);
    hline(top + rule / 2);
    vline(x + rule / 2, y, top + rule);
    vline(right + rule / 2, y, top + rule);
    ops.push(`${num(rule)} w`, '[] 0 d', '0 0 0 RG', ...rules, 'S');
  }
  ops.push('Q');
  doc.addContent(ops.join('\n'));
  ops = [];
  for (const draw of special) draw();
}

function pageNodes(page: PlacedSlice[], layout: DocumentLayout, family: FontFamily, emblem: EmblemImage, first: boolean): Node[] {
  const m = layout.measurer;
  const nodes: Node[] = [];
  for (let i = 0; i < page.length; i++) {
    const { slice, spaceBefore } = page[i]!;
    const c = slice.content;
    let node: Node;
    if (c.kind === 'text') {
      node = lineNode(c.parts, m, family, spaceBefore);
      if (c.dotted) node = { stack: [{ ...node, margin: [0, 0, 0, 0] }, dottedRule(layout.contentWidth, slice.height)], margin: node.margin };
    }
    else if (c.kind === 'emblem') node = emblemNode(c, layout, family, emblem, spaceBefore);
    else if (c.kind === 'space') node = { text: '', margin: [0, spaceBefore + slice.height, 0, 0], lineHeight: 0.0001, fontSize: 1 };
    else {
      // Consecutive rows of one table on one page are drawn as one block (drawTableRows).
      const table = c.table;
      const rows: TableRowContent[] = [];
      let height = table.rule;
      let j = i;
      for (; j < page.length; j++) {
        const r = page[j]!.slice;
        if (r.content.kind !== 'tableRow' || r.content.table !== table) break;
        rows.push(r.content);
        height += r.height;
      }
      i = j - 1;
      const width = table.widths.reduce((a, b) => a + b, 0) + table.rule;
      const heights = page.slice(i - rows.length + 1, i + 1).map((p) => p.slice.height);
      node = {
        canvas: [{ type: 'rect', x: 0, y: 0, w: width, h: height, sarabanDraw: (doc: PdfDoc, x: number, y: number) => drawTableRows(doc, x, y, table, rows, heights, m) }],
        margin: [0, spaceBefore, 0, 0],
      };
    }
    if (nodes.length === 0 && !first) node.pageBreak = 'before';
    nodes.push(node);
  }
  if (nodes.length === 0 && !first) nodes.push({ text: '', pageBreak: 'before' });
  return nodes;
}

const checkedEmblems = new Set<string>();

/**
 * Whether pdfkit can draw an emblem image: a file that claims to be a PNG,
 * JPEG or SVG but is broken (or an SVG without a size) must be a 400 for the
 * request that sent it, not a failure in the middle of rendering. The image
 * is drawn once into a scrap document; the verdict is kept by content.
 */
export async function emblemIsDrawable(image: EmblemImage): Promise<boolean> {
  const key = createHash('sha1').update(image.data).digest('hex');
  if (checkedEmblems.has(key)) return true;
  registerFonts();
  try {
    const prepared = prepareEmblem(image);
    const node = prepared.type === 'svg'
      ? { svg: prepared.data.toString('utf8'), fit: [50, 50] }
      : { image: `data:image/${prepared.type};base64,${prepared.data.toString('base64')}`, fit: [50, 50] };
    await pdfmake.createPdf({ content: [node] }).getBuffer();
  } catch {
    return false;
  }
  if (checkedEmblems.size > 256) checkedEmblems.clear();
  checkedEmblems.add(key);
  return true;
}

/** Distance of a secrecy mark from the top edge: clear of what printers cannot reach. */
const SECRECY_EDGE = 8.5;

/**
 * Past this many table body rows renderPdfFile lays a document out lean
 * (LayoutOptions): its rows' lines are laid again when drawn, a part at a
 * time, instead of kept for every page. Below it (every letter, form and
 * authority-sized list) kept lines cost less than laying twice.
 */
export const LEAN_ROWS = 1500;

/**
 * A document longer than this is drawn this many pages at a time by
 * renderPdfFile, each part a pdfmake document of its own, and the parts are
 * joined: pdfmake holds a document's nodes and output, and pdfkit its
 * per-document caches, until the last page, so a one-document list of a
 * whole province would hold them all.
 */
export const CHUNK_PAGES = 200;

const tableBodyRows = (model: DocumentModel): number => model.blocks.reduce((n, b) => n + (b.type === 'table' ? b.rows.length : 0), 0);

interface LaidOut { layout: DocumentLayout; family: FontFamily; emblem: EmblemImage; pagesBefore: number }

const familyOf = (font?: string): FontFamily => (font ? fontRegistry().get(font) : fontRegistry().defaultFamily());

/** The pages of a prepared model as the PDF draws them (the page lint reads the same). */
export function layoutFor(model: DocumentModel, font?: string, lean = false): DocumentLayout {
  return layoutDocument(model, familyOf(font), fontRegistry().fallbackFamily(), { lean });
}

async function layOut(model: DocumentModel, options: RenderOptions, lean: boolean): Promise<LaidOut> {
  registerFonts();
  const family = familyOf(options.font);
  const layout = layoutFor(model, options.font, lean);
  const pagesBefore = options.pagesBefore ? await options.pagesBefore(layout.pages.length) : 0;
  const source = options.emblem ?? defaultEmblem();
  const emblem = source === placeholderEmblem() ? source : prepareEmblem(source);
  return { layout, family, emblem, pagesBefore };
}

/** An archived PDF's metadata (options.archive), one creation time for all its parts. */
const archiveMeta = (model: DocumentModel, options: RenderOptions): ArchiveMeta | undefined =>
  (options.archive ? { title: model.title || options.meta?.subject || '', subject: options.meta?.subject, author: options.meta?.author, created: new Date() } : undefined);

/** Signs a whole PDF when asked (options.sign): loaded with the first signature only. */
const signed = async (pdf: Buffer, options: RenderOptions): Promise<Buffer> => (options.sign ? (await import('../../sign/signPdf.js')).signPdf(pdf) : pdf);

/** Lays the model out and writes it with pdfmake; PDF/A-3b and signed when asked. */
export async function renderPdf(model: DocumentModel, options: RenderOptions = {}): Promise<Buffer> {
  const laid = await layOut(model, options, false);
  const meta = archiveMeta(model, options);
  return signed(await drawPages(model, laid, 0, laid.layout.pages.length, meta && archiveDefinition(meta, options.attachments ?? [])), options);
}

/**
 * Lays the model out and writes it to `path`, a long document in parts of
 * CHUNK_PAGES pages (joined into `path`, then removed), so that memory does
 * not grow with its length as in renderPdf. The pages are renderPdf's.
 */
export async function renderPdfFile(model: DocumentModel, options: RenderOptions, path: string, chunkPages = CHUNK_PAGES): Promise<void> {
  const laid = await layOut(model, options, tableBodyRows(model) > LEAN_ROWS);
  const count = laid.layout.pages.length;
  const meta = archiveMeta(model, options);
  if (count <= chunkPages) {
    await writeFile(path, await signed(await drawPages(model, laid, 0, count, meta && archiveDefinition(meta, options.attachments ?? [])), options));
    return;
  }
  const parts: string[] = [];
  try {
    for (let from = 0; from < count; from += chunkPages) {
      const part = `${path}.${parts.length}`;
      parts.push(part);
      // The data files go with the first part; concatPdfs carries them over and writes the archive's metadata.
      await writeFile(part, await drawPages(model, laid, from, Math.min(count, from + chunkPages), meta && archiveDefinition(meta, from === 0 ? options.attachments ?? [] : [])));
    }
    await concatPdfs(parts, path, { title: model.title, archive: meta });
  } finally {
    await Promise.all(parts.map((part) => rm(part, { force: true })));
  }
  // Signed once whole: the signature's byte range is the joined file.
  if (options.sign) await (await import('../../sign/signPdf.js')).signPdfFile(path);
}

/** Pages `from` to `to` (not included) of a laid-out document as one pdfmake document. */
function drawPages(model: DocumentModel, laid: LaidOut, from: number, to: number, archive?: Record<string, unknown>): Promise<Buffer> {
  const { layout, family, emblem } = laid;
  const pages = layout.pages.slice(from, to);
  const before = laid.pagesBefore + from;
  const m = layout.measurer;
  const { margins } = layout;
  const content = pages.flatMap((page, i) => pageNodes(page.slices, layout, family, emblem, i === 0));
  const doc: Node = {
    pageSize: 'A4',
    pageOrientation: model.page.orientation,
    pageMargins: [margins.left, margins.top, margins.right, margins.bottom],
    info: { title: model.title, creator: 'Saraban', producer: 'Saraban' },
    language: 'th-TH',
    content,
    defaultStyle: { font: family.name },
    // Page furniture sits in the margins: the secrecy mark near the top and bottom edges,
    // the page number above the body from page 2, the next page's first word below the body.
    header: (page: number) => {
      const lines: Node[] = [];
      if (layout.secrecyLine) lines.push(lineNode([{ line: layout.secrecyLine, x: 0 }], m, family, 0));
      if (before + page > 1 && model.page.pageNumbers) lines.push(lineNode([{ line: layout.pageNumberLine(before + page), x: 0 }], m, family, 0));
      if (lines.length === 0) return null;
      const top = layout.secrecyLine ? SECRECY_EDGE : margins.top - m.pitch(layout.bodySize) * 2;
      return { stack: lines, margin: [margins.left, top, margins.right, 0] };
    },
    footer: (page: number) => {
      const lines: Node[] = [];
      const word = model.page.continuation ? pages[page - 1]?.nextWord : undefined;
      if (word) lines.push(lineNode([{ line: layout.continuationLine(word), x: 0 }], m, family, 0));
      // The secrecy mark keeps its place whether or not a continuation word stands above it.
      if (layout.secrecyLine) lines.push(lineNode([{ line: layout.secrecyLine, x: 0 }], m, family, word ? 0 : m.pitch(layout.bodySize)));
      if (lines.length === 0) return null;
      return { stack: lines, margin: [margins.left, 2, margins.right, 0] };
    },
    // PDF/A-3b: PDF 1.7, pdfkit's XMP and output intent, the Info in Thai, the data files (archive.ts).
    ...archive,
  };
  return pdfmake.createPdf(doc).getBuffer();
}

/** How a line is spread when drawn, for the page lint: between letters ('cluster') or at spaces, and the gap per place in em of its text. */
export function lineSpread(line: Line, m: Measurer): { mode?: 'cluster' | 'space'; em: number } {
  const placed = placeParts({ line, x: 0 }, m).find((p) => p.spread);
  if (!placed?.spread) return { em: 0 };
  const size = m.actualSize(placed.piece.style.size, placed.piece.style);
  return { mode: placed.spread.saraban, em: (placed.spread.gap * size) / 1000 / m.actualSize(line.pieces[0]?.style.size ?? 16) };
}
