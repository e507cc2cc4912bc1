import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Font } from 'fontkit';
import { openFont } from './fontkit.js';

/**
 * Fonts available to the renderers. Layouts are written in official TH Sarabun
 * points; each family carries the factor that makes its glyphs as large as TH
 * Sarabun New's at the same nominal size, and the line pitch of TH Sarabun New
 * single spacing, so a page holds the same number of lines whichever font draws it.
 */

export type FaceStyle = 'normal' | 'bold' | 'italics' | 'bolditalics';

export interface FontFamily {
  name: string;
  files: Record<FaceStyle, string>;
  /** Actual font size = official size x scale. */
  scale: number;
  /** Line pitch in official em (TH Sarabun New single spacing). */
  lineHeightEm: number;
  /** Ascender + descender of the font file, in its own em: what pdfkit calls a line. */
  naturalLineEm: number;
  ascenderEm: number;
  faces: Record<FaceStyle, Font>;
  /** The font files' bytes; pdfkit is handed these very buffers (see fontkit.ts). */
  buffers: Record<FaceStyle, Buffer>;
}

/** The folder holding package.json, fonts/ and templates/, from src/ or from dist/src/. */
export const PROJECT_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

export const FONTS_DIR = process.env.SARABAN_FONTS_DIR ?? join(PROJECT_ROOT, 'fonts');

/**
 * TH Sarabun New's x-height relative to its em. Google Sarabun (x-height
 * 0.5 em) looks like TH Sarabun New 16 pt at about 10.5 pt; the factor is set
 * so that the full justified lines of seed 004, typeset in a 16 cm column at
 * 16 pt, measure at most 16 cm in Sarabun (the widest measures 15.9 cm).
 */
const OFFICIAL_X_HEIGHT_EM = 0.5 * 0.645;

/**
 * TH Sarabun New single spacing: its hhea ascender 850 + descender 250 per
 * 1000 em. Checked against seed 004, whose first page holds about 36 lines of
 * 16 pt text below a 3 cm emblem. Overridable because offices' templates vary.
 */
export const OFFICIAL_LINE_HEIGHT_EM = Number(process.env.SARABAN_LINE_HEIGHT_EM ?? 1.1);

/** The official fonts are drawn at their nominal size. */
const OFFICIAL_FAMILY = /^TH ?Sarabun ?(New|PSK|IT๙|IT9)?/i;

interface FileInfo { path: string; family: string; style: FaceStyle }

function styleOf(font: Font): FaceStyle {
  const sub = (font.subfamilyName ?? '').toLowerCase();
  const bold = sub.includes('bold');
  const italic = sub.includes('italic') || sub.includes('oblique');
  return bold && italic ? 'bolditalics' : bold ? 'bold' : italic ? 'italics' : 'normal';
}

function scan(dir: string): FileInfo[] {
  if (!existsSync(dir)) return [];
  const out: FileInfo[] = [];
  for (const name of readdirSync(dir)) {
    if (!/\.(ttf|otf)$/i.test(name)) continue;
    const path = join(dir, name);
    const font = openFont(readFileSync(path));
    out.push({ path, family: font.familyName, style: styleOf(font) });
  }
  return out;
}

function loadFamily(name: string, files: Partial<Record<FaceStyle, string>>): FontFamily {
  const normal = files.normal ?? Object.values(files)[0]!;
  const all: Record<FaceStyle, string> = {
    normal,
    bold: files.bold ?? normal,
    italics: files.italics ?? normal,
    bolditalics: files.bolditalics ?? files.bold ?? normal,
  };
  const buffers = Object.fromEntries(Object.entries(all).map(([k, p]) => [k, readFileSync(p)])) as Record<FaceStyle, Buffer>;
  const faces = Object.fromEntries(Object.entries(buffers).map(([k, b]) => [k, openFont(b)])) as Record<FaceStyle, Font>;
  const f = faces.normal;
  const upm = f.unitsPerEm;
  const official = OFFICIAL_FAMILY.test(name);
  const xHeight = f.xHeight > 0 ? f.xHeight / upm : 0.5;
  return {
    name,
    files: all,
    buffers,
    scale: official ? 1 : OFFICIAL_X_HEIGHT_EM / xHeight,
    lineHeightEm: OFFICIAL_LINE_HEIGHT_EM,
    naturalLineEm: (f.ascent - f.descent) / upm,
    ascenderEm: f.ascent / upm,
    faces,
  };
}

export class FontRegistry {
  private readonly families = new Map<string, FontFamily>();

  constructor(dirs: string[] = [FONTS_DIR]) {
    const byFamily = new Map<string, Partial<Record<FaceStyle, string>>>();
    for (const info of dirs.flatMap(scan)) {
      const entry = byFamily.get(info.family) ?? {};
      entry[info.style] ??= info.path;
      byFamily.set(info.family, entry);
    }
    for (const [name, files] of byFamily) this.families.set(name, loadFamily(name, files));
  }

  names(): string[] {
    return [...this.families.keys()].sort();
  }

  has(name: string): boolean {
    return this.families.has(name);
  }

  /** A family by name; matching ignores case and spaces (`THSarabunNew` = `TH Sarabun New`). */
  get(name: string): FontFamily {
    const direct = this.families.get(name);
    if (direct) return direct;
    const key = (s: string) => s.replace(/\s+/g, '').toLowerCase();
    for (const [n, fam] of this.families) if (key(n) === key(name)) return fam;
    throw new UnknownFontError(name, this.names());
  }

  /** The font for characters the document's font lacks (✓, ☐): SARABAN_FALLBACK_FONT, else DejaVu Sans. */
  fallbackFamily(): FontFamily | undefined {
    const name = process.env.SARABAN_FALLBACK_FONT ?? 'DejaVu Sans';
    return this.has(name) ? this.get(name) : undefined;
  }

  /** The default: an official TH Sarabun if an office installed one, else the shipped Sarabun. */
  defaultFamily(): FontFamily {
    const preferred = process.env.SARABAN_FONT;
    if (preferred) return this.get(preferred);
    const official = this.names().find((n) => OFFICIAL_FAMILY.test(n));
    return this.get(official ?? 'Sarabun');
  }
}

export class UnknownFontError extends Error {
  constructor(readonly font: string, readonly available: string[]) {
    super(`unknown font "${font}"; available: ${available.join(', ')}`);
  }
}

let shared: FontRegistry | undefined;
/** Fonts are read once per process: loading them per request would dominate render time. */
export function fontRegistry(): FontRegistry {
  shared ??= new FontRegistry();
  return shared;
}
