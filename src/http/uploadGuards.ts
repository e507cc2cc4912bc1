import type { RequestHandler, Response } from 'express';
import { sniffImage } from '../render/emblem.js';
import type { InputFileErrorCode } from '../input/errors.js';
import { errorBody } from './errors.js';

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
 * Runs a multer middleware and answers its errors itself: they are always the
 * client's (memory storage cannot fail on our side), so a 400 or 413 in our
 * format, never multer's message.
 */
export function guardedUpload(multerMiddleware: RequestHandler): RequestHandler {
  return (req, res, next) => {
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
  if (code === 'zip_too_large' || code === 'too_many_rows') return 413;
  return 400;
}

/** Answers 415 naming the field and what it must hold. */
export function unsupportedFile(res: Response, field: string, th: string, en: string): void {
  res.status(415).json(errorBody('unsupported_media_type', th, en, [{ path: field, th, en }]));
}

export const isZip = (data: Uint8Array) => data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;

/** An emblem file: PNG, JPEG or SVG by its bytes. */
export const isEmblemImage = (data: Buffer) => sniffImage(data) !== undefined;

/** Files clerks attach by mistake, told by their first bytes: PDF, PNG, JPEG, GIF, ZIP (xlsx/docx), OLE2 (xls/doc). */
const KNOWN_BINARY = [[0x25, 0x50, 0x44, 0x46, 0x2d], [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38], [0x50, 0x4b, 0x03, 0x04], [0xd0, 0xcf, 0x11, 0xe0]].map((b) => Buffer.from(b));

/**
 * Text a person wrote (a template, a JSON schema): valid UTF-8 without NUL or
 * other C0 controls besides tab and line breaks. A PDF, image or ZIP named
 * .hbs or .json fails this.
 */
export function isPlainText(data: Buffer): boolean {
  if (KNOWN_BINARY.some((magic) => data.subarray(0, magic.length).equals(magic))) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(data.toString('latin1'))) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}
