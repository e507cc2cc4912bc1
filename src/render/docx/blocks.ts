import {
  BorderStyle, LineRuleType, Paragraph, Tab, Table, TableCell, TableLayoutType, TableRow, TabStopType, TextRun,
  VerticalAlign, WidthType, type IBorderOptions, type IParagraphOptions, type ParagraphChild,
} from 'docx';
import { OFFICIAL_LINE_HEIGHT_EM } from '../../fonts/registry.js';
import { A4, DEFAULT_SPACE_BEFORE, EMBLEM_HEIGHT, EMBLEM_TOP, emblemRaise, SIGNATURE_AXIS, TABLE, numberLabel, tableWidths } from '../../layout/page.js';
import { cellSpan, isSigningLine, runsOf, SIGNING_ROOM_LINES, tableGrid, type Alignment, type Block, type DocumentModel, type EmblemImage, type Run, type Text } from '../../model/document.js';
import { breakUnits, protectNoBreaks } from '../../thai/segment.js';
import { docxAlignment, docxColor, twips, type BaseStyle, type Look, type StyleSheet } from './styles.js';
import { emblemRun } from './image.js';

/** What the block builders share. Lengths in points. */
export interface BuildContext {
  model: DocumentModel;
  contentWidth: number;
  styles: StyleSheet;
  emblem: EmblemImage;
  /** Width of a text in points at a look, as the PDF layout measures it (for label columns). */
  measure: (text: string, look: Look) => number;
  /** Paragraphs for the first page's header (a memo's urgency mark, above its emblem). */
  firstPageHeader: Paragraph[];
}

type Child = Paragraph | Table;


type TableBlock = Extract<Block, { type: 'table' }>;
type CellSpec = TableBlock['rows'][number][number];

/** Per-block placement decided by the document around it. */
interface Around {
  spaceBefore: number;
  /** The block's last paragraph stays on the page of the next block. */
  keepNext: boolean;
  /** The block starts a new page (it follows a pageBreak). */
  pageBreakBefore: boolean;
  /** The block opens the document. */
  first: boolean;
  /** The block's lines stay on one page (a block kept with a signature). */
  keepLines?: boolean;
}

function lookOf(ctx: BuildContext, b: { size?: number; bold?: boolean; color?: string }): Look {
  return { size: b.size ?? ctx.model.fontSize, bold: b.bold ?? false, color: docxColor(b.color) };
}

/**
 * The look of a text whose runs all share their size, weight and colour (a
 * red 32 pt bold mark written as one run): that look goes into the
 * paragraph's style and the runs stay bare. Mixed runs keep the block's look.
 */
function uniformLook(text: Text, look: Look): Look {
  const runs = runsOf(text);
  if (typeof text === 'string' || runs.length === 0) return look;
  const of = (r: Run): Look => ({ size: r.size ?? look.size, bold: r.bold ?? look.bold, color: docxColor(r.color) ?? look.color });
  const first = of(runs[0]!);
  return runs.every((r) => { const l = of(r); return l.size === first.size && l.bold === first.bold && l.color === first.color; }) ? first : look;
}

/**
 * Runs of a text, carrying only what differs from the paragraph's look
 * (which its style already gives). A newline is a line break, as in the PDF;
 * the no-break rules are written into the text (protectNoBreaks).
 */
export function textRuns(styles: StyleSheet, text: Text, look: Look): TextRun[] {
  const out: TextRun[] = [];
  for (const run of runsOf(text)) {
    const color = docxColor(run.color);
    const props = {
      ...(run.size !== undefined && run.size !== look.size ? { size: styles.halfPoints(run.size) } : {}),
      ...(run.bold !== undefined && run.bold !== look.bold ? { bold: run.bold } : {}),
      ...(run.italic ? { italics: true } : {}),
      ...(run.underline ? { underline: {} } : {}),
      ...(color && color !== look.color ? { color } : {}),
    };
    run.text.split('\n').forEach((part, i) => {
      // The PDF's no-break stretches (dates, จำนวน ๑ ฉบับ, (บ้านซูกุ่ม)) as no-break spaces and word joiners Word keeps.
      out.push(new TextRun({ text: protectNoBreaks(part), ...props, ...(i > 0 ? { break: 1 } : {}) }));
    });
  }
  return out;
}

const tab = () => new TextRun({ children: [new Tab()] });

function spacing(before: number, after: number | undefined): IParagraphOptions['spacing'] {
  const s: { before?: number; after?: number } = {};
  if (before > 0) s.before = twips(before);
  if (after !== undefined && after > 0) s.after = twips(after);
  return Object.keys(s).length ? s : undefined;
}

/**
 * An empty paragraph exactly `height` points tall: spacers, the room the
 * floating emblem takes, the gap before a table. Its line height is exact
 * because it holds no text; a spacing-before would vanish at the top of a
 * page in Word, where the PDF keeps a spacer's height.
 */
export function emptySpace(height: number, extra: Partial<IParagraphOptions> = {}): Paragraph {
  return new Paragraph({
    ...extra,
    spacing: { before: 0, after: 0, line: Math.max(1, twips(height)), lineRule: LineRuleType.EXACT },
  });
}

/**
 * A text broken into the lines the PDF gives it, as runs: greedy at the
 * line-break opportunities (breakUnits), `first` points wide for the first
 * line and `rest` for the others, a new line at every newline.
 */
function brokenLines(ctx: BuildContext, text: Text, look: Look, first: number, rest: number): Run[][] {
  const lines: Run[][] = [[]];
  let x = 0;
  const add = (run: Run, piece: string) => {
    const line = lines[lines.length - 1]!;
    const last = line[line.length - 1];
    if (last && last.size === run.size && last.bold === run.bold && last.color === run.color && last.italic === run.italic && last.underline === run.underline) last.text += piece;
    else line.push({ ...run, text: piece });
  };
  for (const run of runsOf(text)) {
    const runLook = { ...look, size: run.size ?? look.size, bold: run.bold ?? look.bold };
    run.text.split('\n').forEach((part, k) => {
      if (k > 0) { lines.push([]); x = 0; }
      for (const u of breakUnits(part)) {
        const w = ctx.measure(u.text, runLook);
        if (!u.space && x > 0 && x + w > (lines.length === 1 ? first : rest)) { lines.push([]); x = 0; }
        // A line never starts with the space it broke at.
        if (u.space && x === 0 && lines.length > 1) continue;
        add(run, u.text);
        x += w;
      }
    });
  }
  return lines;
}

/**
 * A dotted header field (a memo's ส่วนราชการ, เรื่อง): Word draws a
 * paragraph's bottom border under its last line only, so each line the PDF
 * makes is a paragraph of its own with the dotted rule under it, the first
 * one starting with `head` (a label and its tab), the others at `indent`.
 */
function dottedParagraphs(ctx: BuildContext, lines: Run[][], at: Around, spaceAfter: number | undefined, base: Omit<IParagraphOptions, 'children'>, look: Look, head: ParagraphChild[], indent: IParagraphOptions['indent']): Paragraph[] {
  return lines.map((line, i) => {
    const last = i === lines.length - 1;
    return new Paragraph({
      ...base,
      ...(i > 0 ? { indent } : {}),
      spacing: spacing(i === 0 ? at.spaceBefore : 0, last ? spaceAfter : undefined),
      keepNext: !last || at.keepNext || undefined,
      pageBreakBefore: (i === 0 && at.pageBreakBefore) || undefined,
      border: DOTTED_UNDER,
      children: [...(i === 0 ? head : []), ...textRuns(ctx.styles, line, look)],
    });
  });
}

/** A paragraph's DOCX base style, from its role. */
const base0 = (b: Extract<Block, { type: 'paragraph' }>): BaseStyle => (b.role && b.role !== 'body' ? (b.role[0]!.toUpperCase() + b.role.slice(1)) as BaseStyle : 'Body');

function paragraphBlock(ctx: BuildContext, b: Extract<Block, { type: 'paragraph' }>, at: Around): Child[] {
  const look = uniformLook(b.text, lookOf(ctx, b));
  const base = base0(b);
  const indent = b.indent ?? 0;
  const first = b.firstLineIndent ?? 0;
  if (b.dotted) {
    const width = ctx.contentWidth - indent;
    const lines = brokenLines(ctx, b.text, look, width - first, width);
    const base = { style: ctx.styles.styleFor(base0(b), look), alignment: docxAlignment(b.align ?? ctx.model.align), indent: indent || first ? { left: indent ? twips(indent) : undefined, ...(first > 0 ? { firstLine: twips(first) } : {}) } : undefined };
    return dottedParagraphs(ctx, lines, at, b.spaceAfter, base, look, [], indent ? { left: twips(indent) } : undefined);
  }
  return [new Paragraph({
    style: ctx.styles.styleFor(base, look),
    alignment: docxAlignment(b.align ?? ctx.model.align),
    indent: indent || first
      ? { left: indent ? twips(indent) : undefined, ...(first > 0 ? { firstLine: twips(first) } : first < 0 ? { hanging: twips(-first) } : {}) }
      : undefined,
    spacing: spacing(at.spaceBefore, b.spaceAfter),
    keepNext: at.keepNext || undefined,
    keepLines: b.keepTogether || at.keepLines || undefined,
    pageBreakBefore: at.pageBreakBefore || undefined,
    border: b.dotted ? DOTTED_UNDER : undefined,
    children: textRuns(ctx.styles, b.text, look),
  })];
}

/** A memo's header lines: a dotted rule under the paragraph, to the right margin. */
const DOTTED_UNDER = { bottom: { style: BorderStyle.DOTTED, size: 4, color: '000000', space: 1 } };

/** Width of a label column: the label plus two spaces, as the PDF layout sets it. */
function labelColumn(ctx: BuildContext, label: Text, look: Look): number {
  const width = runsOf(label).reduce((w, r) => w + ctx.measure(r.text, { ...look, size: r.size ?? look.size, bold: r.bold ?? look.bold }), 0);
  return width + ctx.measure('  ', look);
}

/** เรื่อง / เรียน / ถึง: label, a tab to the text column, and the text hanging there when it wraps. */
function labeledBlock(ctx: BuildContext, b: Extract<Block, { type: 'labeled' }>, at: Around): Child[] {
  const look = lookOf(ctx, b);
  const columnPt = b.labelWidth ?? labelColumn(ctx, b.label, look);
  const column = twips(columnPt);
  if (b.dotted) {
    const width = ctx.contentWidth - columnPt;
    const base = { style: ctx.styles.styleFor('Body', look), alignment: docxAlignment(b.align ?? ctx.model.align), indent: { left: column, hanging: column }, tabStops: [{ type: TabStopType.LEFT, position: column }] };
    return dottedParagraphs(ctx, brokenLines(ctx, b.text, look, width, width), at, b.spaceAfter, base, look, [...textRuns(ctx.styles, b.label, look), tab()], { left: column });
  }
  return [new Paragraph({
    style: ctx.styles.styleFor('Body', look),
    alignment: docxAlignment(b.align ?? ctx.model.align),
    indent: { left: column, hanging: column },
    tabStops: [{ type: TabStopType.LEFT, position: column }],
    spacing: spacing(at.spaceBefore, b.spaceAfter),
    keepNext: at.keepNext || undefined,
    pageBreakBefore: at.pageBreakBefore || undefined,
    border: b.dotted ? DOTTED_UNDER : undefined,
    children: [...textRuns(ctx.styles, b.label, look), tab(), ...textRuns(ctx.styles, b.text, look)],
  })];
}

/**
 * อ้างถึง ๑. ... ๒. ...: one paragraph per item. The label sits on the first
 * item's line, every number at the label column, and every item's text hangs
 * at the text column (tab stops at both, hanging indent at the text).
 */
function listBlock(ctx: BuildContext, b: Extract<Block, { type: 'list' }>, at: Around): Child[] {
  const look = lookOf(ctx, b);
  const labelWidth = b.label ? twips(b.labelWidth ?? labelColumn(ctx, b.label, look)) : 0;
  const numbered = (b.numbering ?? 'numbered') === 'numbered';
  const numberWidth = numbered ? twips(b.numberWidth ?? ctx.measure('๑๐. ', look)) : 0;
  const textAt = labelWidth + numberWidth;
  const tabStops = [...new Set([labelWidth, textAt].filter((p) => p > 0))].map((position) => ({ type: TabStopType.LEFT, position }));
  const style = ctx.styles.styleFor('Body', look);
  return b.items.map((item, i) => {
    const children: ParagraphChild[] = [];
    if (i === 0 && b.label) children.push(...textRuns(ctx.styles, b.label, look));
    if (labelWidth > 0) children.push(tab());
    if (numbered) children.push(new TextRun(numberLabel(i, ctx.model.numerals)), tab());
    children.push(...textRuns(ctx.styles, item, look));
    const last = i === b.items.length - 1;
    return new Paragraph({
      style,
      alignment: docxAlignment('left'),
      indent: textAt > 0 ? { left: textAt, hanging: textAt } : undefined,
      tabStops: tabStops.length ? tabStops : undefined,
      spacing: spacing(i === 0 ? at.spaceBefore : 0, last ? b.spaceAfter : undefined),
      // An item's lines stay together, and the label stays with the first item.
      keepLines: true,
      keepNext: (i === 0 && !last) || (last && at.keepNext) || undefined,
      pageBreakBefore: (i === 0 && at.pageBreakBefore) || undefined,
      children,
    });
  });
}

const NO_BORDER: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: 'auto' };
const NO_BORDERS = {
  top: NO_BORDER, bottom: NO_BORDER, left: NO_BORDER, right: NO_BORDER, insideHorizontal: NO_BORDER, insideVertical: NO_BORDER,
};

/**
 * ที่ ... on the left and the office's address on the right: a borderless
 * two-column table (the right column starts at contentWidth - rightWidth), so
 * that a long line wraps within its own column as in the PDF.
 */
function rowBlock(ctx: BuildContext, b: Extract<Block, { type: 'row' }>, at: Around): Child[] {
  const look = lookOf(ctx, b);
  const style = ctx.styles.styleFor('Body', look);
  const total = twips(ctx.contentWidth);
  const right = twips(b.rightWidth ?? ctx.contentWidth * 0.42);
  const widths = [Math.max(1, total - right), right];
  const cell = (lines: Text[], width: number) => new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders: NO_BORDERS,
    children: (lines.length ? lines : ['']).map((t, i, all) => new Paragraph({
      style,
      border: b.dotted ? DOTTED_UNDER : undefined,
      alignment: docxAlignment('left'),
      spacing: spacing(i === 0 ? at.spaceBefore : 0, i === all.length - 1 ? b.spaceAfter : undefined),
      pageBreakBefore: (i === 0 && at.pageBreakBefore) || undefined,
      children: textRuns(ctx.styles, t, look),
    })),
  });
  return [new Table({
    width: { size: total, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    rows: [new TableRow({
      cantSplit: true,
      keepNext: at.keepNext || undefined,
      children: [cell(b.left, widths[0]!), cell(b.right, widths[1]!)],
    })],
  })];
}

/**
 * ขอแสดงความนับถือ, the blank for signing, (name), positions: every line
 * centred on the axis (default 8 cm from the left margin).
 *
 * Implemented as centred paragraphs whose box is the widest one centred on
 * the axis that fits the text column: left indent = axis - half, right indent
 * = contentWidth - axis - half, with half = min(axis, contentWidth - axis).
 * Centring in that box puts every line's centre on the axis, as the PDF does,
 * and the text stays editable as ordinary lines in Word. (A line wider than
 * the box wraps where the PDF would shift it; signature lines are short.)
 * The blank lines are empty paragraphs of the block's size, so they are as
 * tall as its text lines.
 */
function signatureBlock(ctx: BuildContext, b: Extract<Block, { type: 'signature' }>, at: Around): Child[] {
  const look = lookOf(ctx, b);
  const style = ctx.styles.styleFor('Signature', look);
  const width = ctx.contentWidth;
  const room = SIGNING_ROOM_LINES * look.size * OFFICIAL_LINE_HEIGHT_EM;
  // Centred in the widest box around the axis that fits [lo, hi].
  const box = (axisAt: number, lo: number, hi: number) => {
    const axis = Math.min(Math.max(axisAt, lo), hi);
    const half = Math.min(axis - lo, hi - axis) || (hi - lo) / 2;
    const left = Math.max(0, axis - half - lo);
    const right = Math.max(0, hi - axis - half);
    return twips(left) > 0 || twips(right) > 0 ? { left: twips(left), right: twips(right) } : undefined;
  };
  const blank = b.blankLines ?? 3;
  // Blank above the next line so far (the PDF's rule: SIGNING_ROOM_LINES above every signing line).
  let blankAbove = at.spaceBefore;
  const paragraph = (t: Text | null, indent: ReturnType<typeof box>, first: boolean, last: boolean, keepNext: boolean) => {
    let before = first ? at.spaceBefore : 0;
    if (t !== null && isSigningLine(t)) before += Math.max(0, room - blankAbove);
    blankAbove = t === null ? blankAbove + look.size * OFFICIAL_LINE_HEIGHT_EM : 0;
    return new Paragraph({
      style,
      alignment: docxAlignment('center'),
      indent,
      spacing: spacing(before, last ? b.spaceAfter : undefined),
      keepNext: keepNext || undefined,
      pageBreakBefore: (first && at.pageBreakBefore) || undefined,
      children: t === null ? [] : textRuns(ctx.styles, t, look),
    });
  };
  const main = box(b.axis ?? SIGNATURE_AXIS, 0, width);
  const tail = (s: { name?: Text; lines?: Text[] }): Text[] => [...(s.name ? [s.name] : []), ...(s.lines ?? [])];
  if (!b.beside?.length) {
    const lines: (Text | null)[] = [...(b.closing ?? []), ...Array.from({ length: blank }, () => null), ...tail(b)];
    // The block never splits across pages, as in the PDF.
    return lines.map((t, i) => paragraph(t, main, i === 0, i === lines.length - 1, i < lines.length - 1 || at.keepNext));
  }
  // Signers side by side: the closing and blank lines, then a borderless row of one cell per signer,
  // each from halfway to the axes beside it, its lines centred on its own axis.
  const head: (Text | null)[] = [...(b.closing ?? []), ...Array.from({ length: blank }, () => null)];
  const out: Child[] = head.map((t, i) => paragraph(t, main, i === 0, false, true));
  const signers = [{ axis: b.axis ?? SIGNATURE_AXIS, lines: tail(b) }, ...b.beside.map((s) => ({ axis: s.axis, lines: tail(s) }))]
    .map((s) => ({ ...s, axis: Math.min(Math.max(s.axis, 0), width) }))
    .sort((x, y) => x.axis - y.axis);
  const edges = [0, ...signers.slice(1).map((s, k) => (signers[k]!.axis + s.axis) / 2), width];
  const roomAbove = blankAbove;
  const firstInBlock = out.length === 0;
  const cells = signers.map((s, k) => {
    const lo = edges[k]!;
    const hi = edges[k + 1]!;
    blankAbove = roomAbove;
    const indent = box(s.axis, lo, hi);
    return new TableCell({
      width: { size: twips(hi - lo), type: WidthType.DXA },
      borders: NO_BORDERS,
      children: (s.lines.length ? s.lines : ['']).map((t, i, all) => paragraph(t, indent, firstInBlock && i === 0, i === all.length - 1, false)),
    });
  });
  out.push(new Table({
    width: { size: twips(width), type: WidthType.DXA },
    columnWidths: signers.map((_, k) => twips(edges[k + 1]! - edges[k]!)),
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    rows: [new TableRow({ cantSplit: true, keepNext: at.keepNext || undefined, children: cells })],
  }));
  if (b.spaceAfter) out.push(emptySpace(b.spaceAfter));
  return out;
}

const RULE: IBorderOptions = { style: BorderStyle.SINGLE, size: Math.round(TABLE.rule * 8), color: '000000' };

/**
 * A real Word table: fixed column widths from the model ('*' shares the rest
 * of the text column), header rows repeated on every page (w:tblHeader), rows
 * that do not split across pages (as the PDF's) unless one may be taller
 * than half a page, 0.5 pt rules and the PDF's
 * cell padding. Header cells are bold and centred by their style; a body
 * cell's paragraph names a style for its look and writes its alignment only
 * when the style's differs, so a 1,000-row table carries no run properties.
 */
function tableBlock(ctx: BuildContext, b: TableBlock, at: Around): Child[] {
  const out: Child[] = [];
  // A table has no space before of its own: an empty paragraph of that height goes above it.
  if (at.spaceBefore > 0 || at.pageBreakBefore) {
    out.push(emptySpace(Math.max(at.spaceBefore, 0.05), { keepNext: true, pageBreakBefore: at.pageBreakBefore || undefined }));
  }
  const block = lookOf(ctx, b);
  const fitted = tableWidths(b, ctx.contentWidth, 2 * TABLE.padX + TABLE.rule, (text, bold = true) => ctx.measure(text, { ...block, bold: bold || block.bold }));
  const widths = fitted.widths.map(twips);
  // A header fitted smaller (fitHeader) is set at that size, in Word's half points.
  const headerSize = Math.floor(block.size * fitted.scale * 2) / 2;
  // `starts`: each cell's first column, where cells of rows above run down over some (header rows).
  const row = (cells: CellSpec[], header: boolean, keepNext: boolean, starts?: number[]): TableRow => {
    let col = 0;
    const children = cells.map((c, i) => {
      const spec = typeof c === 'string' || Array.isArray(c) ? { text: c } : c;
      const colSpan = cellSpan(c, 'colSpan');
      const rowSpan = cellSpan(c, 'rowSpan') > 1 ? cellSpan(c, 'rowSpan') : undefined;
      col = starts?.[i] ?? col;
      const align: Alignment = ('align' in spec && spec.align) || b.align?.[col] || (header ? 'center' : 'left');
      const bold = ('bold' in spec && spec.bold) || header || block.bold;
      const base: BaseStyle = header ? 'TableHeader' : 'TableText';
      const look: Look = { ...block, bold, ...(header ? { size: headerSize } : {}) };
      const width = widths.slice(col, col + colSpan).reduce((a, w) => a + w, 0);
      col += colSpan;
      return new TableCell({
        width: { size: width, type: WidthType.DXA },
        columnSpan: colSpan > 1 ? colSpan : undefined,
        // Word writes the merge itself: the rows below get continuation cells (w:vMerge).
        rowSpan,
        verticalAlign: rowSpan ? VerticalAlign.CENTER : undefined,
        children: [new Paragraph({
          style: ctx.styles.styleFor(base, look),
          alignment: align === ctx.styles.baseAlignment(base) ? undefined : docxAlignment(align),
          children: textRuns(ctx.styles, spec.text, look),
        })],
      });
    });
    // Rows stay whole as in the PDF, unless one may be taller than half a page: Word would cut it off.
    const tallest = Math.max(0, ...cells.map((c, i) => {
      const spec = typeof c === 'string' || Array.isArray(c) ? { text: c } : c;
      const text = runsOf(spec.text).map((r) => r.text).join('');
      const lines = text.split('\n').length + ctx.measure(text, { ...block, bold: header }) / Math.max(1, (widths[i] ?? twips(ctx.contentWidth)) / 20);
      return lines * block.size * OFFICIAL_LINE_HEIGHT_EM;
    }));
    const { margins, orientation } = ctx.model.page;
    const bodyHeight = (orientation === 'landscape' ? A4.width : A4.height) - margins.top - margins.bottom;
    const cantSplit = tallest < bodyHeight / 2;
    return new TableRow({ tableHeader: header || undefined, cantSplit: cantSplit || undefined, keepNext: keepNext || undefined, children });
  };
  const grid = tableGrid(b.header ?? []);
  const header = (b.header ?? []).map((r, i) => row(r, true, false, grid[i]!.filter((slot) => slot.cell !== undefined).map((slot) => slot.col)));
  const keep = new Set(b.keepWithNextRows ?? []);
  const body = b.rows.map((r, i) => row(r, false, (i === b.rows.length - 1 && at.keepNext) || keep.has(i)));
  const rows = [...header, ...body];
  if (rows.length === 0) return out;
  out.push(new Table({
    width: { size: widths.reduce((a, w) => a + w, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: b.borders === false ? NO_BORDERS : { top: RULE, bottom: RULE, left: RULE, right: RULE, insideHorizontal: RULE, insideVertical: RULE },
    margins: { top: twips(TABLE.padTop), bottom: twips(TABLE.padBottom), left: twips(TABLE.padX), right: twips(TABLE.padX) },
    rows,
  }));
  if (b.spaceAfter) out.push(emptySpace(b.spaceAfter));
  return out;
}

/** Line pitch of a text at single spacing: TH Sarabun's 1.1 em, as the PDF layout counts it. */
function pitchOf(text: Text, look: Look): number {
  const size = Math.max(...runsOf(text).map((r) => r.size ?? look.size), look.size);
  return size * OFFICIAL_LINE_HEIGHT_EM;
}

/**
 * The emblem at the block's height (default 3 cm), centred or left, with its
 * mark (ด่วนที่สุด, level with the emblem's middle, at the left) and title
 * (บันทึกข้อความ, centred on the emblem's bottom line) where the PDF draws them.
 *
 * Opening the document, the emblem floats about 1.5 cm from the top edge of
 * the page, above the top margin as in the PDF. Elsewhere, without text
 * beside it, it is an inline picture in its own paragraph. With a mark or a
 * title it floats, and the text lines are ordinary paragraphs placed over its
 * box by space before. Body text cannot start above the top margin, so when a
 * line would (a 29 pt title on a 1.5 cm emblem that opens a memo), the
 * emblem moves down with it: the line keeps its place on the emblem.
 * (Frames and VML text boxes could go above the margin, but LibreOffice
 * pushes the body below a frame, and Word draws a text box's border.)
 */
function emblemBlock(ctx: BuildContext, b: Extract<Block, { type: 'emblem' }>, at: Around): Child[] {
  const box = b.height ?? EMBLEM_HEIGHT;
  const align = b.align ?? 'center';
  const top = ctx.model.page.margins.top;
  const base = lookOf(ctx, {});
  // A left emblem opening the document (a memo's) has its mark above it, in the top margin:
  // Word writes no body text there, so the mark goes into the first page's header.
  const markAbove = b.mark !== undefined && align === 'left' && at.first && top > EMBLEM_TOP;
  const raise = at.first ? emblemRaise(top, markAbove && b.mark ? pitchOf(b.mark, uniformLook(b.mark, base)) : undefined) : 0;
  if (markAbove && b.mark) {
    const look = uniformLook(b.mark, lookOf(ctx, {}));
    ctx.firstPageHeader.push(new Paragraph({
      style: ctx.styles.styleFor('Mark', look),
      alignment: docxAlignment('left'),
      children: textRuns(ctx.styles, b.mark, look),
    }));
  }
  const lines = [
    ...(b.mark && !markAbove ? [{ text: b.mark, role: 'Mark' as const, align: 'left' as const, top: (pitch: number) => (box - pitch) / 2 }] : []),
    ...(b.title ? [{ text: b.title, role: 'Title' as const, align: 'center' as const, top: (pitch: number) => box - pitch }] : []),
  ].map((l) => {
    const look = uniformLook(l.text, base);
    return { ...l, look, pitch: pitchOf(l.text, look) };
  });
  if (lines.length === 0 && raise === 0) {
    return [new Paragraph({
      alignment: docxAlignment(align === 'center' ? 'center' : 'left'),
      spacing: spacing(at.spaceBefore, b.spaceAfter),
      keepNext: true,
      pageBreakBefore: at.pageBreakBefore || undefined,
      children: [emblemRun(ctx.emblem, { box, align })],
    })];
  }
  // Heights from the top of the block (the top margin when it opens the
  // document): an anchor paragraph holding the picture and the space before,
  // then the lines, then what is left of the box.
  const before = at.first ? 0 : at.spaceBefore;
  const anchor = Math.max(before, 0.05);
  let boxTop = raise > 0 ? -raise : before;
  boxTop += Math.max(0, ...lines.map((l) => anchor - (boxTop + l.top(l.pitch))));
  const float = raise > 0
    ? { from: 'page' as const, offset: top + boxTop }
    : { from: 'paragraph' as const, offset: boxTop };
  const out: Paragraph[] = [emptySpace(anchor, {
    keepNext: true,
    pageBreakBefore: at.pageBreakBefore || undefined,
    children: [emblemRun(ctx.emblem, { box, align, float })],
  })];
  let cursor = anchor;
  for (const l of lines) {
    const space = Math.max(0, boxTop + l.top(l.pitch) - cursor);
    cursor += space + l.pitch;
    out.push(new Paragraph({
      style: ctx.styles.styleFor(l.role, l.look),
      alignment: docxAlignment(l.align),
      spacing: spacing(space, undefined),
      keepNext: true,
      children: textRuns(ctx.styles, l.text, l.look),
    }));
  }
  const rest = boxTop + box - cursor;
  if (rest > 0.05) out.push(emptySpace(rest, { keepNext: true }));
  if (b.spaceAfter) out.push(emptySpace(b.spaceAfter, { keepNext: true }));
  return out;
}

function blockChildren(ctx: BuildContext, block: Exclude<Block, { type: 'pageBreak' }>, at: Around): Child[] {
  switch (block.type) {
    case 'paragraph': return paragraphBlock(ctx, block, at);
    case 'labeled': return labeledBlock(ctx, block, at);
    case 'list': return listBlock(ctx, block, at);
    case 'row': return rowBlock(ctx, block, at);
    case 'signature': return signatureBlock(ctx, block, at);
    case 'table': return tableBlock(ctx, block, at);
    case 'emblem': return emblemBlock(ctx, block, at);
    case 'spacer': return [emptySpace(block.height, { pageBreakBefore: at.pageBreakBefore || undefined })];
  }
}

/** Whether a block is bottom-anchored (a letter's contact lines, สำเนาส่ง). */
const isBottom = (b: Block | undefined): boolean => b !== undefined && 'anchor' in b && b.anchor === 'bottom';

/** Lines a paragraph-like block takes at least, as far as its text's width tells (Word breaks its lines itself). */
function linesOf(ctx: BuildContext, b: Block): number {
  if (b.type === 'table') return b.rows.length > 0 ? 2 : 0;
  if (b.type !== 'paragraph' && b.type !== 'labeled' && b.type !== 'list') return 0;
  const texts = b.type === 'list' ? b.items : [b.text];
  const look = lookOf(ctx, b);
  return texts.reduce((n, t) => n + runsOf(t).map((r) => r.text).join('').split('\n').reduce((k, part) => k + Math.max(1, Math.ceil(ctx.measure(part, look) / ctx.contentWidth)), 0), 0);
}

/**
 * The page rules of the PDF layout that Word can keep (keepWithSignature in
 * src/layout/page.ts): the blocks kept with a signature (a closing, สั่ง ณ
 * วันที่, a certification) never split (keepLines); the body before them
 * keeps with them (keepNext) for at least two lines, the last body
 * paragraph first; a signature keeps with the contact lines after it, so
 * they never stand alone on a page.
 */
function keepRules(ctx: BuildContext): { keepNext: Set<number>; keepLines: Set<number> } {
  const keepNext = new Set<number>();
  const keepLines = new Set<number>();
  const blocks = ctx.model.blocks;
  blocks.forEach((b, i) => {
    if (b.type === 'signature' && isBottom(blocks[i + 1])) keepNext.add(i);
    if (isBottom(b) && isBottom(blocks[i + 1])) keepNext.add(i);
    if (b.type !== 'signature' || blocks[i - 1]?.type === 'signature') return;
    let k = i - 1;
    const kept = (b: Block | undefined) => b !== undefined && b.type !== 'table' && 'keepWithNext' in b && b.keepWithNext === true;
    for (; k >= 0 && kept(blocks[k]); k--) keepLines.add(k);
    for (let lines = 0; k >= 0 && lines < 2; k--) {
      const body = blocks[k]!;
      if (body.type === 'pageBreak' || body.type === 'emblem' || body.type === 'signature') break;
      keepNext.add(k);
      lines += linesOf(ctx, body);
    }
  });
  return { keepNext, keepLines };
}

/** The body of the document: every block in order. */
export function buildBody(ctx: BuildContext): Child[] {
  const out: Child[] = [];
  const blocks = ctx.model.blocks;
  const keeps = keepRules(ctx);
  let pendingBreak = false;
  blocks.forEach((block, i) => {
    if (block.type === 'pageBreak') {
      // The next block starts the new page itself (pageBreakBefore), so no empty line is left at its top.
      if (pendingBreak) out.push(emptySpace(0.05, { pageBreakBefore: true }));
      pendingBreak = true;
      return;
    }
    const next = blocks[i + 1];
    const explicit = 'spaceBefore' in block && block.spaceBefore !== undefined ? block.spaceBefore : undefined;
    const at: Around = {
      // Space before vanishes at the top of a page, as in the PDF.
      spaceBefore: pendingBreak ? 0 : explicit ?? (i > 0 && block.type !== 'spacer' ? DEFAULT_SPACE_BEFORE : 0),
      keepNext: ('keepWithNext' in block && block.keepWithNext === true) || next?.type === 'signature' || keeps.keepNext.has(i),
      keepLines: keeps.keepLines.has(i),
      pageBreakBefore: pendingBreak,
      first: out.length === 0 && !pendingBreak,
    };
    pendingBreak = false;
    const own = blockChildren(ctx, block, at);
    // Word joins two tables that touch into one: keep them apart with a hairline paragraph.
    if (own[0] instanceof Table && out[out.length - 1] instanceof Table) out.push(emptySpace(0.05));
    out.push(...own);
  });
  // A page break at the very end leaves an empty last page, as in the PDF.
  if (pendingBreak) out.push(emptySpace(0.05, { pageBreakBefore: true }));
  return out;
}
