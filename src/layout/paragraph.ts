import { breakUnits, clusterCut, thaiClusters, type UnitCut } from '../thai/segment.js';
import type { Alignment, Run } from '../model/document.js';
import { Measurer, type PieceStyle } from './measure.js';

/** A run of one style within a line. */
export interface Piece { text: string; style: PieceStyle }

export interface Line {
  pieces: Piece[];
  /** Natural width of the pieces (no spreading). */
  width: number;
  /** Offset of the line's box from the block's left edge. */
  indent: number;
  /** Width available to the line. */
  available: number;
  /** Last line of a paragraph or before a forced break: never spread. */
  last: boolean;
  align: Alignment;
  pitch: number;
}

export interface ParagraphOptions {
  width: number;
  firstLineIndent?: number;
  /** Left indent of every line (hanging text). */
  indent?: number;
  align: Alignment;
  style: PieceStyle;
  /**
   * Break only at spaces where a space-separated word fits a line of its own
   * (a person's name in a narrow column: the surname moves down whole rather
   * than being cut after its first part). A longer word still breaks inside.
   */
  wholeWords?: boolean;
}

/**
 * Slack kept at the end of every line: pdfkit measures a whole line where we
 * sum its words, and kerning across word edges may differ by a hair.
 */
export const SAFETY = 0.5;

interface Unit {
  pieces: Piece[]; width: number; space: boolean; forced: boolean;
  /** Where a unit wider than a line is cut first (BreakUnit.cuts). */
  cuts?: UnitCut[];
}

interface StyledRun { text: string; style: PieceStyle }

/**
 * The runs with their styles, each cut where the font has no glyph (✓ in a
 * Thai form): those characters are drawn in the fallback font instead of as
 * boxes. A combining mark stays with the character before it.
 */
function styledRuns(runs: Run[], base: PieceStyle, m: Measurer): StyledRun[] {
  const out: StyledRun[] = [];
  for (const r of runs) {
    const style: PieceStyle = {
      size: r.size ?? base.size,
      bold: r.bold ?? base.bold,
      italic: r.italic ?? base.italic,
      underline: r.underline ?? base.underline,
      color: r.color ?? base.color,
    };
    if (m.covers(r.text)) { out.push({ text: r.text, style }); continue; }
    const fallbackStyle: PieceStyle = { ...style, fallback: true };
    let current: StyledRun | undefined;
    let previousMissing = false;
    for (const ch of r.text) {
      const missing: boolean = /\p{M}/u.test(ch) ? previousMissing : !m.hasGlyph(ch);
      const st = missing ? fallbackStyle : style;
      if (current && current.style === st) current.text += ch;
      else out.push((current = { text: ch, style: st }));
      previousMissing = missing;
    }
    if (r.text.length === 0) out.push({ text: '', style });
  }
  return out;
}

/** Cuts units on run boundaries so that every piece has one style. */
function unitsOf(runs: StyledRun[], m: Measurer): Unit[] {
  const plain = runs.map((r) => r.text).join('');
  const runStart: number[] = [];
  let acc = 0;
  for (const r of runs) { runStart.push(acc); acc += r.text.length; }
  const runIndexAt = (offset: number) => {
    let i = runStart.length - 1;
    while (i > 0 && runStart[i]! > offset) i--;
    while (i < runs.length - 1 && runs[i]!.text.length === 0) i++;
    return i;
  };
  const units: Unit[] = [];
  if (runs.length === 1) {
    // One style (most table cells): each unit is one piece, no run to look up.
    const style = runs[0]!.style;
    for (const u of breakUnits(plain)) {
      if (u.space && u.text.includes('\n')) units.push({ pieces: [], width: 0, space: true, forced: true });
      else units.push({ pieces: [{ text: u.text, style }], width: m.width(u.text, style), space: u.space, forced: false, cuts: u.cuts });
    }
    return units;
  }
  let offset = 0;
  for (const u of breakUnits(plain)) {
    const pieces: Piece[] = [];
    let pos = offset;
    const end = offset + u.text.length;
    while (pos < end) {
      const ri = runIndexAt(pos);
      const runEnd = runStart[ri]! + runs[ri]!.text.length;
      const stop = Math.min(end, runEnd);
      pieces.push({ text: plain.slice(pos, stop), style: runs[ri]!.style });
      pos = stop;
    }
    offset = end;
    if (u.space && u.text.includes('\n')) {
      units.push({ pieces: [], width: 0, space: true, forced: true });
      continue;
    }
    const width = pieces.reduce((w, p) => w + m.width(p.text, p.style), 0);
    units.push({ pieces, width, space: u.space, forced: false, cuts: u.cuts });
  }
  return units;
}

/**
 * A unit wider than a whole line is cut where the no-break rules allow it
 * first (its cuts: a date before its year, (บ้าน|ซูกุ่ม), ผอ.สพท.|ชำนาญการ),
 * else between grapheme clusters, never inside one, and in Thai where a
 * syllable starts if one is within reach (clusterCut: "ข้าราช|การ", not
 * "ข้าราชก|าร"), never leaving a lone last cluster for the next line.
 */
function splitOversized(unit: Unit, width: number, m: Measurer): Unit[] {
  const clusters = unit.pieces.flatMap((p) => thaiClusters(p.text).map((text) => ({ text, style: p.style, width: m.width(text, p.style) })));
  const texts = clusters.map((c) => c.text);
  // Offset of each cluster in the unit's text, and the cluster a cut's offset falls on.
  const offsets: number[] = [];
  const clusterAt = new Map<number, number>();
  let offset = 0;
  texts.forEach((t, k) => { offsets.push(offset); clusterAt.set(offset, k); offset += t.length; });
  const cuts = (unit.cuts ?? []).filter((c) => clusterAt.has(c.at));
  const isSpace = (k: number) => /^\s+$/u.test(texts[k] ?? '');
  const out: Unit[] = [];
  for (let start = 0; start < clusters.length;) {
    // As many clusters as fit, at least one.
    let end = start + 1;
    let w = clusters[start]!.width;
    while (end < clusters.length && w + clusters[end]!.width <= width) w += clusters[end++]!.width;
    if (end < clusters.length) {
      // The best rule cut within reach (lowest rank, then the latest), else a cluster cut.
      const within = cuts.filter((c) => c.at > offsets[start]! && c.at <= offsets[end]!);
      const best = within.reduce<UnitCut | undefined>((b, c) => (!b || c.rank < b.rank || (c.rank === b.rank && c.at > b.at) ? c : b), undefined);
      if (best) end = clusterAt.get(best.at)!;
      else {
        end = clusterCut(texts, start, end);
        // A Latin word never leaves its last letter alone (a Thai syllable may stand alone: ลูกจ้างประ|จำ).
        if (end === clusters.length - 1 && end - 1 > start && !/[\u0e00-\u0e7f]/.test(texts[end]!)) end--;
      }
    }
    // White space at a cut is a space unit of its own: dropped at the line's end.
    let textEnd = end;
    while (textEnd > start + 1 && isSpace(textEnd - 1)) textEnd--;
    const part = clusters.slice(start, textEnd);
    out.push({ pieces: mergePieces(part), width: part.reduce((a, c) => a + c.width, 0), space: false, forced: false });
    let next = textEnd;
    while (next < clusters.length && isSpace(next)) next++;
    if (next > textEnd && next < clusters.length) {
      const gap = clusters.slice(textEnd, next);
      out.push({ pieces: mergePieces(gap), width: gap.reduce((a, c) => a + c.width, 0), space: true, forced: false });
    }
    start = next;
  }
  return out;
}

/**
 * A one-style unit cut at its best rule cut (BreakUnit.cuts) whose head fits
 * `room`: the head, the space at the cut if any, and the rest with its cuts.
 * Undefined where no rule cut fits.
 */
function cutToFit(unit: Unit, room: number, m: Measurer): Unit[] | undefined {
  if (!unit.cuts?.length || unit.pieces.length !== 1 || room <= 0) return undefined;
  const { text, style } = unit.pieces[0]!;
  let best: UnitCut | undefined;
  for (const c of unit.cuts) {
    if (best && (c.rank > best.rank || (c.rank === best.rank && c.at < best.at))) continue;
    if (m.width(text.slice(0, c.at).trimEnd(), style) <= room) best = c;
  }
  if (!best) return undefined;
  const headText = text.slice(0, best.at).trimEnd();
  const restStart = best.at + (text.slice(best.at).length - text.slice(best.at).trimStart().length);
  const restText = text.slice(restStart);
  if (headText === '' || restText === '') return undefined;
  const piece = (t: string, space: boolean): Unit => ({ pieces: [{ text: t, style }], width: m.width(t, style), space, forced: false });
  const rest = piece(restText, false);
  rest.cuts = unit.cuts.filter((c) => c.at > restStart).map((c) => ({ at: c.at - restStart, rank: c.rank }));
  const gap = text.slice(headText.length, restStart);
  return [piece(headText, false), ...(gap ? [piece(gap, true)] : []), rest];
}

function mergePieces(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && last.style === p.style) last.text += p.text;
    else out.push({ text: p.text, style: p.style });
  }
  return out;
}

/**
 * Breaks a paragraph into lines, first fit, at the break units of the Thai
 * text layer: the way Word breaks an official letter, and never inside a word.
 */
export function layoutParagraph(runs: Run[], opts: ParagraphOptions, m: Measurer): Line[] {
  const indent = opts.indent ?? 0;
  const firstIndent = indent + (opts.firstLineIndent ?? 0);
  const pitch = Math.max(m.pitch(opts.style.size), ...runs.map((r) => m.pitch(r.size ?? opts.style.size)));
  const lines: Line[] = [];
  let pieces: Piece[] = [];
  let width = 0;
  let pendingSpace: Unit | null = null;
  const lineIndent = () => (lines.length === 0 ? firstIndent : indent);
  const available = () => opts.width - lineIndent();
  const flush = (last: boolean) => {
    lines.push({
      pieces: mergePieces(pieces), width, indent: lineIndent(), available: available(), last,
      align: opts.align, pitch,
    });
    pieces = [];
    width = 0;
    pendingSpace = null;
  };
  const queue = unitsOf(styledRuns(runs, opts.style, m), m);
  for (let i = 0; i < queue.length; i++) {
    const unit = queue[i]!;
    if (unit.forced) { flush(true); continue; }
    if (unit.space) { if (pieces.length > 0) pendingSpace = unit; continue; }
    const spaceWidth = pendingSpace ? pendingSpace.width : 0;
    // A whole word that would not fit here goes to the next line if it fits there.
    const word = opts.wholeWords && pendingSpace ? wordWidth(queue, i) : unit.width;
    const needed = word <= opts.width - indent - SAFETY ? word : unit.width;
    if (pieces.length > 0 && width + spaceWidth + needed > available() - SAFETY) {
      // A stretch wider than any line is cut anyway: where a rule cut fits the rest of this line, cut it here (รอง ผอ.|สถานศึกษา).
      const head = unit.width > opts.width - indent - SAFETY ? cutToFit(unit, available() - SAFETY - width - spaceWidth, m) : undefined;
      if (head) { queue.splice(i, 1, ...head); i--; continue; }
      flush(false);
    }
    if (pieces.length === 0 && unit.width > available() - SAFETY) {
      const parts = splitOversized(unit, available() - SAFETY, m);
      // A single grapheme cluster wider than the line (a column narrower than one letter) stands
      // alone on its line: it cannot be cut, and splitting it again would never end.
      if (parts.length > 1) {
        queue.splice(i, 1, ...parts);
        i--;
        continue;
      }
    }
    if (pendingSpace && pieces.length > 0) { pieces.push(...pendingSpace.pieces); width += spaceWidth; }
    pendingSpace = null;
    pieces.push(...unit.pieces);
    width += unit.width;
  }
  if (pieces.length > 0 || lines.length === 0) flush(true);
  else lines[lines.length - 1]!.last = true;
  if (opts.align === 'center' && lines.length > 1 && opts.width >= BALANCE_MIN_EM * m.actualSize(opts.style.size)) {
    return balanced(queue, lines, firstIndent, indent, opts, pitch) ?? lines;
  }
  return lines;
}

/** A centred paragraph at least this many ems wide (a title, not a table cell) is balanced. */
const BALANCE_MIN_EM = 15;

/**
 * Words a Thai phrase starts with, and how much a line break before one
 * costs (as a share of the line): a title breaks before ให้, ใน, เพื่อ, not
 * inside ตำแหน่งที่|สูงขึ้น.
 */
const PHRASE_START: [RegExp, number][] = [
  [/^(ให้|ใน|เพื่อ|โดย|ตาม|ซึ่ง|สำหรับ|เกี่ยวกับ|ระหว่าง|ตั้งแต่|ว่าด้วย|ของ|แห่ง|เรื่อง|ประจำ|พ\.ศ\.)/, 0],
  [/^(และ|หรือ|กับ|แก่|จาก|ด้วย|ถึง|ที่|ณ)/, 0.12],
];
/** The cost of a break between two words that do not start a phrase, as a share of the line. */
const WORD_BREAK_COST = 0.3;

/**
 * A centred paragraph (a title) set in as many lines as first fit gives,
 * with lines as even as they can be and breaks at phrase boundaries: the
 * sum of each line's squared slack plus each break's cost is smallest.
 * Undefined where first fit stands (a forced break, a word cut to fit).
 */
function balanced(queue: Unit[], greedy: Line[], firstIndent: number, indent: number, opts: ParagraphOptions, pitch: number): Line[] | undefined {
  if (queue.some((u) => u.forced)) return undefined;
  const n = greedy.length;
  const units = queue;
  // A line may start at any word but the first (every unit edge may break).
  const starts = units.map((u, k) => k > 0 && !u.space);
  const breakCost = (k: number): number => {
    if (units[k - 1]!.space) return 0;
    const text = units[k]!.pieces.map((p) => p.text).join('');
    for (const [re, cost] of PHRASE_START) if (re.test(text)) return cost;
    return WORD_BREAK_COST;
  };
  const lineWidth = (a: number, b: number): number => {
    while (a < b && units[a]!.space) a++;
    while (b > a && units[b - 1]!.space) b--;
    let w = 0;
    for (let k = a; k < b; k++) w += units[k]!.width;
    return w;
  };
  const avail = (line: number) => opts.width - (line === 0 ? firstIndent : indent) - SAFETY;
  // best[line][k]: least cost of lines 0..line-1 ending just before unit k.
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(units.length + 1).fill(Infinity));
  const from: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(units.length + 1).fill(-1));
  best[0]![0] = 0;
  for (let line = 0; line < n; line++) {
    const room = avail(line);
    for (let a = 0; a < units.length; a++) {
      if (best[line]![a] === Infinity) continue;
      for (let b = a + 1; b <= units.length; b++) {
        if (b < units.length && !starts[b]) continue;
        const w = lineWidth(a, b);
        if (w > room) break;
        if ((b === units.length) !== (line === n - 1)) continue;
        const slack = (room - w) / room;
        const cost = best[line]![a]! + slack * slack + (b < units.length ? breakCost(b) ** 2 : 0);
        if (cost < best[line + 1]![b]!) { best[line + 1]![b] = cost; from[line + 1]![b] = a; }
      }
    }
  }
  if (best[n]![units.length] === Infinity) return undefined;
  const edges = [units.length];
  for (let line = n; line > 0; line--) edges.unshift(from[line]![edges[0]!]!);
  return edges.slice(1).map((b, line) => {
    let a = edges[line]!;
    let end = b;
    while (a < end && units[a]!.space) a++;
    while (end > a && units[end - 1]!.space) end--;
    const slice = units.slice(a, end);
    return {
      pieces: mergePieces(slice.flatMap((u) => u.pieces)), width: lineWidth(a, end), indent: line === 0 ? firstIndent : indent,
      available: opts.width - (line === 0 ? firstIndent : indent), last: line === n - 1, align: opts.align, pitch,
    };
  });
}

/** Width of the space-separated word that starts at unit `i`. */
function wordWidth(queue: Unit[], i: number): number {
  let w = 0;
  for (let k = i; k < queue.length && !queue[k]!.space && !queue[k]!.forced; k++) w += queue[k]!.width;
  return w;
}

/** The text of a line as it will be extracted from the PDF. */
export function lineText(line: Line): string {
  return line.pieces.map((p) => p.text).join('');
}
