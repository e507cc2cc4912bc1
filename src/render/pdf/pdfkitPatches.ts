import type { PdfmakeLine } from 'pdfmake/js/ElementWriter.js';
import type { Font, Glyph } from 'fontkit';
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { thaiClusters } from '../../thai/segment.js';
import { RecentCache } from '../../util/recentCache.js';

// pdfmake's modules are CommonJS with a `default` export.
const require = createRequire(import.meta.url);
const ElementWriter = (require('pdfmake/js/ElementWriter.js') as { default: { prototype: { alignLine(line: PdfmakeLine): void } } }).default;

/** What the encode patch touches of pdfkit's EmbeddedFont. */
interface EmbeddedFontLike {
  font: Font;
  subset: { includeGlyph(id: number): number; glyphs: number[] };
  unicode: number[][];
  widths: number[];
  scale: number;
  layout(text: string, features?: unknown): { glyphs: Glyph[]; positions: unknown[] };
  layoutCache?: Record<string, unknown>;
}
const PDFDocument = require('pdfkit') as new (options: Record<string, unknown>) => {
  font(src: Buffer): unknown;
  ref(): unknown;
  _font: EmbeddedFontLike;
};

/** What the deflate patch touches of pdfkit's PDFReference. */
interface ReferenceLike { compress: boolean; buffer: Buffer[]; finalize(): void }

/**
 * zlib level of the streams pdfkit compresses (page contents, font files, ToUnicode maps).
 * Level 1 deflates a table's page several times faster than zlib's default 6,
 * for a file about a tenth larger.
 */
const DEFLATE_LEVEL = 1;

interface PdfmakeDocument {
  getFontType(bold: boolean, italics: boolean): string;
  fontCache: Record<string, Record<string, EmbeddedFontLike>>;
  _fontFamilies: Record<string, EmbeddedFontLike>;
  _fontCount: number;
}
type ProvideFont = (this: PdfmakeDocument, family: string, bold: boolean, italics: boolean) => EmbeddedFontLike;
/** A canvas vector that draws itself: table rows laid out by Saraban (renderPdf.ts drawTableRows). */
interface SelfDrawingVector { x: number; y: number; sarabanDraw?: (doc: unknown, x: number, y: number) => void }
const Renderer = (require('pdfmake/js/Renderer.js') as { default: { prototype: { pdfDocument: unknown; renderVector(vector: SelfDrawingVector): void } } }).default;
const PdfmakeDocumentClass = (require('pdfmake/js/PDFDocument.js') as { default: { prototype: { provideFont: ProvideFont } } }).default;

/**
 * Two small patches of pinned versions (pdfmake 0.3.11, pdfkit 0.19.1; see
 * package.json and test/pdfPatches.test.ts):
 *
 * 1. Text extraction. pdfkit maps each glyph id to one Unicode string, taken
 *    from the first time the glyph is drawn. Thai fonts draw SARA AM (ำ) as
 *    NIKHAHIT + SARA AA, and the SARA AA glyph is the same one plain า uses, so
 *    a PDF's text comes out as `ำา`, or loses every า. Here every glyph gets
 *    the text it stands for in its own string; where the same glyph must say
 *    two different things, it is embedded twice under two ids.
 * 2. Shared fonts. pdfkit parses every font file again for every document
 *    (a third of a letter's render time). Documents here take their fonts
 *    from the registry's parsed Font objects; each document still has its
 *    own subset, so nothing is shared but the read-only font data.
 * 3. Spreading. Lines are broken by our own layout; pdfmake only places them.
 *    An inline may carry `sarabanShift`, an extra x offset computed by the
 *    layout for justified and Thai-distributed lines.
 * 4. Self-drawn blocks. A canvas vector with `sarabanDraw` is drawn by that
 *    function at the place pdfmake gives it (table rows, already laid out).
 */

/** Unicode compatibility decomposition that Thai fonts apply when shaping. */
const DECOMPOSE: Record<string, string> = { '\u0e33': '\u0e4d\u0e32', '\u0eb3': '\u0ecd\u0eb2' };

const reverseCmaps = new WeakMap<Font, Map<number, string>>();

function naturalText(font: Font, id: number): string | undefined {
  let map = reverseCmaps.get(font);
  if (!map) {
    map = new Map();
    for (const cp of font.characterSet) {
      const gid = font.glyphForCodePoint(cp).id;
      if (!map.has(gid)) map.set(gid, String.fromCodePoint(cp));
    }
    reverseCmaps.set(font, map);
  }
  return map.get(id);
}

/**
 * The text each glyph of a shaped string stands for. Glyphs are matched
 * against the decomposed text by their cmap character; a glyph without one
 * (a ligature, a descender-less ญ) takes the characters up to where the next
 * glyph matches. Each original character is given to the glyph that draws its
 * last part, so ำ goes to the SARA AA (the glyph with the advance, so no gap
 * reads as a space) and the NIKHAHIT before it says nothing.
 */
export function glyphTexts(font: Font, glyphs: readonly Glyph[], text: string): string[] {
  // The decomposed text, and for each of its code units the character it comes
  // from and whether it is that character's last part.
  let dec = '';
  const origin: string[] = [];
  const owner: boolean[] = [];
  for (const ch of text) {
    const parts = DECOMPOSE[ch] ?? ch;
    dec += parts;
    for (let i = 0; i < parts.length; i++) { origin.push(ch); owner.push(i === parts.length - 1); }
  }
  const out: string[] = [];
  let p = 0;
  const matchesAt = (g: Glyph | undefined, at: number) => {
    if (!g) return undefined;
    const nat = naturalText(font, g.id);
    return nat !== undefined && dec.startsWith(nat, at) ? nat.length : undefined;
  };
  const take = (from: number, count: number) => {
    let t = '';
    for (let k = from; k < from + count; k++) if (owner[k]) t += origin[k];
    return t;
  };
  for (let i = 0; i < glyphs.length; i++) {
    let n = matchesAt(glyphs[i], p);
    if (n === undefined) {
      if (p >= dec.length) n = 0;
      else {
        n = 1;
        const next = glyphs[i + 1];
        if (next) {
          for (let k = 1; k <= 4 && p + k <= dec.length; k++) if (matchesAt(next, p + k) !== undefined) { n = k; break; }
        } else {
          n = dec.length - p;
        }
      }
    }
    out.push(take(p, n));
    p += n;
  }
  // Characters no glyph took (a font dropped them) stay with the last glyph, so no text is lost.
  if (p < dec.length && out.length) out[out.length - 1] += take(p, dec.length - p);
  return out;
}

const aliasIds = new WeakMap<EmbeddedFontLike, Map<string, number>>();

/**
 * Passed as pdfmake's `fontFeatures` on a spread line: space to add after each
 * grapheme cluster or each space, in thousandths of the font size.
 */
export interface SpreadMarker { saraban: 'cluster' | 'space'; gap: number }

function isSpread(features: unknown): features is SpreadMarker {
  return typeof features === 'object' && features !== null && 'saraban' in features;
}

interface Position { xAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }

/**
 * The width to declare for a zero-advance mark. A stacked mark is drawn left
 * of the pen (ปั้: x offset -163), and a text extractor that sees a zero-width
 * mark end there reads the gap to the next letter as a word break (`ปั้ น`).
 * Declaring the width that reaches back to the pen closes the gap; the TJ
 * adjustment subtracts it again, so nothing moves on the page.
 */
function declaredWidth(glyph: Glyph, position: Position): number {
  if (glyph.advanceWidth !== 0) return -1;
  if (position.xOffset < 0) return Math.round(-position.xOffset);
  return position.xAdvance > 0 ? Math.round(position.xAdvance) : -1;
}

/**
 * Rewrites shaped positions so that text extractors read the glyphs in their
 * order. pdfkit draws a glyph with an x offset (a Thai mark nudged onto its
 * base) by moving the text matrix there and back; poppler then reads a word
 * break after the mark (`หลั ก`), and it sorts glyphs by x, so a second mark
 * drawn a hair left of the first comes out first (`ท่ี` for `ที่`). Here:
 * marks never stand left of the glyph before them nor right of the pen by a
 * hair (at most MAX_MARK_NUDGE, 0.4 pt at 16 pt), and x offsets on the
 * baseline become advances in the TJ array. Bases keep their places and the
 * run keeps its width.
 */
function positionsForExtraction(glyphs: readonly Glyph[], positions: Position[]): Position[] {
  const n = positions.length;
  if (n < 2 || !glyphs.some((g) => g.advanceWidth === 0)) return positions;
  const x: number[] = [];
  let pen = 0;
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    const isMark = glyphs[i]!.advanceWidth === 0;
    let at = pen + p.xOffset;
    if (isMark && i > 0) {
      if (p.xOffset > 0 && p.xOffset <= MAX_MARK_NUDGE) at = pen;
      if (at < x[i - 1]! && x[i - 1]! - at <= MAX_MARK_NUDGE) at = x[i - 1]!;
    }
    x.push(at);
    pen += p.xAdvance;
  }
  // Extractors sort a line's glyphs by x: every mark must stand strictly between
  // its base and the next base, in logical order, a hundredth of a point apart at most.
  let limit = pen;
  for (let i = n - 1; i > 0; i--) {
    if (glyphs[i]!.advanceWidth !== 0) { limit = x[i]!; continue; }
    x[i] = Math.min(x[i]!, limit - MARK_ORDER_STEP);
    limit = x[i]!;
  }
  const total = pen;
  const out: Position[] = [];
  pen = 0;
  for (let i = 0; i < n; i++) {
    const p = positions[i]!;
    if (i === 0 || p.yOffset) {
      out.push({ ...p, xOffset: x[i]! - pen });
    } else {
      const shift = x[i]! - pen;
      if (shift) { out[i - 1] = { ...out[i - 1]!, xAdvance: out[i - 1]!.xAdvance + shift }; pen += shift; }
      out.push({ ...p, xOffset: 0 });
    }
    pen += p.xAdvance;
  }
  out[n - 1] = { ...out[n - 1]!, xAdvance: out[n - 1]!.xAdvance + total - pen };
  return out;
}

/** Separation that keeps marks in order for extractors (thousandths of an em: invisible). */
const MARK_ORDER_STEP = 1;

/** The largest nudge of a mark that may be dropped (thousandths of an em). */
const MAX_MARK_NUDGE = 40;

/** Adds the gap after the last glyph of each cluster (or each space) but the string's last. */
function spread(text: string, texts: string[], positions: Position[], marker: SpreadMarker): Position[] {
  const ends = new Set<number>();
  if (marker.saraban === 'cluster') {
    let at = 0;
    for (const c of thaiClusters(text)) ends.add((at += c.length));
  } else {
    for (let i = 0; i < text.length; i++) if (/\s/.test(text[i]!)) ends.add(i + 1);
  }
  ends.delete(text.length);
  const out = positions.slice();
  let consumed = 0;
  for (let i = 0; i < texts.length; i++) {
    const before = consumed;
    consumed += texts[i]!.length;
    if (consumed !== before && ends.has(consumed)) out[i] = { ...out[i]!, xAdvance: out[i]!.xAdvance + marker.gap };
  }
  return out;
}

/**
 * A glyph that stands for no text at all (the NIKHAHIT of a decomposed ำ)
 * extracts badly: pdf.js reads an empty ToUnicode entry as a control code.
 * Where the font has the precomposed SARA AM, drawn as NIKHAHIT + SARA AA
 * with the same advance, the pair is drawn as that one glyph instead.
 */
/** A NIKHAHIT nudged by at most this (thousandths of an em, 0.4 pt at 16 pt) may be drawn unnudged. */
const MAX_RECOMPOSE_SHIFT = 40;

function recompose(font: Font, glyphs: Glyph[], positions: Position[], texts: string[]): void {
  const nikhahit = font.glyphForCodePoint(0x0e4d);
  const aa = font.glyphForCodePoint(0x0e32);
  const am = font.glyphForCodePoint(0x0e33);
  if (!am || am.id === 0 || am.id === nikhahit.id || am.advanceWidth !== aa.advanceWidth) return;
  for (let i = 0; i + 1 < glyphs.length; i++) {
    const p = positions[i]!;
    if (glyphs[i]!.id === nikhahit.id && glyphs[i + 1]!.id === aa.id && texts[i] === '' && texts[i + 1] === 'ำ' && Math.abs(p.xOffset) <= MAX_RECOMPOSE_SHIFT && !p.yOffset && !p.xAdvance) {
      glyphs.splice(i, 2, am);
      positions.splice(i, 2, positions[i + 1]!);
      texts.splice(i, 2, 'ำ');
    }
  }
}

/**
 * A string shaped for the PDF, independent of any one document: glyphs, the
 * text each stands for, declared widths, and positions folded for extraction
 * (four numbers a glyph, in one flat array: a list keeps tens of thousands of
 * these per font, and an object per glyph cost a render thread about twice
 * the memory). Kept per font for the whole process: lists and forms repeat
 * the same cell texts (a province, a rank) on every row and in every
 * document of a batch.
 */
interface Shaped {
  glyphIds: number[];
  texts: string[];
  widths: number[];
  /** xAdvance, xOffset, yOffset, advanceWidth of each glyph. */
  placement: number[];
}
const PLACEMENT_FIELDS = 4;
const shapedCaches = new WeakMap<Font, RecentCache<string, Shaped>>();
const SHAPED_CACHE_GENERATION = 10_000;

const positionAt = (shaped: Shaped, i: number): Position => {
  const k = i * PLACEMENT_FIELDS;
  const p = shaped.placement;
  return { xAdvance: p[k]!, xOffset: p[k + 1]!, yOffset: p[k + 2]!, advanceWidth: p[k + 3]! };
};

function shapedOf(embedded: EmbeddedFontLike, text: string): Shaped {
  let cache = shapedCaches.get(embedded.font);
  if (!cache) { cache = new RecentCache(SHAPED_CACHE_GENERATION); shapedCaches.set(embedded.font, cache); }
  let shapedText = cache.get(text);
  if (shapedText) return shapedText;
  const run = embedded.layout(text);
  const glyphs = run.glyphs.slice();
  const shaped = (run.positions as Position[]).slice();
  const texts = glyphTexts(embedded.font, glyphs, text);
  recompose(embedded.font, glyphs, shaped, texts);
  const folded = positionsForExtraction(glyphs, shaped);
  // Widths are declared from where the marks stand before any spreading: the spread is space, not ink.
  const declared = glyphs.map((g, i) => declaredWidth(g, folded[i]!));
  const placement: number[] = [];
  folded.forEach((p, i) => placement.push(p.xAdvance, p.xOffset, p.yOffset, declared[i]! >= 0 ? declared[i]! : p.advanceWidth));
  shapedText = {
    glyphIds: glyphs.map((g) => g.id),
    texts,
    widths: glyphs.map((g, i) => (declared[i]! >= 0 ? declared[i]! : g.advanceWidth * embedded.scale)),
    placement,
  };
  cache.set(text, shapedText);
  return shapedText;
}

/** The code points a glyph's ToUnicode entry gives for `text`. */
const codePointsOf = (text: string) => Array.from(text, (c) => c.codePointAt(0)!);

/** Whether a ToUnicode entry already says `text`. */
function saysText(codePoints: readonly number[], text: string): boolean {
  let k = 0;
  for (const c of text) if (codePoints[k++] !== c.codePointAt(0)) return false;
  return k === codePoints.length;
}

/**
 * A run's words (a word keeps the space after it), each shaped once per
 * process, as pdfkit's own layout shapes them: lines are mostly new, their
 * words are not.
 */
function shapedWords(embedded: EmbeddedFontLike, text: string): Shaped[] {
  let last = 0;
  const words: Shaped[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) { words.push(shapedOf(embedded, text.slice(last, i + 1))); last = i + 1; }
  }
  if (last < text.length || words.length === 0) words.push(shapedOf(embedded, text.slice(last)));
  return words;
}

/** What a document's font keeps: each word's glyph codes in its subset, four hex digits a glyph. */
interface DocumentFont extends EmbeddedFontLike { sarabanCodes?: Map<Shaped, string>; sarabanRuns?: Map<string, string> }

/**
 * A word's glyph codes in this document's subset. The first use of a glyph
 * defines its text and width; a use that must say something else gets its
 * own copy of the glyph. Computed once per word and document: the subset
 * only grows, so a word's codes never change within a document.
 */
function wordCodes(font: DocumentFont, shaped: Shaped): string {
  let codes = font.sarabanCodes;
  if (!codes) codes = font.sarabanCodes = new Map();
  let hex = codes.get(shaped);
  if (hex !== undefined) return hex;
  hex = '';
  for (let i = 0; i < shaped.glyphIds.length; i++) {
    const glyphId = shaped.glyphIds[i]!;
    const width = shaped.widths[i]!;
    const text = shaped.texts[i]!;
    let gid = font.subset.includeGlyph(glyphId);
    if (font.unicode[gid] === undefined) {
      font.unicode[gid] = codePointsOf(text);
      font.widths[gid] = width;
    } else if (!saysText(font.unicode[gid]!, text) || font.widths[gid] !== width) {
      let aliases = aliasIds.get(font);
      if (!aliases) { aliases = new Map(); aliasIds.set(font, aliases); }
      const key = `${glyphId}:${text}:${width}`;
      let alias = aliases.get(key);
      if (alias === undefined) {
        font.subset.glyphs.push(glyphId);
        alias = font.subset.glyphs.length - 1;
        aliases.set(key, alias);
        font.unicode[alias] = codePointsOf(text);
        font.widths[alias] = width;
      }
      gid = alias;
    }
    hex += `0000${gid.toString(16)}`.slice(-4);
  }
  codes.set(shaped, hex);
  return hex;
}

function encodeWithText(this: DocumentFont, text: string, features?: unknown): [string[], Position[]] {
  const words = shapedWords(this, text);
  const res: string[] = [];
  const shapedPositions: Position[] = [];
  const texts: string[] = [];
  for (const w of words) {
    const hex = wordCodes(this, w);
    for (let i = 0; i < hex.length; i += 4) res.push(hex.slice(i, i + 4));
    for (let i = 0; i < w.glyphIds.length; i++) shapedPositions.push(positionAt(w, i));
    if (isSpread(features)) for (const t of w.texts) texts.push(t);
  }
  const positions = isSpread(features) ? spread(text, texts, shapedPositions, features) : shapedPositions;
  return [res, positions];
}

/** pdfkit's number format in content streams. */
const num = (n: number) => Math.round(n * 1e6) / 1e6;

/** What textOperators needs of pdfkit's embedded font. */
export interface PdfFont { id: string; encode(text: string, features?: unknown): [string[], Position[]] }

/**
 * The operators pdfkit's text() writes for one run inside a text object (the
 * caller writes BT, Tf and ET): the same glyph ids, positions and TJ
 * adjustments, without the per-call graphics state, width measuring and
 * buffer of each operator that make text() cost tens of microseconds.
 * (x, y) is the baseline origin in PDF space.
 */
export function textOperators(font: PdfFont, fontSize: number, x: number, y: number, text: string, features?: unknown): string {
  return `1 0 0 1 ${num(x)} ${num(y)} Tm${runBody(font, fontSize, text, features)}`;
}

/** Bodies of unspread runs per document font: a list repeats the same cell texts on every row. */
const RUN_CACHE_MAX = 5_000;

/**
 * A run's operators after its starting Tm, positioned relative to that start
 * (Td), so that a run drawn again elsewhere in the document reuses them.
 */
function runBody(font: PdfFont, fontSize: number, text: string, features?: unknown): string {
  const embedded = font as PdfFont & Partial<DocumentFont>;
  const cacheable = !!embedded.subset && !!embedded.font && !isSpread(features);
  const key = `${fontSize}\u0000${text}`;
  if (cacheable) {
    const hit = embedded.sarabanRuns?.get(key);
    if (hit !== undefined) return hit;
  }
  const scale = fontSize / 1000;
  // The pen, and the origin of the current text line (where the last Td put it), from the run's start.
  let px = 0;
  let lx = 0;
  let ly = 0;
  let out = '';
  const moveTo = (tx: number, ty: number) => {
    out += `\n${num(tx - lx)} ${num(ty - ly)} Td`;
    lx = tx;
    ly = ty;
  };
  const commands: string[] = [];
  // The glyphs of the segment being gathered, and the TJ adjustment after its last glyph.
  let segment = '';
  let segmentAdjust = 0;
  let hadOffset = false;
  const addSegment = () => {
    if (segment) commands.push(`<${segment}> ${num(-segmentAdjust)}`);
    segment = '';
  };
  const flush = () => {
    addSegment();
    if (commands.length > 0) { out += `\n[${commands.join(' ')}] TJ`; commands.length = 0; }
  };
  const glyph = (code: string, xAdvance: number, xOffset: number, yOffset: number, advanceWidth: number) => {
    if (xOffset || yOffset) {
      flush();
      moveTo(px + xOffset * scale, yOffset * scale);
      segment = code;
      segmentAdjust = xAdvance - advanceWidth;
      flush();
      hadOffset = true;
    } else {
      if (hadOffset) { moveTo(px, 0); hadOffset = false; }
      segment += code;
      segmentAdjust = xAdvance - advanceWidth;
      if (segmentAdjust !== 0) addSegment();
    }
    px += xAdvance * scale;
  };
  if (cacheable) {
    // Word by word: each word's codes and positions are computed once per document.
    for (const w of shapedWords(embedded as DocumentFont, text)) {
      const codes = wordCodes(embedded as DocumentFont, w);
      const p = w.placement;
      for (let i = 0, k = 0; i < w.glyphIds.length; i++, k += PLACEMENT_FIELDS) glyph(codes.slice(4 * i, 4 * i + 4), p[k]!, p[k + 1]!, p[k + 2]!, p[k + 3]!);
    }
  } else {
    const [encoded, positions] = font.encode(text, features);
    for (let i = 0; i < positions.length; i++) {
      const pos = positions[i]!;
      glyph(encoded[i]!, pos.xAdvance, pos.xOffset, pos.yOffset, pos.advanceWidth);
    }
  }
  flush();
  if (cacheable) {
    const runs = (embedded.sarabanRuns ??= new Map());
    if (runs.size < RUN_CACHE_MAX) runs.set(key, out);
  }
  return out;
}

let applied = false;

/**
 * pdfkit caches each word's shaping per document; official documents repeat
 * the same words from one document to the next, so the cache is kept per
 * font across documents while it is small (a letter's vocabulary), and
 * started afresh at a document that finds it large: a list's names would
 * fill it with words no other document uses, and its fontkit glyph runs
 * cost a render thread tens of megabytes (shapedOf keeps what lists repeat).
 * Cached runs are never modified: encodeWithText works on copies.
 */
const layoutCaches = new WeakMap<Font, Record<string, unknown>>();
const LAYOUT_CACHE_MAX_WORDS = 3_000;

function sharedLayoutCache(font: Font): Record<string, unknown> {
  let cache = layoutCaches.get(font);
  if (!cache || Object.keys(cache).length > LAYOUT_CACHE_MAX_WORDS) {
    cache = Object.create(null) as Record<string, unknown>;
    layoutCaches.set(font, cache);
  }
  return cache;
}

/** Parsed faces by pdfmake family name and pdfmake face type (normal, bold, italics, bolditalics). */
export type SharedFaces = Map<string, Record<string, Font>>;

export function applyPdfPatches(sampleFont: Buffer, faces: SharedFaces): void {
  if (applied) return;
  applied = true;
  const probe = new PDFDocument({ autoFirstPage: false });
  probe.font(sampleFont);
  const embeddedFontPrototype = Object.getPrototypeOf(probe._font) as {
    encode: unknown;
    layout: (this: EmbeddedFontLike, text: string, features?: unknown, onlyWidth?: boolean) => unknown;
    constructor: new (doc: unknown, font: Font, id: string) => EmbeddedFontLike & { id: string } };
  embeddedFontPrototype.encode = encodeWithText;
  // The spread marker is ours, not an OpenType feature: shaping and measuring never see it.
  const layout = embeddedFontPrototype.layout;
  embeddedFontPrototype.layout = function layoutWithoutMarker(this: EmbeddedFontLike, text: string, features?: unknown, onlyWidth?: boolean) {
    return layout.call(this, text, isSpread(features) ? undefined : features, onlyWidth);
  };

  const referencePrototype = Object.getPrototypeOf(probe.ref()) as ReferenceLike;
  const finalize = referencePrototype.finalize;
  referencePrototype.finalize = function finalizeFast(this: ReferenceLike) {
    // Deflated here at DEFLATE_LEVEL; pdfkit then writes the one chunk as it is (its Filter is already set).
    if (this.compress && this.buffer.length) {
      this.buffer = [deflateSync(Buffer.concat(this.buffer), { level: DEFLATE_LEVEL })];
      this.compress = false;
    }
    finalize.call(this);
  };

  const EmbeddedFont = embeddedFontPrototype.constructor;
  const provideFont = PdfmakeDocumentClass.prototype.provideFont;
  PdfmakeDocumentClass.prototype.provideFont = function sharedProvideFont(family, bold, italics) {
    const type = this.getFontType(bold, italics);
    const font = faces.get(family)?.[type];
    if (!font) return provideFont.call(this, family, bold, italics);
    const cache = (this.fontCache[family] ??= {});
    let embedded = cache[type];
    if (!embedded) {
      const created = new EmbeddedFont(this, font, `F${++this._fontCount}`);
      created.layoutCache = sharedLayoutCache(font);
      this._fontFamilies[created.id] = created;
      embedded = cache[type] = created;
    }
    return embedded;
  };

  const renderVector = Renderer.prototype.renderVector;
  Renderer.prototype.renderVector = function renderSelfDrawing(vector) {
    if (vector.sarabanDraw) vector.sarabanDraw(this.pdfDocument, vector.x, vector.y);
    else renderVector.call(this, vector);
  };

  const original = ElementWriter.prototype.alignLine;
  ElementWriter.prototype.alignLine = function alignLine(line: PdfmakeLine) {
    original.call(this, line);
    for (const inline of line.inlines) if (inline.sarabanShift) inline.x += inline.sarabanShift;
  };
}
