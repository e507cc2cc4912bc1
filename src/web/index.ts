import express, { Router, type Request, type Response } from 'express';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../fonts/registry.js';
import { getForm } from '../forms/registry.js';
import { errorBody } from '../http/errors.js';
import { renderQueueOf, renderSlot } from '../http/renderQueue.js';
import { userTemplateSource } from '../usertemplates/index.js';
import { bodyless, jsonBody, missingBody } from '../http/jsonBody.js';
import { pdfArchiveDefault } from '../settings.js';
import { signingConfigured } from '../sign/key.js';

/**
 * The clerk's pages: a static single-page app (plain HTML, CSS and one ES
 * module, no build step) under src/web/public/, and the two endpoints it needs
 * besides the API: a PNG preview of a rendered page, and the shipped example
 * data of a form (to start from a filled-in letter).
 */

export const PUBLIC_DIR = join(PROJECT_ROOT, 'src', 'web', 'public');
const EXAMPLES_DIR = process.env.SARABAN_EXAMPLES_DIR ?? join(PROJECT_ROOT, 'examples');
const PREVIEW_DPI = 110;
const PREVIEW_TIMEOUT_MS = 30_000;

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: PREVIEW_TIMEOUT_MS }, (err) => (err ? reject(err) : resolve()));
  });
}

/** Page `page` of a PDF as PNG, drawn by poppler's pdftoppm (the same tool the tests use). */
async function pdfPagePng(pdf: Uint8Array, page: number): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'saraban-preview-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', ['-png', '-r', String(PREVIEW_DPI), '-f', String(page), '-l', String(page), '-singlefile', join(dir, 'in.pdf'), join(dir, 'page')]);
    return await readFile(join(dir, 'page.png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const safeName = /^[a-z0-9][a-z0-9._-]{0,100}$/i;

export function webRoutes(): Router {
  const router = Router();

  /**
   * Renders the form's PDF and answers page `page` (1-based) as a PNG, with the
   * page count in X-Page-Count. A PNG shows the same in every browser, where a
   * PDF in an <iframe> depends on the browser's viewer (headless Chromium has none).
   */
  router.post('/api/v1/preview/:formId', ...jsonBody(), renderSlot(), async (req: Request, res: Response) => {
    const formId = req.params.formId as string;
    if (!getForm(formId)) {
      res.status(404).json(errorBody('unknown_form', `ไม่พบแบบฟอร์ม "${formId}"`, `no form "${formId}"`));
      return;
    }
    if (bodyless(req)) { missingBody(res); return; }
    if (!req.is('application/json')) {
      res.status(415).json(errorBody('unsupported_media_type', 'ส่งข้อมูลเป็น application/json', 'send application/json'));
      return;
    }
    const file = await renderQueueOf(req).run({ kind: 'form', formId, input: req.body, format: 'pdf', userTemplate: userTemplateSource(formId) });
    const pages = file.pages ?? 1;
    const page = Number(req.query.page ?? '1');
    if (!Number.isInteger(page) || page < 1 || page > pages) {
      res.status(400).json(errorBody('invalid_page', `เอกสารนี้มี ${pages} หน้า ขอหน้าที่ 1-${pages}`, `the document has ${pages} pages: ask for page 1-${pages}`,
        [{ path: 'page', th: `ต้องเป็นเลข 1-${pages}`, en: `must be 1-${pages}` }]));
      return;
    }
    let png: Buffer;
    try {
      png = await pdfPagePng(file.data, page);
    } catch {
      res.status(501).json(errorBody('preview_unavailable', 'แสดงตัวอย่างไม่ได้ เครื่องแม่ข่ายไม่มีโปรแกรม pdftoppm (poppler-utils) ดาวน์โหลด PDF แทนได้', 'no preview: pdftoppm (poppler-utils) is not installed on the server; download the PDF instead'));
      return;
    }
    res.status(200).type('image/png').setHeader('X-Page-Count', String(pages)).setHeader('X-Page', String(page)).setHeader('Cache-Control', 'no-store').send(png);
  });

  /**
   * What the form page offers for a PDF: the archive format by default
   * (SARABAN_PDF_ARCHIVE) and whether the service can sign, so "ลงนามดิจิทัล"
   * is shown only where a request for it would not be refused. The start-up
   * check has read the certificate already: set here means usable.
   */
  router.get('/api/v1/pdf-options', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store').json({ archive: pdfArchiveDefault() ?? 'none', sign: signingConfigured() });
  });

  /** The names of a form's shipped examples (examples/<form-id>/*.json). */
  router.get('/api/v1/examples/:formId', (req, res) => {
    const formId = req.params.formId;
    const dir = join(EXAMPLES_DIR, formId);
    const names = safeName.test(formId) && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'shared.json').map((f) => f.slice(0, -5)).sort() : [];
    res.json({ formId, examples: names });
  });

  router.get('/api/v1/examples/:formId/:name', async (req, res) => {
    const { formId, name } = req.params;
    const file = join(EXAMPLES_DIR, formId, `${name}.json`);
    if (!safeName.test(formId) || !safeName.test(name) || !existsSync(file)) {
      res.status(404).json(errorBody('not_found', 'ไม่พบตัวอย่าง', 'no such example'));
      return;
    }
    res.type('json').send(await readFile(file));
  });

  /**
   * A form's item texts (src/forms/<form-id>/items.json) as a static file of the page, which lays the
   * evaluation form out like its paper; only these files, nothing else of src/forms/.
   */
  router.use('/forms', async (req, res, next) => {
    const formId = /^\/([a-z0-9][a-z0-9._-]{0,100})\/items\.json$/i.exec(req.path)?.[1];
    const file = formId && getForm(formId) ? join(PROJECT_ROOT, 'src', 'forms', formId, 'items.json') : undefined;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !file || !existsSync(file)) { next(); return; }
    res.type('json').setHeader('Cache-Control', 'no-cache').send(await readFile(file));
  });

  router.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: 0 }));
  // The template format guide and its example, linked from the templates page.
  router.use('/docs', express.static(join(PROJECT_ROOT, 'docs'), { index: false, setHeaders: (res, path) => { if (path.endsWith('.md') || path.endsWith('.hbs')) res.setHeader('Content-Type', 'text/plain; charset=utf-8'); } }));
  return router;
}
