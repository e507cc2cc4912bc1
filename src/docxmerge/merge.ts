import { strFromU8, strToU8, zipSync, type Unzipped } from 'fflate';
import { checkZip, unzipGuarded, ZipGuardError, zipLimits } from '../input/zipGuard.js';
import { thaiDate, thaiMonthYear } from '../thai/date.js';
import { formatNumber } from '../thai/number.js';
import { bahtText } from '../thai/baht.js';
import { applyNumerals } from '../thai/numerals.js';
import { toArabicDigits } from '../thai/index.js';
import { parseThaiDate } from '../input/normalize.js';
import { intSetting } from '../settings.js';
import { DATE_MAX_LENGTH, ValidationError, type FieldError } from '../validation.js';

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

/**
 * The most one merge may write, in bytes of unpacked documents: rows x the
 * template's unpacked size, and each filled document within its share
 * (SARABAN_MERGE_MAX_BYTES, default 200 MB). A row costs about four times
 * its document's size while it is filled (a 19 MB template took 75 MB and
 * 0.75 s a row), so the default keeps a merge under about a gigabyte and
 * its filling under a minute. Read per call.
 */
export const mergeMaxBytes = (): number => intSetting('SARABAN_MERGE_MAX_BYTES', 200 * 1024 * 1024, 1);

const megabytes = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;
/** The parts of a document that hold text a letter's author writes. */
const TEXT_PART = /^word\/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$/;

/** A date as offices write it (17/02/2565, 2565-02-17, 17 ก.พ. 2565, an Excel serial day), as ISO. */
function isoOf(value: string): string {
  // No date is longer; a long text is refused before any pattern reads it.
  if (value.length > DATE_MAX_LENGTH) throw new Error('not a date');
  const iso = parseThaiDate(toArabicDigits(value.trim()));
  if (!iso) throw new Error('not a date');
  return iso;
}
/** A number as typed in a sheet: Thai digits and thousands separators allowed. */
const plainNumber = (value: string) => toArabicDigits(value).replace(/[,\s]/g, '');

/**
 * The Handlebars templates' Thai helpers; their output carries Thai numerals,
 * as official letters do. `path` is the field a number helper's refusal
 * (NumberInputError: too large, too many decimals) names.
 */
const HELPERS: Record<string, (value: string, arg: string | undefined, path: string) => string> = {
  thaiDate: (v) => thaiDate(isoOf(v)),
  thaiDateEra: (v) => thaiDate(isoOf(v), { era: true }),
  thaiDateShort: (v) => thaiDate(isoOf(v), { style: 'short' }),
  thaiMonthYear: (v) => thaiMonthYear(isoOf(v)),
  formatNumber: (v, decimals, path) => applyNumerals(formatNumber(plainNumber(v), { decimals: decimals === undefined ? undefined : Number(decimals), path }), 'thai'),
  bahtText: (v, _arg, path) => bahtText(plainNumber(v), { path }),
  thaiDigits: (v) => applyNumerals(v, 'thai'),
};

/** `{{ expression }}`; the expression is trimmed where it is read. No lazy match beside \s*: that backtracks cubically on a run of spaces. */
const PLACEHOLDER = /\{\{([^{}]+)\}\}/g;

export class DocxTemplateError extends Error {
  /** `status`: 415 when the file is not a Word document at all, 413 when it unpacks too large, 400 when damaged. */
  constructor(readonly th: string, en: string, readonly code = 'invalid_docx', readonly status = 400) {
    super(en);
  }
}

/** A character reference's text; one past Unicode (&#99999999;) stays as written rather than throwing. */
const codePoint = (entity: string, code: number) => (code <= 0x10ffff ? String.fromCodePoint(code) : entity);
const decodeXml = (s: string) => s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (m, name: string, dec?: string, hex?: string) =>
  dec ? codePoint(m, Number(dec)) : hex ? codePoint(m, parseInt(hex, 16)) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()]!);
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

/** A value as an error message quotes it: a cell may hold 30,000 characters. */
const quoted = (text: string) => `"${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`;

/** The text for one placeholder's expression, or a field error naming it. */
function evaluate(expr: string, data: Record<string, unknown>, path: string): string | FieldError {
  const words = expr.split(/\s+/);
  const helper = words.length > 1 ? HELPERS[words[0]!] : undefined;
  const key = helper ? words[1]! : expr;
  const field = path ? `${path}.${key}` : key;
  const value = lookup(data, key);
  if (value === undefined || value === null) {
    return { path: field, th: `ไม่มีข้อมูลสำหรับ {{${expr}}}`, en: `no value for {{${expr}}}` };
  }
  const text = typeof value === 'object' ? (Array.isArray(value) ? value.join('\n') : JSON.stringify(value)) : String(value);
  if (!helper) return text;
  try {
    return helper(text, words[2], field);
  } catch (err) {
    // A number too large or with too many decimals: the helper's own words, naming the limit.
    if (err instanceof ValidationError && err.errors[0]) return { ...err.errors[0], th: `{{${expr}}}: ${err.errors[0].th}`, en: `{{${expr}}}: ${err.errors[0].en}` };
    return { path: field, th: `ใช้ ${words[0]} กับค่า ${quoted(text)} ไม่ได้`, en: `${words[0]} cannot format ${quoted(text)}` };
  }
}

interface TextElement { start: number; end: number; text: string }

/** The <w:t> elements of each paragraph (a nested text box's paragraph is its own). */
function paragraphs(xml: string): TextElement[][] {
  const out: TextElement[][] = [];
  const stack: TextElement[][] = [];
  // Attributes hold no '<' (XML escapes it): stopping there keeps a tag never closed from being read to the end at each '<w:p'.
  const token = /<w:t(?:\s[^<>]*)?>([^<]*)<\/w:t>|<w:p(?=[\s>/])[^<>]*?(\/?)>|<\/w:p>/g;
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

/** Field errors one document reports at most (each row is one document; the answer lists 50 in all). */
const MAX_ERRORS = 50;

/** A filled document past its share of SARABAN_MERGE_MAX_BYTES (see mergeBudget). */
const filledTooLarge = (path: string, maxBytes: number) => new DocxTemplateError(
  `เอกสารที่กรอกข้อมูล${path ? `ของ ${path} ` : ''}แล้วใหญ่เกิน ${megabytes(maxBytes)} ซึ่งเป็นขนาดสูงสุดต่อเอกสารของการรวมครั้งนี้ (SARABAN_MERGE_MAX_BYTES) กรุณาลดข้อความที่กรอกหรือแบ่งข้อมูล`,
  `the filled document${path ? ` of ${path}` : ''} would be larger than ${megabytes(maxBytes)}, the most one document of this merge may be (SARABAN_MERGE_MAX_BYTES): shorten the values or split the data`,
  'merge_too_large', 413);

/**
 * Replaces the placeholders of one XML part. Returns the new XML and the
 * placeholders that had no value. `maxLength` bounds the filled XML (in
 * characters): the values are counted as they go in, so a long value put in
 * many placeholders is refused before the text is built (DocxTemplateError
 * 413, merge_too_large). Linear in the XML and the values.
 */
export function fillXml(xml: string, data: Record<string, unknown>, path = '', maxLength = Infinity): { xml: string; errors: FieldError[]; found: number } {
  /** Each element's new text, from its opening tag (`open`, which must keep spaces at the ends of the text) to its end. */
  const edits: { open: number; end: number; text: string }[] = [];
  const errors: FieldError[] = [];
  let found = 0;
  // Characters the filled part may still grow by.
  let room = maxLength - xml.length;
  const spend = (n: number) => { room -= n; if (room < 0) throw filledTooLarge(path, maxLength); };
  for (const elements of paragraphs(xml)) {
    const joined = elements.map((e) => e.text).join('');
    if (!joined.includes('{{')) continue;
    const matches: { from: number; to: number; value: string }[] = [];
    for (const m of joined.matchAll(PLACEHOLDER)) {
      found++;
      const value = evaluate(m[1]!.trim() || m[1]!, data, path);
      if (typeof value === 'string') matches.push({ from: m.index, to: m.index + m[0].length, value });
      else if (errors.length < MAX_ERRORS) errors.push(value);
    }
    // Each element keeps its text outside placeholders; a placeholder's value
    // goes into the element where the placeholder starts. Both lists run in
    // text order: `first` is the first placeholder not wholly before the element.
    let offset = 0;
    let first = 0;
    for (const e of elements) {
      const end = offset + e.text.length;
      while (first < matches.length && matches[first]!.to <= offset) first++;
      let pos = offset;
      let out = '';
      let touched = false;
      let values = 0;
      for (let i = first; i < matches.length && matches[i]!.from < end; i++) {
        const m = matches[i]!;
        touched = true;
        if (m.from >= offset) {
          const value = runText(m.value);
          spend(value.length);
          values += value.length;
          out += encodeXml(xmlSafe(e.text.slice(pos - offset, m.from - offset))) + value;
        }
        pos = Math.max(pos, Math.min(m.to, end));
      }
      if (touched) {
        const open = xml.lastIndexOf('<w:t', e.start);
        const tag = xml.slice(open, e.start);
        const text = (/xml:space=/.test(tag) ? tag : tag.replace(/^<w:t/, '<w:t xml:space="preserve"')) + out + encodeXml(xmlSafe(e.text.slice(pos - offset)));
        spend(text.length - values - (e.end - open));
        edits.push({ open, end: e.end, text });
      }
      offset = end;
    }
  }
  if (edits.length === 0) return { xml, errors, found };
  // Built in one pass: edits come in document order, each after the last.
  const pieces: string[] = [];
  let at = 0;
  for (const e of edits) {
    pieces.push(xml.slice(at, e.open), e.text);
    at = e.end;
  }
  pieces.push(xml.slice(at));
  return { xml: pieces.join(''), errors, found };
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
  // Word never writes a DOCTYPE; one in an uploaded template can only declare entities or point at
  // outside files, so it is dropped rather than handed on to whoever opens the merged letters.
  for (const [name, bytes] of Object.entries(parts)) {
    if (!/\.(xml|rels)$/.test(name)) continue;
    const head = strFromU8(bytes.subarray(0, 4096));
    if (/<!DOCTYPE/i.test(head)) parts[name] = strToU8(strFromU8(bytes).replace(/<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>/gi, ''));
  }
  return parts;
}

/** The names of the placeholders the document uses, in order, once each. */
export function placeholdersOf(parts: Unzipped): string[] {
  const names = new Set<string>();
  for (const [name, bytes] of Object.entries(parts)) {
    if (!TEXT_PART.test(name)) continue;
    for (const p of paragraphs(strFromU8(bytes))) {
      for (const m of p.map((e) => e.text).join('').matchAll(PLACEHOLDER)) names.add(m[1]!.trim() || m[1]!);
    }
  }
  return [...names];
}

/** The bytes a document's parts take unpacked: what each filled copy of it at least writes. */
export function unpackedBytes(parts: Unzipped): number {
  let total = 0;
  for (const bytes of Object.values(parts)) total += bytes.length;
  return total;
}

/**
 * Checks a merge before any row is filled: `rows` documents of the
 * template's unpacked size (`templateBytes`, see unpackedBytes) must fit in
 * SARABAN_MERGE_MAX_BYTES. Returns each filled document's share (pass it to
 * fillDocx as `maxBytes`, so long values cannot grow one document past it);
 * throws DocxTemplateError 413 `merge_too_large` naming the limit and the
 * most rows this template allows.
 */
export function mergeBudget(templateBytes: number, rows: number): number {
  const limit = mergeMaxBytes();
  const count = Math.max(1, rows);
  if (templateBytes * count > limit) {
    const fits = Math.floor(limit / Math.max(templateBytes, 1));
    throw new DocxTemplateError(
      `${count} แถว x ต้นแบบ ${megabytes(templateBytes)} (เมื่อขยาย) ใหญ่เกิน ${megabytes(limit)} ซึ่งเป็นขนาดสูงสุดที่รวมได้ในครั้งเดียว (SARABAN_MERGE_MAX_BYTES) กรุณาแบ่งข้อมูลเป็นครั้งละไม่เกิน ${fits} แถว`,
      `${count} rows x a template of ${megabytes(templateBytes)} unpacked is more than ${megabytes(limit)}, the most one merge writes (SARABAN_MERGE_MAX_BYTES): split the data into merges of at most ${fits} rows`,
      'merge_too_large', 413);
  }
  return Math.floor(limit / count);
}

/**
 * One filled document. Throws ValidationError naming each placeholder without
 * a value (with `path` as prefix: `rows[3]` for a row), and DocxTemplateError
 * 413 when the filled parts would take more than `maxBytes` (default
 * SARABAN_MERGE_MAX_BYTES; a merge passes each row's share from mergeBudget).
 */
export function fillDocx(parts: Unzipped, data: Record<string, unknown>, path = '', options: { maxBytes?: number } = {}): Uint8Array {
  const maxBytes = options.maxBytes ?? mergeMaxBytes();
  const out: Unzipped = {};
  const errors: FieldError[] = [];
  // What the parts without text take is spent first; the text parts share the rest (counted in characters).
  let room = maxBytes;
  for (const [name, bytes] of Object.entries(parts)) if (!TEXT_PART.test(name)) room -= bytes.length;
  if (room < 0) throw filledTooLarge(path, maxBytes);
  for (const [name, bytes] of Object.entries(parts)) {
    if (!TEXT_PART.test(name)) { out[name] = bytes; continue; }
    const filled = fillXml(strFromU8(bytes), data, path, room);
    room -= filled.xml.length;
    errors.push(...filled.errors);
    out[name] = strToU8(filled.xml);
  }
  if (errors.length) throw new ValidationError(errors.slice(0, MAX_ERRORS));
  return zipSync(out, { level: 6 });
}
