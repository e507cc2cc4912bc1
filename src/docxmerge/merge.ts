import { strFromU8, strToU8, zipSync, type Unzipped } from 'fflate';
import { checkZip, unzipGuarded, ZipGuardError, zipLimits } from '../input/zipGuard.js';
import { thaiDate, thaiMonthYear } from '../thai/date.js';
import { formatNumber } from '../thai/number.js';
import { bahtText } from '../thai/baht.js';
import { applyNumerals } from '../thai/numerals.js';
import { toArabicDigits } from '../thai/index.js';
import { parseThaiDate } from '../input/normalize.js';
import { ValidationError, type FieldError } from '../validation.js';

/**
 * Fills `{{placeholders}}` in a Word document. Word splits text into runs
 * wherever formatting, spelling marks or editing history change, so
 * `{{name}}` often arrives as `{{`, `na`, `me}}` in three <w:t> elements. The
 * text of a paragraph's <w:t> elements is joined, placeholders are found in
 * the joined text, and each is replaced inside the <w:t> where it starts (so it
 * takes that run's properties: its font, including the `w:cs` font Thai is
 * drawn in, size and bold), the rest of its text being removed from the
 * following elements. Text around placeholders keeps its own runs.
 *
 * Placeholders: `{{key}}` (a top-level key or column header, Thai allowed,
 * `a.b` for nested objects) and `{{helper key}}` with the Thai helpers of the
 * Handlebars templates: thaiDate, thaiDateEra, thaiDateShort, thaiMonthYear,
 * formatNumber (`{{formatNumber amount 2}}`), bahtText, thaiDigits.
 */

const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
/** The parts of a document that hold text a letter's author writes. */
const TEXT_PART = /^word\/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$/;

/** A date as offices write it (17/02/2565, 2565-02-17, 17 ก.พ. 2565, an Excel serial day), as ISO. */
function isoOf(value: string): string {
  const iso = parseThaiDate(toArabicDigits(value.trim()));
  if (!iso) throw new Error('not a date');
  return iso;
}
/** A number as typed in a sheet: Thai digits and thousands separators allowed. */
const plainNumber = (value: string) => toArabicDigits(value).replace(/[,\s]/g, '');

/** The Handlebars templates' Thai helpers; their output carries Thai numerals, as official letters do. */
const HELPERS: Record<string, (value: string, arg?: string) => string> = {
  thaiDate: (v) => thaiDate(isoOf(v)),
  thaiDateEra: (v) => thaiDate(isoOf(v), { era: true }),
  thaiDateShort: (v) => thaiDate(isoOf(v), { style: 'short' }),
  thaiMonthYear: (v) => thaiMonthYear(isoOf(v)),
  formatNumber: (v, decimals) => applyNumerals(formatNumber(plainNumber(v), { decimals: decimals === undefined ? undefined : Number(decimals) }), 'thai'),
  bahtText: (v) => bahtText(plainNumber(v)),
  thaiDigits: (v) => applyNumerals(v, 'thai'),
};

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;

export class DocxTemplateError extends Error {
  /** `status`: 415 when the file is not a Word document at all, 413 when it unpacks too large, 400 when damaged. */
  constructor(readonly th: string, en: string, readonly code = 'invalid_docx', readonly status = 400) {
    super(en);
  }
}

const decodeXml = (s: string) => s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_m, name: string, dec?: string, hex?: string) =>
  dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()]!);
const encodeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Characters XML 1.0 forbids (control characters a spreadsheet may carry) would make Word refuse the file. */
// eslint-disable-next-line no-control-regex
const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

/** A value as text inside a <w:t>: escaped, line breaks and tabs as Word's own elements. */
function runText(value: string): string {
  return xmlSafe(value).split('\n').map((line) => line.split('\t').map(encodeXml).join('</w:t><w:tab/><w:t xml:space="preserve">'))
    .join('</w:t><w:br/><w:t xml:space="preserve">');
}

function lookup(data: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(data, key)) return data[key];
  let at: unknown = data;
  for (const part of key.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** The text for one placeholder's expression, or a field error naming it. */
function evaluate(expr: string, data: Record<string, unknown>, path: string): string | FieldError {
  const words = expr.split(/\s+/);
  const helper = words.length > 1 ? HELPERS[words[0]!] : undefined;
  const key = helper ? words[1]! : expr;
  const value = lookup(data, key);
  if (value === undefined || value === null) {
    return { path: path ? `${path}.${key}` : key, th: `ไม่มีข้อมูลสำหรับ {{${expr}}}`, en: `no value for {{${expr}}}` };
  }
  const text = typeof value === 'object' ? (Array.isArray(value) ? value.join('\n') : JSON.stringify(value)) : String(value);
  if (!helper) return text;
  try {
    return helper(text, words[2]);
  } catch {
    return { path: path ? `${path}.${key}` : key, th: `ใช้ ${words[0]} กับค่า "${text}" ไม่ได้`, en: `${words[0]} cannot format "${text}"` };
  }
}

interface TextElement { start: number; end: number; text: string }

/** The <w:t> elements of each paragraph (a nested text box's paragraph is its own). */
function paragraphs(xml: string): TextElement[][] {
  const out: TextElement[][] = [];
  const stack: TextElement[][] = [];
  const token = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:p(?=[\s>/])[^>]*?(\/?)>|<\/w:p>/g;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    if (m[0].startsWith('<w:t')) {
      const contentStart = m.index + m[0].indexOf('>') + 1;
      stack.at(-1)?.push({ start: contentStart, end: contentStart + m[1]!.length, text: decodeXml(m[1]!) });
    } else if (m[0] === '</w:p>') {
      const p = stack.pop();
      if (p) out.push(p);
    } else if (m[2] !== '/') {
      stack.push([]);
    }
  }
  return out;
}

/** Replaces the placeholders of one XML part. Returns the new XML and the placeholders that had no value. */
export function fillXml(xml: string, data: Record<string, unknown>, path = ''): { xml: string; errors: FieldError[]; found: number } {
  const edits: { start: number; end: number; text: string }[] = [];
  const errors: FieldError[] = [];
  let found = 0;
  for (const elements of paragraphs(xml)) {
    const joined = elements.map((e) => e.text).join('');
    if (!joined.includes('{{')) continue;
    const matches: { from: number; to: number; value: string }[] = [];
    for (const m of joined.matchAll(PLACEHOLDER)) {
      found++;
      const value = evaluate(m[1]!, data, path);
      if (typeof value === 'string') matches.push({ from: m.index, to: m.index + m[0].length, value });
      else errors.push(value);
    }
    // Each element keeps its text outside placeholders; a placeholder's value
    // goes into the element where the placeholder starts.
    let offset = 0;
    for (const e of elements) {
      const end = offset + e.text.length;
      let pos = offset;
      let out = '';
      let touched = false;
      for (const m of matches) {
        if (m.to <= offset || m.from >= end) continue;
        touched = true;
        if (m.from >= offset) out += encodeXml(xmlSafe(e.text.slice(pos - offset, m.from - offset))) + runText(m.value);
        pos = Math.max(pos, Math.min(m.to, end));
      }
      if (touched) edits.push({ start: e.start, end: e.end, text: out + encodeXml(xmlSafe(e.text.slice(pos - offset))) });
      offset = end;
    }
  }
  if (edits.length === 0) return { xml, errors, found };
  edits.sort((a, b) => b.start - a.start);
  let out = xml;
  for (const e of edits) {
    // The opening tag must keep spaces at the ends of the replaced text.
    const open = out.lastIndexOf('<w:t', e.start);
    const tag = out.slice(open, e.start);
    const preserved = /xml:space=/.test(tag) ? tag : tag.replace(/^<w:t/, '<w:t xml:space="preserve"');
    out = out.slice(0, open) + preserved + e.text + out.slice(e.end);
  }
  return { xml: out, errors, found };
}

/**
 * The parts of a .docx, checked to be a Word document and not a ZIP bomb:
 * its directory is checked before anything is unpacked (src/input/zipGuard.ts),
 * and each part stops unpacking past the size it declares.
 */
export function readDocx(docx: Uint8Array): Unzipped {
  const notWord = () => new DocxTemplateError('ไฟล์นี้ไม่ใช่ไฟล์ Word (.docx): ไม่มี word/document.xml', 'this is not a Word (.docx) file: no word/document.xml', 'unsupported_media_type', 415);
  let parts: Unzipped;
  try {
    const limits = zipLimits();
    if (!checkZip(docx, limits).some((e) => e.name === 'word/document.xml')) throw notWord();
    parts = unzipGuarded(docx, { ...limits, maxUnpackedBytes: Math.min(limits.maxUnpackedBytes, MAX_UNZIPPED_BYTES) });
  } catch (err) {
    if (err instanceof DocxTemplateError) throw err;
    if (err instanceof ZipGuardError && err.reason !== 'damaged') throw new DocxTemplateError(err.th, err.en, err.reason === 'too_large' ? 'docx_too_large' : 'unsafe_docx', err.reason === 'too_large' ? 413 : 400);
    throw new DocxTemplateError('ไฟล์นี้ไม่ใช่ไฟล์ Word (.docx) หรือไฟล์เสียหาย', 'this is not a Word (.docx) file, or it is damaged');
  }
  if (!parts['word/document.xml']) throw notWord();
  return parts;
}

/** The names of the placeholders the document uses, in order, once each. */
export function placeholdersOf(parts: Unzipped): string[] {
  const names = new Set<string>();
  for (const [name, bytes] of Object.entries(parts)) {
    if (!TEXT_PART.test(name)) continue;
    for (const p of paragraphs(strFromU8(bytes))) {
      for (const m of p.map((e) => e.text).join('').matchAll(PLACEHOLDER)) names.add(m[1]!);
    }
  }
  return [...names];
}

/**
 * One filled document. Throws ValidationError naming each placeholder without
 * a value (with `path` as prefix: `rows[3]` for a row).
 */
export function fillDocx(parts: Unzipped, data: Record<string, unknown>, path = ''): Uint8Array {
  const out: Unzipped = {};
  const errors: FieldError[] = [];
  for (const [name, bytes] of Object.entries(parts)) {
    if (!TEXT_PART.test(name)) { out[name] = bytes; continue; }
    const filled = fillXml(strFromU8(bytes), data, path);
    errors.push(...filled.errors);
    out[name] = strToU8(filled.xml);
  }
  if (errors.length) throw new ValidationError(errors);
  return zipSync(out, { level: 6 });
}
