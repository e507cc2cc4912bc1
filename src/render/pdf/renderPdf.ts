import pdfmake from 'pdfmake';
import { createHash } from 'node:crypto';
import { fontRegistry, type FontFamily } from '../../fonts/registry.js';
import { defaultEmblem, placeholderEmblem, prepareEmblem } from '../emblem.js';
import { layoutDocument, TABLE, type DocumentLayout, type LinePart, type PlacedSlice, type SliceContent } from '../../layout/page.js';
import type { Line, Piece } from '../../layout/paragraph.js';
import type { Measurer } from '../../layout/measure.js';
import { thaiClusters } from '../../thai/segment.js';
import type { DocumentModel, EmblemImage, RenderOptions } from '../../model/document.js';
import { applyPdfPatches, type SharedFaces, type SpreadMarker } from './pdfkitPatches.js';

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
 * MAX_CLUSTER_GAP between clusters (a long unbreakable word follows) is
 * spread that much and no more.
 */
export const MAX_SPACE_GAP = 0.5;
export const MAX_CLUSTER_GAP = 0.3;

function placeParts(part: LinePart, m: Measurer): Placed[] {
  const { line } = part;
  const slack = line.available - line.width;
  const base = part.x + line.indent + (line.align === 'center' ? slack / 2 : line.align === 'right' ? slack : 0);
  const widths = line.pieces.map((p) => m.width(p.text, p.style));
  const natural = widths.reduce((a, b) => a + b, 0);
  const room = Math.max(0, line.available - natural);
  const em = m.actualSize(line.pieces[0]?.style.size ?? 16);
  let mode: SpreadMode | undefined = line.last ? undefined : line.align === 'thai-distributed' ? 'cluster' : line.align === 'justify' ? 'space' : undefined;
  let spots = spreadSlots(line, mode);
  if (mode === 'space' && (spots.slots === 0 || room / spots.slots > MAX_SPACE_GAP * em)) {
    mode = 'cluster';
    spots = spreadSlots(line, mode);
  }
  const { inner, after, slots } = spots;
  const gap = mode && slots > 0 ? Math.min(room / slots, mode === 'cluster' ? MAX_CLUSTER_GAP * em : Infinity) : 0;
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

function cellStack(lines: Line[], m: Measurer, family: FontFamily): Node {
  return { stack: lines.map((line) => lineNode([{ line, x: 0 }], m, family, 0)) };
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
    const above = content.align === 'left' && content.raise > 0;
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

const tableLayout = (rule: number) => ({
  hLineWidth: () => rule,
  vLineWidth: () => rule,
  paddingLeft: () => TABLE.padX,
  paddingRight: () => TABLE.padX,
  paddingTop: () => TABLE.padTop,
  paddingBottom: () => TABLE.padBottom,
});

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
      // Consecutive rows of one table on one page become one pdfmake table.
      const rows: Node[][] = [];
      const table = c.table;
      let j = i;
      for (; j < page.length; j++) {
        const r = page[j]!.slice.content;
        if (r.kind !== 'tableRow' || r.table !== table) break;
        const row: Node[] = [];
        for (const cell of r.cells) {
          row.push({ ...cellStack(cell.lines, m, family), colSpan: cell.colSpan > 1 ? cell.colSpan : undefined });
          for (let k = 1; k < cell.colSpan; k++) row.push({});
        }
        rows.push(row);
      }
      i = j - 1;
      node = {
        table: { widths: table.widths.map((w) => w - 2 * TABLE.padX - table.rule), body: rows, dontBreakRows: true },
        layout: tableLayout(table.rule),
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

/** Lays the model out and writes it with pdfmake. */
export async function renderPdf(model: DocumentModel, options: RenderOptions = {}): Promise<Buffer> {
  registerFonts();
  const registry = fontRegistry();
  const family = options.font ? registry.get(options.font) : registry.defaultFamily();
  const layout = layoutDocument(model, family, registry.fallbackFamily());
  const before = options.pagesBefore ? await options.pagesBefore(layout.pages.length) : 0;
  const source = options.emblem ?? defaultEmblem();
  const emblem = source === placeholderEmblem() ? source : prepareEmblem(source);
  const m = layout.measurer;
  const { margins } = layout;
  const content = layout.pages.flatMap((page, i) => pageNodes(page.slices, layout, family, emblem, i === 0));
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
      const word = model.page.continuation ? layout.pages[page - 1]?.nextWord : undefined;
      if (word) lines.push(lineNode([{ line: layout.continuationLine(word), x: 0 }], m, family, 0));
      // The secrecy mark keeps its place whether or not a continuation word stands above it.
      if (layout.secrecyLine) lines.push(lineNode([{ line: layout.secrecyLine, x: 0 }], m, family, word ? 0 : m.pitch(layout.bodySize)));
      if (lines.length === 0) return null;
      return { stack: lines, margin: [margins.left, 2, margins.right, 0] };
    },
  };
  return pdfmake.createPdf(doc).getBuffer();
}
