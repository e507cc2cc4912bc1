import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { maxRows, readRows } from '../input/read.js';
import { isPlainText, isZip } from '../input/sniff.js';
import { ValidationError, type FieldError } from '../validation.js';
import { RequestError } from '../batch/taskErrors.js';
import { DocxTemplateError, fillDocx, mergeBudget, placeholdersOf, readDocx, unpackedBytes } from './merge.js';

/**
 * The mail merge's work, run on a render thread (see RenderPool): the Word
 * file unpacked, the rows read (JSON, CSV or XLSX) and one document filled
 * per row. The route only receives the upload and answers.
 */

const MAX_ROWS = Number(process.env.SARABAN_MERGE_MAX_ROWS ?? 2000);
/** Rows in one merge: each makes a document in memory, so the merge's own limit, within SARABAN_MAX_ROWS. */
const rowLimit = () => Math.min(MAX_ROWS, maxRows());
const tooManyRows = (limit: number, path: string) => new RequestError(413, 'too_many_rows',
  `ข้อมูลมีเกิน ${limit} แถว ซึ่งเป็นจำนวนสูงสุดที่รวมได้ในครั้งเดียว (SARABAN_MERGE_MAX_ROWS, SARABAN_MAX_ROWS) กรุณาแบ่งไฟล์`,
  `the data has more than ${limit} rows, the most one merge takes (SARABAN_MERGE_MAX_ROWS, SARABAN_MAX_ROWS): split it`,
  [{ path, th: `ไม่เกิน ${limit} แถว`, en: `at most ${limit} rows` }]);
const MAX_REPORTED_ERRORS = 50;

const Record_ = z.record(z.string(), z.unknown());
const MergeData = z.union([Record_, z.array(Record_).min(1).max(MAX_ROWS)]);

/** The uploaded parts, as files spooled to disk (or the `data` field's text). */
export interface MergeTask {
  kind: 'merge';
  id: number;
  template: string;
  /** The data as JSON: a file, or the form field's text. */
  data?: { path: string } | { text: string };
  /** The rows as a CSV or XLSX file. */
  rows?: { path: string; filename: string; sheet?: string };
}

export interface MergeResult {
  /** One Word document per row, in row order. */
  docs: Uint8Array[];
  /** A list (a ZIP answers) rather than one object (one document answers). */
  many: boolean;
}

interface Rows { rows: Record<string, unknown>[]; paths: string[]; many: boolean }

async function rowsOf(task: MergeTask): Promise<Rows> {
  if (task.rows) {
    const sheet = await readRows({ path: task.rows.path }, { filename: task.rows.filename, sheet: task.rows.sheet });
    const rows: Record<string, unknown>[] = [];
    const paths: string[] = [];
    const limit = rowLimit();
    for await (const row of sheet.rows) {
      if (rows.length >= limit) { await sheet.close(); throw tooManyRows(limit, 'rows'); }
      rows.push(row.cells);
      paths.push(`rows[${row.row}]`);
    }
    if (rows.length === 0) throw new RequestError(400, 'no_rows', 'ไฟล์ไม่มีแถวข้อมูลใต้หัวตาราง', 'the file has no rows below its header', [{ path: 'rows', th: 'ไม่มีแถวข้อมูล', en: 'no data rows' }]);
    return { rows, paths, many: true };
  }
  if (!task.data) {
    throw new RequestError(400, 'missing_data', 'ไม่มีข้อมูล: ส่ง data (JSON) หรือ rows (CSV/XLSX)', 'no data: send data (JSON) or rows (CSV/XLSX)', [{ path: 'data', th: 'ต้องส่งข้อมูล', en: 'required' }]);
  }
  let raw: string;
  if ('path' in task.data) {
    const bytes = await readFile(task.data.path);
    if (!isPlainText(bytes)) {
      throw new RequestError(415, 'unsupported_media_type', 'ไฟล์ data ต้องเป็นข้อความ JSON', 'the data file must be JSON text', [{ path: 'data', th: 'ต้องเป็นไฟล์ JSON', en: 'must be a JSON file' }]);
    }
    raw = bytes.toString('utf8');
  } else {
    raw = task.data.text;
  }
  let json: unknown;
  try { json = JSON.parse(raw); } catch {
    throw new RequestError(400, 'invalid_json', 'ข้อมูลไม่ใช่ JSON ที่ถูกต้อง', 'data is not valid JSON', [{ path: 'data', th: 'ไม่ใช่ JSON ที่ถูกต้อง', en: 'not valid JSON' }]);
  }
  if (Array.isArray(json) && json.length > rowLimit()) throw tooManyRows(rowLimit(), 'data');
  const parsed = MergeData.safeParse(json);
  if (!parsed.success) {
    throw new RequestError(400, 'invalid_data', `ข้อมูลต้องเป็นออบเจกต์ JSON หรือรายการออบเจกต์ 1-${MAX_ROWS} รายการ`, `data must be a JSON object or an array of 1-${MAX_ROWS} objects`, [{ path: 'data', th: 'ต้องเป็นออบเจกต์หรือรายการออบเจกต์', en: 'must be an object or an array of objects' }]);
  }
  return Array.isArray(parsed.data)
    ? { rows: parsed.data, paths: parsed.data.map((_r, i) => `data[${i}]`), many: true }
    : { rows: [parsed.data], paths: [''], many: false };
}

export async function runMerge(task: MergeTask): Promise<MergeResult> {
  try {
    const template = await readFile(task.template);
    // Told by the bytes, not the name: a PDF or an image named .docx is refused here.
    if (!isZip(template)) {
      throw new RequestError(415, 'unsupported_media_type', 'ไฟล์ต้นแบบต้องเป็นไฟล์ Word (.docx)', 'the template must be a Word (.docx) file', [{ path: 'template', th: 'ไม่ใช่ไฟล์ .docx', en: 'not a .docx file' }]);
    }
    const parts = readDocx(template);
    if (placeholdersOf(parts).length === 0) {
      throw new RequestError(400, 'no_placeholders', 'ไม่พบช่อง {{...}} ในไฟล์ Word', 'the Word file has no {{placeholders}}', [{ path: 'template', th: 'ไม่พบช่อง {{...}}', en: 'no {{placeholders}} found' }]);
    }
    const { rows, paths, many } = await rowsOf(task);
    // Every filled copy is held until the answer is sent: rows times the template's size is bounded before any is made.
    const share = mergeBudget(unpackedBytes(parts), rows.length);
    const docs: Uint8Array[] = [];
    const errors: FieldError[] = [];
    rows.forEach((row, i) => {
      try {
        docs.push(fillDocx(parts, row, paths[i], { maxBytes: share }));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        errors.push(...err.errors);
      }
    });
    if (errors.length) throw new ValidationError(errors.slice(0, MAX_REPORTED_ERRORS));
    return { docs, many };
  } catch (err) {
    if (err instanceof DocxTemplateError) throw new RequestError(err.status, err.code, err.th, err.message, [{ path: 'template', th: err.th, en: err.message }]);
    throw err;
  }
}
