import { breakUnits, clusterCut, thaiClusters } from '../thai/segment.js';
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

interface Unit { pieces: Piece[]; width: number; space: boolean; forced: boolean }

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
      else units.push({ pieces: [{ text: u.text, style }], width: m.width(u.text, style), space: u.space, forced: false });
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
    units.push({ pieces, width, space: u.space, forced: false });
  }
  return units;
}

/**
 * A unit wider than a whole line is cut between grapheme clusters, never
 * inside one, and in Thai where a syllable starts if one is within reach
 * (clusterCut: "ข้าราช|การ", not "ข้าราชก|าร").
 */
function splitOversized(unit: Unit, width: number, m: Measurer): Unit[] {
  const clusters = unit.pieces.flatMap((p) => thaiClusters(p.text).map((text) => ({ text, style: p.style, width: m.width(text, p.style) })));
  const texts = clusters.map((c) => c.text);
  const out: Unit[] = [];
  for (let start = 0; start < clusters.length;) {
    // As many clusters as fit, at least one.
    let end = start + 1;
    let w = clusters[start]!.width;
    while (end < clusters.length && w + clusters[end]!.width <= width) w += clusters[end++]!.width;
    if (end < clusters.length) end = clusterCut(texts, start, end);
    const part = clusters.slice(start, end);
    out.push({ pieces: mergePieces(part), width: part.reduce((a, c) => a + c.width, 0), space: false, forced: false });
    start = end;
  }
  return out;
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
    if (pieces.length > 0 && width + spaceWidth + needed > available() - SAFETY) flush(false);
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
  return lines;
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
