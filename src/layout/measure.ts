import type { FaceStyle, FontFamily } from '../fonts/registry.js';

export interface PieceStyle {
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  color?: string;
  /** Official points. */
  size: number;
}

export function faceOf(style: { bold?: boolean; italic?: boolean }): FaceStyle {
  return style.bold ? (style.italic ? 'bolditalics' : 'bold') : style.italic ? 'italics' : 'normal';
}

/** Widths in em of every string measured, per family, for the whole process. */
const caches = new WeakMap<FontFamily, Map<string, number>>();
const CACHE_MAX = 200_000;

/**
 * Widths in points as pdfkit will draw them: fontkit's shaped advance of the
 * same string at the family's actual size. Cached per family across
 * documents, since official documents repeat the same words and numbers.
 */
export class Measurer {
  private readonly cache: Map<string, number>;
  constructor(readonly family: FontFamily) {
    let cache = caches.get(family);
    if (!cache) { cache = new Map(); caches.set(family, cache); }
    this.cache = cache;
  }

  /** Actual font size for an official size. */
  actualSize(officialSize: number): number {
    return officialSize * this.family.scale;
  }

  /** Line pitch for an official size (single spacing of TH Sarabun New). */
  pitch(officialSize: number): number {
    return officialSize * this.family.lineHeightEm;
  }

  width(text: string, style: PieceStyle): number {
    const face = faceOf(style);
    const key = face + '\u0000' + text;
    let em = this.cache.get(key);
    if (em === undefined) {
      const font = this.family.faces[face];
      em = font.layout(text).advanceWidth / font.unitsPerEm;
      if (this.cache.size > CACHE_MAX) this.cache.clear();
      this.cache.set(key, em);
    }
    return em * this.actualSize(style.size);
  }
}
