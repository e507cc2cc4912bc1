import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { Unzlib } from 'fflate';
import { PROJECT_ROOT } from '../fonts/registry.js';
import type { EmblemImage } from '../model/document.js';
import { intSetting } from '../settings.js';
import { ValidationError } from '../validation.js';
import { imageSize } from './docx/image.js';

export const PLACEHOLDER_EMBLEM_FILE = join(PROJECT_ROOT, 'templates', 'emblem', 'placeholder.png');

/** Detects the format from the bytes, not from a name or a claimed type. */
export function sniffImage(data: Buffer): EmblemImage['type'] | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  const head = data.subarray(0, 512).toString('utf8').trimStart();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return undefined;
}

/**
 * The most pixels an emblem may have (SARABAN_IMAGE_MAX_PIXELS, default
 * 4,000,000, e.g. 2000 x 2000; read per call). The Garuda is printed 3 cm
 * high (1.5 cm on a memo): 709 pixels at 600 dpi, so a 2000-pixel emblem is
 * sharp at any size a document prints. A PNG is decoded whole, on the thread
 * that renders (8000 x 8000 took 7.5 s, 16000 x 16000 3.2 GB); 4 MP decodes
 * in about half a second and 16 MB.
 */
export const imageMaxPixels = (): number => intSetting('SARABAN_IMAGE_MAX_PIXELS', 4_000_000, 1);

/** PNG chunks: the 8-byte signature, then length, type, data and CRC each. */
const PNG_CHUNKS_START = 8;
/** Samples per pixel by PNG colour type: grey, RGB, palette, grey + alpha, RGBA. */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** The seven passes of Adam7 interlacing: first column and row, column and row steps. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

/**
 * Whether an interlaced PNG's image data inflates past what its size needs.
 * pngjs bounds the inflation of a plain PNG by its size, but inflates an
 * interlaced one without a limit: a few kilobytes could claim 10 x 10 pixels
 * and unpack to gigabytes. Counted in slices, the output dropped.
 */
function interlacedPngOverflows(data: Buffer, width: number, height: number): boolean {
  const bitsPerPixel = (PNG_CHANNELS[data[25]!] ?? 4) * data[24]!;
  // Each pass's rows, each with its filter byte.
  let most = 0;
  for (const [x, y, dx, dy] of ADAM7) {
    const passWidth = Math.ceil((width - x) / dx);
    const passHeight = Math.ceil((height - y) / dy);
    if (passWidth > 0 && passHeight > 0) most += passHeight * (1 + Math.ceil((passWidth * bitsPerPixel) / 8));
  }
  let inflated = 0;
  const unzlib = new Unzlib((chunk) => {
    inflated += chunk.length;
    if (inflated > most) throw new RangeError('interlaced PNG data past its size');
  });
  try {
    for (let at = PNG_CHUNKS_START; at + 12 <= data.length;) {
      const length = data.readUInt32BE(at);
      const type = data.toString('latin1', at + 4, at + 8);
      const body = data.subarray(at + 8, Math.min(at + 8 + length, data.length));
      for (let i = 0; type === 'IDAT' && i < body.length; i += 16 * 1024) unzlib.push(body.subarray(i, i + 16 * 1024));
      if (type === 'IEND') break;
      at += 12 + length;
    }
  } catch (err) {
    if (err instanceof RangeError) return true;
    // Broken data: pngjs says so when it reads it.
  }
  return false;
}

/**
 * Why an emblem must not be decoded, from its header alone: more pixels than
 * imageMaxPixels (a PNG's IHDR, a JPEG's SOF marker, an SVG's width and
 * height), or an interlaced PNG whose data unpacks past its size. Undefined
 * when it may be, or when its header cannot be read (the drawing check
 * refuses a damaged image).
 */
export function emblemProblem(image: EmblemImage): { th: string; en: string } | undefined {
  const size = imageSize(image);
  if (!size) return undefined;
  const limit = imageMaxPixels();
  if (size.width * size.height > limit) {
    const mp = (n: number) => `${Math.round(n / 100_000) / 10} MP`;
    return {
      th: `ภาพตรามีขนาด ${size.width} x ${size.height} จุด (${mp(size.width * size.height)}) เกินกำหนด ${mp(limit)} (SARABAN_IMAGE_MAX_PIXELS) กรุณาย่อภาพ เช่น ไม่เกิน 2000 x 2000 จุด`,
      en: `the emblem is ${size.width} x ${size.height} pixels (${mp(size.width * size.height)}), more than the limit of ${mp(limit)} (SARABAN_IMAGE_MAX_PIXELS): scale it down, e.g. to 2000 x 2000`,
    };
  }
  if (image.type === 'png' && image.data[28] === 1 && interlacedPngOverflows(image.data, size.width, size.height)) {
    return { th: 'ภาพตรา PNG มีข้อมูลภาพมากกว่าขนาดที่ระบุไว้ ไม่รับไฟล์นี้', en: 'the emblem PNG holds more image data than its size needs: refused' };
  }
  return undefined;
}

/** Refuses an emblem emblemProblem names, as a ValidationError at `path`, before anything decodes it. */
export function checkEmblem(image: EmblemImage, path = 'options.emblem.data'): EmblemImage {
  const problem = emblemProblem(image);
  if (problem) throw new ValidationError([{ path, ...problem }]);
  return image;
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
  // Whatever path brought it here: the request's schema checks it first (src/forms/shared.ts).
  checkEmblem(image);
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
  const problem = emblemProblem({ type, data });
  if (problem) throw new Error(`SARABAN_EMBLEM (${file}): ${problem.en}`);
  configured = { type, data };
  return configured;
}
