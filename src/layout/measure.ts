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

/**
 * Widths in points as pdfkit will draw them: fontkit's shaped advance of the
 * same string at the family's actual size. Cached per face, since official
 * documents repeat the same words and numbers over and over.
 */
export class Measurer {
  private readonly cache = new Map<string, number>();
  constructor(readonly family: FontFamily) {}

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
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(key, em);
    }
    return em * this.actualSize(style.size);
  }
}
