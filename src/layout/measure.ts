import type { FaceStyle, FontFamily } from '../fonts/registry.js';

export interface PieceStyle {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  color?: string;
  /** Official points. */
  size: number;
  /** Drawn in the fallback font: the family has no glyph for it. */
  fallback?: boolean;
}

export function faceOf(style: { bold?: boolean; italic?: boolean }): FaceStyle {
  return style.bold ? (style.italic ? 'bolditalics' : 'bold') : style.italic ? 'italics' : 'normal';
}

/** Widths in em of every string measured, per family, for the whole process. */
const caches = new WeakMap<FontFamily, Map<string, number>>();
const CACHE_MAX = 50_000;

/** Which code points each family draws, learnt one code point at a time. */
const coverages = new WeakMap<FontFamily, Map<number, boolean>>();

function coverageOf(family: FontFamily): Map<number, boolean> {
  let table = coverages.get(family);
  if (!table) { table = new Map(); coverages.set(family, table); }
  return table;
}

function cacheOf(family: FontFamily): Map<string, number> {
  let cache = caches.get(family);
  if (!cache) { cache = new Map(); caches.set(family, cache); }
  return cache;
}

/**
 * Widths in points as pdfkit will draw them: fontkit's shaped advance of the
 * same string at the family's actual size. Cached per family across
 * documents, since official documents repeat the same words and numbers.
 */
export class Measurer {
  private readonly cache: Map<string, number>;
  private readonly fallbackCache: Map<string, number>;
  constructor(readonly family: FontFamily, readonly fallback?: FontFamily) {
    this.cache = cacheOf(family);
    this.fallbackCache = fallback ? cacheOf(fallback) : this.cache;
  }

  /** The family a piece is drawn in. */
  familyOf(style: { fallback?: boolean }): FontFamily {
    return style.fallback && this.fallback ? this.fallback : this.family;
  }

  /** Actual font size for an official size. */
  actualSize(officialSize: number, style: { fallback?: boolean } = {}): number {
    return officialSize * this.familyOf(style).scale;
  }

  /** Whether the family draws every character of a text. */
  covers(text: string): boolean {
    if (!this.fallback) return true;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (!this.drawsCodePoint(cp)) return false;
    }
    return true;
  }

  /** Whether the family draws a character (white space always counts as drawn). */
  hasGlyph(ch: string): boolean {
    return !this.fallback || this.drawsCodePoint(ch.codePointAt(0)!);
  }

  private drawsCodePoint(cp: number): boolean {
    const table = coverageOf(this.family);
    let has = table.get(cp);
    if (has === undefined) {
      has = /\s/u.test(String.fromCodePoint(cp)) || this.family.faces.normal.hasGlyphForCodePoint(cp);
      table.set(cp, has);
    }
    return has;
  }

  /** Line pitch for an official size (single spacing of TH Sarabun New). */
  pitch(officialSize: number): number {
    return officialSize * this.family.lineHeightEm;
  }

  width(text: string, style: PieceStyle): number {
    const face = faceOf(style);
    const cache = style.fallback ? this.fallbackCache : this.cache;
    const key = face + '\u0000' + text;
    let em = cache.get(key);
    if (em === undefined) {
      const font = this.familyOf(style).faces[face];
      em = font.layout(text).advanceWidth / font.unitsPerEm;
      if (cache.size > CACHE_MAX) cache.clear();
      cache.set(key, em);
    }
    return em * this.actualSize(style.size, style);
  }
}
