import { Router, type Request, type Response } from 'express';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { errorBody } from '../http/errors.js';
import { renderQueueOf, renderSlot } from '../http/renderQueue.js';
import { contentDisposition } from '../http/disposition.js';
import { diskUpload, guardedUpload, inputFileStatus } from '../http/uploadGuards.js';
import { InputFileError } from '../input/errors.js';
import { RequestError } from '../batch/taskErrors.js';
import { intSetting } from '../settings.js';

/**
 * POST /api/v1/docx-merge: a Word letter with {{placeholders}} and its data
 * (a JSON object: one DOCX; a JSON array or a CSV/XLSX file: a ZIP of one DOCX
 * per row), or the same as PDF through LibreOffice with ?format=pdf.
 */

/** Read per call, so an operator's setting (or a test's) applies without a restart. */
const soffice = () => process.env.SARABAN_SOFFICE ?? 'soffice';
const SOFFICE_TIMEOUT_MS = intSetting('SARABAN_SOFFICE_TIMEOUT_MS', 180_000, 1);
/** The merge's own work (unpack, read rows, fill) on a render thread: longer than one letter's render, never unbounded. */
const MERGE_TIMEOUT_MS = intSetting('SARABAN_MERGE_TIMEOUT_MS', 120_000, 1);

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const Format = z.enum(['docx', 'pdf']);

/** Whether LibreOffice can be run here (checked per request, never blocking the thread that answers: an operator may install it while the service runs). */
export function sofficeAvailable(): Promise<boolean> {
  return new Promise((resolve) => { execFile(soffice(), ['--version'], { timeout: 30_000 }, (err) => resolve(!err)); });
}

/** Converts DOCX files to PDF with one LibreOffice run, in a private profile so concurrent runs do not share a lock. */
export async function docxToPdf(docs: Uint8Array[]): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'saraban-merge-'));
  try {
    // One file at a time, in and out: two thousand rows must not hold two thousand file descriptors.
    const inputs: string[] = [];
    for (const [i, d] of docs.entries()) {
      const file = join(dir, `${String(i + 1).padStart(5, '0')}.docx`);
      await writeFile(file, d);
      inputs.push(file);
    }
    await new Promise<void>((resolve, reject) => {
      execFile(soffice(), [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', join(dir, 'out'), ...inputs],
        { timeout: SOFFICE_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 }, (err) => (err ? reject(err) : resolve()));
    });
    const pdfs: Buffer[] = [];
    for (let i = 0; i < inputs.length; i++) {
      const out = join(dir, 'out', `${String(i + 1).padStart(5, '0')}.pdf`);
      if (!existsSync(out)) {
        // LibreOffice writes nothing for a Word file it cannot read: the template's fault, said as such.
        throw new RequestError(400, 'pdf_conversion_failed', 'LibreOffice แปลงไฟล์ Word ที่ได้เป็น PDF ไม่ได้ ตรวจไฟล์ต้นแบบ (เปิดใน Word แล้วบันทึกใหม่) หรือขอผลเป็น DOCX',
          'LibreOffice could not convert the filled Word file to PDF: check the template (open it in Word and save it again), or ask for DOCX', [{ path: 'template', th: 'แปลงเป็น PDF ไม่ได้', en: 'cannot be converted to PDF' }]);
      }
      pdfs.push(await readFile(out));
    }
    return pdfs;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function merge(req: Request, res: Response): Promise<void> {
  const format = Format.safeParse(req.query.format ?? 'docx');
  if (!format.success) throw new RequestError(400, 'invalid_format', 'รูปแบบไฟล์ต้องเป็น docx หรือ pdf', 'format must be docx or pdf', [{ path: 'format', th: 'ต้องเป็น docx หรือ pdf', en: 'must be docx or pdf' }]);
  // Said before any work is done: a clerk should not wait for a conversion that cannot happen.
  if (format.data === 'pdf' && !(await sofficeAvailable())) {
    throw new RequestError(501, 'pdf_unavailable',
      'เครื่องแม่ข่ายนี้ไม่ได้ติดตั้ง LibreOffice จึงแปลงเป็น PDF ไม่ได้ ขอผลเป็น DOCX แทน (format=docx) หรือให้ผู้ดูแลระบบติดตั้งแพ็กเกจ libreoffice-writer',
      'LibreOffice is not installed on this server, so PDF output is not available: ask for DOCX (format=docx), or have the operator install libreoffice-writer');
  }
  const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
  const body = (req.body ?? {}) as Record<string, string>;
  const template = files.template?.[0];
  if (!template) throw new RequestError(400, 'missing_template', 'ไม่มีไฟล์ Word ต้นแบบ (template)', 'no Word template (template)', [{ path: 'template', th: 'ต้องแนบไฟล์ .docx', en: 'attach a .docx file' }]);
  const dataFile = files.data?.[0];
  const rowsFile = files.rows?.[0];
  const queue = renderQueueOf(req);
  const { docs, many } = await queue.run({
    kind: 'merge',
    template: template.path,
    data: dataFile ? { path: dataFile.path } : body.data !== undefined ? { text: body.data } : undefined,
    rows: rowsFile ? { path: rowsFile.path, filename: rowsFile.originalname, sheet: body.sheet || undefined } : undefined,
  }, MERGE_TIMEOUT_MS);

  const base = (template.originalname || 'letter.docx').replace(/\.docx$/i, '') || 'letter';
  const outputs = format.data === 'pdf' ? await docxToPdf(docs) : docs;
  const ext = format.data;
  if (!many) {
    res.status(200).type(ext === 'pdf' ? 'application/pdf' : DOCX_TYPE).setHeader('Content-Disposition', contentDisposition(`${base}.${ext}`)).send(Buffer.from(outputs[0]!));
    return;
  }
  const width = String(outputs.length).length;
  const zip = await queue.run({ kind: 'zip', files: outputs.map((o, i) => ({ name: `${base}-${String(i + 1).padStart(width, '0')}.${ext}`, data: o })), level: ext === 'pdf' ? 6 : 0 }, MERGE_TIMEOUT_MS);
  res.status(200).type('application/zip').setHeader('Content-Disposition', contentDisposition(`${base}.zip`)).send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
}

export function docxMergeRoutes(): Router {
  const router = Router();
  const upload = diskUpload({ files: 3, fields: 10 });
  router.post('/api/v1/docx-merge', guardedUpload(upload.fields([{ name: 'template', maxCount: 1 }, { name: 'data', maxCount: 1 }, { name: 'rows', maxCount: 1 }])), renderSlot(), async (req, res) => {
    if (!req.is('multipart/form-data')) {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งเป็น multipart/form-data: template (.docx) และ data หรือ rows', 'send multipart/form-data: template (.docx) and data or rows'));
      return;
    }
    try {
      await merge(req, res);
    } catch (err) {
      if (err instanceof InputFileError) { res.status(inputFileStatus(err.code)).json(errorBody(err.code, err.th, err.en, [{ path: 'rows', th: err.th, en: err.en }])); return; }
      throw err;
    }
  });
  return router;
}
