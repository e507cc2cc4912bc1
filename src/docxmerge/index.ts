import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import { z } from 'zod';
import { errorBody } from '../http/errors.js';
import { renderSlot } from '../http/renderQueue.js';
import { contentDisposition } from '../http/disposition.js';
import { maxRows, readRows } from '../input/read.js';
import { guardedUpload, inputFileStatus, isPlainText, isZip, UPLOAD_LIMIT_BYTES } from '../http/uploadGuards.js';
import { InputFileError } from '../input/errors.js';
import { ValidationError, type FieldError } from '../validation.js';
import { DocxTemplateError, fillDocx, placeholdersOf, readDocx } from './merge.js';

/**
 * POST /api/v1/docx-merge: a Word letter with {{placeholders}} and its data
 * (a JSON object: one DOCX; a JSON array or a CSV/XLSX file: a ZIP of one DOCX
 * per row), or the same as PDF through LibreOffice with ?format=pdf.
 */

export const MAX_ROWS = Number(process.env.SARABAN_MERGE_MAX_ROWS ?? 2000);
/** Rows in one merge: each makes a document in memory, so the merge's own limit, within SARABAN_MAX_ROWS. */
const rowLimit = () => Math.min(MAX_ROWS, maxRows());
const tooManyRows = (limit: number, path: string) => new MergeRequestError(413, 'too_many_rows',
  `ข้อมูลมีเกิน ${limit} แถว ซึ่งเป็นจำนวนสูงสุดที่รวมได้ในครั้งเดียว (SARABAN_MERGE_MAX_ROWS, SARABAN_MAX_ROWS) กรุณาแบ่งไฟล์`,
  `the data has more than ${limit} rows, the most one merge takes (SARABAN_MERGE_MAX_ROWS, SARABAN_MAX_ROWS): split it`,
  [{ path, th: `ไม่เกิน ${limit} แถว`, en: `at most ${limit} rows` }]);
const MAX_REPORTED_ERRORS = 50;
/** Read per call, so an operator's setting (or a test's) applies without a restart. */
const soffice = () => process.env.SARABAN_SOFFICE ?? 'soffice';
const SOFFICE_TIMEOUT_MS = Number(process.env.SARABAN_SOFFICE_TIMEOUT_MS ?? 180_000);

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const Format = z.enum(['docx', 'pdf']);
const Record_ = z.record(z.string(), z.unknown());
const MergeData = z.union([Record_, z.array(Record_).min(1).max(MAX_ROWS)]);

class MergeRequestError extends Error {
  constructor(readonly status: number, readonly code: string, readonly th: string, readonly en: string, readonly fields?: FieldError[]) {
    super(en);
  }
}

/** Whether LibreOffice can be run here (checked per request: an operator may install it while the service runs). */
export function sofficeAvailable(): boolean {
  return spawnSync(soffice(), ['--version'], { timeout: 30_000, stdio: 'ignore' }).status === 0;
}

/** Converts DOCX files to PDF with one LibreOffice run, in a private profile so concurrent runs do not share a lock. */
export async function docxToPdf(docs: Uint8Array[]): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'saraban-merge-'));
  try {
    const inputs = await Promise.all(docs.map(async (d, i) => {
      const file = join(dir, `${String(i + 1).padStart(5, '0')}.docx`);
      await writeFile(file, d);
      return file;
    }));
    await new Promise<void>((resolve, reject) => {
      execFile(soffice(), [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', join(dir, 'out'), ...inputs],
        { timeout: SOFFICE_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve()));
    });
    return await Promise.all(inputs.map((f, i) => readFile(join(dir, 'out', `${String(i + 1).padStart(5, '0')}.pdf`))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Rows { rows: Record<string, unknown>[]; paths: string[]; many: boolean }

/** The rows to merge: the `data` JSON (field or file), or the `rows` CSV/XLSX file (cells by header text, row numbers as in the sheet). */
async function rowsOf(req: Request): Promise<Rows> {
  const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
  const body = (req.body ?? {}) as Record<string, string>;
  const sheetFile = files.rows?.[0];
  if (sheetFile) {
    const sheet = await readRows({ data: sheetFile.buffer }, { filename: sheetFile.originalname, sheet: body.sheet || undefined });
    const rows: Record<string, unknown>[] = [];
    const paths: string[] = [];
    const limit = rowLimit();
    for await (const row of sheet.rows) {
      if (rows.length >= limit) { await sheet.close(); throw tooManyRows(limit, 'rows'); }
      rows.push(row.cells);
      paths.push(`rows[${row.row}]`);
    }
    if (rows.length === 0) throw new MergeRequestError(400, 'no_rows', 'ไฟล์ไม่มีแถวข้อมูลใต้หัวตาราง', 'the file has no rows below its header', [{ path: 'rows', th: 'ไม่มีแถวข้อมูล', en: 'no data rows' }]);
    return { rows, paths, many: true };
  }
  const dataFile = files.data?.[0];
  if (dataFile && !isPlainText(dataFile.buffer)) {
    throw new MergeRequestError(415, 'unsupported_media_type', 'ไฟล์ data ต้องเป็นข้อความ JSON', 'the data file must be JSON text', [{ path: 'data', th: 'ต้องเป็นไฟล์ JSON', en: 'must be a JSON file' }]);
  }
  const raw = dataFile?.buffer.toString('utf8') ?? body.data;
  if (raw === undefined) {
    throw new MergeRequestError(400, 'missing_data', 'ไม่มีข้อมูล: ส่ง data (JSON) หรือ rows (CSV/XLSX)', 'no data: send data (JSON) or rows (CSV/XLSX)', [{ path: 'data', th: 'ต้องส่งข้อมูล', en: 'required' }]);
  }
  let json: unknown;
  try { json = JSON.parse(raw); } catch {
    throw new MergeRequestError(400, 'invalid_json', 'ข้อมูลไม่ใช่ JSON ที่ถูกต้อง', 'data is not valid JSON', [{ path: 'data', th: 'ไม่ใช่ JSON ที่ถูกต้อง', en: 'not valid JSON' }]);
  }
  if (Array.isArray(json) && json.length > rowLimit()) throw tooManyRows(rowLimit(), 'data');
  const parsed = MergeData.safeParse(json);
  if (!parsed.success) {
    throw new MergeRequestError(400, 'invalid_data', `ข้อมูลต้องเป็นออบเจกต์ JSON หรือรายการออบเจกต์ 1-${MAX_ROWS} รายการ`, `data must be a JSON object or an array of 1-${MAX_ROWS} objects`, [{ path: 'data', th: 'ต้องเป็นออบเจกต์หรือรายการออบเจกต์', en: 'must be an object or an array of objects' }]);
  }
  return Array.isArray(parsed.data)
    ? { rows: parsed.data, paths: parsed.data.map((_r, i) => `data[${i}]`), many: true }
    : { rows: [parsed.data], paths: [''], many: false };
}

async function merge(req: Request, res: Response): Promise<void> {
  const format = Format.safeParse(req.query.format ?? 'docx');
  if (!format.success) throw new MergeRequestError(400, 'invalid_format', 'รูปแบบไฟล์ต้องเป็น docx หรือ pdf', 'format must be docx or pdf', [{ path: 'format', th: 'ต้องเป็น docx หรือ pdf', en: 'must be docx or pdf' }]);
  // Said before any work is done: a clerk should not wait for a conversion that cannot happen.
  if (format.data === 'pdf' && !sofficeAvailable()) {
    throw new MergeRequestError(501, 'pdf_unavailable',
      'เครื่องแม่ข่ายนี้ไม่ได้ติดตั้ง LibreOffice จึงแปลงเป็น PDF ไม่ได้ ขอผลเป็น DOCX แทน (format=docx) หรือให้ผู้ดูแลระบบติดตั้งแพ็กเกจ libreoffice-writer',
      'LibreOffice is not installed on this server, so PDF output is not available: ask for DOCX (format=docx), or have the operator install libreoffice-writer');
  }
  const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
  const template = files.template?.[0];
  if (!template) throw new MergeRequestError(400, 'missing_template', 'ไม่มีไฟล์ Word ต้นแบบ (template)', 'no Word template (template)', [{ path: 'template', th: 'ต้องแนบไฟล์ .docx', en: 'attach a .docx file' }]);
  // Told by the bytes, not the name: a PDF or an image named .docx is refused here.
  if (!isZip(template.buffer)) {
    throw new MergeRequestError(415, 'unsupported_media_type', 'ไฟล์ต้นแบบต้องเป็นไฟล์ Word (.docx)', 'the template must be a Word (.docx) file', [{ path: 'template', th: 'ไม่ใช่ไฟล์ .docx', en: 'not a .docx file' }]);
  }
  const parts = readDocx(template.buffer);
  if (placeholdersOf(parts).length === 0) {
    throw new MergeRequestError(400, 'no_placeholders', 'ไม่พบช่อง {{...}} ในไฟล์ Word', 'the Word file has no {{placeholders}}', [{ path: 'template', th: 'ไม่พบช่อง {{...}}', en: 'no {{placeholders}} found' }]);
  }
  const { rows, paths, many } = await rowsOf(req);
  const docs: Uint8Array[] = [];
  const errors: FieldError[] = [];
  rows.forEach((row, i) => {
    try {
      docs.push(fillDocx(parts, row, paths[i]));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors.push(...err.errors);
    }
  });
  if (errors.length) throw new ValidationError(errors.slice(0, MAX_REPORTED_ERRORS));

  const base = (template.originalname || 'letter.docx').replace(/\.docx$/i, '') || 'letter';
  const outputs = format.data === 'pdf' ? await docxToPdf(docs) : docs.map((d) => Buffer.from(d));
  const ext = format.data;
  if (!many) {
    res.status(200).type(ext === 'pdf' ? 'application/pdf' : DOCX_TYPE).setHeader('Content-Disposition', contentDisposition(`${base}.${ext}`)).send(outputs[0]);
    return;
  }
  const width = String(outputs.length).length;
  const zip = zipSync(Object.fromEntries(outputs.map((o, i) => [`${base}-${String(i + 1).padStart(width, '0')}.${ext}`, new Uint8Array(o)])), { level: ext === 'pdf' ? 6 : 0 });
  res.status(200).type('application/zip').setHeader('Content-Disposition', contentDisposition(`${base}.zip`)).send(Buffer.from(zip));
}

export function docxMergeRoutes(): Router {
  const router = Router();
  // Browsers send file names as UTF-8: a Thai file name must come back as it went.
  const upload = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 3, fields: 10 } });
  router.post('/api/v1/docx-merge', guardedUpload(upload.fields([{ name: 'template', maxCount: 1 }, { name: 'data', maxCount: 1 }, { name: 'rows', maxCount: 1 }])), renderSlot({ timeLimit: false }), async (req, res) => {
    if (!req.is('multipart/form-data')) {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งเป็น multipart/form-data: template (.docx) และ data หรือ rows', 'send multipart/form-data: template (.docx) and data or rows'));
      return;
    }
    try {
      await merge(req, res);
    } catch (err) {
      if (err instanceof MergeRequestError) { res.status(err.status).json(errorBody(err.code, err.th, err.en, err.fields)); return; }
      if (err instanceof DocxTemplateError) { res.status(err.status).json(errorBody(err.code, err.th, err.message, [{ path: 'template', th: err.th, en: err.message }])); return; }
      if (err instanceof InputFileError) { res.status(inputFileStatus(err.code)).json(errorBody(err.code, err.th, err.en, [{ path: 'rows', th: err.th, en: err.en }])); return; }
      throw err;
    }
  });
  return router;
}
