import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { PROJECT_ROOT } from '../fonts/registry.js';
import type { EmblemImage } from '../model/document.js';

export const PLACEHOLDER_EMBLEM_FILE = join(PROJECT_ROOT, 'templates', 'emblem', 'placeholder.png');

/** Detects the format from the bytes, not from a name or a claimed type. */
export function sniffImage(data: Buffer): EmblemImage['type'] | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  const head = data.subarray(0, 512).toString('utf8').trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return undefined;
}

const prepared = new Map<string, EmblemImage>();

/**
 * A PNG with an alpha channel costs pdfkit a full decode and re-encode on
 * every document (it was 80 % of a letter's render time). Emblems are printed
 * on white paper, so the alpha is blended onto white once, and the opaque PNG
 * is embedded as it is.
 */
export function prepareEmblem(image: EmblemImage): EmblemImage {
  if (image.type !== 'png') return image;
  const key = createHash('sha1').update(image.data).digest('hex');
  const hit = prepared.get(key);
  if (hit) return hit;
  const png = PNG.sync.read(image.data);
  let out = image;
  if (png.alpha || png.color === false || png.depth !== 8) {
    const { width, height, data } = png;
    for (let i = 0; i < width * height * 4; i += 4) {
      const a = data[i + 3]! / 255;
      data[i] = Math.round(data[i]! * a + 255 * (1 - a));
      data[i + 1] = Math.round(data[i + 1]! * a + 255 * (1 - a));
      data[i + 2] = Math.round(data[i + 2]! * a + 255 * (1 - a));
      data[i + 3] = 255;
    }
    out = { type: 'png', data: PNG.sync.write(png, { colorType: 2, inputHasAlpha: true }) };
  }
  if (prepared.size > 64) prepared.clear();
  prepared.set(key, out);
  return out;
}

let placeholder: EmblemImage | undefined;
/** The neutral placeholder (transparent PNG; the PDF draws it as vectors). */
export function placeholderEmblem(): EmblemImage {
  placeholder ??= { type: 'png', data: readFileSync(PLACEHOLDER_EMBLEM_FILE) };
  return placeholder;
}

let configured: EmblemImage | undefined;
/** The emblem set by SARABAN_EMBLEM (an office's official file), else the placeholder; as supplied. */
export function defaultEmblem(): EmblemImage {
  if (configured) return configured;
  const file = process.env.SARABAN_EMBLEM;
  if (!file) return placeholderEmblem();
  const data = readFileSync(file);
  const type = sniffImage(data);
  if (!type) throw new Error(`SARABAN_EMBLEM is not a PNG, JPEG or SVG file: ${file}`);
  configured = { type, data };
  return configured;
}
