import express, { type Request, type Response } from 'express';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formsVersion, getForm, listForms, inputJsonSchema } from '../forms/registry.js';
import { CONTENT_TYPES } from '../render/contentTypes.js';
import { errorBody, errorHandler } from './errors.js';
import { contentDisposition } from './disposition.js';
import { batchRoutes } from './batch.js';
import { docsPageOfForms, openApiDocument, openApiJson } from './openapi.js';
import { webRoutes } from '../web/index.js';
import { templateRoutes } from '../usertemplates/index.js';
import { docxMergeRoutes } from '../docxmerge/index.js';
import { diskUpload, guardedUpload, isEmblemImage, isPlainText, unsupportedFile } from './uploadGuards.js';
import type { JobQueue } from '../batch/queue.js';
import { installOperations, observeRender, type OperationsOptions } from './ops.js';
import { RenderQueue, renderQueueOf, renderQueueOptionsFromEnv, renderSlot, setRenderQueue, type RenderQueueOptions } from './renderQueue.js';
import type { FormDefinition } from '../forms/types.js';
import { bodyless, jsonBody, missingBody, nestedDeeperThan, tooDeep } from './jsonBody.js';
import { JSON_LIMIT_BYTES } from '../settings.js';
import { safeFileName } from '../util/fileName.js';
import { sharedPool, type RenderPool } from '../batch/pool.js';
import { TaskTimeoutError } from '../batch/taskErrors.js';
import { userTemplateSource } from '../usertemplates/index.js';


const Format = z.enum(['pdf', 'docx']);


/** The data of a multipart request: a `data` field or file holding the JSON, an optional `emblem` image file. */
function multipartInput(req: Request, dataFile?: Buffer, emblem?: Buffer): unknown {
  const raw = dataFile?.toString('utf8') ?? (req.body as Record<string, string>).data;
  if (raw === undefined) return undefined;
  const data = JSON.parse(raw) as Record<string, unknown>;
  if (emblem) {
    const options = (data.options ?? {}) as Record<string, unknown>;
    data.options = { ...options, emblem: { data: emblem.toString('base64') } };
  }
  return data;
}

/**
 * A download's name from its data, so a clerk's folder of letters is not ten
 * `external-letter.pdf`: the reference number (ที่), else the subject, with
 * the date; the form id when the data has neither.
 */
export function downloadName(formId: string, input: unknown): string {
  const data = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const base = text(data.number) || text(data.subject);
  const date = text(data.date).slice(0, 10);
  return safeFileName([base, date].filter(Boolean).join(' '), 120) || formId;
}

/** A form as the API lists it: its input schema and, for batch-capable forms, the columns a file needs. */
function describeForm(f: FormDefinition) {
  return {
    id: f.id,
    title: f.title,
    computes: !!f.compute,
    schema: inputJsonSchema(f),
    ...(f.batch ? { batch: { columns: f.batch.columns, groupKeys: f.batch.groupKeys, shared: z.toJSONSchema(f.batch.shared, { io: 'input', unrepresentable: 'any' }) } } : {}),
  };
}

/** The methods the API takes on a path, from the OpenAPI document (every route is in it: test/openapi.test.ts). */
function methodsOf(path: string): string[] {
  for (const [pattern, ops] of Object.entries(openApiDocument().paths as Record<string, Record<string, unknown>>)) {
    const re = new RegExp(`^${pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
    if (re.test(path)) return Object.keys(ops).map((m) => m.toUpperCase());
  }
  return [];
}

export interface AppOptions extends OperationsOptions {
  /** The batch job queue (tests give one with its own directory); an embedded BatchManager made on first use otherwise. */
  batch?: () => JobQueue;
  /** Render slots, waiting line and time limit; unset fields come from the environment. */
  renderQueue?: Partial<RenderQueueOptions>;
  /** The render threads (tests give their own); the service's shared pool otherwise. */
  pool?: RenderPool;
}

/** A form's data and, for an uploaded template, the template itself: render threads know only the shipped forms. */
const formTask = (formId: string, input: unknown) => ({ formId, input, userTemplate: userTemplateSource(formId) });

let formsList: { version: number; body: string } | undefined;

export function createApp(appOptions: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  installOperations(app, appOptions);
  setRenderQueue(app, new RenderQueue({ ...renderQueueOptionsFromEnv(), ...appOptions.renderQueue }, appOptions.pool ?? sharedPool()));

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });

  app.get('/api/v1/forms', (_req, res) => {
    // Kept until the forms change, like the API document: with many uploaded templates it is megabytes.
    if (formsList?.version !== formsVersion()) formsList = { version: formsVersion(), body: JSON.stringify({ forms: listForms().map(describeForm) }) };
    res.type('json').send(formsList.body);
  });

  app.get('/api/v1/forms/:formId', (req, res) => {
    const form = getForm(req.params.formId);
    if (!form) { res.status(404).json(errorBody('unknown_form', `ไม่พบแบบฟอร์ม "${req.params.formId}"`, `no form "${req.params.formId}"`)); return; }
    res.json(describeForm(form));
  });

  app.post('/api/v1/forms/:formId/compute', ...jsonBody(), renderSlot(), async (req, res) => {
    if (bodyless(req)) { missingBody(res); return; }
    if (!req.is('application/json')) {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งข้อมูลเป็น application/json', 'send application/json'));
      return;
    }
    const formId = req.params.formId as string;
    if (!getForm(formId)) {
      res.status(404).json(errorBody('unknown_form', `ไม่พบแบบฟอร์ม "${formId}"`, `no form "${formId}"`));
      return;
    }
    const computed = await renderQueueOf(req).run({ kind: 'compute', ...formTask(formId, req.body) });
    res.json({ formId, computed });
  });

  const upload = diskUpload({ files: 2, fields: 10 });
  const render = async (req: Request, res: Response) => {
    const format = Format.safeParse(String(req.query.format ?? 'pdf').toLowerCase());
    if (!format.success) {
      res.status(400).json(errorBody('invalid_format', 'รูปแบบไฟล์ต้องเป็น pdf หรือ docx', 'format must be pdf or docx', [{ path: 'format', th: 'ต้องเป็น pdf หรือ docx', en: 'must be pdf or docx' }]));
      return;
    }
    if (!getForm(req.params.formId as string)) {
      res.status(404).json(errorBody('unknown_form', `ไม่พบแบบฟอร์ม "${req.params.formId}"`, `no form "${req.params.formId}"`));
      return;
    }
    let input: unknown;
    if (req.is('multipart/form-data')) {
      const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      const emblemFile = files.emblem?.[0];
      const emblem = emblemFile && await readFile(emblemFile.path);
      if (emblem && !isEmblemImage(emblem)) {
        unsupportedFile(res, 'emblem', 'ไฟล์ภาพตราต้องเป็น PNG, JPEG หรือ SVG', 'the emblem must be a PNG, JPEG or SVG image');
        return;
      }
      // JSON as a file part is held to the JSON body's limit: parsing it is the main thread's work.
      if ((files.data?.[0]?.size ?? 0) > JSON_LIMIT_BYTES) {
        res.status(413).json(errorBody('too_large', `ไฟล์ข้อมูล JSON ใหญ่เกิน ${Math.round(JSON_LIMIT_BYTES / 1024)} KB (SARABAN_JSON_LIMIT)`, `the JSON data file is larger than ${Math.round(JSON_LIMIT_BYTES / 1024)} KB (SARABAN_JSON_LIMIT)`, [{ path: 'data', th: 'ไฟล์ใหญ่เกินกำหนด', en: 'too large' }]));
        return;
      }
      // A data file that is not text at all (a PDF or workbook sent by mistake) is the wrong type, not bad JSON.
      const dataFile = files.data?.[0] && await readFile(files.data[0].path);
      if (dataFile && !isPlainText(dataFile)) {
        unsupportedFile(res, 'data', 'ไฟล์ข้อมูลต้องเป็น JSON (ข้อความ UTF-8)', 'the data file must be JSON (UTF-8 text)');
        return;
      }
      try { input = multipartInput(req, dataFile, emblem); } catch {
        res.status(400).json(errorBody('invalid_json', 'ไฟล์ข้อมูลไม่ใช่ JSON ที่ถูกต้อง', 'the data part is not valid JSON'));
        return;
      }
    } else if (req.is('application/json')) {
      input = req.body;
    } else if (bodyless(req)) {
      missingBody(res);
      return;
    } else {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งข้อมูลเป็น application/json หรือ multipart/form-data', 'send application/json or multipart/form-data'));
      return;
    }
    if (input === undefined) {
      res.status(400).json(errorBody('missing_data', 'ไม่มีข้อมูลของเอกสาร', 'no document data in the request'));
      return;
    }
    if (nestedDeeperThan(input)) { res.status(400).json(tooDeep()); return; }
    const formId = req.params.formId as string;
    let timedOut = false;
    const file = await observeRender(formId, format.data, () => renderQueueOf(req).run({ kind: 'form', ...formTask(formId, input), format: format.data })
      .catch((e: unknown) => { timedOut = e instanceof TaskTimeoutError; throw e; }), () => timedOut);
    res.status(200)
      .type(CONTENT_TYPES[format.data])
      .setHeader('Content-Disposition', contentDisposition(`${downloadName(formId, input)}.${format.data}`))
      .send(Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength));
  };
  app.post('/api/v1/render/:formId', ...jsonBody(), guardedUpload(upload.fields([{ name: 'data', maxCount: 1 }, { name: 'emblem', maxCount: 1 }])), renderSlot(), render);

  app.use(batchRoutes(appOptions.batch));

  // Generated per request: uploaded templates appear as soon as they are registered.
  app.get('/openapi.json', (_req, res) => { res.type('json').send(openApiJson()); });
  app.get('/docs', (_req, res) => { res.type('html').send(docsPageOfForms()); });

  app.use(templateRoutes(), docxMergeRoutes(), webRoutes());

  app.use((req, res) => {
    const allowed = methodsOf(req.path);
    if (allowed.length > 0) {
      res.status(405).setHeader('Allow', allowed.join(', ')).json(errorBody('method_not_allowed',
        `ที่อยู่นี้ใช้ได้กับ ${allowed.join(', ')} เท่านั้น`, `this path takes ${allowed.join(', ')} only`));
      return;
    }
    res.status(404).json(errorBody('not_found', 'ไม่พบหน้าที่ขอ', 'not found'));
  });
  app.use(errorHandler);
  return app;
}
