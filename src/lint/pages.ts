import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildDocument, getForm, UnknownFormError } from '../forms/registry.js';
import { prepareText } from '../model/prepareText.js';
import { cellSpan, isSigningLine, plainText, SIGNING_ROOM_LINES, type Block, type DocumentModel, type TableCell } from '../model/document.js';
import { FONTS_DIR } from '../fonts/registry.js';
import { sparseTableSplits, TABLE, type DocumentLayout, type PlacedSlice, type Slice } from '../layout/page.js';
import { lineText, type Line } from '../layout/paragraph.js';
import { bodyMins, narrowHeaderCells, type LaidHeaderCell } from '../layout/tableHeader.js';
import { breakAllowedAt, MAX_SPREAD, noBreakPairs } from '../thai/segment.js';
import { layoutFor, lineSpread } from '../render/pdf/renderPdf.js';

/**
 * The page lint: what a clerk would send back to be reprinted, found on the
 * laid-out pages (the same layout the PDF draws) and, for Word files, on
 * LibreOffice's pages. Each finding names its page and says what is wrong in
 * Thai and English, so an office can run it on its own data
 * (`npm run lint:pages -- <form-id> <data.json>`).
 */

export type Rule = 'bottom-only-page' | 'signature-separated' | 'signing-room' | 'sparse-table-page' | 'spread' | 'no-break' | 'latin-cut' | 'narrow-header';

export interface Finding {
  /** 1-based page. */
  page: number;
  rule: Rule;
  th: string;
  en: string;
  /** The text at fault, shortened. */
  text?: string;
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
const CLOSING_ROLES = new Set(['signature', 'contact', 'closing']);
const content = (p: PlacedSlice) => !(p as PlacedSlice & { repeated?: boolean }).repeated && p.slice.role !== 'space';

/** Pages that hold only a signature, contact lines or a closing, and a signature with no body above it on its page. */
function pageRules(layout: DocumentLayout): Finding[] {
  const out: Finding[] = [];
  let bodySeen = false;
  layout.pages.forEach((page, i) => {
    const slices = page.slices.filter(content);
    if (i > 0 && slices.length > 0 && slices.every((p) => CLOSING_ROLES.has(p.slice.role ?? ''))) {
      out.push({ page: i + 1, rule: 'bottom-only-page', th: 'หน้านี้มีแต่ส่วนลงนามหรือส่วนท้าย (ติดต่อ/สำเนาส่ง) ไม่มีเนื้อความ', en: 'this page holds only the signature or bottom lines (contact, copies), no body', text: short(slices.map((p) => p.slice.text).join(' ')) });
      return;
    }
    let bodyHere = false;
    for (const p of slices) {
      const role = p.slice.role;
      if (role === 'body' || role === 'table-row') bodyHere = true;
      if (role === 'signature' && !bodyHere && bodySeen && i > 0) {
        out.push({ page: i + 1, rule: 'signature-separated', th: 'ส่วนลงนามแยกจากเนื้อความหรือตารางที่รับรอง (ขึ้นหน้าใหม่โดยไม่มีเนื้อความนำ)', en: 'the signature is separated from the body or table it certifies (it starts a page with no body above it)', text: short(p.slice.text) });
        break;
      }
    }
    if (bodyHere) bodySeen = true;
  });
  return out;
}

const SIGNING_ROOM_TH = `ไม่มีที่ว่างให้ลงนามเหนือบรรทัดลงชื่อ (ต้องเว้นอย่างน้อย ${SIGNING_ROOM_LINES} บรรทัด)`;
const SIGNING_ROOM_EN = `no room to sign above a signing line (it needs ${SIGNING_ROOM_LINES} blank lines above it)`;

/**
 * A signing line (ลงชื่อ ...) of a signature with less than SIGNING_ROOM_LINES
 * of its own lines blank above it on its page: the pen has no room, or the
 * blank sits under the dotted line instead of above it. A page's top counts
 * as room.
 */
function signingRoomRule(layout: DocumentLayout): Finding[] {
  const out: Finding[] = [];
  layout.pages.forEach((page, i) => {
    let blank = Number.POSITIVE_INFINITY;
    for (const p of page.slices) {
      blank += p.spaceBefore;
      if (p.slice.content.kind === 'space') {
        blank += p.slice.height;
        continue;
      }
      const signing = (p.slice.role === 'signature' || p.slice.role === 'closing') && p.slice.content.kind === 'text' && isSigningLine(p.slice.text);
      // Half a point of slack: the room is summed from rounded slices.
      if (signing && blank < SIGNING_ROOM_LINES * p.slice.height - 0.5) {
        out.push({ page: i + 1, rule: 'signing-room', th: SIGNING_ROOM_TH, en: SIGNING_ROOM_EN, text: short(p.slice.text) });
      }
      blank = 0;
    }
  });
  return out;
}

/** Short tables carried onto a next page while the first is mostly blank (layout's sparseTableSplits). */
function sparseTableRule(layout: DocumentLayout): Finding[] {
  return sparseTableSplits(layout).map((s) => {
    const blank = Math.round(100 * s.blank);
    return { page: s.page + 1, rule: 'sparse-table-page' as const, th: `ตารางแยกไปหน้าถัดไปเพียง ${s.carried} แถว ทั้งที่หน้านี้ว่าง ${blank} %`, en: `the table carries only ${s.carried} row(s) onto the next page while this page is ${blank} % blank`, text: short(s.text) };
  });
}

/** Every text line with where it stands: page, the block it came from, and which column of a labelled block. */
interface PlacedLine { page: number; block: number; part: number; line: Line }

function textLines(layout: DocumentLayout): PlacedLine[] {
  const out: PlacedLine[] = [];
  layout.pages.forEach((page, i) => {
    for (const { slice } of page.slices) {
      if (slice.content.kind !== 'text' || slice.role === 'space') continue;
      slice.content.parts.forEach((part, j) => out.push({ page: i + 1, block: slice.block ?? -1, part: j, line: part.line }));
    }
  });
  return out;
}

/** Lines spread between letters past MAX_SPREAD, as the PDF renderer places them. */
function spreadRule(layout: DocumentLayout, lines: PlacedLine[]): Finding[] {
  const out: Finding[] = [];
  for (const { page, line } of lines) {
    const gap = lineSpread(line, layout.measurer);
    if (gap.mode === 'cluster' && gap.em > MAX_SPREAD + 1e-6) {
      out.push({ page, rule: 'spread', th: `บรรทัดถูกยืดระหว่างตัวอักษร ${gap.em.toFixed(2)} em เกินกำหนด ${MAX_SPREAD} em`, en: `a line is spread ${gap.em.toFixed(2)} em between its letters, more than the cap of ${MAX_SPREAD} em`, text: short(lineText(line)) });
    }
  }
  return out;
}

/** All the text a model block holds, to tell whether a line break stood at a space (the line breaker drops that space). */
function blockText(block: Block | undefined): string {
  if (!block) return '';
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(block);
  return parts.join('\n');
}

/**
 * Breaks between two lines of one paragraph: inside a no-break stretch (a
 * date, a number and its classifier, an abbreviation and its word) that is
 * not wider than the line, or inside a Latin word where UAX #14 and the URL
 * conventions give no opportunity.
 */
function breakRules(model: DocumentModel, layout: DocumentLayout, lines: PlacedLine[]): Finding[] {
  const out: Finding[] = [];
  for (let k = 0; k + 1 < lines.length; k++) {
    const a = lines[k]!;
    const b = lines[k + 1]!;
    if (a.line.last || a.block !== b.block || a.part !== b.part || a.block < 0) continue;
    const before = lineText(a.line);
    const after = lineText(b.line);
    if (!before || !after) continue;
    const source = blockText(model.blocks[a.block]);
    const tail = before.slice(-12);
    const head = after.slice(0, 12);
    const spaced = source.includes(`${tail} ${head}`);
    if (!spaced && !source.includes(`${tail}${head}`)) continue;
    const joined = spaced ? `${before} ${after}` : `${before}${after}`;
    const at = spaced ? before.length + 1 : before.length;
    const stretch = noBreakPairs(joined).find(([s, e]) => s < at && at < e);
    const style = a.line.pieces[0]?.style;
    if (stretch && style && layout.measurer.width(joined.slice(stretch[0], stretch[1]), style) <= a.line.available) {
      out.push({ page: a.page, rule: 'no-break', th: 'ตัดบรรทัดกลางคำหรือวลีที่ต้องอยู่บรรทัดเดียวกัน (วันที่ จำนวนกับลักษณนาม คำย่อกับคำ)', en: 'a line breaks inside a stretch that must stay on one line (a date, a number and its classifier, an abbreviation and its word)', text: short(joined.slice(stretch[0], stretch[1])) });
    } else if (!spaced && /[A-Za-z0-9]$/.test(before) && /^[A-Za-z0-9./_?#&=%~@-]/.test(after) && !breakAllowedAt(joined, at)) {
      out.push({ page: a.page, rule: 'latin-cut', th: 'คำภาษาอังกฤษหรือที่อยู่เว็บถูกตัดในตำแหน่งที่ตัดไม่ได้', en: 'a Latin word or address is cut where UAX #14 gives no break', text: short(`${before.slice(-20)}|${after.slice(0, 20)}`) });
    }
  }
  return out;
}

const cellText = (cell: TableCell): string => plainText(typeof cell === 'string' || Array.isArray(cell) ? cell : cell.text);

/** Header cells set one word per line where the table could give them a wider split (tableHeader.narrowHeaderCells). */
function headerRule(model: DocumentModel, layout: DocumentLayout): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<number>();
  layout.pages.forEach((page, i) => {
    const headers = new Map<number, { slices: Slice[]; block: number }>();
    for (const { slice } of page.slices) {
      if (slice.content.kind !== 'tableRow' || !slice.content.header || slice.block === undefined) continue;
      const id = slice.content.table.id;
      if (seen.has(id)) continue;
      const entry = headers.get(id) ?? { slices: [], block: slice.block };
      entry.slices.push(slice);
      headers.set(id, entry);
    }
    for (const [id, { slices, block: index }] of headers) {
      seen.add(id);
      const block = model.blocks[index];
      if (block?.type !== 'table' || !block.header) continue;
      const first = slices[0]!.content;
      if (first.kind !== 'tableRow') continue;
      const size = block.size ?? layout.bodySize;
      const measure = (text: string, bold = false) => layout.measurer.width(text, { size, bold });
      const pad = 2 * TABLE.padX + TABLE.rule;
      const rows: LaidHeaderCell[][] = slices.map((s, r) => {
        const model = block.header![r] ?? [];
        const laid = s.content.kind === 'tableRow' ? s.content.cells.filter((c) => !c.covered) : [];
        let col = 0;
        const cells: LaidHeaderCell[] = [];
        const covered = s.content.kind === 'tableRow' ? s.content.cells : [];
        laid.forEach((c, j) => {
          while (covered[col]?.covered) col++;
          const source = model[j];
          cells.push({ text: source ? cellText(source) : c.lines.map(lineText).join(''), col, colSpan: c.colSpan, rowSpan: source ? cellSpan(source, 'rowSpan') : undefined, lines: c.lines.map(lineText) });
          col += c.colSpan;
        });
        return cells;
      });
      const mins = bodyMins(block.rows, block.widths.map((w) => (w === '*' ? 0 : w)), pad, measure);
      for (const narrow of narrowHeaderCells(rows, first.table.widths, mins, pad, measure)) {
        out.push({ page: i + 1, rule: 'narrow-header', th: `หัวตาราง "${short(narrow.text)}" ตัดคำละบรรทัด ${narrow.lines} บรรทัด ทั้งที่จัดได้ ${narrow.fewest} บรรทัด`, en: `header cell "${short(narrow.text)}" is set one word per line in ${narrow.lines} lines where ${narrow.fewest} would do`, text: short(narrow.text) });
      }
    }
  });
  return out;
}

/** Every finding of a laid-out document, in page order. */
export function lintLayout(given: DocumentModel, layout: DocumentLayout): Finding[] {
  // The model as laid out: a short table may have been set smaller (layoutDocument).
  const model = layout.model ?? given;
  const lines = textLines(layout);
  return [...pageRules(layout), ...signingRoomRule(layout), ...sparseTableRule(layout), ...spreadRule(layout, lines), ...breakRules(model, layout, lines), ...headerRule(model, layout)]
    .sort((x, y) => x.page - y.page);
}

/** A form's data laid out as its PDF would be, and linted. Throws ValidationError for data the form refuses. */
export function lintForm(formId: string, input: unknown): { pages: number; findings: Finding[] } {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  const built = buildDocument(form, input);
  const model = prepareText(built.model);
  const layout = layoutFor(model, built.options.font);
  return { pages: layout.pages.length, findings: lintLayout(model, layout) };
}

const run = (cmd: string, args: string[], env: Record<string, string> = {}) => new Promise<string>((resolve, reject) => {
  execFile(cmd, args, { timeout: 180_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
});

/** Lines a Word document's last pages may hold without body text: signature, contact lines, copies, page numbers. */
const BOTTOM_LINE = /^(\(ลงชื่อ\)|\(.+\)$|ตำแหน่ง|ขอแสดงความนับถือ|ขอรับรองว่า|โทร\.?|โทรสาร|ไปรษณีย์อิเล็กทรอนิกส์|ผู้ประสานงาน|สำเนาส่ง|-\s*[๐-๙0-9]+\s*-$|\.{5,})/;

/**
 * A signing line as it reads on a page: ลงชื่อ and the dotted line (ลงชื่อ
 * alone also starts "ลงชื่อเข้าร่วม", to sign up, in body text).
 */
const DOTTED_SIGNING_LINE = /^\s*\(?\s*ลงชื่อ\s*\)?\s*:?\s*\.{3,}/;

/** A text line of a PDF page as pdftotext -bbox-layout gives it: its box (points, from the top) and words. */
interface BoxLine { yMin: number; yMax: number; text: string }

function boxLines(xhtml: string): BoxLine[][] {
  const decode = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  return xhtml.split(/<page\b/).slice(1).map((page) => [...page.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((m) => ({
    yMin: Number(m[1]),
    yMax: Number(m[2]),
    text: decode([...m[3]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' ')),
  })));
}

/**
 * The signing-room rule on laid-out PDF pages (a Word file as LibreOffice
 * laid it out): a signing line followed by its name line (so the pitch is
 * known) whose blank above, to the line over it, is less than
 * SIGNING_ROOM_LINES of its lines. A signing line at a page's top has room.
 */
function signingRoomOnPages(pages: BoxLine[][]): Finding[] {
  const out: Finding[] = [];
  pages.forEach((lines, i) => {
    for (const l of lines) {
      if (!DOTTED_SIGNING_LINE.test(l.text)) continue;
      const height = l.yMax - l.yMin;
      const above = lines.filter((o) => o.yMax < l.yMin + height / 2 && o.yMin < l.yMin - 1);
      const below = lines.filter((o) => o.yMin > l.yMin + 1);
      if (above.length === 0 || below.length === 0) continue;
      const next = Math.min(...below.map((o) => o.yMin));
      const pitch = next - l.yMin;
      // Only where the name line follows directly: the distance to it is the block's line pitch.
      if (pitch > 2 * height) continue;
      const over = Math.max(...above.map((o) => o.yMax));
      // The boxes of two lines in a row are a pitch apart less one box: the room is counted on top of that.
      const blank = l.yMin - over - (pitch - height);
      if (blank < SIGNING_ROOM_LINES * pitch - 1) {
        out.push({ page: i + 1, rule: 'signing-room', th: SIGNING_ROOM_TH, en: SIGNING_ROOM_EN, text: short(l.text) });
      }
    }
  });
  return out;
}

/** The signing-room rule on a PDF file's pages (poppler's pdftotext must be installed). */
export async function signingRoomOfPdf(path: string): Promise<Finding[]> {
  return signingRoomOnPages(boxLines(await run('pdftotext', ['-bbox-layout', path, '-'])));
}

/**
 * The page rules on a Word file, as LibreOffice lays it out (`soffice` and
 * poppler's `pdftotext` must be installed): a page after the first whose
 * every line is a signature, contact or page-number line, and a signing line
 * without room to sign above it. LibreOffice sees the fonts in `fontsDir`
 * besides the system's, so a DOCX that names the shipped Sarabun (render it
 * with options.font) is laid out in it, as an office's Word lays it out in
 * its installed TH Sarabun.
 */
export async function lintDocx(docx: Uint8Array, fontsDir = FONTS_DIR): Promise<{ pages: number; findings: Finding[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'saraban-lint-'));
  try {
    await writeFile(join(dir, 'doc.docx'), docx);
    await writeFile(join(dir, 'fonts.conf'), `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><dir>${fontsDir}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>`);
    await run(process.env.SARABAN_SOFFICE ?? 'soffice', [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'doc.docx')], { FONTCONFIG_FILE: join(dir, 'fonts.conf') });
    const text = await run('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-']);
    const pages = text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
    const findings: Finding[] = [];
    pages.forEach((page, i) => {
      const lines = page.split('\n').map((l) => l.trim()).filter(Boolean);
      if (i > 0 && lines.length > 0 && lines.every((l) => BOTTOM_LINE.test(l))) {
        findings.push({ page: i + 1, rule: 'bottom-only-page', th: 'หน้านี้ (ใน Word) มีแต่ส่วนลงนามหรือส่วนท้าย ไม่มีเนื้อความ', en: 'this page (in Word) holds only the signature or bottom lines, no body', text: short(lines.join(' ')) });
      }
    });
    findings.push(...await signingRoomOfPdf(join(dir, 'doc.pdf')));
    findings.sort((x, y) => x.page - y.page);
    return { pages: pages.length, findings };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
