import type { Request, RequestHandler, Response } from 'express';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import multer from 'multer';
import { sniffImage } from '../render/emblem.js';
import type { InputFileErrorCode } from '../input/errors.js';
import { errorBody } from './errors.js';

export { isPlainText, isZip } from '../input/sniff.js';

/**
 * What every upload route shares: multer's and busboy's errors as our own
 * structured 400/413 answers (never their messages, never a 500), the HTTP
 * status of a refused input file, and the content checks that decide a file's
 * type from its bytes, whatever its name says.
 *
 * Settings (read at start-up by the routes): SARABAN_UPLOAD_LIMIT_BYTES, the
 * largest file part (default 20 MB); SARABAN_JSON_LIMIT, the largest JSON
 * body (default 1mb). ZIP limits: see src/input/zipGuard.ts. Row limit:
 * SARABAN_MAX_ROWS (src/input/read.ts).
 */

export const UPLOAD_LIMIT_BYTES = Number(process.env.SARABAN_UPLOAD_LIMIT_BYTES ?? 20 * 1024 * 1024);

/** Where uploaded files wait while their request runs (SARABAN_UPLOAD_DIR); each is removed when its response ends. */
export const UPLOAD_DIR = process.env.SARABAN_UPLOAD_DIR ?? join(tmpdir(), 'saraban-uploads');

/**
 * Uploads go to disk as they arrive, never into memory: forty clerks sending
 * 19 MB files at once cost the service disk, not 800 MB of heap. The render
 * threads read them from there.
 */
export function diskUpload(limits: multer.Options['limits']): multer.Multer {
  const storage = multer.diskStorage({
    destination: (_req, _file, done) => {
      try { mkdirSync(UPLOAD_DIR, { recursive: true }); done(null, UPLOAD_DIR); } catch (e) { done(e as Error, UPLOAD_DIR); }
    },
  });
  // Browsers send file names as UTF-8: a Thai file name must come back as it went.
  return multer({ storage, defParamCharset: 'utf8', limits: { fileSize: UPLOAD_LIMIT_BYTES, ...limits } });
}

/** The files a request uploaded, whatever multer call received them. */
export function uploadedFiles(req: Request): Express.Multer.File[] {
  const files = req.files ?? [];
  return [...(req.file ? [req.file] : []), ...(Array.isArray(files) ? files : Object.values(files).flat())];
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;

/** A multer error code (or a busboy parse error) as a status and our words. */
function multipartProblem(err: unknown): { status: number; code: string; th: string; en: string } {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'LIMIT_FILE_SIZE':
      return { status: 413, code: 'file_too_large', th: `ไฟล์ที่แนบใหญ่เกินกำหนด (ไม่เกิน ${megabytes(UPLOAD_LIMIT_BYTES)})`, en: `an attached file is larger than the limit of ${megabytes(UPLOAD_LIMIT_BYTES)}` };
    case 'LIMIT_FIELD_VALUE':
      return { status: 413, code: 'field_too_large', th: 'ข้อความในช่องของฟอร์มยาวเกินกำหนด ส่งเป็นไฟล์แทน', en: 'a form field is too long: send it as a file instead' };
    case 'LIMIT_PART_COUNT':
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_FIELD_COUNT':
      return { status: 413, code: 'too_many_parts', th: 'คำขอมีไฟล์หรือช่องข้อมูลมากเกินกำหนด', en: 'the request has too many files or fields' };
    case 'LIMIT_UNEXPECTED_FILE':
      return { status: 400, code: 'unexpected_file', th: 'มีไฟล์แนบในช่องที่ไม่รู้จัก หรือแนบไฟล์ซ้ำในช่องเดียวกัน', en: 'a file was attached under an unknown field name, or twice in one field' };
    case 'LIMIT_FIELD_KEY':
    case 'MISSING_FIELD_NAME':
      return { status: 400, code: 'invalid_multipart', th: 'ชื่อช่องข้อมูลในคำขอไม่ถูกต้อง', en: 'a field name in the multipart request is missing or too long' };
    default:
      // Busboy's own errors (no boundary, a cut or malformed body): the request is broken, whatever the wording.
      return { status: 400, code: 'invalid_multipart', th: 'คำขอแบบ multipart/form-data ไม่สมบูรณ์หรือรูปแบบไม่ถูกต้อง', en: 'the multipart/form-data request is incomplete or malformed' };
  }
}

/**
 * Runs a multer middleware and answers its errors itself: they are the
 * client's (a full disk aside), so a 400 or 413 in our format, never
 * multer's message.
 */
export function guardedUpload(multerMiddleware: RequestHandler): RequestHandler {
  return (req, res, next) => {
    // Spooled files go with the response, on every path (answered, failed, the client gone);
    // a file a route keeps (a batch job's input) has been moved away by then.
    res.once('close', () => { for (const f of uploadedFiles(req)) if (f.path) rmSync(f.path, { force: true }); });
    void multerMiddleware(req, res, (err?: unknown) => {
      if (err === undefined || err === null) { next(); return; }
      const p = multipartProblem(err);
      // multer has already unpiped and drained the rest of the request.
      res.status(p.status).json(errorBody(p.code, p.th, p.en));
    });
  };
}

/** The HTTP status of an input file refused by src/input: wrong type 415, too big 413, otherwise 400. */
export function inputFileStatus(code: InputFileErrorCode): number {
  if (code === 'not_csv' || code === 'legacy_xls' || code === 'not_xlsx') return 415;
  if (code === 'zip_too_large' || code === 'too_many_rows' || code === 'cell_too_long' || code === 'row_too_long' || code === 'too_many_columns') return 413;
  return 400;
}

/** Answers 415 naming the field and what it must hold. */
export function unsupportedFile(res: Response, field: string, th: string, en: string): void {
  res.status(415).json(errorBody('unsupported_media_type', th, en, [{ path: field, th, en }]));
}

/** An emblem file: PNG, JPEG or SVG by its bytes. */
export const isEmblemImage = (data: Buffer) => sniffImage(data) !== undefined;
