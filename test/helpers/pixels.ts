import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { tempDir } from './pdf.js';

/**
 * Visual regression against committed PNG baselines (test/baselines/).
 * `UPDATE_BASELINES=1 npx vitest run test/visual.test.ts` writes the
 * baselines instead of comparing; look at them before committing.
 */

export const UPDATE_BASELINES = process.env.UPDATE_BASELINES === '1';

export interface Comparison {
  /** Pixels pixelmatch counts as different. */
  different: number;
  total: number;
  fraction: number;
  /** Where the diff image was written (red = different), when there was a difference. */
  diffFile?: string;
  /** The baseline was (re)written instead of compared. */
  updated: boolean;
}

/**
 * Compares a rendered PNG with its baseline. A missing baseline is an error
 * unless UPDATE_BASELINES=1: a visual test that silently passes for lack of
 * a baseline tests nothing.
 */
export function compareWithBaseline(actual: Buffer, baselineFile: string): Comparison {
  if (UPDATE_BASELINES) {
    mkdirSync(dirname(baselineFile), { recursive: true });
    writeFileSync(baselineFile, actual);
    const png = PNG.sync.read(actual);
    return { different: 0, total: png.width * png.height, fraction: 0, updated: true };
  }
  if (!existsSync(baselineFile)) {
    throw new Error(`no baseline ${baselineFile}: run UPDATE_BASELINES=1 npx vitest run test/visual.test.ts, then look at it`);
  }
  const a = PNG.sync.read(actual);
  const b = PNG.sync.read(readFileSync(baselineFile));
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`size ${a.width}x${a.height} differs from the baseline's ${b.width}x${b.height} (${baselineFile})`);
  }
  const diff = new PNG({ width: a.width, height: a.height });
  // threshold 0.1: anti-aliasing noise of the same drawing is not a difference; a moved glyph is.
  const different = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: 0.1 });
  const total = a.width * a.height;
  let diffFile: string | undefined;
  if (different > 0) {
    const dir = tempDir('saraban-visual-');
    diffFile = join(dir, 'diff.png');
    writeFileSync(diffFile, PNG.sync.write(diff));
    writeFileSync(join(dir, 'actual.png'), actual);
  }
  return { different, total, fraction: different / total, diffFile, updated: false };
}

/** Whether pixel (x, y) is darker than `level` (0-255, mean of RGB): ink. */
const isInk = (png: PNG, x: number, y: number, level: number): boolean => {
  const i = (y * png.width + x) * 4;
  return (png.data[i]! + png.data[i + 1]! + png.data[i + 2]!) / 3 < level;
};

/** Pixels darker than `level` in a rectangle: how much ink is there. */
export function inkIn(pngData: Buffer, box: { x: number; y: number; w: number; h: number }, level = 160): number {
  const png = PNG.sync.read(pngData);
  let n = 0;
  for (let y = box.y; y < Math.min(png.height, box.y + box.h); y++) {
    for (let x = box.x; x < Math.min(png.width, box.x + box.w); x++) if (isInk(png, x, y, level)) n++;
  }
  return n;
}

/**
 * The largest difference, in pixels, between the ink of one pixel column (or
 * row) of a page and the same column (row) of its baseline. The whole-page
 * fraction of compareWithBaseline lets a table rule of a few hundred pixels
 * go missing; a column's count does not.
 */
export function inkProfileDifference(actual: Buffer, baselineFile: string, level = 160): { columns: number; rows: number } {
  const profile = (data: Buffer) => {
    const png = PNG.sync.read(data);
    const columns = new Array<number>(png.width).fill(0);
    const rows = new Array<number>(png.height).fill(0);
    for (let y = 0; y < png.height; y++) {
      for (let x = 0; x < png.width; x++) if (isInk(png, x, y, level)) { columns[x]!++; rows[y]!++; }
    }
    return { columns, rows };
  };
  const a = profile(actual);
  const b = profile(readFileSync(baselineFile));
  const most = (xs: number[], ys: number[]) => xs.reduce((m, v, i) => Math.max(m, Math.abs(v - (ys[i] ?? 0))), 0);
  return { columns: most(a.columns, b.columns), rows: most(a.rows, b.rows) };
}
