import { cellSpan, plainText, tableGrid, type TableCell } from '../model/document.js';
import { headerWords, linesAt, widestWord, widthForLines, type HeaderWord, type MeasureText } from './tableHeader.js';
import { SAFETY } from './paragraph.js';

/**
 * Column widths that shorten a table's rows (a table's `balance`). Widths a
 * form gives are its guess at what each column holds; on real data one
 * column wraps its every cell in five lines (the works of an applicant)
 * while another holds a short word in a wide cell (ครู under ตำแหน่ง). Rows
 * that tall make a list of three rows take two pages, the first a third
 * empty. Here width moves, a few points at a time, from the column that
 * loses the least height by giving it to the one whose rows shorten the
 * most, while the table's height (the header's and the body's lines) falls;
 * no column gets narrower than its widest word (body and header), so no word
 * is cut. Both renderers use the widths (tableWidths).
 */

/** Moves at most, so that a wide table of many rows stays cheap. */
const MOST_MOVES = 60;
/** Rows looked at at most: the first ones stand for a long table's (its pages are full anyway). */
const MOST_ROWS = 200;

/** A cell of one column; `tall` when its lines count toward its row's height (not a cell running down rows). */
interface Cell { col: number; words: HeaderWord[]; widest: number; tall: boolean }

function cellsOf(rows: TableCell[][], measure: MeasureText, bold: boolean, wholeWords: Set<number>): Cell[][] {
  return tableGrid(rows).map((slots, r) => slots.flatMap((slot) => {
    if (slot.cell === undefined || slot.colSpan !== 1) return [];
    const cell = rows[r]![slot.cell]!;
    const spec = typeof cell === 'string' || Array.isArray(cell) ? { text: cell, bold } : { text: cell.text, bold: cell.bold ?? bold };
    const text = plainText(spec.text);
    const words = headerWords(text, (t) => measure(t, spec.bold));
    // A column of names breaks only at spaces while a word fits (wholeWordColumns): its least width is its widest name part.
    const widest = wholeWords.has(slot.col) && !bold ? Math.max(0, ...text.split(/\s+/).map((t) => measure(t, spec.bold))) : widestWord(words);
    return [{ col: slot.col, words, widest, tall: cellSpan(cell, 'rowSpan') <= 1 }];
  }));
}

/**
 * `widths` (points, whole column widths) rebalanced to shorten the rows of
 * `header` and `rows`; `pad` is what a column's width holds besides text.
 * Each move widens one column just enough to take a line off one of its
 * cells, from one other column's spare width or from all of them in
 * proportion, and is made when the table gets shorter; the move that
 * shortens it most is made first.
 */
export function balanceWidths(widths: number[], header: TableCell[][], rows: TableCell[][], pad: number, measure: MeasureText, wholeWordColumns: number[] = []): number[] {
  const whole = new Set(wholeWordColumns);
  const head = cellsOf(header, measure, true, whole);
  const table = [...head, ...cellsOf(rows.slice(0, MOST_ROWS), measure, false, whole)];
  const w = widths.slice();
  const least = w.map(() => 0);
  for (const cells of table) for (const c of cells) least[c.col] = Math.max(least[c.col]!, c.widest + SAFETY + pad);
  // A heading wraps in no more lines than at the given widths ("ชื่อ - สกุล" stays one line): the form chose them.
  for (const cells of head) {
    for (const c of cells) {
      const given = linesAt(c.words, w[c.col]! - pad);
      if (Number.isFinite(given)) least[c.col] = Math.max(least[c.col]!, widthForLines(c.words, given) + pad);
    }
  }
  // First no word cut: a column narrower than its widest word widens to it, from the others' spare width.
  const short = w.reduce((s, x, j) => s + Math.max(0, least[j]! - x), 0);
  const spareAll = w.reduce((s, x, j) => s + Math.max(0, x - least[j]!), 0);
  if (short > 0 && spareAll >= short) {
    for (let j = 0; j < w.length; j++) w[j] = w[j]! < least[j]! ? least[j]! : w[j]! - (short * (w[j]! - least[j]!)) / spareAll;
  }
  // A column still narrower than its widest word keeps its width (it gives nothing).
  for (let j = 0; j < w.length; j++) least[j] = Math.min(least[j]!, w[j]!);
  const memo = new Map<Cell, Map<number, number>>();
  const lines = (c: Cell, width: number) => {
    let m = memo.get(c);
    if (!m) memo.set(c, (m = new Map()));
    const key = Math.round(width * 16);
    let n = m.get(key);
    if (n === undefined) {
      n = linesAt(c.words, width - pad);
      // A word wider than the column is cut between letters: about as many lines as the text is widths long, and one more.
      if (n === Infinity) n = Math.ceil(c.words.reduce((t, x) => t + x.width, 0) / Math.max(1, width - pad - SAFETY)) + 1;
      m.set(key, n);
    }
    return n;
  };
  const height = (v: number[]) => table.reduce((h, cells) => h + Math.max(1, ...cells.map((c) => (c.tall ? lines(c, v[c.col]!) : 1))), 0);
  let now = height(w);
  for (let move = 0; move < MOST_MOVES; move++) {
    let best: { v: number[]; h: number } | undefined;
    for (let to = 0; to < w.length; to++) {
      // The widths at which a cell of this column takes one line fewer.
      const amounts = new Set<number>();
      for (const cells of table) {
        for (const c of cells) {
          if (c.col !== to || !c.tall) continue;
          const n = lines(c, w[to]!);
          if (n > 1) {
            // A cut word first gets its whole width.
            const whole = c.widest + SAFETY + pad;
            const need = (whole > w[to]! ? whole : widthForLines(c.words, n - 1) + pad) - w[to]!;
            if (need > 0 && Number.isFinite(need)) amounts.add(Math.ceil(need * 4) / 4);
          }
        }
      }
      for (const a of [...amounts].sort((x, y) => x - y).slice(0, 4)) {
        const tries: number[][] = [];
        for (let from = 0; from < w.length; from++) {
          if (from !== to && w[from]! - a >= least[from]!) tries.push(w.map((x, j) => x + (j === to ? a : j === from ? -a : 0)));
        }
        const spare = w.reduce((s, x, j) => s + (j === to ? 0 : x - least[j]!), 0);
        if (spare >= a) tries.push(w.map((x, j) => (j === to ? x + a : x - (a * (x - least[j]!)) / spare)));
        for (const v of tries) {
          const h = height(v);
          if (h < now && (!best || h < best.h)) best = { v, h };
        }
      }
    }
    if (!best) break;
    best.v.forEach((x, j) => { w[j] = x; });
    now = best.h;
  }
  return w;
}
