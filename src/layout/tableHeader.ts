import { breakUnits } from '../thai/segment.js';
import { cellSpan, plainText, tableGrid, type TableCell } from '../model/document.js';
import { SAFETY } from './paragraph.js';

/**
 * Table headers that read as whole phrases. A narrow column's heading set one
 * word per line ("ไม่|ได้|รับ|การ|เลื่อน|เงินเดือน" in six lines) or cut inside
 * a word (ข้าราช|การ) makes the header rows taller than the rows they head, and
 * a list of three rows then leaves its signatures for page 2. Here the column
 * widths of a table (`fitHeader`) are chosen so that every header cell breaks
 * only between words (and at the form's own line breaks), in as few header
 * lines as the text column allows; both renderers use the same widths.
 *
 * Widths are inner widths of cells in points: a column's width less
 * `pad` (the padding on both sides and a rule).
 */

/** Width of a text at the table's size, bold (a header's look) unless `bold` is false. */
export type MeasureText = (text: string, bold?: boolean) => number;

/** A break unit of a header text: a word, a space, or a line break written in the text. */
export interface HeaderWord { width: number; space: boolean; forced: boolean }

export function headerWords(text: string, measure: MeasureText): HeaderWord[] {
  return breakUnits(text).map((u) => (u.space && u.text.includes('\n')
    ? { width: 0, space: true, forced: true }
    : { width: measure(u.text), space: u.space, forced: false }));
}

/**
 * Lines of a text broken first-fit at `width`, as layoutParagraph breaks it;
 * Infinity when a word is wider than the width (the layout would cut it).
 */
export function linesAt(words: HeaderWord[], width: number): number {
  const room = width - SAFETY;
  let lines = 1;
  let used = 0;
  let started = false;
  let space = 0;
  for (const w of words) {
    if (w.forced) { lines++; used = 0; started = false; space = 0; continue; }
    if (w.space) { if (started) space = w.width; continue; }
    if (w.width > room) return Infinity;
    if (started && used + space + w.width > room) { lines++; used = 0; space = 0; }
    used += space + w.width;
    space = 0;
    started = true;
  }
  return lines;
}

/** The widest word: a cell narrower than this (plus SAFETY) cuts a word. */
export function widestWord(words: HeaderWord[]): number {
  return Math.max(0, ...words.filter((w) => !w.space).map((w) => w.width));
}

/**
 * The least inner width at which a text takes at most `lines` lines without
 * cutting a word; Infinity when it cannot (more line breaks written in it).
 */
export function widthForLines(words: HeaderWord[], lines: number): number {
  let lo = widestWord(words) + SAFETY;
  // The widest segment between written line breaks on one line.
  let hi = lo;
  let seg = 0;
  for (const w of words) {
    if (w.forced) { hi = Math.max(hi, seg + SAFETY); seg = 0; } else seg += w.width;
  }
  hi = Math.max(hi, seg + SAFETY) + 0.01;
  if (linesAt(words, hi) > lines) return Infinity;
  if (linesAt(words, lo) <= lines) return lo;
  // linesAt only falls as the width grows: the least width is found to a twentieth of a point.
  while (hi - lo > 0.05) {
    const mid = (lo + hi) / 2;
    if (linesAt(words, mid) <= lines) hi = mid; else lo = mid;
  }
  return hi;
}

/**
 * The least width of each column: its given width, and no less than what the
 * widest word of its body cells needs (a figure such as ๑,๒๓๔,๕๖๗ is one
 * word), so that fitting the header never cuts a body word.
 */
export function bodyMins(rows: TableCell[][], given: number[], pad: number, measure: MeasureText): number[] {
  const mins = given.slice();
  for (const cells of rows) {
    let col = 0;
    for (const cell of cells) {
      const colSpan = cellSpan(cell, 'colSpan');
      if (colSpan === 1 && col < mins.length) {
        const spec = typeof cell === 'string' || Array.isArray(cell) ? { text: cell, bold: false } : cell;
        const words = breakUnits(plainText(spec.text)).filter((u) => !u.space);
        for (const w of words) mins[col] = Math.max(mins[col]!, measure(w.text, spec.bold ?? false) + SAFETY + pad);
      }
      col += colSpan;
    }
  }
  return mins;
}

export interface HeaderFit {
  /** Header rows as the model has them (texts already prepared: numerals, invisible characters). */
  header: TableCell[][];
  /** The least width of each column (points): what its body needs (bodyMins); 0 for a column without one. */
  mins: number[];
  /** Columns that take what the header leaves (the model's `*` columns); without any, it is shared by all. */
  stars?: boolean[];
  /** The table's width (points). */
  total: number;
  /** A cell's width that is not text: padding on both sides and a rule. */
  pad: number;
  measure: MeasureText;
}

interface FitCell { row: number; col: number; colSpan: number; rowSpan: number; words: HeaderWord[]; most: number }

/** Lines a header row may take in the search: a row needing more keeps its cells one word per line. */
const MOST_LINES_A_ROW = 8;
/** Line counts tried at most (rows × counts per row), so a header of many rows stays cheap. */
const MOST_TRIALS = 20_000;

/** Header sizes tried, as shares of the table's: the layout sets a header cell no smaller (headerSize). */
export const HEADER_SCALES = [1, 0.95, 0.9] as const;

export interface FittedWidths {
  widths: number[];
  /** The share of the table's size the header was fitted at (HEADER_SCALES): its cells are set no larger. */
  scale: number;
}

/**
 * Column widths for a header that wraps at word boundaries in the fewest
 * lines: for each choice of lines per header row, the least widths at which
 * every cell fits its rows' lines (a cell spanning columns widens them
 * evenly, after the single-column cells), the cheapest choice that fits the
 * table's width wins (fewest header lines, then the least width), and what is
 * left goes to the `*` columns or evenly to all. The header is fitted a
 * little smaller (HEADER_SCALES) where that makes it shorter (its lines times
 * its size), as where it fits no choice at the table's size; when it fits
 * none at all, it is left to wrap as it can: the least widths
 * and the rest shared (or, wider than the table, the least widths scaled to it).
 */
export function fitHeaderWidths(fit: HeaderFit): FittedWidths {
  let found: { lines: number; used: number; widths: number[] } | undefined;
  let scale = 1;
  for (const s of HEADER_SCALES) {
    const at = cheapestWidths(fit, headerCells(fit.header, (text) => fit.measure(text) * s));
    // A smaller header only where it is shorter: its lines times its size.
    if (at && (!found || at.lines * s < found.lines * scale - 1e-9)) { found = at; scale = s; }
  }
  if (!found) {
    scale = 1;
    const used = fit.mins.reduce((a, b) => a + b, 0);
    if (used > fit.total) return { widths: fit.mins.map((w) => (w * fit.total) / used), scale };
    found = { lines: 0, used, widths: fit.mins.slice() };
  }
  const { widths } = found;
  const left = fit.total - found.used - (found.lines > 0 ? fewerLines(fit, headerCells(fit.header, (text) => fit.measure(text) * scale), widths, fit.total - found.used) : 0);
  const stars = fit.stars?.some((x) => x) ? fit.stars : undefined;
  const takers = stars ? stars.filter((x) => x).length : widths.length;
  for (let j = 0; j < widths.length; j++) if (!stars || stars[j]) widths[j]! += left / takers;
  return { widths, scale };
}

/** The search of fitHeaderWidths at one header size: undefined when no choice of lines fits the table's width. */
function cheapestWidths(fit: HeaderFit, cells: FitCell[]): { lines: number; used: number; widths: number[] } | undefined {
  const rows = fit.header.length;
  // The lines each row may need: up to the most its own cells take at their narrowest.
  const most = Array.from({ length: rows }, (_, r) => Math.min(MOST_LINES_A_ROW, Math.max(1, ...cells.filter((c) => c.row === r && c.rowSpan === 1).map((c) => c.most))));
  const trials = () => most.reduce((a, b) => a * b, 1);
  while (trials() > MOST_TRIALS) {
    const r = most.indexOf(Math.max(...most));
    most[r] = Math.max(1, most[r]! - 1);
  }
  const order = [...cells].sort((a, b) => a.colSpan - b.colSpan);
  const memo = new Map<FitCell, number[]>();
  const need = (c: FitCell, lines: number) => {
    let m = memo.get(c);
    if (!m) memo.set(c, (m = []));
    return (m[lines] ??= widthForLines(c.words, lines));
  };
  const widthsFor = (k: number[]): number[] | undefined => {
    const w = fit.mins.slice();
    for (const c of order) {
      let lines = 0;
      for (let r = c.row; r < c.row + c.rowSpan; r++) lines += k[r]!;
      const req = need(c, lines) + fit.pad;
      if (req === Infinity) return undefined;
      let cur = 0;
      for (let j = c.col; j < c.col + c.colSpan; j++) cur += w[j]!;
      if (cur < req) for (let j = c.col; j < c.col + c.colSpan; j++) w[j]! += (req - cur) / c.colSpan;
    }
    return w;
  };
  let best: { lines: number; used: number; widths: number[] } | undefined;
  const k = new Array<number>(rows).fill(1);
  const visit = (r: number, lines: number) => {
    if (best && lines > best.lines) return;
    if (r === rows) {
      const w = widthsFor(k);
      if (!w) return;
      const used = w.reduce((a, b) => a + b, 0);
      if (used > fit.total + 0.01) return;
      if (!best || lines < best.lines || (lines === best.lines && used < best.used)) best = { lines, used, widths: w };
      return;
    }
    for (let n = 1; n <= most[r]!; n++) {
      k[r] = n;
      visit(r + 1, lines + n);
    }
  };
  visit(0, 0);
  return best;
}

/**
 * With the header's height chosen, the width left goes first to cells that
 * take fewer lines with a little more (a cell running down rows, a cell
 * shorter than its row's tallest), least width per line first: a phrase then
 * reads in as few lines as the page allows. Widens `widths`; returns the width used.
 */
function fewerLines(fit: HeaderFit, cells: FitCell[], widths: number[], left: number): number {
  let used = 0;
  const span = (c: FitCell) => {
    let w = -fit.pad;
    for (let j = c.col; j < c.col + c.colSpan; j++) w += widths[j]!;
    return w;
  };
  for (;;) {
    let pick: { c: FitCell; extra: number } | undefined;
    for (const c of cells) {
      const now = linesAt(c.words, span(c));
      if (now <= 1 || now === Infinity) continue;
      const extra = widthForLines(c.words, now - 1) - span(c);
      if (extra > 0 && extra <= left - used && (!pick || extra < pick.extra)) pick = { c, extra };
    }
    if (!pick) return used;
    for (let j = pick.c.col; j < pick.c.col + pick.c.colSpan; j++) widths[j]! += pick.extra / pick.c.colSpan;
    used += pick.extra;
  }
}

function headerCells(header: TableCell[][], measure: MeasureText): FitCell[] {
  const cells: FitCell[] = [];
  tableGrid(header).forEach((slots, r) => {
    for (const slot of slots) {
      if (slot.cell === undefined) continue;
      const cell = header[r]![slot.cell]!;
      const text = plainText(typeof cell === 'string' || Array.isArray(cell) ? cell : cell.text);
      const words = headerWords(text, measure);
      const narrowest = widestWord(words) + SAFETY;
      cells.push({ row: r, col: slot.col, colSpan: slot.colSpan, rowSpan: Math.max(1, cellSpan(cell, 'rowSpan')), words, most: linesAt(words, narrowest) });
    }
  });
  return cells;
}

/** A header cell set one word per line although its table could give it a wider split. */
export interface NarrowHeaderCell {
  /** Header row and first column of the cell. */
  row: number;
  col: number;
  text: string;
  /** Lines it takes, and the fewest it could take in the table's width with the header fitted. */
  lines: number;
  fewest: number;
}

export interface LaidHeaderCell {
  /** The cell's text, as the model has it. */
  text: string;
  col: number;
  colSpan: number;
  rowSpan?: number;
  /** The text of each of its lines as laid out. */
  lines: string[];
}

/**
 * For the page lint: header cells of a laid-out table that wrap one word per
 * line (two lines or more, each a single word) where a wider split exists,
 * that is where the table's width, fitted as fitHeaderWidths fits it with the
 * same body columns (`mins`), would set the cell in fewer lines.
 * `widths` are the table's column widths as laid out.
 */
export function narrowHeaderCells(rows: LaidHeaderCell[][], widths: number[], mins: number[], pad: number, measure: MeasureText): NarrowHeaderCell[] {
  const header: TableCell[][] = rows.map((cells) => cells.map((c) => ({ text: c.text, colSpan: c.colSpan, rowSpan: c.rowSpan })));
  const total = widths.reduce((a, b) => a + b, 0);
  const fitted = fitHeaderWidths({ header, mins, total, pad, measure }).widths;
  const out: NarrowHeaderCell[] = [];
  rows.forEach((cells, r) => cells.forEach((c) => {
    if (c.lines.length < 2) return;
    const oneWordEach = c.lines.every((l) => breakUnits(l.trim()).filter((u) => !u.space).length <= 1);
    if (!oneWordEach) return;
    let inner = -pad;
    for (let j = c.col; j < c.col + c.colSpan; j++) inner += fitted[j] ?? 0;
    const fewest = linesAt(headerWords(c.text, measure), inner);
    if (fewest < c.lines.length) out.push({ row: r, col: c.col, text: c.text, lines: c.lines.length, fewest });
  }));
  return out;
}
