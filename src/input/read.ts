import { open, readFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { parse as parseCsv, CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import type ExcelJS from 'exceljs';
import { fileErrors, InputFileError } from './errors.js';
import { verifyZip, zipStream, ZipGuardError, type ZipEntry } from './zipGuard.js';
import { intSetting } from '../settings.js';

/** The most data rows a batch or merge file may hold (SARABAN_MAX_ROWS, default 100,000); read per call. */
export function maxRows(): number {
  const value = Number(process.env.SARABAN_MAX_ROWS);
  return Number.isInteger(value) && value > 0 ? value : 100_000;
}

export interface SheetLimits {
  /** Characters in one cell, CSV or XLSX: 32,767 by default, Excel's own limit, so no cell Excel wrote is refused. */
  maxCellChars: number;
  /**
   * Characters in one CSV record (a row, with the line breaks its quoted
   * cells hold): 1,048,576 by default. A quote left open makes the rest of
   * the file one record; read to its end, a 10 MB cell of quotes took 42 s.
   */
  maxLineChars: number;
  /**
   * Named columns in the header: 1,000 by default. Each row is read into a
   * cell per column, so a header of 16,384 names over 20,000 short rows (a
   * 140 KB file) took 42 s.
   */
  maxColumns: number;
}

/** SARABAN_MAX_CELL_CHARS, SARABAN_CSV_MAX_LINE_CHARS, SARABAN_MAX_COLUMNS; read per call. */
export function sheetLimits(): SheetLimits {
  return {
    maxCellChars: intSetting('SARABAN_MAX_CELL_CHARS', 32_767, 1),
    maxLineChars: intSetting('SARABAN_CSV_MAX_LINE_CHARS', 1_048_576, 1),
    maxColumns: intSetting('SARABAN_MAX_COLUMNS', 1000, 1),
  };
}

export type InputSource = { path: string } | { data: Buffer };

export interface ReadOptions {
  /** The uploaded file's name: only a hint for messages (`.xlsx` that is not a workbook); the content decides the type. */
  filename?: string;
  /** The worksheet to read in a workbook; the first sheet when absent. */
  sheet?: string;
  /**
   * Tells the header row among the first rows: exports often open with a
   * title, a date or an office name above it, and a header may take two rows
   * (see twoRowHeader). Without it, or when none of the first
   * HEADER_SEARCH_ROWS non-empty rows passes, the first non-empty row is the
   * header (and its missing columns are what gets reported).
   */
  isHeader?: (texts: string[]) => boolean;
  /** Tells a column's name: how a header written on two rows is read (see twoRowHeader). */
  isColumnName?: (text: string) => boolean;
  /**
   * How much a row looks like the header (columns it names): when no row
   * passes isHeader, the row scoring most among those searched is taken as
   * the header (the first on a tie), so a file refused for a missing column
   * is judged by its real header, not by a title row above it.
   */
  headerScore?: (texts: string[]) => number;
}

/** Non-empty rows searched for the header row. */
const HEADER_SEARCH_ROWS = 10;

/** One non-empty row below the header: its row number as the clerk sees it in Excel (header = 1 in a plain file), cells by header. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

export interface SheetRows {
  format: 'csv' | 'xlsx';
  /** CSV only: the text encoding found and the delimiter sniffed. */
  encoding?: 'utf-8' | 'windows-874' | 'utf-16le' | 'utf-16be';
  delimiter?: string;
  /** XLSX only: the worksheet read. */
  sheet?: string;
  /** The header row's row number and texts (whitespace collapsed), in file order; columns with an empty header are left out. */
  headerRow: number;
  headers: string[];
  /** The rows below the header, read as they are iterated (a file is read once, in bounded memory). */
  rows: AsyncIterable<SheetRow>;
  /** Closes the file without reading the rows (iterating them to the end, or breaking out, closes it too). */
  close(): Promise<void>;
}

interface RawRecord { row: number; values: string[] }

/** Bytes read to tell the file's type and encoding and to sniff the delimiter. */
const HEAD_BYTES = 1 << 20;

/**
 * Opens an uploaded CSV or XLSX file and reads its header row (the first
 * non-empty row). The type is told from the content: a ZIP is a workbook,
 * anything else must be text. Empty rows are skipped, but every row keeps its
 * number in the file, so a clerk finds the row an error names.
 */
export async function readRows(source: InputSource, options: ReadOptions = {}): Promise<SheetRows> {
  const head = await readHead(source);
  // Only an .xlsx name vetoes reading as text: an ".xls" from many government
  // systems is really tab-separated text, and is read as such.
  const namedXlsx = /\.xls[xm]$/i.test(options.filename ?? '');
  const limits = sheetLimits();
  let records: AsyncGenerator<RawRecord>;
  let info: Pick<SheetRows, 'format' | 'encoding' | 'delimiter' | 'sheet'>;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    // Checked before exceljs sees it: a ZIP bomb or an entry escaping its folder is refused unopened,
    // and exceljs reads only the parts it needs, as they were checked.
    const workbook = await guardZip(source);
    const sheetInfo: { name?: string } = {};
    records = xlsxRecords(workbook, options.sheet, sheetInfo, limits.maxCellChars);
    info = { format: 'xlsx', get sheet() { return sheetInfo.name; } };
  } else if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // An OLE2 compound file: an encrypted OOXML workbook (Excel wraps it so)
    // or a legacy .xls.
    throw (await isEncryptedOoxml(source)) ? fileErrors.encrypted() : fileErrors.legacyXls();
  } else if (namedXlsx) {
    throw fileErrors.notXlsx();
  } else {
    const encoding = textEncoding(head);
    const delimiter = sniffDelimiter(decodeHead(head, encoding));
    records = csvRecords(() => openStream(source), encoding, delimiter, limits);
    info = { format: 'csv', encoding, delimiter };
  }

  // Rows read while looking for the header; those after the last one it takes are data.
  const seen: RawRecord[] = [];
  let header: RawRecord | undefined;
  let lastHeaderRow: RawRecord | undefined;
  const isColumnName = options.isColumnName ?? (() => false);
  // Rows read while looking for the header keep no trailing empty cells (they read as '' anyway):
  // a row of a million commas is one cell wide. `wide`: it spans more than maxColumns.
  const nextNonEmpty = async (): Promise<(RawRecord & { wide: boolean }) | undefined> => {
    for (;;) {
      const next = await records.next();
      if (next.done) return undefined;
      const { row, values } = next.value;
      let width = values.length;
      // An XLSX row is sparse: a hole is an empty cell.
      while (width > 0 && (values[width - 1] ?? '') === '') width--;
      if (width === 0 || !values.some((v) => v.trim() !== '')) continue;
      const record = { row, values: values.slice(0, width), wide: width > limits.maxColumns };
      seen.push(record);
      return record;
    }
  };
  try {
    search: while (seen.length < (options.isHeader ? HEADER_SEARCH_ROWS : 1)) {
      const above = seen.at(-1);
      const next = await nextNonEmpty();
      // A header is refused past maxColumns: every row below it is read into a cell per column.
      if (next?.wide) throw fileErrors.tooManyColumns(next.row, next.values.length, limits.maxColumns);
      if (!next || !options.isHeader) break;
      const candidates = [cellTexts(next.values)];
      if (above) candidates.push(twoRowHeader(cellTexts(above.values), cellTexts(next.values), isColumnName));
      for (const values of candidates) {
        if (options.isHeader(values)) { header = { row: next.row, values }; lastHeaderRow = next; break search; }
      }
    }
    // Rows right under the header that only number its columns ((1) (2) (3) = (1) x 15%, as
    // official forms print them) or only name more columns (the lower row of a two-row
    // header whose upper row already names every column the form needs) are header too.
    for (let more = 0; header && more < 2; more++) {
      const next = await nextNonEmpty();
      // Wider than a header may be: the first row of data.
      if (!next || next.wide) break;
      const names = cellTexts(next.values).filter((t) => t !== '');
      if (names.length === 0) break;
      if (names.every((t) => COLUMN_NUMBER.test(t))) { lastHeaderRow = next; continue; }
      const merged = twoRowHeader(header.values, cellTexts(next.values), isColumnName);
      if (!names.every(isColumnName) || !options.isHeader!(merged)) break;
      header = { row: next.row, values: merged };
      lastHeaderRow = next;
    }
  } catch (error) {
    await records.return(undefined);
    throw error;
  }
  if (!header && options.headerScore && seen.length > 1) {
    const scores = seen.map((r) => options.headerScore!(cellTexts(r.values)));
    const best = scores.indexOf(Math.max(...scores));
    if (scores[best]! > 0) header = seen[best];
  }
  header ??= seen[0];
  if (!header) throw fileErrors.noHeader();
  const before = seen.slice(seen.indexOf(lastHeaderRow ?? header) + 1);

  const columns = cellTexts(header.values).map((text, index) => ({ text, index })).filter((c) => c.text !== '');
  const body = records;
  async function* all(): AsyncGenerator<RawRecord> {
    yield* before;
    yield* body;
  }
  async function* rows(): AsyncGenerator<SheetRow> {
    for await (const record of all()) {
      if (!record.values.some((v) => v.trim() !== '')) continue;
      const cells: Record<string, string> = {};
      // A header given twice keeps its first column: mapColumns reports it when it matters.
      for (const c of columns) if (!(c.text in cells)) cells[c.text] = record.values[c.index] ?? '';
      yield { row: record.row, cells };
    }
  }
  const close = async () => { await body.return(undefined); };
  return { ...info, sheet: info.sheet, headerRow: header.row, headers: columns.map((c) => c.text), rows: rows(), close };
}

const cellTexts = (values: string[]) => values.map((h) => h.replace(/\s+/g, ' ').trim());

/** A cell of a row numbering a form's columns: `(1)`, `(๓) = (๑) x 15%`, `(14) = (5)+(9)`. */
const COLUMN_NUMBER = /^\([0-9๐-๙]+\)(\s*=.*)?$/;

/**
 * A header written on two rows, as official forms print theirs, read as one
 * row. A column's name stands in the upper row (a cell merged down, empty
 * below), in the lower one (under a group title merged across columns:
 * "ข้อมูลผู้ขอ" over "จังหวัด" and "ชื่อ - สกุล"), or across both (a long name
 * wrapped into two cells: "ระดับวิทยฐานะ" over "ที่เสนอขอ"). Each column takes
 * the first of its lower name, both joined, or its upper name that is a
 * column's name, else its lower name, else its upper one.
 */
function twoRowHeader(upper: string[], lower: string[], isColumnName: (text: string) => boolean): string[] {
  const width = Math.max(upper.length, lower.length);
  const header: string[] = [];
  for (let c = 0; c < width; c++) {
    const up = upper[c] ?? '';
    const down = lower[c] ?? '';
    const names = [down, up && down ? `${up} ${down}` : '', up].filter((t) => t !== '');
    header.push(names.find(isColumnName) ?? names[0] ?? '');
  }
  return header;
}

/** A workbook checked by guardZip: its bytes and the parts exceljs reads, in the order it reads them. */
interface CheckedWorkbook { data: Buffer; parts: ZipEntry[] }

/**
 * The parts of a workbook exceljs reads, ranked in the order that lets it
 * read every sheet straight from the stream: its relationships, the
 * workbook, the shared strings and styles, then the sheets. Given a sheet
 * before those (Excel writes sharedStrings.xml after the sheets), exceljs
 * spools the sheet to a temporary file, which stays on disk until the
 * process exits when the reading stops early (a sheet found, a file refused).
 */
const WORKBOOK_PARTS = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
const SHEET_PART = /^xl\/worksheets\/sheet\d+\.xml$/;
const partRank = (name: string) => (SHEET_PART.test(name) ? WORKBOOK_PARTS.length : WORKBOOK_PARTS.indexOf(name));

/**
 * Checks an XLSX before exceljs opens it (src/input/zipGuard.ts): its
 * directory (entries, declared sizes, names), then the parts exceljs will
 * read inflated for real, in slices, so a part that inflates past its
 * declared size is refused having cost a slice. The rest of the file
 * (pictures, themes, properties) is never unpacked by anyone.
 */
async function guardZip(source: InputSource): Promise<CheckedWorkbook> {
  const data = 'data' in source ? source.data : await readFile(source.path);
  let parts: ZipEntry[];
  try {
    parts = verifyZip(data, undefined, (name) => partRank(name) >= 0);
  } catch (error) {
    if (!(error instanceof ZipGuardError)) throw error;
    if (error.reason === 'too_large') throw fileErrors.zipTooLarge(error.th, error.en);
    if (error.reason === 'unsafe') throw fileErrors.unsafeZip(error.th, error.en);
    throw fileErrors.notXlsx();
  }
  // Without its relationships a workbook cannot name its sheets (and exceljs would spool them).
  if (!parts.some((p) => p.name === WORKBOOK_PARTS[0])) throw fileErrors.notXlsx();
  // Stable: the sheets keep their order in the file.
  return { data, parts: parts.sort((a, b) => partRank(a.name) - partRank(b.name)) };
}

async function readHead(source: InputSource): Promise<Buffer> {
  if ('data' in source) return source.data.subarray(0, HEAD_BYTES);
  const file = await open(source.path, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

const CHUNK_BYTES = 256 * 1024;

/** The file as a stream of chunks, from disk or from memory alike. */
function openStream(source: InputSource): Readable {
  if (!('data' in source)) return createReadStream(source.path, { highWaterMark: CHUNK_BYTES });
  const { data } = source;
  return Readable.from((function* () { for (let i = 0; i < data.length; i += CHUNK_BYTES) yield data.subarray(i, i + CHUNK_BYTES); })());
}

const startsWith = (buf: Buffer, bytes: number[]) => bytes.every((b, i) => buf[i] === b);

async function isEncryptedOoxml(source: InputSource): Promise<boolean> {
  const marker = Buffer.from('EncryptedPackage', 'utf16le');
  if ('data' in source) return source.data.includes(marker);
  for await (const chunk of createReadStream(source.path)) if ((chunk as Buffer).includes(marker)) return true;
  return false;
}

// ---------------------------------------------------------------- CSV

type TextEncoding = NonNullable<SheetRows['encoding']>;

/** Magic numbers of files clerks upload by mistake (PDF, PNG, JPEG, GIF). */
const BINARY_MAGIC = [[0x25, 0x50, 0x44, 0x46], [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38]];

/**
 * UTF-16 by its byte-order mark (Excel's "Unicode text"); UTF-8 when the
 * first megabyte is valid UTF-8 (with or without a BOM); otherwise the Thai
 * Windows code page 874, a superset of TIS-620, which older Excel writes.
 */
function textEncoding(head: Buffer): TextEncoding {
  if (startsWith(head, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(head, [0xfe, 0xff])) return 'utf-16be';
  if (BINARY_MAGIC.some((m) => startsWith(head, m)) || hasBinaryControls(head.subarray(0, 4096))) throw fileErrors.notCsv();
  try {
    // stream: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-874';
  }
}

/**
 * Control characters no spreadsheet writes into CSV text (tab, line breaks,
 * form feed and the old end-of-file mark Ctrl-Z aside): random or binary
 * bytes under a .csv name have them in their first kilobytes.
 */
function hasBinaryControls(sample: Buffer): boolean {
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1a) return true;
  return false;
}

function decodeHead(head: Buffer, encoding: TextEncoding): string {
  return encoding === 'utf-8' ? new TextDecoder('utf-8').decode(head, { stream: true }) : iconv.decode(head, encoding === 'windows-874' ? 'windows874' : encoding);
}

/** The delimiter found most often in the first row outside quotes: comma, semicolon (European Excel) or tab. */
export function sniffDelimiter(text: string): string {
  const counts = new Map([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  let seenText = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) { if (seenText) break; }
    else if (!quoted && counts.has(ch)) { counts.set(ch, counts.get(ch)! + 1); seenText = true; }
    else if (ch.trim() !== '' && ch !== '\ufeff') seenText = true;
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/**
 * UTF-8 decoding that stops at the first invalid byte, instead of writing
 * U+FFFD into a clerk's data. The text before it is passed on up to the last
 * line break, so every row before the bad one is read and the error can name
 * the row; `failed` tells the reader to stop there.
 */
class StrictUtf8 extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The bytes of a character cut by the chunk's end, decoded with the next chunk. */
  private carry = Buffer.alloc(0);
  failed = false;
  constructor() { super({ decodeStrings: true, encoding: 'utf8' }); }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    if (this.failed) return done();
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = completeLength(bytes);
    this.carry = Buffer.from(bytes.subarray(end));
    const whole = bytes.subarray(0, end);
    try {
      done(null, this.decoder.decode(whole));
    } catch {
      const text = new TextDecoder('utf-8').decode(whole);
      const valid = text.slice(0, Math.max(0, text.indexOf('\ufffd')));
      this.failed = true;
      done(null, valid.slice(0, valid.lastIndexOf('\n') + 1));
    }
  }
  override _flush(done: TransformCallback) {
    // A character begun but never finished at the end of the file.
    if (this.carry.length > 0) this.failed = true;
    done();
  }
}

/** The length of `bytes` without a UTF-8 sequence its end cuts short. */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return size > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

async function* csvRecords(open: () => Readable, encoding: TextEncoding, delimiter: string, limits: SheetLimits): AsyncGenerator<RawRecord> {
  // The common file, read by our parser; anything unusual in it is read again by csv-parse from the
  // start (the records already given are skipped), so odd files keep csv-parse's reading and errors.
  let given = 0;
  try {
    for await (const values of fastCsv(decodedText(open(), encoding), delimiter, limits)) {
      given += 1;
      yield { row: given, values };
    }
    return;
  } catch (error) {
    if (!(error instanceof UnusualCsv)) throw error;
  }
  let row = 0;
  for await (const record of parsedCsv(open(), encoding, delimiter, limits)) {
    row += 1;
    if (row > given) yield record;
  }
}

/** Something our parser leaves to csv-parse: a stray quote, an unclosed one, mixed line ends, bad UTF-8. */
class UnusualCsv extends Error {}

async function* decodedText(input: Readable, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = encoding === 'utf-8' ? new StrictUtf8() : iconv.decodeStream(encoding === 'windows-874' ? 'windows874' : encoding);
  input.on('error', (e) => (decoder as Transform).destroy(e));
  input.pipe(decoder);
  try {
    for await (const chunk of decoder as AsyncIterable<string | Buffer>) yield String(chunk);
    if (decoder instanceof StrictUtf8 && decoder.failed) throw new UnusualCsv();
  } finally {
    input.destroy();
  }
}

/**
 * RFC 4180 records from decoded text, as csv-parse reads them with our options
 * (BOM dropped, quotes inside an unquoted cell kept, rows of any length, an
 * empty line a record of one empty cell), working on strings: csv-parse turns
 * text back into bytes and each cell into a string again, several times slower
 * on a Thai file. Throws UnusualCsv where csv-parse would decide, and
 * InputFileError for a cell or a record past `limits`: a record waiting for
 * its end is read again from its start with each chunk, so an unbounded one
 * (a quote never closed) would cost time in the square of its length.
 */
async function* fastCsv(chunks: AsyncIterable<string>, delimiter: string, limits: SheetLimits): AsyncGenerator<string[]> {
  let text = '';
  let first = true;
  /** Records finished: the one being read is the next row. */
  let row = 0;
  let lineEnd: string | undefined;
  const delim = delimiter.charCodeAt(0);
  const iterator = chunks[Symbol.asyncIterator]();
  let final = false;
  try {
    while (!final) {
      const next = await iterator.next();
      if (next.done) final = true;
      else text += next.value;
      if (first && text.length > 0) { if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); first = false; }
      let at = 0;
      const records: string[][] = [];
      // One record per pass; an incomplete one at the end waits for the next chunk.
      records: for (;;) {
        if (at >= text.length) break;
        const values: string[] = [];
        const start = at;
        let i = at;
        for (;;) {
          let value: string;
          if (text.charCodeAt(i) === 34) {
            value = '';
            let j = i + 1;
            for (;;) {
              const q = text.indexOf('"', j);
              if (q < 0 || q + 1 >= text.length) { if (final) throw new UnusualCsv(); break records; }
              if (text.charCodeAt(q + 1) === 34) { value += text.slice(j, q + 1); j = q + 2; continue; }
              value += text.slice(j, q);
              i = q + 1;
              break;
            }
          } else {
            let j = i;
            for (; j < text.length; j++) {
              const c = text.charCodeAt(j);
              if (c === delim || c === 10 || c === 13) break;
            }
            if (j >= text.length && !final) break records;
            value = text.slice(i, j);
            i = j;
          }
          if (value.length > limits.maxCellChars) throw fileErrors.cellTooLong(row + records.length + 1, values.length + 1, limits.maxCellChars);
          values.push(value);
          if (i >= text.length) { at = i; break; }
          const c = text.charCodeAt(i);
          if (c === delim) { i += 1; continue; }
          if (c !== 10 && c !== 13) throw new UnusualCsv();
          const end = c === 13 && text.charCodeAt(i + 1) === 10 ? '\r\n' : c === 13 ? '\r' : '\n';
          if (c === 13 && i + 1 >= text.length && !final) break records;
          if (lineEnd === undefined) lineEnd = end;
          else if (lineEnd !== end) throw new UnusualCsv();
          at = i + end.length;
          break;
        }
        // The record's text, its line break not counted (a last line may have none).
        if (i - start > limits.maxLineChars) throw fileErrors.rowTooLong(row + records.length + 1, limits.maxLineChars);
        records.push(values);
      }
      text = text.slice(at);
      // What is left waits for its end: a record already longer than the limit is refused now, not read again.
      if (text.length > limits.maxLineChars) throw fileErrors.rowTooLong(row + records.length + 1, limits.maxLineChars);
      row += records.length;
      yield* records;
    }
  } finally {
    // Closing early (a file refused by its header) closes the file too.
    await iterator.return?.();
  }
}

async function* parsedCsv(input: Readable, encoding: TextEncoding, delimiter: string, limits: SheetLimits): AsyncGenerator<RawRecord> {
  const decoder = encoding === 'utf-8' ? new StrictUtf8() : iconv.decodeStream(encoding === 'windows-874' ? 'windows874' : encoding);
  const parser = parseCsv({
    delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, max_record_size: limits.maxLineChars,
  });
  const failed = (error: Error) => parser.destroy(error);
  input.on('error', failed);
  decoder.on('error', failed);
  input.pipe(decoder).pipe(parser);
  // Excel shows one row per record, whatever new lines its quoted cells hold.
  let row = 0;
  try {
    for await (const values of parser as AsyncIterable<string[]>) {
      row += 1;
      const long = values.findIndex((v) => v.length > limits.maxCellChars);
      if (long >= 0) throw fileErrors.cellTooLong(row, long + 1, limits.maxCellChars);
      yield { row, values };
    }
    if (decoder instanceof StrictUtf8 && decoder.failed) throw fileErrors.mixedEncoding(row + 1);
  } catch (error) {
    // The parser counts the records it finished: the broken one is the next.
    if (error instanceof CsvError) {
      const broken = ((error as CsvError & { records?: number }).records ?? row) + 1;
      throw error.code === 'CSV_MAX_RECORD_SIZE' ? fileErrors.rowTooLong(broken, limits.maxLineChars) : fileErrors.csvSyntax(broken);
    }
    throw error;
  } finally {
    input.destroy();
  }
}

// ---------------------------------------------------------------- XLSX

/** The fields of exceljs's streaming sheet reader that its typings leave out. */
interface SheetReader extends AsyncIterable<ExcelJS.Row> { name: string }

/** The streaming reader's internal parse steps that utf8SafeReader wraps. */
interface ReaderInternals {
  /** Set while the shared strings are read; a sheet read before they are set is spooled to a temporary file. */
  sharedStrings?: unknown[];
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

/**
 * exceljs's streaming reader decodes each compressed chunk of XML on its own,
 * so a Thai character (three bytes in UTF-8) cut by a chunk boundary becomes
 * two U+FFFD: about one cell in a few hundred of a Thai workbook
 * (exceljs/exceljs#2084, #2316; the fixes #1665, #2894 are not released).
 * This reader hands the XML parser text decoded across chunk boundaries.
 */
async function utf8SafeReader(input: Readable, hasSharedStrings: boolean): Promise<ExcelJS.stream.xlsx.WorkbookReader> {
  // Loaded on the first workbook: exceljs costs a process about 28 MB, and most files are CSV.
  const { default: excel } = await import('exceljs');
  const reader = new excel.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  const internals = reader as unknown as ReaderInternals;
  // A workbook without shared strings (numbers only, or inline strings) has none to wait for.
  if (!hasSharedStrings) internals.sharedStrings = [];
  const { _parseWorkbook, _parseSharedStrings, _parseWorksheet } = internals;
  internals._parseWorkbook = function (entry) { entry.setEncoding('utf8'); return _parseWorkbook.call(this, entry); };
  internals._parseSharedStrings = function (entry) { entry.setEncoding('utf8'); return _parseSharedStrings.call(this, entry); };
  internals._parseWorksheet = function (iterator, sheetNo) { return _parseWorksheet.call(this, decodeUtf8(iterator), sheetNo); };
  return reader;
}

async function* decodeUtf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}

/**
 * The rows of a workbook checked by guardZip. exceljs is given only the parts
 * it reads, verified and in the order that lets it read each sheet from the
 * stream, so it never spools one to a temporary file (see WORKBOOK_PARTS).
 */
async function* xlsxRecords(workbook: CheckedWorkbook, sheet: string | undefined, found: { name?: string }, maxCellChars: number): AsyncGenerator<RawRecord> {
  const input = Readable.from(zipStream(workbook.data, workbook.parts), { objectMode: false });
  const reader = await utf8SafeReader(input, workbook.parts.some((p) => p.name === 'xl/sharedStrings.xml'));
  const names: string[] = [];
  try {
    for await (const worksheet of reader as unknown as AsyncIterable<SheetReader>) {
      names.push(worksheet.name);
      if (sheet !== undefined && worksheet.name.trim() !== sheet.trim()) continue;
      found.name = worksheet.name;
      for await (const row of worksheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        // Sparse where the row has no cell: findIndex, unlike map, visits the holes.
        const long = values.findIndex((v) => (v ?? '').length > maxCellChars);
        if (long >= 0) throw fileErrors.cellTooLong(row.number, long + 1, maxCellChars);
        yield { row: row.number, values };
      }
      return;
    }
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw fileErrors.notXlsx();
  } finally {
    input.destroy();
  }
  if (sheet !== undefined && names.length > 0) throw fileErrors.sheetNotFound(sheet, names);
  throw fileErrors.notXlsx();
}

/**
 * A cell as text, as the clerk sees it: numbers to Excel's 15 significant
 * digits (so a cached `0.1+0.2` reads 0.3), date cells as ISO dates, rich
 * text joined, a formula's cached result, a hyperlink's text.
 */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(Number(value.toPrecision(15))) : '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return value.error;
  return '';
}

function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  // Excel stores days as fractions: round away the float noise to the second.
  const d = new Date(Math.round(date.getTime() / 1000) * 1000);
  const day = d.toISOString().slice(0, 10);
  const time = d.toISOString().slice(11, 19);
  return time === '00:00:00' ? day : `${day} ${time}`;
}
