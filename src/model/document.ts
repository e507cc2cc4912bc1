import { z } from 'zod';
import { Length, cm } from './units.js';

/**
 * The document model: what every form produces and both renderers consume.
 * Sizes are official TH Sarabun points; lengths are points (templates may
 * write `2.5cm`). The model says what a page holds, never how a library draws it.
 */

export const Alignment = z.enum(['left', 'center', 'right', 'justify', 'thai-distributed']);
export type Alignment = z.infer<typeof Alignment>;

export const Run = z.object({
  text: z.string(),
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  underline: z.boolean().optional(),
  color: z.string().optional(),
  /** Official points; the block's size when omitted. */
  size: z.number().positive().max(200).optional(),
});
export type Run = z.infer<typeof Run>;

/** Text is a plain string or styled runs. */
export const Text = z.union([z.string(), z.array(Run)]);
export type Text = z.infer<typeof Text>;

const TextStyle = {
  size: z.number().positive().max(200).optional(),
  bold: z.boolean().optional(),
  color: z.string().optional(),
};

const Spacing = {
  /** A dotted rule under every line of the block, as under a memo's header lines. */
  dotted: z.boolean().optional(),
  spaceBefore: Length.optional(),
  spaceAfter: Length.optional(),
  /** Keep on the same page as the next block (a label with its list, a closing with its signature). */
  keepWithNext: z.boolean().optional(),
  /**
   * `bottom`: the block, and any bottom blocks after it that end the document,
   * stand at the foot of the last page (a letter's contact lines). PDF only:
   * Word flows them after the text.
   */
  anchor: z.enum(['bottom']).optional(),
};

export const Paragraph = z.object({
  type: z.literal('paragraph'),
  text: Text,
  align: Alignment.optional(),
  firstLineIndent: Length.optional(),
  indent: Length.optional(),
  ...TextStyle,
  ...Spacing,
  /** Never split across pages (a contact block). */
  keepTogether: z.boolean().optional(),
  /** Paragraph style for DOCX (Body, Heading, ...); the PDF renderer ignores it. */
  role: z.enum(['body', 'title', 'heading', 'label', 'mark', 'small']).optional(),
});

/** `label` hangs left of its text (เรื่อง, เรียน, ถึง); wrapped lines align with the text. */
export const Labeled = z.object({
  type: z.literal('labeled'),
  label: Text,
  text: Text,
  labelWidth: Length.optional(),
  align: Alignment.optional(),
  ...TextStyle,
  ...Spacing,
});

/** A label with a numbered list: อ้างถึง ๑. ... ๒. ...; every item hangs after its number. */
export const List = z.object({
  type: z.literal('list'),
  label: Text.optional(),
  labelWidth: Length.optional(),
  items: z.array(Text).min(1),
  /** `numbered` writes ๑. ๒. ...; `none` writes items as they are. */
  numbering: z.enum(['numbered', 'none']).optional(),
  numberWidth: Length.optional(),
  ...TextStyle,
  ...Spacing,
});

/** Text placed left and right on the same line(s): ที่ ... on the left, the office's address on the right. */
export const Row = z.object({
  type: z.literal('row'),
  left: z.array(Text),
  right: z.array(Text),
  /** Width of the right column; its lines are left-aligned within it. */
  rightWidth: Length.optional(),
  ...TextStyle,
  ...Spacing,
});

export const Signature = z.object({
  type: z.literal('signature'),
  /** Lines above the blank for signing (ขอแสดงความนับถือ). */
  closing: z.array(Text).optional(),
  /** Blank lines left for the signature. */
  blankLines: z.number().int().min(0).max(10).optional(),
  name: Text.optional(),
  /** Position lines, then ปฏิบัติราชการแทน lines, each centred on the axis. */
  lines: z.array(Text).optional(),
  /** Distance of the centre axis from the left margin. */
  axis: Length.optional(),
  /**
   * Signers standing beside this one, on the same lines as its name and
   * position lines, each centred on its own axis (the two certifiers of a
   * landscape list, side by side). The closing and blank lines are this block's.
   */
  beside: z.array(z.object({
    axis: Length,
    name: Text.optional(),
    lines: z.array(Text).optional(),
  })).max(3).optional(),
  ...TextStyle,
  ...Spacing,
});

/**
 * A line signed on: ลงชื่อ ...... or (ลงชื่อ) ...... . A rule of every
 * signature block, in both renderers: such a line has SIGNING_ROOM_LINES of
 * blank above it (counting the block's blank lines and its space before),
 * the room the pen needs, above the dotted line and not under it.
 */
export const isSigningLine = (text: Text): boolean => /^\s*\(?\s*ลงชื่อ/.test(plainText(text));

/** Lines (of the block's size) left blank above a signing line. */
export const SIGNING_ROOM_LINES = 1.5;

export const TableCell = z.union([
  Text,
  z.object({
    text: Text,
    align: Alignment.optional(),
    colSpan: z.number().int().min(1).optional(),
    /** Header rows only: the cell runs down this many header rows; the rows below leave its columns out. */
    rowSpan: z.number().int().min(1).optional(),
    bold: z.boolean().optional(),
  }),
]);
export type TableCell = z.infer<typeof TableCell>;

/** The columns (`colSpan`) or header rows (`rowSpan`) a cell takes: 1 unless it says more. */
export const cellSpan = (cell: TableCell, key: 'colSpan' | 'rowSpan'): number => (typeof cell === 'object' && !Array.isArray(cell) && cell[key]) || 1;

/** A place in a table's grid: a row's own cell (`cell`, its index in the row), or columns a cell above runs down over. */
export interface GridSlot { col: number; colSpan: number; rowSpan: number; cell?: number }

/**
 * The grid of a table's rows: where each cell starts, and where cells from
 * rows above (rowSpan) cover columns, which the rows below leave out as in
 * HTML. Both renderers place cells by it.
 */
export function tableGrid(rows: TableCell[][]): GridSlot[][] {
  const coveredBy: ({ until: number; colSpan: number } | undefined)[] = [];
  return rows.map((cells, r) => {
    const slots: GridSlot[] = [];
    let col = 0;
    const skipCovered = () => {
      for (let c = coveredBy[col]; c && c.until >= r; c = coveredBy[col]) {
        slots.push({ col, colSpan: c.colSpan, rowSpan: 0 });
        col += c.colSpan;
      }
    };
    cells.forEach((cell, i) => {
      skipCovered();
      const colSpan = cellSpan(cell, 'colSpan');
      const rowSpan = cellSpan(cell, 'rowSpan');
      slots.push({ col, colSpan, rowSpan, cell: i });
      if (rowSpan > 1) coveredBy[col] = { until: r + rowSpan - 1, colSpan };
      col += colSpan;
    });
    skipCovered();
    return slots;
  });
}

export const Table = z.object({
  type: z.literal('table'),
  /** Column widths: points/lengths, or `*` shares of the rest. */
  widths: z.array(z.union([Length, z.literal('*')])).min(1),
  header: z.array(z.array(TableCell)).optional(),
  rows: z.array(z.array(TableCell)),
  align: z.array(Alignment).optional(),
  /** `false` for columns without rules (a committee list in an order). */
  borders: z.boolean().optional(),
  /** Rows (by index in `rows`) that stay on the page of the row after them: an area heading with its first item. */
  keepWithNextRows: z.array(z.number().int().min(0)).optional(),
  /**
   * Columns (by index) whose cells break only at spaces while a word fits the
   * column: names, so a surname is not cut after its first part. PDF only;
   * Word breaks Thai by its own dictionary.
   */
  wholeWordColumns: z.array(z.number().int().min(0)).optional(),
  /**
   * Fixed widths are the least each column takes (what its figures need), and
   * the rest of the text column goes where the header needs it to wrap only
   * between words, in the fewest header lines; what is still left goes to the
   * `*` columns, or evenly to all. Both renderers use the same widths.
   */
  fitHeader: z.boolean().optional(),
  /**
   * The widths (after fitHeader) are a first guess: width moves to the
   * columns whose cells wrap from those with width to spare, while the rows
   * get shorter, no column narrower than its widest word (layout/tableBalance).
   * For tables of free text (names, titles of works), where a short list
   * otherwise spills onto a second page. Both renderers use the same widths.
   */
  balance: z.boolean().optional(),
  ...TextStyle,
  ...Spacing,
}).superRefine((table, ctx) => {
  // Header rows repeat on every page as one group, so a cell may run down them; body rows break across pages.
  const header = table.header ?? [];
  header.forEach((cells, r) => cells.forEach((cell, i) => {
    if (r + cellSpan(cell, 'rowSpan') > header.length) {
      ctx.addIssue({ code: 'custom', path: ['header', r, i, 'rowSpan'], message: 'ช่องหัวตารางยาวเกินแถวหัวตาราง / the cell runs past the last header row' });
    }
  }));
  table.rows.forEach((cells, r) => cells.forEach((cell, i) => {
    if (cellSpan(cell, 'rowSpan') > 1) {
      ctx.addIssue({ code: 'custom', path: ['rows', r, i, 'rowSpan'], message: 'ใช้ rowSpan ได้เฉพาะแถวหัวตาราง / rowSpan is for header rows only' });
    }
  }));
});

/**
 * The Garuda's reserved slot. `mark` stands at its left (the urgency mark of a
 * letter), `title` beside it on its bottom line (บันทึกข้อความ of a memo).
 */
export const Emblem = z.object({
  type: z.literal('emblem'),
  height: Length.optional(),
  align: z.enum(['left', 'center']).optional(),
  mark: Text.optional(),
  title: Text.optional(),
  ...Spacing,
});

export const Spacer = z.object({ type: z.literal('spacer'), height: Length });
export const PageBreak = z.object({ type: z.literal('pageBreak') });

export const Block = z.discriminatedUnion('type', [Paragraph, Labeled, List, Row, Signature, Table, Emblem, Spacer, PageBreak]);
export type Block = z.infer<typeof Block>;
export type BlockInput = z.input<typeof Block>;

export const PageSetup = z.object({
  size: z.literal('A4').default('A4'),
  orientation: z.enum(['portrait', 'landscape']).default('portrait'),
  margins: z.object({
    top: Length.default(cm(2.5)),
    right: Length.default(cm(2)),
    bottom: Length.default(cm(2)),
    left: Length.default(cm(3)),
  }).prefault({}),
  /** `- ๒ -` centred at the top of every page after the first. */
  pageNumbers: z.boolean().default(true),
  /** `/คำ...` at the bottom right of every page but the last (PDF). */
  continuation: z.boolean().default(true),
  /** Secrecy mark (ลับ, ลับมาก, ลับที่สุด) in red at the top and bottom centre of every page. */
  secrecy: z.string().optional(),
});
export type PageSetup = z.infer<typeof PageSetup>;

export const DocumentModel = z.object({
  title: z.string().default(''),
  page: PageSetup.prefault({}),
  /** Body size in official points. */
  fontSize: z.number().positive().default(16),
  /** Default alignment of body paragraphs. */
  align: Alignment.default('thai-distributed'),
  numerals: z.enum(['thai', 'arabic']).default('thai'),
  blocks: z.array(Block),
});
export type DocumentModel = z.infer<typeof DocumentModel>;
export type DocumentModelInput = z.input<typeof DocumentModel>;

/** The emblem image; renderers draw a reserved box of the block's height whatever the image. */
export interface EmblemImage {
  data: Buffer;
  type: 'png' | 'jpeg' | 'svg';
}

export interface RenderOptions {
  font?: string;
  emblem?: EmblemImage;
  /**
   * Pages before this document's first page, for documents that continue one
   * numbering (a batch's merged PDF). Called once the page count is known, so
   * a batch can number a document while earlier ones are still being laid out.
   */
  pagesBefore?: (pageCount: number) => Promise<number>;
  /** PDF only: PDF/A-3b, with `attachments` embedded as associated files (src/render/pdf/archive.ts). */
  archive?: 'pdf/a-3b';
  /** PDF only: signed with the service's key once the whole file is written (src/sign/). */
  sign?: boolean;
  /** An archived PDF's subject and author (its title is the model's). */
  meta?: { subject?: string; author?: string };
  /** JSON files embedded in an archived PDF (AFRelationship /Data): the form's data, what it computes. */
  attachments?: { name: string; description: string; json: string }[];
}

export function runsOf(text: Text): Run[] {
  return typeof text === 'string' ? [{ text }] : text;
}

export function plainText(text: Text): string {
  return runsOf(text).map((r) => r.text).join('');
}
