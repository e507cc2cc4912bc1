import { Router, type Request, type Response } from 'express';
import { jsonBody, MAX_JSON_DEPTH, nestedDeeperThan } from '../http/jsonBody.js';
import { renderQueueOf, renderSlot } from '../http/renderQueue.js';
import { RequestError } from '../batch/taskErrors.js';
import multer from 'multer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { getForm, inputJsonSchema, isShippedForm, registerForm, unregisterForm } from '../forms/registry.js';
import { RequestOptions } from '../forms/shared.js';
import { defineForm, type FormDefinition } from '../forms/types.js';
import { compileTemplate, TemplateError, TEMPLATE_MAX_BYTES } from '../templates/engine.js';
import { errorBody } from '../http/errors.js';
import { guardedUpload, isPlainText } from '../http/uploadGuards.js';
import { ValidationError } from '../validation.js';
import { SchemaError, zodFromJsonSchema } from './jsonSchema.js';
import { DATA_DIR, intSetting } from '../settings.js';

/**
 * Forms an office adds at run time without TypeScript: a Handlebars template
 * (the format of templates/*.hbs, see docs/templates.md) and a JSON Schema of
 * its data. They are checked on upload (the template compiles, the schema is in
 * the supported subset), registered beside the shipped forms (so GET
 * /api/v1/forms lists them and the render, preview and upload pages serve them),
 * and kept under SARABAN_DATA_DIR/templates/ so a restart keeps them.
 *
 * At most SARABAN_TEMPLATES_MAX of them (default 200), together at most
 * SARABAN_TEMPLATES_MAX_BYTES of template and schema (default 20 MB): every
 * one is listed by GET /api/v1/forms and the pages.
 */

/** An upload's check (rules, patterns, compile) on a render thread: past this its thread is stopped and the upload refused. */
const TEMPLATE_CHECK_MS = intSetting('SARABAN_TEMPLATE_CHECK_TIMEOUT_MS', 10_000, 1);

export const USER_TEMPLATES_DIR = join(DATA_DIR, 'templates');
const SCHEMA_MAX_BYTES = 64 * 1024;

/** Read on each upload, so a changed setting applies without a restart; checked at start-up by templateRoutes. */
const templatesMax = () => intSetting('SARABAN_TEMPLATES_MAX', 200, 0);
const templatesMaxBytes = () => intSetting('SARABAN_TEMPLATES_MAX_BYTES', 20 * 1024 * 1024, 0);

export const TemplateUpload = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'รหัสแบบฟอร์มใช้ a-z 0-9 และ - ยาว 2-63 ตัว / the id is 2-63 characters of a-z, 0-9 and -' })
    .describe('รหัสแบบฟอร์ม / form id'),
  title: z.object({ th: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }).strict(),
  template: z.string().min(1).max(TEMPLATE_MAX_BYTES).describe('แม่แบบ Handlebars / Handlebars template'),
  schema: z.record(z.string(), z.unknown()).describe('JSON Schema ของข้อมูล / JSON Schema of the data'),
}).strict();
export type TemplateUpload = z.infer<typeof TemplateUpload>;

/** A problem with an upload, reported like every other 400: a code, Thai and English, and the field at fault. */
export class TemplateUploadError extends Error {
  constructor(readonly status: number, readonly code: string, readonly th: string, readonly en: string, readonly field?: string, readonly line?: number) {
    super(en);
  }
}

/**
 * Checks an upload and turns it into a form. Throws TemplateUploadError.
 * `checked`: the upload was accepted before, its patterns need no new
 * analysis. `compile: false`: the form for the thread that answers requests,
 * which lists it and validates nothing with it: compiling (whose cost grows
 * faster than the template) happens on the render threads only.
 */
export function formFromUpload(upload: TemplateUpload, { checked = false, compile = true }: { checked?: boolean; compile?: boolean } = {}): FormDefinition {
  if (isShippedForm(upload.id)) {
    throw new TemplateUploadError(409, 'id_taken', `รหัส "${upload.id}" เป็นของแบบฟอร์มที่มากับระบบ ใช้รหัสอื่น`, `"${upload.id}" is a shipped form's id: choose another`, 'id');
  }
  let schema: z.ZodObject;
  try {
    schema = zodFromJsonSchema(upload.schema, { checkPatterns: !checked });
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    throw new TemplateUploadError(400, 'invalid_schema', `JSON Schema ไม่ถูกต้องที่ ${err.path || '(ราก)'}: ${err.th}`, `the JSON Schema is not valid: ${err.message}`, err.path ? `schema.${err.path}` : 'schema');
  }
  if ('options' in schema.shape) {
    throw new TemplateUploadError(400, 'invalid_schema', 'ช่อง "options" สงวนไว้สำหรับตัวเลือกการพิมพ์', '"options" is reserved for the print options', 'schema.options');
  }
  let render: ReturnType<typeof compileTemplate> = () => { throw new Error(`user template ${upload.id} renders on a render thread`); };
  try {
    if (compile) render = compileTemplate(upload.template, `${upload.id}.hbs`);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    const at = err.line ? `บรรทัดที่ ${err.line}: ` : '';
    throw new TemplateUploadError(400, 'invalid_template', `${at}${err.th ?? 'แม่แบบไม่ถูกต้อง'} (${err.message})`, `the template is not valid: ${err.message}`, 'template', err.line);
  }
  return defineForm({
    id: upload.id,
    title: upload.title,
    schema: schema.extend({ options: RequestOptions.optional() }),
    // A template that fails on the data given (a block left invalid, a helper
    // given a bad date, a step, time or output limit reached) is the
    // uploader's to fix: a 400 naming the template line and the limit.
    build: (data) => {
      try {
        return render(data);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        const at = err.line ? `บรรทัดที่ ${err.line} ของแม่แบบ: ` : '';
        throw new ValidationError([{ path: '(template)', th: `${at}${err.th ?? 'แม่แบบทำงานผิดพลาด'}`, en: `template ${err.message}` }]);
      }
    },
  });
}

function save(upload: TemplateUpload): void {
  mkdirSync(USER_TEMPLATES_DIR, { recursive: true });
  // Written to a temporary name and renamed, so a crash never leaves half a template for the next start.
  const write = (name: string, text: string) => {
    writeFileSync(join(USER_TEMPLATES_DIR, `${name}.tmp`), text);
    renameSync(join(USER_TEMPLATES_DIR, `${name}.tmp`), join(USER_TEMPLATES_DIR, name));
  };
  write(`${upload.id}.hbs`, upload.template);
  write(`${upload.id}.json`, JSON.stringify({ id: upload.id, title: upload.title, schema: upload.schema }, null, 2));
}

/** The user templates this process keeps (saved, listed, removable); a render thread registers uploads without owning them. */
const userIds = new Set<string>();

/** The uploads registered in this process (thread), by id: the upload, its content hash and its size. */
const sources = new Map<string, { upload: TemplateUpload; hash: string; bytes: number }>();

const hashOf = (upload: TemplateUpload) => createHash('sha256').update(JSON.stringify([upload.id, upload.title, upload.template, upload.schema])).digest('hex');
/** What an upload counts against SARABAN_TEMPLATES_MAX_BYTES: its template and schema as stored. */
const bytesOf = (upload: TemplateUpload) => Buffer.byteLength(upload.template) + Buffer.byteLength(JSON.stringify(upload.schema));
/** The bytes of the templates this process keeps (not those a render thread was handed). */
const storedBytes = () => [...userIds].reduce((sum, id) => sum + (sources.get(id)?.bytes ?? 0), 0);

function register(upload: TemplateUpload, checked: boolean, compile = true): void {
  const hash = hashOf(upload);
  // The same content again (a render thread handed the upload with every task): nothing to compile.
  if (sources.get(upload.id)?.hash === hash && getForm(upload.id)) return;
  registerForm(formFromUpload(upload, { checked, compile }));
  sources.set(upload.id, { upload, hash, bytes: bytesOf(upload) });
}

/**
 * Compiles and registers a form from an upload the service has accepted
 * (userTemplateSource in the thread that accepted it), without saving it: for
 * the render threads. Registering the same content again costs one hash.
 * The pattern analysis of the schema is not repeated (it was done on upload).
 * Throws TemplateUploadError as formFromUpload does.
 */
export function registerUserTemplate(upload: TemplateUpload): void {
  register(upload, true);
}

/** The stored upload of a user template (id, title, template, schema), for handing to a render thread. */
export function userTemplateSource(id: string): TemplateUpload | undefined {
  return sources.get(id)?.upload;
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Refuses an upload that would take the stored templates past SARABAN_TEMPLATES_MAX or SARABAN_TEMPLATES_MAX_BYTES; a replaced id counts its old size out. */
function checkCaps(upload: TemplateUpload): void {
  const old = userIds.has(upload.id) ? sources.get(upload.id) : undefined;
  const max = templatesMax();
  if (!old && userIds.size + 1 > max) {
    throw new TemplateUploadError(413, 'too_many_templates', `มีแม่แบบครบ ${max} แบบแล้ว ซึ่งเป็นจำนวนสูงสุด ลบแม่แบบที่ไม่ใช้ก่อน`, `there are already ${max} templates, the most allowed (SARABAN_TEMPLATES_MAX): delete one first`, 'id');
  }
  const maxBytes = templatesMaxBytes();
  const total = storedBytes() - (old?.bytes ?? 0) + bytesOf(upload);
  if (total > maxBytes) {
    throw new TemplateUploadError(413, 'templates_too_large', `แม่แบบและ JSON Schema ทั้งหมดรวมกันจะเกิน ${megabytes(maxBytes)} (${maxBytes} ไบต์) ซึ่งเป็นขนาดสูงสุด ลบแม่แบบที่ไม่ใช้ก่อน`, `all templates and schemas together would exceed ${megabytes(maxBytes)} (${maxBytes} bytes), the most allowed (SARABAN_TEMPLATES_MAX_BYTES): delete some first`, 'template');
  }
}

/** The message of an error, on one line and quoted: a stored template's text never becomes a line of the service's log. */
const quoted = (err: unknown) => JSON.stringify(err instanceof Error ? err.message : String(err));

/** Registers the templates saved by earlier runs, in id order up to the caps; one that no longer loads is reported and skipped, not fatal. */
export function loadUserTemplates(dir = USER_TEMPLATES_DIR): string[] {
  if (!existsSync(dir)) return [];
  const loaded: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    try {
      const meta = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const upload = TemplateUpload.parse({ ...meta, template: readFileSync(join(dir, file.replace(/\.json$/, '.hbs')), 'utf8') });
      checkCaps(upload);
      // Accepted and checked when it was uploaded; compiled by the render threads when first rendered.
      register(upload, true, false);
      userIds.add(upload.id);
      loaded.push(upload.id);
    } catch (err) {
      console.error(`saraban: user template ${JSON.stringify(file)} not loaded: ${quoted(err)}`);
    }
  }
  return loaded;
}

/**
 * Adds (or replaces) a user template: checked against the caps, then by
 * `check` (the rules, the patterns and a compile, which the route runs on a
 * render thread under a deadline), registered without compiling, saved.
 */
export async function addUserTemplate(upload: TemplateUpload, check: (upload: TemplateUpload) => Promise<void>): Promise<FormDefinition> {
  checkCaps(upload);
  await check(upload);
  register(upload, true, false);
  save(upload);
  userIds.add(upload.id);
  return getForm(upload.id)!;
}

/** Removes a user template: no longer listed or rendered, and gone from disk. Whether there was one. */
export function removeUserTemplate(id: string): boolean {
  if (!userIds.has(id)) return false;
  unregisterForm(id);
  userIds.delete(id);
  sources.delete(id);
  // The .json first: it is what a restart loads, so a crash between the two leaves nothing loadable.
  rmSync(join(USER_TEMPLATES_DIR, `${id}.json`), { force: true });
  rmSync(join(USER_TEMPLATES_DIR, `${id}.hbs`), { force: true });
  return true;
}

/** The upload as JSON ({id, title:{th,en}, template, schema}) or multipart (id, titleTh, titleEn, template and schema as files or fields). */
function uploadOf(req: Request): unknown {
  if (!req.is('multipart/form-data')) return req.body;
  const files = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
  const body = (req.body ?? {}) as Record<string, string>;
  // A template or schema is text a person wrote: an image, PDF or ZIP under that name is refused by its bytes.
  for (const name of ['template', 'schema']) {
    const file = files[name]?.[0];
    if (file && !isPlainText(file.buffer)) {
      throw new TemplateUploadError(415, 'unsupported_media_type', `ไฟล์ ${name} ต้องเป็นข้อความ UTF-8 (.hbs / .json)`, `the ${name} file must be UTF-8 text (.hbs / .json)`, name);
    }
  }
  const text = (name: string) => files[name]?.[0]?.buffer.toString('utf8') ?? body[name];
  const schemaText = text('schema');
  let schema: unknown = schemaText;
  if (typeof schemaText === 'string') {
    try { schema = JSON.parse(schemaText); } catch {
      throw new TemplateUploadError(400, 'invalid_schema', 'ไฟล์ JSON Schema ไม่ใช่ JSON ที่ถูกต้อง', 'the schema is not valid JSON', 'schema');
    }
    if (nestedDeeperThan(schema)) {
      throw new TemplateUploadError(400, 'too_deep', `JSON Schema ซ้อนกันเกิน ${MAX_JSON_DEPTH} ชั้น`, `the schema nests deeper than ${MAX_JSON_DEPTH} levels`, 'schema');
    }
  }
  return { id: body.id, title: { th: body.titleTh, en: body.titleEn }, template: text('template'), schema };
}

function sendUploadError(res: Response, err: TemplateUploadError): void {
  const body = errorBody(err.code, err.th, err.en, err.field ? [{ path: err.field, th: err.th, en: err.en }] : undefined);
  res.status(err.status).json(err.line ? { error: { ...body.error, line: err.line } } : body);
}

const notFound = (res: Response, id: string) => res.status(404).json(errorBody('not_found', `ไม่พบแม่แบบ "${id}"`, `no user template "${id}"`));

export function templateRoutes(): Router {
  // A malformed cap stops the service at start-up rather than at the first upload.
  templatesMax();
  templatesMaxBytes();
  loadUserTemplates();
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: TEMPLATE_MAX_BYTES + SCHEMA_MAX_BYTES, files: 2, fields: 10 } });

  router.post('/api/v1/templates', ...jsonBody('512kb'), guardedUpload(upload.fields([{ name: 'template', maxCount: 1 }, { name: 'schema', maxCount: 1 }])), renderSlot(), async (req, res) => {
    if (!req.is('application/json') && !req.is('multipart/form-data')) {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งเป็น application/json หรือ multipart/form-data', 'send application/json or multipart/form-data'));
      return;
    }
    try {
      const parsed = TemplateUpload.safeParse(uploadOf(req));
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => {
          const [th, en] = i.message.includes(' / ') ? i.message.split(' / ') : [i.code === 'invalid_type' && i.input === undefined ? 'ต้องกรอกข้อมูลนี้' : 'ข้อมูลไม่ถูกต้อง', i.message];
          return { path: i.path.join('.') || '(root)', th: th!, en: en! };
        });
        res.status(400).json(errorBody('invalid_upload', 'ข้อมูลแม่แบบไม่ครบหรือไม่ถูกต้อง', 'the template upload is incomplete or not valid', fields));
        return;
      }
      const form = await addUserTemplate(parsed.data, (u) => renderQueueOf(req).run({ kind: 'template', upload: u }, TEMPLATE_CHECK_MS).then(() => undefined));
      res.status(201).json({ id: form.id, title: form.title, schema: inputJsonSchema(form) });
    } catch (err) {
      if (err instanceof TemplateUploadError) { sendUploadError(res, err); return; }
      if (err instanceof RequestError) {
        sendUploadError(res, new TemplateUploadError(err.status, err.code, err.th, err.en, err.fields?.[0]?.path, err.line));
        return;
      }
      throw err;
    }
  });

  router.get('/api/v1/templates', (_req, res) => {
    res.json({ templates: [...userIds].map((id) => getForm(id)).filter((f) => f !== undefined).map((f) => ({ id: f.id, title: f.title })) });
  });

  router.get('/api/v1/templates/:id', (req, res) => {
    const id = req.params.id;
    const upload = userIds.has(id) ? userTemplateSource(id) : undefined;
    if (!upload) { notFound(res, id); return; }
    res.json({ id: upload.id, title: upload.title, schema: upload.schema, template: upload.template });
  });

  router.delete('/api/v1/templates/:id', (req, res) => {
    const id = req.params.id;
    if (isShippedForm(id)) {
      res.status(409).json(errorBody('shipped_form', `"${id}" เป็นแบบฟอร์มที่มากับระบบ ลบไม่ได้`, `"${id}" is a shipped form and cannot be deleted`));
      return;
    }
    if (!removeUserTemplate(id)) { notFound(res, id); return; }
    res.status(204).end();
  });
  return router;
}
