import type { Font } from 'fontkit';
import type { FaceStyle, FontFamily } from '../fonts/registry.js';
import { RecentCache } from '../util/recentCache.js';

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

/** Widths in em of the strings measured recently, per face, shared by all documents. */
const caches = new WeakMap<Font, RecentCache<string, number>>();
const CACHE_GENERATION = 25_000;

/** Which code points each family draws, learnt one code point at a time. */
const coverages = new WeakMap<FontFamily, Map<number, boolean>>();

function coverageOf(family: FontFamily): Map<number, boolean> {
  let table = coverages.get(family);
  if (!table) { table = new Map(); coverages.set(family, table); }
  return table;
}

function cacheOf(face: Font): RecentCache<string, number> {
  let cache = caches.get(face);
  if (!cache) { cache = new RecentCache(CACHE_GENERATION); caches.set(face, cache); }
  return cache;
}

/**
 * Widths in points as pdfkit will draw them: fontkit's shaped advance of the
 * same string at the family's actual size. Cached per face across
 * documents, since official documents repeat the same words and numbers.
 */
export class Measurer {
  constructor(readonly family: FontFamily, readonly fallback?: FontFamily) {}

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
    const font = this.familyOf(style).faces[faceOf(style)];
    const cache = cacheOf(font);
    let em = cache.get(text);
    if (em === undefined) {
      em = font.layout(text).advanceWidth / font.unitsPerEm;
      cache.set(text, em);
    }
    return em * this.actualSize(style.size, style);
  }
}
