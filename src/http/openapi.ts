import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../fonts/registry.js';
import { formsVersion, inputJsonSchema, listForms } from '../forms/registry.js';
import { BatchOptions } from '../batch/jobs.js';
import { CONTENT_TYPES } from '../render/contentTypes.js';

/**
 * The OpenAPI 3.1 document, generated on request from the same zod schemas
 * the routes validate with: a form's render and compute bodies are its input
 * schema, a batch's options are BatchOptions. There is no hand-written copy to
 * drift; test/openapi.test.ts fails when an Express route is missing here.
 */

type Json = Record<string, unknown>;

const version = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const jsonSchema = (schema: z.ZodType): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
};

const ErrorResponse = z.object({
  error: z.object({
    code: z.string().describe('machine-readable code, e.g. invalid_input'),
    th: z.string().describe('ข้อความภาษาไทย'),
    en: z.string().describe('the message in English'),
    fields: z.array(z.object({ path: z.string(), th: z.string(), en: z.string() })).optional().describe('the fields at fault'),
  }),
});

const errorRef = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]): Json => Object.fromEntries(codes.map((c) => [String(c), {
  description: ({ 400: 'invalid input: see error.fields', 401: 'missing or wrong API key', 404: 'unknown form, job or template', 409: 'not ready, failed, or a shipped form\'s id', 410: 'the job\'s result is gone (expired or lost)', 413: 'a body, upload or document over a limit: error.code names which (too_large, file_too_large, too_large_to_render, too_many_templates …)', 415: 'wrong media type', 501: 'a tool the server lacks', 503: 'busy, shutting down, or render_timeout (the render was stopped at SARABAN_RENDER_TIMEOUT_MS): retry after the Retry-After seconds' } as Record<number, string>)[c] ?? 'error',
  content: { 'application/json': { schema: errorRef } },
}]));
const common = [401, 413, 503];

const examples = new Map<string, unknown>();
/** A form's first shipped example (examples/<form-id>/*.json), read once: the body a reader of /docs can copy. */
function exampleOf(formId: string): unknown {
  if (!examples.has(formId)) {
    const dir = join(PROJECT_ROOT, 'examples', formId);
    const file = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'shared.json').sort()[0] : undefined;
    examples.set(formId, file ? JSON.parse(readFileSync(join(dir, file), 'utf8')) : undefined);
  }
  return examples.get(formId);
}

const jsonBody = (schema: Json, example?: unknown): Json => ({ required: true, content: { 'application/json': { schema, ...(example ? { example } : {}) } } });
const file = (types: string[]): Json => ({ description: 'the file', content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) });
const pathParam = (name: string, description: string): Json => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const FORMAT_QUERY = { name: 'format', in: 'query', schema: { type: 'string', enum: ['pdf', 'docx'], default: 'pdf' }, description: 'pdf or docx' };

/** The whole API, for integrators. */
/**
 * The API document, built again only when the forms change: with a few
 * hundred uploaded templates it runs to megabytes, and building it on every
 * request would let any client keep the thread that answers busy.
 */
export function openApiDocument(): Json {
  if (cached?.version !== formsVersion()) cached = { version: formsVersion(), doc: buildOpenApiDocument() };
  return cached.doc;
}

let cached: { version: number; doc: Json; page?: string; json?: string } | undefined;

/** docsPage of the current document, kept with it. */
export function docsPageOfForms(): string {
  const doc = openApiDocument();
  cached!.page ??= docsPage(doc);
  return cached!.page;
}

/** The current document as JSON text, kept with it. */
export function openApiJson(): string {
  const doc = openApiDocument();
  cached!.json ??= JSON.stringify(doc);
  return cached!.json;
}

function buildOpenApiDocument(): Json {
  const paths: Record<string, Json> = {};
  const add = (path: string, method: string, op: Json) => { paths[path] = { ...(paths[path] ?? {}), [method]: op }; };

  add('/healthz', 'get', { tags: ['operations'], summary: 'Liveness: the process answers', responses: { 200: { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } } });
  add('/readyz', 'get', { tags: ['operations'], summary: 'Readiness: fonts loaded, data directory writable, not shutting down', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } });
  add('/metrics', 'get', { tags: ['operations'], summary: 'Prometheus metrics (renders by form and format, durations, errors, queue depth, batch rows)', responses: { 200: { description: 'text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } } } });
  add('/openapi.json', 'get', { tags: ['operations'], summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } });
  add('/docs', 'get', { tags: ['operations'], summary: 'This document as a readable page', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } });

  add('/api/v1/forms', 'get', { tags: ['forms'], summary: 'The forms: id, Thai and English title, input JSON Schema, batch columns', responses: { 200: { description: 'the forms', content: { 'application/json': { schema: { type: 'object' } } } }, ...errors(...common) } });
  add('/api/v1/forms/{formId}', 'get', { tags: ['forms'], summary: 'One form', parameters: [pathParam('formId', 'form id')], responses: { 200: { description: 'the form' }, ...errors(404, ...common) } });

  const rendered = { 200: { description: 'the document', content: { [CONTENT_TYPES.pdf]: { schema: { type: 'string', contentMediaType: CONTENT_TYPES.pdf } }, [CONTENT_TYPES.docx]: { schema: { type: 'string', contentMediaType: CONTENT_TYPES.docx } } } } };
  add('/api/v1/render/{formId}', 'post', {
    tags: ['render'], summary: 'Render any form, including uploaded templates (see the per-form paths for each body)',
    parameters: [pathParam('formId', 'form id'), FORMAT_QUERY],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'multipart/form-data': { schema: { type: 'object', properties: { data: { type: 'string', description: 'the JSON data' }, emblem: { type: 'string', contentMediaType: 'image/png', description: 'emblem image (PNG, JPEG or SVG)' } }, required: ['data'] } } } },
    responses: { ...rendered, ...errors(400, 404, 415, ...common) },
  });
  add('/api/v1/forms/{formId}/compute', 'post', {
    tags: ['compute'], summary: "A form's computed values (scores, totals, bands, checks) without rendering",
    parameters: [pathParam('formId', 'form id')], requestBody: jsonBody({ type: 'object' }),
    responses: { 200: { description: '{formId, computed}' }, ...errors(400, 404, 415, ...common) },
  });

  for (const form of listForms()) {
    // The schema the forms list publishes, computed once per form; 3.1 embeds it without its $schema.
    const { $schema: _dialect, ...schema } = inputJsonSchema(form) as Json;
    add(`/api/v1/render/${form.id}`, 'post', {
      tags: ['render'], operationId: `render_${form.id}`, summary: `${form.title.th} / ${form.title.en}`,
      parameters: [FORMAT_QUERY], requestBody: jsonBody(schema, exampleOf(form.id)),
      responses: { ...rendered, ...errors(400, 415, ...common) },
    });
    if (form.compute) {
      add(`/api/v1/forms/${form.id}/compute`, 'post', {
        tags: ['compute'], operationId: `compute_${form.id}`, summary: `${form.title.th}: computed values / ${form.title.en}: computed values`,
        requestBody: jsonBody(schema, exampleOf(form.id)), responses: { 200: { description: '{formId, computed}' }, ...errors(400, 415, ...common) },
      });
    }
    if (form.batch) {
      const options = jsonSchema(BatchOptions) as { properties?: Json };
      add(`/api/v1/batch/${form.id}`, 'post', {
        tags: ['batch'], operationId: `batch_${form.id}`, summary: `${form.title.th}: one document per group of rows of a CSV/XLSX file`,
        description: `Columns (canonical key: accepted headers): ${Object.entries(form.batch.columns).map(([k, v]) => `${k}: ${v.join(' / ')}`).join('; ')}.`,
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: {
          file: { type: 'string', contentMediaType: 'text/csv', description: 'CSV (UTF-8, Windows-874, UTF-16) or XLSX' },
          shared: { type: 'string', contentMediaType: 'application/json', contentSchema: jsonSchema(form.batch.shared), description: 'the fields every document shares, as JSON (a field, or a file part: -F shared=@shared.json)' },
          ...(options.properties ?? {}),
          columns: { type: 'string', contentMediaType: 'application/json', description: 'explicit column mapping as JSON: {"<canonical key>": "<header text in the file>"}; keys not given are matched by name (see /api/v1/batch/{formId}/columns)' },
        } } } } },
        responses: { 202: { description: '{id, state, status, result}: poll status' }, ...errors(400, 404, 415, ...common) },
      });
    }
  }
  add('/api/v1/batch/{formId}', 'post', { tags: ['batch'], summary: 'Start a batch job for any batch-capable form', parameters: [pathParam('formId', 'form id')], requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'] } } } }, responses: { 202: { description: 'accepted' }, ...errors(400, 404, 415, ...common) } });
  add('/api/v1/batch/{formId}/columns', 'post', {
    tags: ['batch'], summary: "A file's header row and the best-guess column mapping, without starting a job",
    description: 'Reads the header row (below any title rows) of a CSV/XLSX file and matches it to the form\'s columns. Answers {headerRow, headers, mapping: {key: header | null}, required: [key], accepted: {key: [accepted header names]}}. Send the chosen mapping back with the batch request as `columns`: {"<canonical key>": "<header text in the file>"}.',
    parameters: [pathParam('formId', 'form id')],
    requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: {
      file: { type: 'string', contentMediaType: 'text/csv', description: 'CSV (UTF-8, Windows-874, UTF-16) or XLSX' },
      sheet: { type: 'string', description: 'XLSX sheet name (default: the first)' },
    } } } } },
    responses: {
      200: { description: 'the header and the mapping', content: { 'application/json': { schema: { type: 'object', properties: {
        headerRow: { type: 'integer' }, headers: { type: 'array', items: { type: 'string' } },
        mapping: { type: 'object', additionalProperties: { type: ['string', 'null'] } }, required: { type: 'array', items: { type: 'string' } },
        accepted: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      } } } } },
      ...errors(400, 404, 413, 415, ...common),
    },
  });
  add('/api/v1/jobs/{id}', 'get', { tags: ['batch'], summary: 'A batch job: state, progress (rows, groups, pages), bad rows with row and column', parameters: [pathParam('id', 'job id')], responses: { 200: { description: 'the job' }, ...errors(404, ...common) } });
  add('/api/v1/jobs/{id}', 'delete', { tags: ['batch'], summary: 'Deletes a job and its files: a queued job leaves the queue, a running one is cancelled', parameters: [pathParam('id', 'job id')], responses: { 204: { description: 'deleted' }, ...errors(404, ...common) } });
  add('/api/v1/jobs/{id}/result', 'get', { tags: ['batch'], summary: "A finished job's ZIP or merged PDF", parameters: [pathParam('id', 'job id')], responses: { 200: { description: 'the file', content: { 'application/zip': {}, [CONTENT_TYPES.pdf]: {} } }, ...errors(404, 409, 410, ...common) } });

  add('/api/v1/preview/{formId}', 'post', { tags: ['web'], summary: 'A rendered page as PNG (X-Page-Count header)', parameters: [pathParam('formId', 'form id'), { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }], requestBody: jsonBody({ type: 'object' }), responses: { 200: { description: 'PNG', content: { 'image/png': {} } }, ...errors(400, 404, 415, 501, ...common) } });
  add('/api/v1/pdf-options', 'get', { tags: ['web'], summary: 'PDF options the service offers: its default archive format (SARABAN_PDF_ARCHIVE) and whether it can sign (SARABAN_SIGN_P12)', responses: { 200: { description: '{ archive: "pdf/a-3b" | "none", sign: boolean }' }, ...errors(...common) } });
  add('/api/v1/examples/{formId}', 'get', { tags: ['web'], summary: "Names of a form's shipped examples", parameters: [pathParam('formId', 'form id')], responses: { 200: { description: 'names' }, ...errors(404, ...common) } });
  add('/api/v1/examples/{formId}/{name}', 'get', { tags: ['web'], summary: 'One shipped example', parameters: [pathParam('formId', 'form id'), pathParam('name', 'example name')], responses: { 200: { description: 'the example JSON' }, ...errors(404, ...common) } });

  add('/api/v1/templates', 'get', { tags: ['templates'], summary: 'Uploaded templates', responses: { 200: { description: 'the templates' }, ...errors(...common) } });
  add('/api/v1/templates', 'post', { tags: ['templates'], summary: 'Upload a Handlebars template with the JSON Schema of its data; it becomes a form', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['id', 'template', 'schema'] } }, 'multipart/form-data': { schema: { type: 'object' } } } }, responses: { 201: { description: 'the new form' }, ...errors(400, 409, 415, ...common) } });
  add('/api/v1/templates/{id}', 'get', { tags: ['templates'], summary: 'One uploaded template', parameters: [pathParam('id', 'template id')], responses: { 200: { description: 'the template' }, ...errors(404, ...common) } });
  add('/api/v1/templates/{id}', 'delete', { tags: ['templates'], summary: 'Delete an uploaded template: it is no longer listed or rendered', parameters: [pathParam('id', 'template id')], responses: { 204: { description: 'deleted' }, ...errors(404, 409, ...common) } });
  add('/api/v1/docx-merge', 'post', { tags: ['templates'], summary: 'Fill a Word file\'s {{placeholders}} from JSON or CSV/XLSX rows: DOCX, a ZIP of them, or PDF (LibreOffice)', parameters: [FORMAT_QUERY], requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['template'], properties: { template: file([CONTENT_TYPES.docx]), data: { type: 'string', contentMediaType: 'application/json' }, rows: { type: 'string', contentMediaType: 'text/csv' } } } } } }, responses: { 200: { description: 'DOCX, ZIP or PDF' }, ...errors(400, 415, 501, ...common) } });

  add('/', 'get', { tags: ['web'], summary: 'The upload page for clerks (Thai, with English)', responses: { 200: { description: 'HTML', content: { 'text/html': {} } } } });

  return {
    openapi: '3.1.0',
    info: {
      title: 'Saraban (สารบรรณ)', version,
      description: 'Official Thai government documents as PDF and DOCX. Every error has the shape of components.schemas.Error: a code, a Thai and an English message, and the fields at fault. When SARABAN_API_KEYS is set, send a key as `Authorization: Bearer <key>` or `X-API-Key`.',
    },
    servers: [{ url: '/' }],
    tags: ['forms', 'render', 'compute', 'batch', 'templates', 'web', 'operations'].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorResponse) },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
    },
    security: [{}, { bearer: [] }, { apiKey: [] }],
  };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** Prose of the document: escaped, with `code` in backticks shown as code. */
const prose = (s: string) => escape(s).replace(/`([^`]+)`/g, '<code>$1</code>');

/** The document as one readable HTML page, with no script and nothing from a CDN. */
export function docsPage(doc: Json): string {
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const sections = (doc.tags as { name: string }[]).map(({ name }) => {
    const ops = Object.entries(paths).flatMap(([path, methods]) => Object.entries(methods)
      .filter(([, op]) => (op.tags as string[] | undefined)?.includes(name))
      .map(([method, op]) => {
        const params = (op.parameters as Json[] | undefined) ?? [];
        const body = op.requestBody as { content?: Record<string, { schema?: unknown; example?: unknown }> } | undefined;
        const responses = Object.entries((op.responses as Json | undefined) ?? {}).map(([code, r]) => `<code>${code}</code> ${escape(String((r as Json).description ?? ''))}`).join('<br>');
        return `<section class="op"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${prose(String(op.summary ?? ''))}</p>${op.description ? `<p class="d">${prose(String(op.description))}</p>` : ''}
${params.length ? `<p>Parameters: ${params.map((p) => `<code>${escape(String(p.name))}</code> (${escape(String(p.in))})${p.description ? ` ${escape(String(p.description))}` : ''}`).join(', ')}</p>` : ''}
${body?.content ? Object.entries(body.content).map(([type, c]) => `${c.example ? `<details><summary>Example request: ${escape(type)}</summary><pre>${escape(`curl -X ${method.toUpperCase()} http://localhost:3000${path} -H 'content-type: ${type}' -d @example.json`)}\n\nexample.json:\n${escape(JSON.stringify(c.example, null, 2))}</pre></details>` : ''}<details><summary>Body: ${escape(type)}</summary><pre>${escape(JSON.stringify(c.schema ?? {}, null, 2))}</pre></details>`).join('') : ''}
<p class="r">${responses}</p></section>`;
      }));
    return ops.length ? `<h2 id="${name}">${name}</h2>${ops.join('\n')}` : '';
  }).join('\n');
  const info = doc.info as Json;
  return `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(String(info.title))} API</title><style>
body{font-family:system-ui,'Sarabun',sans-serif;max-width:60rem;margin:auto;padding:1rem;line-height:1.5;color:#222}
.op{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:.75rem 0}.op h3{margin:.25rem 0;font-size:1rem}
.m{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:0 .3rem}
.get{background:#2b6cb0}.post{background:#2f855a}pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:30rem;font-size:.8rem}
.r{font-size:.9rem;color:#444}.d{font-size:.9rem}
</style></head><body><h1>${escape(String(info.title))} API ${escape(String(info.version))}</h1>
<p>${prose(String(info.description))}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
<nav>${(doc.tags as { name: string }[]).map((t) => `<a href="#${t.name}">${t.name}</a>`).join(' · ')}</nav>
${sections}</body></html>`;
}
