import {
  HorizontalPositionAlign, HorizontalPositionRelativeFrom, ImageRun, TextWrappingType,
  VerticalPositionRelativeFrom, type IFloating,
} from 'docx';
import { placeholderEmblem } from '../emblem.js';
import type { EmblemImage } from '../../model/document.js';

/** Pixel size of an image (or its aspect ratio, for SVG), read from its header. */
export function imageSize(image: EmblemImage): { width: number; height: number } | undefined {
  const d = image.data;
  if (image.type === 'png') {
    if (d.length < 24) return undefined;
    return { width: d.readUInt32BE(16), height: d.readUInt32BE(20) };
  }
  if (image.type === 'jpeg') {
    let i = 2;
    while (i + 9 < d.length) {
      if (d[i] !== 0xff) { i++; continue; }
      const marker = d[i + 1]!;
      // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: d.readUInt16BE(i + 7), height: d.readUInt16BE(i + 5) };
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; }
      i += 2 + d.readUInt16BE(i + 2);
    }
    return undefined;
  }
  const head = d.subarray(0, 4096).toString('utf8');
  const tag = /<svg\b[^>]*>/i.exec(head)?.[0] ?? '';
  const attr = (name: string) => {
    const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([\\d.]+)\\s*(px|pt)?\\s*["']`, 'i').exec(tag);
    return m ? Number(m[1]) : undefined;
  };
  const w = attr('width');
  const h = attr('height');
  if (w && h) return { width: w, height: h };
  const vb = /\sviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(tag);
  if (vb && Number(vb[1]) > 0 && Number(vb[2]) > 0) return { width: Number(vb[1]), height: Number(vb[2]) };
  return undefined;
}

/** Points to the pixels (96 to the inch) docx sizes images in. */
const px = (pt: number) => Math.max(1, Math.round((pt * 96) / 72));

/** Points to EMUs (English Metric Units), the unit of drawing positions. */
export const emu = (pt: number) => Math.round(pt * 12700);

export interface EmblemPlacement {
  /** Height of the box the emblem is fitted in (it is as wide as it is tall), points. */
  box: number;
  align: 'left' | 'center';
  /**
   * When set, the emblem floats (text does not flow around it) this far below
   * the top edge of the page or the top of its paragraph, instead of sitting in the text line.
   */
  float?: { from: 'page' | 'paragraph'; offset: number };
}

/**
 * The emblem as a picture, fitted in a square box of the block's height as
 * the PDF fits it. docx v9 writes an SVG with a PNG fallback for readers
 * without SVG support; the fallback is the neutral placeholder.
 */
export function emblemRun(image: EmblemImage, place: EmblemPlacement): ImageRun {
  const size = imageSize(image) ?? { width: 1, height: 1 };
  const scale = Math.min(place.box / size.width, place.box / size.height);
  const transformation = { width: px(size.width * scale), height: px(size.height * scale) };
  const floating: IFloating | undefined = place.float === undefined ? undefined : {
    horizontalPosition: {
      relative: HorizontalPositionRelativeFrom.MARGIN,
      align: place.align === 'center' ? HorizontalPositionAlign.CENTER : HorizontalPositionAlign.LEFT,
    },
    verticalPosition: {
      relative: place.float.from === 'page' ? VerticalPositionRelativeFrom.PAGE : VerticalPositionRelativeFrom.PARAGRAPH,
      offset: emu(place.float.offset),
    },
    wrap: { type: TextWrappingType.NONE },
    allowOverlap: true,
    lockAnchor: true,
    behindDocument: false,
  };
  const altText = { name: 'emblem', description: 'ตราครุฑ', title: 'ตราครุฑ' };
  if (image.type === 'svg') {
    const fallback = placeholderEmblem();
    return new ImageRun({
      type: 'svg', data: image.data, transformation, floating, altText,
      fallback: { type: fallback.type === 'jpeg' ? 'jpg' : 'png', data: fallback.data },
    });
  }
  return new ImageRun({ type: image.type === 'jpeg' ? 'jpg' : 'png', data: image.data, transformation, floating, altText });
}
