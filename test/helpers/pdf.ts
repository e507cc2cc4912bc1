import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'saraban-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs a tool on the PDF written to a temporary file, and removes the file. */
function withPdfFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = tempDir();
  try {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    return fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text of a PDF as poppler extracts it (reading order, no layout). */
export function pdftotext(pdf: Buffer, args: string[] = []): string {
  return withPdfFile(pdf, (file) => execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

export function pageCount(pdf: Buffer): number {
  const info = withPdfFile(pdf, (file) => execFileSync('pdfinfo', [file], { encoding: 'utf8' }));
  return Number(/Pages:\s+(\d+)/.exec(info)![1]);
}

/** Text of each page as pdf.js extracts it. */
export async function pdfjsText(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

/** Rasterises pages with pdftoppm; returns PNG buffers. */
export function rasterise(pdf: Buffer, dpi = 100, first = 1, last = first): Buffer[] {
  return withPdfFile(pdf, (file, dir) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-f', String(first), '-l', String(last), file, join(dir, 'page')]);
    return readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => readFileSync(join(dir, f)));
  });
}

export const stripSpace = (s: string) => s.replace(/\s+/g, '');
