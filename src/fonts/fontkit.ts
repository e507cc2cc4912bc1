import { createRequire } from 'node:module';
import type { Font } from 'fontkit';

/**
 * One fontkit for the whole process, the CommonJS build that pdfkit requires,
 * so that the Font objects we measure with are the ones pdfkit draws with
 * (see render/pdf/pdfkitPatches.ts: documents share parsed fonts).
 */
const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as { create(data: Uint8Array): Font };

export function openFont(data: Uint8Array): Font {
  return fontkit.create(data);
}
