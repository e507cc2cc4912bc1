import { cm } from '../model/units.js';
import {
  cellSpan, isSigningLine, runsOf, plainText, SIGNING_ROOM_LINES, tableGrid, type Alignment, type Block, type DocumentModel, type Text,
} from '../model/document.js';
import { breakUnits } from '../thai/segment.js';
import { applyNumerals, type Numerals } from '../thai/numerals.js';
import type { FontFamily } from '../fonts/registry.js';
import { Measurer, type PieceStyle } from './measure.js';
import { layoutParagraph, lineText, SAFETY, type Line } from './paragraph.js';
import { RecentCache } from '../util/recentCache.js';
import { balanceWidths } from './tableBalance.js';
import { bodyMins, fitHeaderWidths, HEADER_SCALES, type FittedWidths, type MeasureText } from './tableHeader.js';

/**
 * Page layout of a document model: every block becomes slices (a line, a
 * table row, the emblem) of known height, and slices are put on pages here,
 * not by pdfmake. Owning pagination is what lets the PDF carry the first word
 * of the next page at the bottom of each page, keep a signature with the last
 * lines of the body, and repeat table headers exactly.
 */

export const A4 = { width: 595.28, height: 841.89 };

/**
 * Table cell padding and rule width, shared with the PDF renderer. Header
 * rows have more room above: their bold tone marks (ค่าจ้าง, ขั้น) stand higher
 * than the font's ascender and touched the rule above at 1 pt.
 */
export const TABLE = { padX: 4, padTop: 1, headerPadTop: 2.5, padBottom: 1, rule: 0.5 };

/** Space above a row's text. */
export const cellPadTop = (header: boolean): number => (header ? TABLE.headerPadTop : TABLE.padTop);

export interface LinePart { line: Line; x: number }

export interface TableCellLayout {
  lines: Line[];
  colSpan: number;
  bold?: boolean;
  /** A header cell running down this many rows (drawn once, centred in their height). */
  rowSpan?: number;
  /** Columns a cell of a row above runs down over: no text, no rule above. */
  covered?: boolean;
}

export interface TableLayout {
  id: number;
  widths: number[];
  /** Width of its rules: TABLE.rule, or 0 for a table without borders. */
  rule: number;
}

export type SliceContent =
  | { kind: 'text'; parts: LinePart[]; dotted?: boolean }
  | { kind: 'tableRow'; table: TableLayout; cells: TableCellLayout[]; header: boolean }
  | { kind: 'emblem'; height: number; raise: number; align: 'left' | 'center'; mark?: LinePart; title?: LinePart; markAbove?: boolean }
  | { kind: 'space' };

/**
 * What a slice is to the page, for the page rules here and for checks of the
 * pages (npm run lint:pages): a line of the body (the letter's head, its
 * paragraphs, lists), a table's header or body row, a signature block's line
 * or signing room, a line kept with a signature by keepWithNext (a closing
 * sentence, สั่ง ณ วันที่, a list's ขอรับรองว่า... certification), a
 * bottom-anchored line (contact lines, สำเนาส่ง), the emblem, or space.
 */
export type SliceRole = 'body' | 'table-header' | 'table-row' | 'closing' | 'signature' | 'contact' | 'emblem' | 'space';

export interface Slice {
  content: SliceContent;
  /** Set by layoutDocument for every slice of a document (see SliceRole). */
  role?: SliceRole;
  /** Index of the model block the slice comes from (undefined for space the pagination adds). */
  block?: number;
  height: number;
  spaceBefore: number;
  /** Must stay on the page of the next slice. */
  glueNext: boolean;
  /** Stands at the foot of the page, with the bottom slices after it. */
  bottom?: boolean;
  /** Header rows to repeat when this table row starts a page. */
  repeat?: Slice[];
  /** Text the reader meets first on this slice (continuation markers). */
  text: string;
}

export interface PlacedSlice {
  slice: Slice;
  spaceBefore: number;
  /** A table's header rows repeated at the top of a page (not the table's own start). */
  repeated?: boolean;
}

export interface PageLayout {
  slices: PlacedSlice[];
  /** First word of the next page, for `/คำ...` at the bottom of this one. */
  nextWord?: string;
}

export interface DocumentLayout {
  /** The model laid out: the one given, or a short table in it set smaller (layoutDocument's page rule). */
  model: DocumentModel;
  width: number;
  height: number;
  margins: { top: number; right: number; bottom: number; left: number };
  contentWidth: number;
  pages: PageLayout[];
  bodySize: number;
  /** Page number line, laid out once per page after the first. */
  pageNumberLine: (page: number) => Line;
  continuationLine: (word: string) => Line;
  /** The secrecy mark (ลับ ...), red, at the top and bottom centre of every page. */
  secrecyLine?: Line;
  measurer: Measurer;
}

/** Space before every part but the first (the regulation's 6 pt), shared with the DOCX renderer. */
export const DEFAULT_SPACE_BEFORE = 6;

/** The signature block's centre line, from the left margin. */
export const SIGNATURE_AXIS = cm(8);

/** The Garuda on letters, announcements and orders (a memo's is 1.5 cm, set by its template). */
export const EMBLEM_HEIGHT = cm(3);

/** Distance of the emblem's top from the top edge of the first page. */
export const EMBLEM_TOP = cm(1.5);

/** A mark above the emblem (a memo's urgency mark) stands at least this far from the top edge, where every printer reaches. */
export const MARK_FROM_EDGE = cm(1);

/**
 * How far the emblem opening a document stands above the top margin: up to
 * EMBLEM_TOP from the edge, less where a mark above it (of line pitch
 * `markPitch`, a left emblem's) needs room below MARK_FROM_EDGE. Shared by
 * the PDF layout and the DOCX renderer.
 */
export function emblemRaise(topMargin: number, markPitch?: number): number {
  const raise = Math.max(0, topMargin - EMBLEM_TOP);
  return markPitch === undefined ? raise : Math.max(0, Math.min(raise, topMargin - MARK_FROM_EDGE - markPitch));
}

/**
 * A signature never starts a page without at least this many lines of the
 * body above it (the regulation's guides: the last page carries at least two
 * lines of the text), not counting the lines kept with the signature.
 */
const SIGNATURE_KEEPS_LINES = 2;

function roleOf(block: Block, s: Slice, bottom: boolean): SliceRole {
  if (bottom) return 'contact';
  if (s.content.kind === 'tableRow') return s.content.header ? 'table-header' : 'table-row';
  if (s.content.kind === 'emblem') return 'emblem';
  if (block.type === 'signature') return 'signature';
  if (block.type === 'spacer' || block.type === 'pageBreak' || s.content.kind === 'space') return 'space';
  return 'body';
}

/**
 * Keeps a signature with what it signs, a rule of every form: the blocks
 * that keep with it (keepWithNext: a closing sentence, สั่ง ณ วันที่, a
 * certification) become its closing lines, and the last lines of the body
 * before them (the last body paragraph's, or a list's last rows) at least
 * SIGNATURE_KEEPS_LINES lines tall, stay on its page. A signature right
 * after another (a stamped letter's office and date) keeps with it.
 */
function keepWithSignature(slices: Slice[], afterSignature: boolean): void {
  let k = slices.length - 1;
  if (afterSignature) {
    if (k >= 0) slices[k]!.glueNext = true;
    return;
  }
  // The closing lines: the run of text slices glued into the signature.
  while (k >= 0 && slices[k]!.glueNext && slices[k]!.role === 'body') {
    slices[k]!.role = 'closing';
    k--;
  }
  // The body above: text lines count one each, a table row its tallest cell's lines.
  let lines = 0;
  for (; k >= 0 && lines < SIGNATURE_KEEPS_LINES; k--) {
    const s = slices[k]!;
    if (s.height === Infinity || s.role === 'emblem' || s.role === 'signature' || s.role === 'contact') break;
    s.glueNext = true;
    if (s.role === 'body') lines += 1;
    else if (s.content.kind === 'tableRow' && s.role === 'table-row') lines += Math.max(1, ...s.content.cells.map((c) => c.lines.length));
  }
}

interface BuildContext {
  m: Measurer;
  width: number;
  bodySize: number;
  align: Alignment;
  numerals: Numerals;
  tableIds: number;
  /** Height of a page's body: a table row taller than this is split. */
  bodyHeight: number;
  /** Table body rows keep their height only and lay their lines again when drawn (LayoutOptions.lean). */
  lean: boolean;
}

type Keep = 'widows' | 'none' | 'all';

function textSlices(lines: Line[], x: number, spaceBefore: number, keep: Keep = 'widows'): Slice[] {
  return lines.map((line, i) => ({
    content: { kind: 'text', parts: [{ line, x }] },
    height: line.pitch,
    spaceBefore: i === 0 ? spaceBefore : 0,
    // Widow and orphan control: the first two and last two lines of a paragraph stay together.
    glueNext: i < lines.length - 1 && (keep === 'all' || (keep === 'widows' && (i === 0 || i === lines.length - 2))),
    text: lineText(line),
  }));
}

function styleOf(ctx: BuildContext, b: { size?: number; bold?: boolean; color?: string }): PieceStyle {
  return { size: b.size ?? ctx.bodySize, bold: b.bold, color: b.color };
}

/**
 * Lines of plain texts laid out before, per family: a list's cells repeat the
 * same province, authority, rank and position on every row, and a batch
 * repeats them in every document. Lines are never modified once laid out.
 */
const laidCaches = new WeakMap<FontFamily, RecentCache<string, Line[]>>();
const LAID_CACHE_GENERATION = 5_000;
const LAID_CACHE_LONGEST = 80;

function lay(ctx: BuildContext, text: Text, width: number, align: Alignment, style: PieceStyle, first = 0, indent = 0, wholeWords = false): Line[] {
  // Long texts (a list's works, a paragraph) hardly ever repeat: keying them would cost more than it saves.
  if (typeof text !== 'string' || text.length > LAID_CACHE_LONGEST || style.italic || style.underline) {
    return layoutParagraph(runsOf(text), { width, firstLineIndent: first, indent, align, style, wholeWords }, ctx.m);
  }
  let cache = laidCaches.get(ctx.m.family);
  if (!cache) { cache = new RecentCache(LAID_CACHE_GENERATION); laidCaches.set(ctx.m.family, cache); }
  const key = `${text}\u0000${width}\u0000${align}\u0000${style.size}\u0000${style.bold ? 1 : 0}\u0000${style.color ?? ''}\u0000${first}\u0000${indent}\u0000${wholeWords ? 1 : 0}`;
  let lines = cache.get(key);
  if (!lines) {
    lines = layoutParagraph([{ text }], { width, firstLineIndent: first, indent, align, style, wholeWords }, ctx.m);
    cache.set(key, lines);
  }
  return lines;
}

/** The number of a list item: ๑. ๒. ... (or 1. 2. in Arabic numerals). */
export function numberLabel(i: number, numerals: Numerals): string {
  return applyNumerals(`${i + 1}.`, numerals);
}

/**
 * A signature block: its closing lines, the blank for signing, then the name
 * and position lines of its signer and of any signers beside it (each on its
 * own axis, their n-th lines side by side). Every signing line (ลงชื่อ ...)
 * has SIGNING_ROOM_LINES of blank above it, whatever the form asked: space
 * of its own, not space before that vanishes at a page's top.
 */
function signatureSlices(ctx: BuildContext, block: Extract<Block, { type: 'signature' }>, before: number): Slice[] {
  const style = styleOf(ctx, block);
  const pitch = ctx.m.pitch(style.size);
  const room = SIGNING_ROOM_LINES * pitch;
  const signers = [{ axis: block.axis ?? SIGNATURE_AXIS, entries: [...(block.name ? [block.name] : []), ...(block.lines ?? [])] },
    ...(block.beside ?? []).map((b) => ({ axis: b.axis, entries: [...(b.name ? [b.name] : []), ...(b.lines ?? [])] }))];
  // Each signer's column: to halfway to the axes beside it, its lines centred on its axis within it.
  const axes = signers.map((s) => Math.max(0, Math.min(ctx.width, s.axis)));
  const order = axes.map((a, i) => [a, i] as const).sort((x, y) => x[0] - y[0]);
  const bounds = axes.map(() => ({ lo: 0, hi: ctx.width }));
  order.forEach(([a, i], k) => {
    if (k > 0) bounds[i]!.lo = (order[k - 1]![0] + a) / 2;
    if (k < order.length - 1) bounds[i]!.hi = (order[k + 1]![0] + a) / 2;
  });
  const centred = (t: Text, i: number): LinePart[] => {
    const { lo, hi } = bounds[i]!;
    const axis = axes[i]!;
    const width = signers.length === 1 ? ctx.width : Math.max(1, 2 * Math.min(axis - lo, hi - axis));
    return lay(ctx, t, width, 'left', style).map((line) => ({ line, x: Math.max(lo, Math.min(hi - line.width, axis - line.width / 2)) }));
  };
  const slices: Slice[] = [];
  // Blank above the next line: the block's space before, then its blank lines.
  let blankAbove = before;
  const textRow = (parts: LinePart[], signing: boolean) => {
    let spaceBefore = slices.length === 0 ? before : 0;
    if (signing && blankAbove < room) {
      // The first line's space before becomes part of the room, which stays at a page's top.
      slices.push({ content: { kind: 'space' }, height: room - blankAbove + spaceBefore, spaceBefore: 0, glueNext: true, text: '' });
      spaceBefore = 0;
    }
    slices.push({ content: { kind: 'text', parts }, height: pitch, spaceBefore, glueNext: true, text: parts.map((p) => lineText(p.line)).join(' ') });
    blankAbove = 0;
  };
  for (const c of block.closing ?? []) for (const p of centred(c, 0)) textRow([p], isSigningLine(c));
  const blank = block.blankLines ?? 3;
  if (blank > 0) {
    slices.push({ content: { kind: 'space' }, height: blank * pitch, spaceBefore: slices.length ? 0 : before, glueNext: true, text: '' });
    blankAbove += blank * pitch;
  }
  const rows = Math.max(0, ...signers.map((s) => s.entries.length));
  for (let r = 0; r < rows; r++) {
    const laid = signers.map((s, i) => (s.entries[r] === undefined ? [] : centred(s.entries[r]!, i)));
    const signing = signers.some((s) => s.entries[r] !== undefined && isSigningLine(s.entries[r]!));
    const height = Math.max(...laid.map((l) => l.length));
    for (let k = 0; k < height; k++) textRow(laid.flatMap((l) => (l[k] ? [l[k]!] : [])), signing && k === 0);
  }
  if (slices.length) slices[slices.length - 1]!.glueNext = false;
  return slices;
}

function blockSlices(ctx: BuildContext, block: Block): Slice[] {
  const before = 'spaceBefore' in block && block.spaceBefore !== undefined ? block.spaceBefore : 0;
  switch (block.type) {
    case 'paragraph': {
      const style = styleOf(ctx, block);
      const lines = lay(ctx, block.text, ctx.width, block.align ?? ctx.align, style, block.firstLineIndent ?? 0, block.indent ?? 0);
      return textSlices(lines, 0, before, block.keepTogether ? 'all' : 'widows');
    }
    case 'labeled': {
      const style = styleOf(ctx, block);
      const labelLines = lay(ctx, block.label, ctx.width, 'left', style);
      const labelWidth = block.labelWidth ?? (labelLines[0]?.width ?? 0) + ctx.m.width('  ', style);
      const lines = lay(ctx, block.text, ctx.width - labelWidth, block.align ?? ctx.align, style);
      const slices = textSlices(lines, labelWidth, before);
      const first = slices[0]!.content;
      if (first.kind === 'text') first.parts.unshift({ line: labelLines[0]!, x: 0 });
      slices[0]!.text = plainText(block.label) + ' ' + slices[0]!.text;
      return slices;
    }
    case 'list': {
      const style = styleOf(ctx, block);
      const labelLine = block.label ? lay(ctx, block.label, ctx.width, 'left', style)[0] : undefined;
      const labelWidth = block.label ? block.labelWidth ?? (labelLine?.width ?? 0) + ctx.m.width('  ', style) : 0;
      const numbered = (block.numbering ?? 'numbered') === 'numbered';
      // The number column fits the widest number and two spaces (๑๐. and ๑๑. are wider than ๑.).
      const numberWidth = numbered
        ? block.numberWidth ?? Math.max(...block.items.map((_, i) => ctx.m.width(numberLabel(i, ctx.numerals), style))) + ctx.m.width('  ', style)
        : 0;
      const textWidth = ctx.width - labelWidth - numberWidth;
      const slices: Slice[] = [];
      block.items.forEach((item, i) => {
        const lines = lay(ctx, item, textWidth, 'left', style);
        const itemSlices = textSlices(lines, labelWidth + numberWidth, i === 0 ? before : 0, 'all');
        const head = itemSlices[0]!;
        if (head.content.kind === 'text') {
          if (numbered) head.content.parts.unshift({ line: lay(ctx, numberLabel(i, ctx.numerals), numberWidth + 10, 'left', style)[0]!, x: labelWidth });
          if (i === 0 && labelLine) head.content.parts.unshift({ line: labelLine, x: 0 });
          // What a reader meets first is the label and the item's number (/๔. การ... at the foot of the page before).
          head.text = head.content.parts.map((p) => lineText(p.line)).join(' ');
        }
        slices.push(...itemSlices);
      });
      // The label stays with the first item.
      if (slices.length > 1) slices[0]!.glueNext = true;
      return slices;
    }
    case 'row': {
      const style = styleOf(ctx, block);
      const rightWidth = block.rightWidth ?? ctx.width * 0.42;
      const leftLines = block.left.flatMap((t) => lay(ctx, t, ctx.width - rightWidth, 'left', style));
      const rightLines = block.right.flatMap((t) => lay(ctx, t, rightWidth, 'left', style));
      const n = Math.max(leftLines.length, rightLines.length);
      const slices: Slice[] = [];
      for (let i = 0; i < n; i++) {
        const parts: LinePart[] = [];
        if (leftLines[i]) parts.push({ line: leftLines[i]!, x: 0 });
        if (rightLines[i]) parts.push({ line: rightLines[i]!, x: ctx.width - rightWidth });
        slices.push({
          content: { kind: 'text', parts }, height: parts[0]!.line.pitch, spaceBefore: i === 0 ? before : 0,
          glueNext: i < n - 1, text: parts.map((p) => lineText(p.line)).join(' '),
        });
      }
      return slices;
    }
    case 'signature':
      return signatureSlices(ctx, block, before);
    case 'table':
      return tableSlices(ctx, block, before);
    case 'emblem': {
      const height = block.height ?? EMBLEM_HEIGHT;
      const style = { size: ctx.bodySize };
      const mark = block.mark ? { line: lay(ctx, block.mark, ctx.width, 'left', style)[0]!, x: 0 } : undefined;
      const title = block.title ? { line: lay(ctx, block.title, ctx.width, 'center', style)[0]!, x: 0 } : undefined;
      const text = [mark, title].filter((p) => p).map((p) => lineText(p!.line)).join(' ');
      return [{ content: { kind: 'emblem', height, raise: 0, align: block.align ?? 'center', mark, title }, height, spaceBefore: before, glueNext: true, text }];
    }
    case 'spacer':
      return [{ content: { kind: 'space' }, height: block.height, spaceBefore: 0, glueNext: false, text: '' }];
    case 'pageBreak':
      return [{ content: { kind: 'space' }, height: Infinity, spaceBefore: 0, glueNext: false, text: '' }];
  }
}

/**
 * The word printed at the foot of a page (/คำ...): the next page's first word,
 * with a bare item number taken together with the word after it (/๔. การ...),
 * and without trailing full stops before the ellipsis (/ก.พ...).
 */
export function continuationWord(text: string): string {
  const words = breakUnits(text.trimStart()).filter((u) => !u.space).map((u) => u.text);
  let word = words[0] ?? '';
  if (/^[0-9\u0e50-\u0e59.]+$/.test(word) && words[1]) word += ' ' + words[1];
  return word.replace(/\.+$/, '');
}

/** Column widths: lengths as given, `*` columns sharing what is left of the total. */
export function resolveWidths(widths: (number | '*')[], total: number): number[] {
  const fixed = widths.reduce<number>((s, w) => s + (w === '*' ? 0 : w), 0);
  const stars = widths.filter((w) => w === '*').length;
  const star = stars > 0 ? Math.max(0, total - fixed) / stars : 0;
  return widths.map((w) => (w === '*' ? star : w));
}

/**
 * A table's column widths (points) in a text column `total` wide: as given
 * (resolveWidths), or with `fitHeader` fitted to the header (fitHeaderWidths:
 * the given widths are the least, the header wraps between words in the
 * fewest lines, its cells set no larger than `scale` of the table's size).
 * `pad` is what a cell's width holds besides text; `measure` measures at the
 * table's size. Shared by the PDF layout and the DOCX.
 */
export function tableWidths(block: Pick<Extract<Block, { type: 'table' }>, 'widths' | 'header' | 'rows' | 'fitHeader' | 'balance' | 'wholeWordColumns'>, total: number, pad: number, measure: MeasureText): FittedWidths {
  let fitted: FittedWidths;
  if (!block.fitHeader || !block.header?.length) fitted = { widths: resolveWidths(block.widths, total), scale: 1 };
  else {
    const stars = block.widths.map((w) => w === '*');
    const mins = bodyMins(block.rows, block.widths.map((w) => (w === '*' ? 0 : w)), pad, measure);
    fitted = fitHeaderWidths({ header: block.header, mins, stars, total, pad, measure });
  }
  if (block.balance) fitted = { ...fitted, widths: balanceWidths(fitted.widths, block.header ?? [], block.rows, pad, measure, block.wholeWordColumns) };
  return fitted;
}

/** A header cell is set no smaller than this share of the table's size to keep its words whole. */
const HEADER_MIN_SCALE = Math.min(...HEADER_SCALES);

/**
 * The size of a header cell's text: the table's, or smaller (in quarter
 * points, down to HEADER_MIN_SCALE) where that keeps a word too wide for the
 * column whole, as forms print a narrow column's heading: "จำนวน" rather
 * than "จำนว" over "น". A word that would need less is left to be cut at a
 * syllable (splitOversized) and does not make the cell smaller.
 */
function headerSize(m: Measurer, text: string, width: number, style: PieceStyle): number {
  const room = width - SAFETY;
  let size = style.size;
  for (const unit of breakUnits(text)) {
    const w = unit.space ? 0 : m.width(unit.text, style);
    if (w <= room) continue;
    const fitting = Math.floor((style.size * room / w) * 4) / 4;
    if (fitting >= style.size * HEADER_MIN_SCALE) size = Math.min(size, fitting);
  }
  return size;
}

/** The height of a cell's lines. */
export const linesHeight = (lines: Line[]): number => lines.reduce((h, l) => h + l.pitch, 0);

function tableSlices(ctx: BuildContext, block: Extract<Block, { type: 'table' }>, before: number): Slice[] {
  const rule = block.borders === false ? 0 : TABLE.rule;
  // pdfmake draws one more vertical rule than there are columns.
  const style = styleOf(ctx, block);
  const fitted = tableWidths(block, ctx.width - rule, 2 * TABLE.padX + rule, (text, bold = true) => ctx.m.width(text, { ...style, bold: bold || style.bold }));
  const widths = fitted.widths;
  // A header fitted smaller (fitHeader) is set at that size at most.
  const headerMost = Math.floor(style.size * fitted.scale * 4) / 4;
  const table: TableLayout = { id: ctx.tableIds++, widths, rule };
  const pitch = ctx.m.pitch(style.size);
  // Height a row adds to its lines: the rule above and the padding.
  const chrome = (header: boolean) => rule + cellPadTop(header) + TABLE.padBottom;
  const contentHeight = (laid: TableCellLayout[]) => Math.max(pitch, ...laid.filter((c) => !(c.rowSpan! > 1)).map((c) => linesHeight(c.lines)));
  // Asked of the first row of a page only (its continuation word): not built for every row.
  const cellsText = (cells: TableCellLayout[]) => cells.map((c) => c.lines.map(lineText).join(' ')).join(' ');
  const rowSlice = (laid: TableCellLayout[], header: boolean): Slice => ({
    content: { kind: 'tableRow', table, cells: laid, header },
    // A cell running down rows counts once its rows are known (below).
    height: chrome(header) + contentHeight(laid),
    spaceBefore: 0, glueNext: false,
    get text() { return cellsText(laid); },
  });
  // Its own function, so that its closures cannot keep the lines (V8 shares one context between a function's closures).
  const leanRowSlice = (height: number, relay: () => TableCellLayout[]): Slice => ({
    content: { kind: 'tableRow', table, header: false, get cells() { return relay(); } },
    height, spaceBefore: 0, glueNext: false,
    get text() { return cellsText(relay()); },
  });
  const wholeWordColumns = new Set(block.wholeWordColumns ?? []);
  type Cells = Extract<Block, { type: 'table' }>['rows'][number];
  const layCell = (cell: Cells[number], col: number, colSpan: number, header: boolean): TableCellLayout => {
    const spec = typeof cell === 'string' || Array.isArray(cell) ? { text: cell } : cell;
    const w = widths.slice(col, col + colSpan).reduce((a, b) => a + b, 0) - 2 * TABLE.padX - rule;
    const align = ('align' in spec && spec.align) || block.align?.[col] || (header ? 'center' : 'left');
    const bold = ('bold' in spec && spec.bold) || header || style.bold;
    const wholeWords = !header && wholeWordColumns.has(col);
    const cellStyle = { ...style, bold };
    if (header) cellStyle.size = Math.min(headerMost, headerSize(ctx.m, plainText(spec.text), Math.max(w, 1), cellStyle));
    return { lines: lay(ctx, spec.text, Math.max(w, 1), align, cellStyle, 0, 0, wholeWords), colSpan, bold };
  };
  const layBodyRow = (cells: Cells): TableCellLayout[] => {
    let col = 0;
    return cells.map((cell) => {
      const colSpan = cellSpan(cell, 'colSpan');
      col += colSpan;
      return layCell(cell, col - colSpan, colSpan, false);
    });
  };
  const headerRows = block.header ?? [];
  const header = tableGrid(headerRows).map((slots, r) => rowSlice(slots.map((slot) => (slot.cell === undefined
    ? { lines: [], colSpan: slot.colSpan, covered: true }
    : { ...layCell(headerRows[r]![slot.cell]!, slot.col, slot.colSpan, true), ...(slot.rowSpan > 1 ? { rowSpan: slot.rowSpan } : {}) })), true));
  // A cell running down rows taller than they are together makes the last of them taller.
  header.forEach((s, r) => {
    if (s.content.kind !== 'tableRow') return;
    for (const c of s.content.cells) {
      if (!(c.rowSpan! > 1)) continue;
      const spanned = header.slice(r, r + c.rowSpan!);
      const room = spanned.reduce((h, x) => h + x.height, 0) - chrome(true);
      if (linesHeight(c.lines) > room) spanned[spanned.length - 1]!.height += linesHeight(c.lines) - room;
    }
  });
  // A row taller than what a page leaves under the header continues on the next page as
  // another row (pdfmake would drop what does not fit): no line is ever lost.
  const headerHeight = header.reduce((h, s) => h + s.height, 0);
  const linesPerPiece = Math.max(1, Math.floor((ctx.bodyHeight - headerHeight - chrome(false) - 2 * rule) / pitch));
  const keep = new Set(block.keepWithNextRows ?? []);
  const body = block.rows.flatMap((r, i) => {
    const laid = layBodyRow(r);
    const tallest = Math.max(...laid.map((c) => c.lines.length));
    const pieces: Slice[] = [];
    if (tallest <= linesPerPiece) pieces.push(ctx.lean ? leanRowSlice(chrome(false) + contentHeight(laid), () => layBodyRow(r)) : rowSlice(laid, false));
    else {
      for (let from = 0; from < tallest; from += linesPerPiece) {
        pieces.push(rowSlice(laid.map((c) => ({ ...c, lines: c.lines.slice(from, from + linesPerPiece) })), false));
      }
    }
    if (keep.has(i) && i < block.rows.length - 1) pieces[pieces.length - 1]!.glueNext = true;
    return pieces;
  });
  header.forEach((s) => { s.glueNext = true; });
  for (const s of body) s.repeat = header;
  const all = [...header, ...body];
  if (all.length) all[0]!.spaceBefore = before;
  return all;
}


/** Lines of the body a slice holds: a text line one, a table row its tallest cell's. */
function bodyLines(s: Slice): number {
  if (s.role === 'table-row' && s.content.kind === 'tableRow') return Math.max(1, ...s.content.cells.map((c) => c.lines.length));
  return s.role === 'body' ? 1 : 0;
}

/**
 * Puts slices on pages: glued chains move whole, table headers repeat, space
 * before vanishes at a page top, and the trailing bottom-anchored slices (a
 * letter's contact lines and สำเนาส่ง) stand at the foot of the last page,
 * never alone on it (placeBottom).
 */
function paginate(slices: Slice[], firstPageHeight: number, laterPageHeight: number): PlacedSlice[][] {
  const pages: PlacedSlice[][] = [[]];
  let used = 0;
  let capacity = firstPageHeight;
  let openTable: number | undefined;
  const newPage = () => { pages.push([]); used = 0; capacity = laterPageHeight; openTable = undefined; };
  const extraFor = (s: Slice) => (s.content.kind === 'tableRow' && openTable !== s.content.table.id ? s.content.table.rule : 0);
  const place = (s: Slice, repeated = false, spaceBefore = s.spaceBefore) => {
    const page = pages[pages.length - 1]!;
    const space = page.length === 0 ? 0 : spaceBefore;
    page.push({ slice: s, spaceBefore: space, ...(repeated ? { repeated } : {}) });
    used += space + s.height + extraFor(s);
    openTable = s.content.kind === 'tableRow' ? s.content.table.id : undefined;
  };
  /** A new page starting with `carry` (slices moved from the page before), a table's header repeated above its rows. */
  const startPageWith = (carry: Slice[]) => {
    newPage();
    const first = carry[0];
    if (first?.content.kind === 'tableRow' && !first.content.header && first.repeat?.length) for (const h of first.repeat) place(h, true);
    for (const c of carry) place(c);
  };
  // The trailing run of bottom-anchored slices (a letter's contact lines), taller than nothing and shorter than a page.
  let bottomFrom = slices.length;
  while (bottomFrom > 0 && slices[bottomFrom - 1]!.bottom) bottomFrom--;
  const run = slices.slice(bottomFrom);
  const runHeight = run.reduce((h, b, k) => h + b.height + (k === 0 ? 0 : b.spaceBefore), 0);
  const anchored = run.length > 0 && bottomFrom > 0 && runHeight <= laterPageHeight && run.every((b) => b.height !== Infinity);

  /**
   * The bottom run at the foot of the page: where it does not fit under the
   * body, the space before it gives way, then up to half the space before
   * each part of the page (as a clerk tightens a page to keep a letter on
   * one sheet); where that is not enough, the last lines of the body go
   * with it to the next page (the signature with at least
   * SIGNATURE_KEEPS_LINES lines of the body, whatever is glued to them), so
   * no page holds contact lines alone.
   */
  const placeBottom = () => {
    const page = pages[pages.length - 1]!;
    let gap = run[0]!.spaceBefore;
    if (page.length > 0 && used + gap + runHeight > capacity) {
      // Half a point to spare, as the filler leaves: what pdfmake draws must not run over the page.
      const deficit = used + gap + runHeight - capacity + 0.5;
      const halves = page.reduce((h, p) => h + p.spaceBefore / 2, 0);
      if (deficit <= gap + halves) {
        const rest = Math.max(0, deficit - gap);
        gap = Math.max(0, gap - deficit);
        if (rest > 0) {
          for (const p of page) {
            const cut = (p.spaceBefore / 2) * (rest / halves);
            p.spaceBefore -= cut;
            used -= cut;
          }
        }
      } else {
        const onPage = new Set(page.map((p) => p.slice));
        let from = bottomFrom;
        let lines = 0;
        for (;;) {
          const prev = slices[from - 1];
          if (!prev || !onPage.has(prev) || !(lines < SIGNATURE_KEEPS_LINES || prev.glueNext)) break;
          from--;
          lines += bodyLines(prev);
        }
        const moved = page.findIndex((p) => p.slice === slices[from]);
        startPageWith(moved > 0 ? page.splice(moved).map((p) => p.slice) : []);
      }
    }
    const current = pages[pages.length - 1]!;
    const free = capacity - used - (current.length === 0 ? 0 : gap) - runHeight - 0.5;
    if (current.length > 0 && free > 0) {
      current.push({ slice: { content: { kind: 'space' }, role: 'space', height: free, spaceBefore: 0, glueNext: false, text: '' }, spaceBefore: 0 });
      used += free;
    }
    run.forEach((b, k) => place(b, false, k === 0 ? gap : b.spaceBefore));
  };

  for (let i = 0; i < slices.length; i++) {
    const s = slices[i]!;
    if (s.height === Infinity) { newPage(); continue; }
    if (anchored && i === bottomFrom) { placeBottom(); break; }
    const page = pages[pages.length - 1]!;
    // The height this slice and every slice glued after it need.
    let need = (page.length === 0 ? 0 : s.spaceBefore) + s.height + extraFor(s);
    for (let j = i; slices[j]?.glueNext && j + 1 < slices.length && slices[j + 1]!.height !== Infinity; j++) {
      need += slices[j + 1]!.spaceBefore + slices[j + 1]!.height;
      if (need > capacity) break;
    }
    if (page.length > 0 && used + need > capacity) {
      // Move the glued chain this slice belongs to, unless it fills the page from its top.
      let start = i;
      while (start > 0 && slices[start - 1]!.glueNext && page.some((p) => p.slice === slices[start - 1])) start--;
      const moved = page.findIndex((p) => p.slice === slices[start]);
      startPageWith(start < i && moved > 0 ? page.splice(moved).map((p) => p.slice) : []);
      if (s.content.kind === 'tableRow' && !s.content.header && s.repeat?.length) {
        const table = s.content.table;
        const current = pages[pages.length - 1]!;
        if (!current.some((p) => p.slice.content.kind === 'tableRow' && p.slice.content.table === table)) for (const h of s.repeat) place(h, true);
      }
    }
    place(s);
  }
  return pages;
}

export interface LayoutOptions {
  /**
   * Keep only the heights of table body rows and lay their lines again when
   * they are drawn: a list of thousands of rows then holds a few bytes a row
   * instead of its lines (about 30 KB a page), for a second layout of each row.
   */
  lean?: boolean;
}

/** A page ending inside a table is "mostly blank" past this share of its body height left blank. */
export const SPARSE_PAGE_SHARE = 0.3;
/** Rows a table may carry onto its last page for the split to count as a few. */
export const FEW_ROWS = 3;

/** A short table's end carried onto the next page while its page is left mostly blank (sparseTableSplits). */
export interface SparseSplit {
  /** 0-based page the table leaves, and the model block of the table. */
  page: number;
  block: number;
  carried: number;
  /** Share of the page's body height left blank. */
  blank: number;
  /** Text of the first row carried. */
  text: string;
}

/**
 * Pages that end inside a table, more than SPARSE_PAGE_SHARE blank, whose
 * next page ends the table after no more than FEW_ROWS rows that would have
 * fitted in that blank: they went to keep the signature after them company,
 * and the two together did not fit. (Rows taller than the blank could not
 * have stayed: that split is the only one there is.)
 */
export function sparseTableSplits(layout: DocumentLayout): SparseSplit[] {
  const out: SparseSplit[] = [];
  const body = layout.height - layout.margins.top - layout.margins.bottom;
  const tableOf = (p: PlacedSlice | undefined) => (p?.slice.content.kind === 'tableRow' && !p.slice.content.header ? p.slice.content.table.id : undefined);
  layout.pages.forEach((page, i) => {
    const next = layout.pages[i + 1];
    if (!next) return;
    const last = page.slices.at(-1);
    const id = tableOf(last);
    const rest = next.slices.filter((p) => !p.repeated);
    if (id === undefined || tableOf(rest[0]) !== id) return;
    const carried = rest.filter((p) => tableOf(p) === id);
    if (carried.length > FEW_ROWS || layout.pages.slice(i + 2).some((p) => p.slices.some((s) => tableOf(s) === id))) return;
    const blank = body - page.slices.reduce((h, p) => h + p.spaceBefore + p.slice.height, 0);
    const rows = carried.reduce((h, p) => h + p.slice.height, 0);
    if (blank > SPARSE_PAGE_SHARE * body && rows <= blank) {
      out.push({ page: i, block: last!.slice.block ?? -1, carried: carried.length, blank: blank / body, text: rest[0]!.slice.text });
    }
  });
  return out;
}

/** A balanced table is set down to this share of its size to end on the page with its signature. */
const FIT_MIN_SCALE = 0.86;

/**
 * The page rule for short tables: a table with `balance` left split as
 * sparseTableSplits finds it is set a point smaller (down to FIT_MIN_SCALE
 * of its size), as a clerk would, while that saves a page. The layout
 * returns the model it laid out (`model`), which the DOCX renderer uses too
 * (fitModel), so both print the table at one size.
 */
export function layoutDocument(model: DocumentModel, family: FontFamily, fallback?: FontFamily, options: LayoutOptions = {}): DocumentLayout {
  const first = layoutOnce(model, family, fallback, options);
  const sizeOf = (m: DocumentModel, i: number) => {
    const b = m.blocks[i];
    return b?.type === 'table' ? b.size ?? m.fontSize : 0;
  };
  let layout = first;
  for (;;) {
    const split = sparseTableSplits(layout).find((s) => {
      const b = layout.model.blocks[s.block];
      return b?.type === 'table' && b.balance && sizeOf(layout.model, s.block) - 1 >= sizeOf(model, s.block) * FIT_MIN_SCALE;
    });
    if (!split) return first;
    const smaller: DocumentModel = {
      ...layout.model,
      blocks: layout.model.blocks.map((b, i) => (i === split.block && b.type === 'table' ? { ...b, size: sizeOf(layout.model, i) - 1 } : b)),
    };
    layout = layoutOnce(smaller, family, fallback, options);
    // Kept only where it saves the page; a point smaller that does not yet, the next point tries.
    if (layout.pages.length < first.pages.length) return layout;
  }
}

/**
 * The model as the PDF sets it: a short balanced table a size smaller where
 * the page rule of layoutDocument made it so. For the DOCX, which Word pages
 * itself; only a model with such a table is laid out.
 */
export function fitModel(model: DocumentModel, family: FontFamily, fallback?: FontFamily): DocumentModel {
  const short = model.blocks.some((b) => b.type === 'table' && b.balance && b.rows.length <= 4 * FEW_ROWS);
  return short ? layoutDocument(model, family, fallback).model : model;
}

function layoutOnce(model: DocumentModel, family: FontFamily, fallback?: FontFamily, options: LayoutOptions = {}): DocumentLayout {
  const m = new Measurer(family, fallback);
  const landscape = model.page.orientation === 'landscape';
  const width = landscape ? A4.height : A4.width;
  const height = landscape ? A4.width : A4.height;
  const margins = model.page.margins;
  const contentWidth = width - margins.left - margins.right;
  const ctx: BuildContext = { m, width: contentWidth, bodySize: model.fontSize, align: model.align, numerals: model.numerals, tableIds: 0, bodyHeight: height - margins.top - margins.bottom, lean: options.lean ?? false };
  const slices: Slice[] = [];
  let spaceAfter = 0;
  let previous: Block | undefined;
  model.blocks.forEach((block, i) => {
    const own = blockSlices(ctx, block);
    if (own.length === 0) return;
    const bottom = 'anchor' in block && block.anchor === 'bottom';
    for (const s of own) {
      s.block = i;
      s.role = roleOf(block, s, bottom);
    }
    if ('dotted' in block && block.dotted) for (const s of own) if (s.content.kind === 'text') s.content.dotted = true;
    if (bottom) for (const s of own) s.bottom = true;
    // Space after a block adds to the space before the next, as in Word.
    own[0]!.spaceBefore += spaceAfter;
    spaceAfter = 'spaceAfter' in block && block.spaceAfter !== undefined ? block.spaceAfter : 0;
    if ('keepWithNext' in block && block.keepWithNext) own[own.length - 1]!.glueNext = true;
    if (block.type === 'signature') keepWithSignature(slices, previous?.type === 'signature');
    previous = block;
    if (i > 0 && block.type !== 'spacer' && block.type !== 'pageBreak' && !('spaceBefore' in block && block.spaceBefore !== undefined)) {
      own[0]!.spaceBefore += DEFAULT_SPACE_BEFORE;
    }
    // Not push(...own): a table of 100,000 rows would overflow the call stack as arguments.
    for (const s of own) slices.push(s);
  });
  // The emblem opening a document starts above the body's top margin (about 1.5 cm from the edge).
  const head = slices[0];
  if (head?.content.kind === 'emblem') {
    // A left emblem's mark stands above it, in the top margin (a memo's).
    const c = head.content;
    c.markAbove = c.mark !== undefined && c.align === 'left' && margins.top > EMBLEM_TOP;
    const raise = emblemRaise(margins.top, c.markAbove ? c.mark!.line.pitch : undefined);
    c.raise = raise;
    head.height -= raise;
  }
  const bodyHeight = height - margins.top - margins.bottom;
  const placed = paginate(slices, bodyHeight, bodyHeight);
  const pages: PageLayout[] = placed.map((p) => ({ slices: p }));
  pages.forEach((page, i) => {
    const next = pages[i + 1];
    if (!next) return;
    // Up to the first slice with text only: a row builds its text when asked (a lean row lays its cells again).
    // The next page's first body text: never a table header repeated there, never space.
    for (const p of next.slices) {
      if (p.repeated) continue;
      const text = p.slice.text;
      if (text.trim().length > 0) { page.nextWord = continuationWord(text); break; }
    }
  });
  const bodyStyle: PieceStyle = { size: model.fontSize };
  const secrecy = model.page.secrecy?.trim();
  return {
    secrecyLine: secrecy ? layoutParagraph([{ text: secrecy, bold: true, size: 32, color: '#d00000' }], { width: contentWidth, align: 'center', style: bodyStyle }, m)[0] : undefined,
    width, height, margins, contentWidth, pages, bodySize: model.fontSize, measurer: m, model,
    pageNumberLine: (n) => layoutParagraph([{ text: applyNumerals(`- ${n} -`, model.numerals) }], { width: contentWidth, align: 'center', style: bodyStyle }, m)[0]!,
    continuationLine: (word) => layoutParagraph([{ text: `/${word}...` }], { width: contentWidth, align: 'right', style: bodyStyle }, m)[0]!,
  };
}
