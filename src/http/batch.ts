import express, { type Request, type Response } from 'express';
import { getForm } from '../forms/registry.js';
import { fieldErrors } from '../validation.js';
import { BatchManager } from '../batch/manager.js';
import { QueueUnavailableError, type JobQueue } from '../batch/queue.js';
import { InputFileError } from '../input/errors.js';
import { BatchOptions, type Job } from '../batch/jobs.js';
import { contentDisposition } from './disposition.js';
import { errorBody } from './errors.js';
import { readFile } from 'node:fs/promises';
import { diskUpload, guardedUpload, inputFileStatus } from './uploadGuards.js';
import { renderQueueOf } from './renderQueue.js';
import { nestedDeeperThan, tooDeep } from './jsonBody.js';

/** What a client sees of a job: no file paths, the shared fields it sent. */
function publicJob(job: Job) {
  const { id, formId, state, createdAt, startedAt, finishedAt, options, progress, badRows, badRowCount, groupErrors, error, result, restarts } = job;
  return {
    id, formId, state, createdAt, startedAt, finishedAt, options, progress, badRows, badRowCount, skippedRows: job.skippedRows ?? [], groupErrors, error, restarts,
    result: result ? { filename: result.filename, bytes: result.bytes, url: `/api/v1/jobs/${id}/result` } : undefined,
  };
}

/**
 * Batch jobs over HTTP: POST a file, poll the job, fetch the result. The
 * queue (embedded, or shared through Redis: the routes do not know which) is
 * created on the first batch request, so an app that never runs a batch
 * starts no worker threads.
 */
export function batchRoutes(makeManager: () => JobQueue = () => new BatchManager()): express.Router {
  const router = express.Router();
  let manager: JobQueue | undefined;
  const jobs = () => (manager ??= makeManager());
  // The file, and beside it `shared` and `columns` as fields or as JSON file parts (curl -F shared=@shared.json).
  const upload = diskUpload({ files: 3, fields: 10 });
  const parts = upload.fields([{ name: 'file', maxCount: 1 }, { name: 'shared', maxCount: 1 }, { name: 'columns', maxCount: 1 }]);
  const previewUpload = diskUpload({ files: 1, fields: 5 }).single('file');

  /** The form of a batch request, or an answer already sent (unknown form, no batch mode, not multipart). */
  const batchForm = (req: Request, res: Response) => {
    const formId = req.params.formId as string;
    const form = getForm(formId);
    if (!form) { res.status(404).json(errorBody('unknown_form', `ไม่พบแบบฟอร์ม "${formId}"`, `no form "${formId}"`)); return undefined; }
    const spec = form.batch;
    if (!spec) { res.status(400).json(errorBody('no_batch', `แบบฟอร์ม "${formId}" ไม่รองรับการทำเป็นชุดจากไฟล์`, `form "${formId}" has no batch mode`)); return undefined; }
    if (!req.is('multipart/form-data')) {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งเป็น multipart/form-data พร้อมไฟล์ CSV หรือ XLSX ในช่อง file', 'send multipart/form-data with a CSV or XLSX file in the field "file"'));
      return undefined;
    }
    return { formId, spec };
  };
  const missingFile = (res: Response) => res.status(400).json(errorBody('missing_file', 'กรุณาแนบไฟล์ CSV หรือ XLSX', 'attach a CSV or XLSX file', [{ path: 'file', th: 'ต้องแนบไฟล์', en: 'a file is required' }]));
  const refusedFile = (res: Response, e: InputFileError) => res.status(inputFileStatus(e.code))
    .json(errorBody(`file_${e.code}`, e.th, e.en, [{ path: 'file', th: e.th, en: e.en }]));

  /**
   * A file's header row and the best-guess mapping of the form's columns to
   * it, without starting a job: what a page shows to let the clerk map the
   * columns before sending the file for real (with `columns`).
   */
  router.post('/api/v1/batch/:formId/columns', guardedUpload(previewUpload), async (req: Request, res: Response) => {
    const found = batchForm(req, res);
    if (!found) return;
    if (!req.file) { missingFile(res); return; }
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const sheet = body.sheet || undefined;
    if (sheet !== undefined && sheet.length > 100) {
      res.status(400).json(errorBody('invalid_options', 'ตัวเลือกไม่ถูกต้อง', 'invalid options', [{ path: 'sheet', th: 'ยาวเกิน 100 ตัวอักษร', en: 'longer than 100 characters' }]));
      return;
    }
    try {
      res.json(await renderQueueOf(req).run({ kind: 'headers', formId: found.formId, path: req.file.path, filename: req.file.originalname, sheet }));
    } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      refusedFile(res, e);
    }
  });

  router.post('/api/v1/batch/:formId', guardedUpload(parts), async (req: Request, res: Response) => {
    const found = batchForm(req, res);
    if (!found) return;
    const { formId, spec } = found;
    const files = (req.files ?? {}) as Record<string, Express.Multer.File[] | undefined>;
    const file = files.file?.[0];
    if (!file) { missingFile(res); return; }
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    // A JSON part sent as a file is read like the field (at most 1 MB: shared fields and a mapping are small).
    for (const name of ['shared', 'columns'] as const) {
      const part = files[name]?.[0];
      if (!part) continue;
      if (part.size > 1024 * 1024) {
        res.status(413).json(errorBody('field_too_large', `ไฟล์ ${name} ใหญ่เกิน 1 MB`, `the ${name} part is larger than 1 MB`, [{ path: name, th: 'ใหญ่เกิน 1 MB', en: 'larger than 1 MB' }]));
        return;
      }
      body[name] = (await readFile(part.path, 'utf8')).replace(/^\ufeff/, '');
    }
    let columns: unknown;
    if (body.columns) {
      try { columns = JSON.parse(body.columns); } catch {
        res.status(400).json(errorBody('invalid_json', 'การจับคู่คอลัมน์ (columns) ไม่ใช่ JSON ที่ถูกต้อง', 'the columns part is not valid JSON', [{ path: 'columns', th: 'ไม่ใช่ JSON เช่น {"name": "ชื่อ – สกุล"}', en: 'not JSON, e.g. {"name": "ชื่อ – สกุล"}' }]));
        return;
      }
    }
    const options = BatchOptions.safeParse({ groupBy: body.groupBy || undefined, output: body.output || undefined, format: body.format || undefined, sheet: body.sheet || undefined, columns });
    if (!options.success) { res.status(400).json(errorBody('invalid_options', 'ตัวเลือกไม่ถูกต้อง', 'invalid options', fieldErrors(options.error))); return; }
    const groupBy = options.data.groupBy;
    if (groupBy !== 'none' && !spec.groupKeys[groupBy]) {
      res.status(400).json(errorBody('invalid_options', 'ตัวเลือกไม่ถูกต้อง', 'invalid options', [{ path: 'groupBy', th: `แบบฟอร์มนี้แยกตาม ${groupBy} ไม่ได้`, en: `this form cannot be grouped by ${groupBy}` }]));
      return;
    }
    let sharedInput: unknown = {};
    if (body.shared) {
      try { sharedInput = JSON.parse(body.shared); } catch {
        res.status(400).json(errorBody('invalid_json', 'ข้อมูลส่วนกลาง (shared) ไม่ใช่ JSON ที่ถูกต้อง', 'the shared part is not valid JSON', [{ path: 'shared', th: 'ไม่ใช่ JSON', en: 'not JSON' }]));
        return;
      }
    }
    if (nestedDeeperThan(sharedInput)) { res.status(400).json(tooDeep()); return; }
    const shared = spec.shared.safeParse(sharedInput);
    if (!shared.success) {
      const fields = fieldErrors(shared.error).map((f) => ({ ...f, path: `shared.${f.path}` }));
      res.status(400).json(errorBody('invalid_input', 'ข้อมูลส่วนกลางไม่ถูกต้อง กรุณาแก้ไขช่องที่ระบุ', 'the shared fields are not valid: see fields', fields));
      return;
    }
    const filename = file.originalname;
    try {
      // Read on a render thread: a workbook's shared strings come before its first row.
      await renderQueueOf(req).run({ kind: 'columns', formId, path: file.path, filename, sheet: options.data.sheet, columns: options.data.columns });
    } catch (e) {
      if (!(e instanceof InputFileError)) throw e;
      refusedFile(res, e);
      return;
    }
    const job = await jobs().submit(formId, { path: file.path }, filename, options.data, shared.data as Record<string, unknown>);
    res.status(202).location(`/api/v1/jobs/${job.id}`).json({ id: job.id, state: job.state, status: `/api/v1/jobs/${job.id}`, result: `/api/v1/jobs/${job.id}/result` });
  });

  const notFound = (res: Response, id: string) => {
    const hours = jobs().ttlMs / 3_600_000;
    const kept = hours > 0 ? { th: ` (งานที่เสร็จแล้วเก็บไว้ ${hours} ชั่วโมง)`, en: ` (finished jobs are kept for ${hours} hours)` } : { th: '', en: '' };
    res.status(404).json(errorBody('unknown_job', `ไม่พบงาน "${id}"${kept.th}`, `no job "${id}"${kept.en}`));
  };

  router.get('/api/v1/jobs/:id', async (req, res) => {
    const job = await jobs().get(req.params.id);
    if (!job) { notFound(res, req.params.id); return; }
    res.json(publicJob(job));
  });

  /** Deletes a job and its files; a queued job leaves the queue, a running one is cancelled. */
  router.delete('/api/v1/jobs/:id', async (req, res) => {
    if (!(await jobs().delete(req.params.id))) { notFound(res, req.params.id); return; }
    res.status(204).end();
  });

  router.get('/api/v1/jobs/:id/result', async (req, res) => {
    const job = await jobs().get(req.params.id);
    if (!job) { notFound(res, req.params.id); return; }
    if (job.state === 'failed') {
      res.status(409).json(errorBody('job_failed', `งานนี้ไม่สำเร็จ: ${job.error?.th ?? ''}`, `the job failed: ${job.error?.en ?? ''}`));
      return;
    }
    if (job.state !== 'done' || !job.result) {
      res.status(409).setHeader('Retry-After', '1').json(errorBody('not_ready', 'งานยังไม่เสร็จ กรุณารอสักครู่', 'the job has not finished yet'));
      return;
    }
    const stream = await jobs().openResult(job);
    if (!stream) {
      res.status(410).json(errorBody('result_gone', 'ไฟล์ผลลัพธ์ของงานนี้หายไปหรืออ่านไม่ได้ กรุณาส่งไฟล์เพื่อทำงานใหม่', 'the result file of this job is missing or unreadable: submit the file again'));
      return;
    }
    if (res.destroyed) { stream.destroy(); return; }
    res.status(200).type(job.result.contentType).setHeader('Content-Disposition', contentDisposition(job.result.filename))
      .setHeader('Content-Length', String(job.result.bytes));
    // A read that fails halfway cuts the response (the client sees it unfinished); the service goes on.
    stream.once('error', () => res.destroy());
    res.once('close', () => stream.destroy());
    stream.pipe(res);
  });

  // The shared queue's Redis is down: 503 with the reason, the request not held (the upload waits on no one).
  router.use((err: unknown, _req: Request, res: Response, next: express.NextFunction) => {
    if (!(err instanceof QueueUnavailableError)) { next(err); return; }
    res.status(503).setHeader('Retry-After', '5').json(errorBody('queue_unavailable', err.th, err.en));
  });

  return router;
}
