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
/** Rows whose heights are weighed at most: the first ones stand for a long table's (its pages are full anyway). */
const MOST_ROWS = 60;

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
  const body = cellsOf(rows, measure, false, whole);
  const table = [...head, ...body.slice(0, MOST_ROWS)];
  const w = widths.slice();
  const least = w.map(() => 0);
  // The least widths from every row (a later row's number or name may be the widest), the heights from the first ones.
  for (const cells of [...head, ...body]) for (const c of cells) least[c.col] = Math.max(least[c.col]!, c.widest + SAFETY + pad);
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
  // The least width for a cell's text in n lines, asked again at every move.
  const fewerMemo = new Map<Cell, number[]>();
  const fewer = (c: Cell, n: number) => {
    let m = fewerMemo.get(c);
    if (!m) fewerMemo.set(c, (m = []));
    return (m[n] ??= widthForLines(c.words, n));
  };
  // Each row's cell of each column that counts toward the row's height (undefined: none), and its lines now.
  const cols = w.length;
  const at = table.map((cells) => {
    const row = new Array<Cell | undefined>(cols).fill(undefined);
    for (const c of cells) if (c.tall) row[c.col] = c;
    return row;
  });
  let now = 0;
  let cur: number[][] = [];
  let top: number[][] = [];
  let sum: number[] = [];
  // The rows' lines, and a hundredth of every cell's: a row as tall in two columns shortens only when both do,
  // and the move that shortens one of them alone must count for something, or the search would stop there.
  const settle = () => {
    cur = at.map((row) => row.map((c, j) => (c ? lines(c, w[j]!) : 0)));
    // Each row's three tallest columns: a move changes two, the row's height is then the third's or theirs.
    top = cur.map((row) => row.map((_, j) => j).sort((x, y) => row[y]! - row[x]!).slice(0, 3));
    sum = cur.map((row) => row.reduce((a, b) => a + b, 0));
    now = cur.reduce((h, row, r) => h + Math.max(1, row[top[r]![0]!] ?? 0) + sum[r]! / 100, 0);
  };
  settle();
  /** The table's height with column `from` narrower by `a` and `to` wider by it. */
  const moved = (from: number, to: number, a: number) => {
    let h = 0;
    for (let r = 0; r < at.length; r++) {
      const row = at[r]!;
      const nf = row[from] ? lines(row[from]!, w[from]! - a) : 0;
      const nt = row[to] ? lines(row[to]!, w[to]! + a) : 0;
      const other = top[r]!.find((j) => j !== from && j !== to);
      const most = Math.max(1, nf, nt, other === undefined ? 0 : cur[r]![other]!);
      h += most + (sum[r]! - cur[r]![from]! - cur[r]![to]! + nf + nt) / 100;
    }
    return h;
  };
  /** The table's height at widths `v` (every column may differ). */
  const heightAt = (v: number[]) => at.reduce((h, row) => {
    let most = 1;
    let all = 0;
    row.forEach((c, j) => {
      if (!c) return;
      const n = lines(c, v[j]!);
      if (n > most) most = n;
      all += n;
    });
    return h + most + all / 100;
  }, 0);
  for (let move = 0; move < MOST_MOVES; move++) {
    let best: { v: number[]; h: number } | undefined;
    for (let to = 0; to < cols; to++) {
      // The widths at which a cell of this column takes one line fewer.
      const amounts = new Set<number>();
      for (let r = 0; r < at.length; r++) {
        const c = at[r]![to];
        const n = cur[r]![to]!;
        if (!c || n <= 1) continue;
        const whole = c.widest + SAFETY + pad;
        const wants = [whole > w[to]! ? whole : fewer(c, n - 1) + pad];
        // A cell whose word is cut: its whole width, or a line fewer of cut text (the estimate of `lines`).
        if (whole > w[to]! && n > 2) wants.push(c.words.reduce((t, x) => t + x.width, 0) / (n - 2) + SAFETY + pad);
        for (const want of wants) {
          const need = want - w[to]!;
          if (need > 0 && Number.isFinite(need)) amounts.add(Math.ceil(need * 4) / 4);
        }
      }
      for (const a of [...amounts].sort((x, y) => x - y).slice(0, 4)) {
        for (let from = 0; from < cols; from++) {
          if (from === to || w[from]! - a < least[from]!) continue;
          const h = moved(from, to, a);
          if (h < now && (!best || h < best.h)) best = { v: w.map((x, j) => x + (j === to ? a : j === from ? -a : 0)), h };
        }
        const spare = w.reduce((s, x, j) => s + (j === to ? 0 : x - least[j]!), 0);
        if (spare >= a) {
          const v = w.map((x, j) => (j === to ? x + a : x - (a * (x - least[j]!)) / spare));
          const h = heightAt(v);
          if (h < now && (!best || h < best.h)) best = { v, h };
        }
      }
    }
    if (!best) break;
    const chosen: number[] = (best as { v: number[] }).v;
    chosen.forEach((x, j) => { w[j] = x; });
    settle();
  }
  return w;
}
