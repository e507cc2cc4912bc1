import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type express from 'express';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zodFromJsonSchema } from '../src/usertemplates/jsonSchema.js';
import type { TemplateUpload } from '../src/usertemplates/index.js';
import { fieldErrors } from '../src/validation.js';
import { pdftotext, stripSpace } from './helpers/pdf.js';
import { binary } from './helpers/http.js';

const example = (name: string) => readFileSync(new URL(`../docs/examples/work-certificate/${name}`, import.meta.url), 'utf8');
const template = example('template.hbs');
const schema = JSON.parse(example('schema.json')) as Record<string, unknown>;
const data = JSON.parse(example('data.json')) as Record<string, unknown>;
const upload = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: { th: 'หนังสือรับรองการปฏิบัติงาน', en: 'Work certificate' }, template, schema, ...extra });

const dataDir = mkdtempSync(join(tmpdir(), 'saraban-templates-'));
let app: express.Express;
let createApp: typeof import('../src/http/app.js').createApp;

beforeAll(async () => {
  // Before the modules load: uploads are saved to a scratch data folder.
  process.env.SARABAN_DATA_DIR = dataDir;
  ({ createApp } = await import('../src/http/app.js'));
  app = createApp();
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the JSON Schema subset of uploaded forms', () => {
  const zod = zodFromJsonSchema(schema);

  it('accepts the example data, reading a BE date as the shipped forms do', () => {
    const parsed = zod.parse(data) as { date: string; startDate: string };
    expect(parsed.date).toBe('2022-03-01');
    expect(parsed.startDate).toBe('2012-05-16');
  });

  it('reports bad data with field paths and Thai messages', () => {
    const result = zod.safeParse({ ...data, name: '', salary: '35,220', extra: 1, signer: { name: 'x', positions: [] } });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(errors.map((e) => e.path).sort()).toEqual(['(root)', 'name', 'salary', 'signer.positions']);
    expect(errors.find((e) => e.path === 'name')!.th).toBe('ต้องกรอกข้อมูลนี้ (ห้ามเว้นว่าง)');
    expect(errors.find((e) => e.path === 'salary')!.th).toBe('รูปแบบไม่ถูกต้อง');
    expect(errors.find((e) => e.path === '(root)')!.en).toContain('extra');
  });

  it('accepts numbers within their bounds only, integers as integers', () => {
    const z = zodFromJsonSchema({ type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['n'] });
    expect(z.safeParse({ n: 1 }).success).toBe(true);
    expect(z.safeParse({ n: 7 }).success).toBe(true);
    expect(z.safeParse({ n: 0 }).success).toBe(false);
    expect(z.safeParse({ n: 8 }).success).toBe(false);
    expect(z.safeParse({ n: 2.5 }).success).toBe(false);
  });

  it('refuses keywords outside the subset, naming where', () => {
    expect(() => zodFromJsonSchema({ type: 'object', properties: { a: { type: 'string', format: 'email' } } })).toThrow(/a: the only supported format is "date"/);
    expect(() => zodFromJsonSchema({ type: 'object', properties: { a: { $ref: '#/x' } } })).toThrow(/a: "type" must be one of/);
    expect(() => zodFromJsonSchema({ type: 'object', properties: { a: { type: 'string', oneOf: [] } } })).toThrow(/not supported for string: oneOf/);
    expect(() => zodFromJsonSchema({ type: 'array', items: { type: 'string' } })).toThrow(/must be \{"type": "object"/);
    expect(() => zodFromJsonSchema({ type: 'object', properties: { __proto__x: { type: 'string' } }, required: ['missing'] })).toThrow(/"required" must list/);
  });

  it('caps strings and lists the schema leaves open: 20000 characters, 1000 items', () => {
    const open = zodFromJsonSchema({ type: 'object', properties: { s: { type: 'string' }, l: { type: 'array', items: { type: 'string' } }, wide: { type: 'string', maxLength: 1_000_000 } } });
    expect(open.safeParse({ s: 'ก'.repeat(20_000), l: Array(1000).fill('x'), wide: 'x'.repeat(20_000) }).success).toBe(true);
    expect(open.safeParse({ s: 'ก'.repeat(20_001) }).success).toBe(false);
    expect(open.safeParse({ wide: 'x'.repeat(20_001) }).success).toBe(false);
    expect(open.safeParse({ l: Array(1001).fill('x') }).success).toBe(false);
  });

  it('refuses patterns that can backtrack catastrophically, and patterns over 200 characters, naming where', () => {
    const withPattern = (pattern: string) => ({ type: 'object', properties: { code: { type: 'string', pattern }, list: { type: 'array', items: { type: 'string', pattern } } } });
    for (const pattern of ['^(a+)+$', '^(a|a)*$', '^([a-z]+\\s?)+$', '^(\\d+)*$', '^.*a.*a.*$']) {
      expect(() => zodFromJsonSchema(withPattern(pattern)), pattern).toThrow(/code\.pattern: "pattern" can backtrack catastrophically/);
    }
    expect(() => zodFromJsonSchema(withPattern('x'.repeat(201)))).toThrow(/code\.pattern: "pattern" must be a regular expression of at most 200 characters/);
    for (const pattern of ['^[0-9]{13}$', '^\\d{1,3}(,\\d{3})*$', '^[ก-๙ ]+$', '^\\d+(\\.\\d{1,2})?$', '^[A-Z]{2}-\\d{4}$']) {
      const z = zodFromJsonSchema(withPattern(pattern));
      expect(z.safeParse({ code: 'a'.repeat(5000) }).success, pattern).toBe(false);
    }
    const thousands = zodFromJsonSchema(withPattern('^\\d{1,3}(,\\d{3})*$'));
    expect(thousands.safeParse({ code: '35,220', list: ['1,000,000'] }).success).toBe(true);
  });

  it('refuses schemas nested too deep', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10; i++) deep = { type: 'object', properties: { a: deep } };
    expect(() => zodFromJsonSchema(deep)).toThrow(/deeper than 8/);
  });
});

describe('POST /api/v1/templates', () => {
  it('adds a form that GET /api/v1/forms lists and the render endpoint fills', async () => {
    const res = await request(app).post('/api/v1/templates').send(upload('work-certificate')).expect(201);
    expect(res.body.id).toBe('work-certificate');
    expect(res.body.schema.required).toContain('salary');
    const forms = await request(app).get('/api/v1/forms').expect(200);
    expect(forms.body.forms.find((f: { id: string }) => f.id === 'work-certificate').title.th).toBe('หนังสือรับรองการปฏิบัติงาน');

    const pdf = await request(app).post('/api/v1/render/work-certificate?format=pdf').send(data).buffer(true).parse(binary).expect(200);
    const text = stripSpace(pdftotext(pdf.body as Buffer));
    expect(text).toContain(stripSpace('หนังสือรับรอง'));
    expect(text).toContain(stripSpace('ได้รับเงินเดือนเดือนละ ๓๕,๒๒๐.๐๐ บาท (สามหมื่นห้าพันสองร้อยยี่สิบบาทถ้วน)'));
    expect(text).toContain(stripSpace('ตั้งแต่วันที่ ๑๖ พฤษภาคม ๒๕๕๕'));
    expect(text).toContain(stripSpace('ให้ไว้ ณ วันที่ ๑ มีนาคม พ.ศ. ๒๕๖๕'));
    expect(text).toContain(stripSpace('(นายประเสริฐ มั่นคง)'));
    await request(app).post('/api/v1/render/work-certificate?format=docx').send(data).expect(200);
  });

  it('keeps uploads across a restart', async () => {
    await request(app).post('/api/v1/templates').send(upload('kept-certificate')).expect(201);
    expect(existsSync(join(dataDir, 'templates', 'kept-certificate.hbs'))).toBe(true);
    const { loadUserTemplates } = await import('../src/usertemplates/index.js');
    expect(loadUserTemplates()).toContain('kept-certificate');
    const listed = await request(createApp()).get('/api/v1/templates').expect(200);
    expect(listed.body.templates.map((t: { id: string }) => t.id)).toContain('kept-certificate');
    const one = await request(app).get('/api/v1/templates/kept-certificate').expect(200);
    expect(one.body.template).toBe(template);
  });

  it('deletes an upload: no longer listed, rendered or loaded at the next start; shipped forms stay', async () => {
    await request(app).post('/api/v1/templates').send(upload('gone-certificate')).expect(201);
    await request(app).delete('/api/v1/templates/gone-certificate').expect(204);
    const forms = await request(app).get('/api/v1/forms').expect(200);
    expect(forms.body.forms.map((f: { id: string }) => f.id)).not.toContain('gone-certificate');
    expect((await request(app).get('/api/v1/templates').expect(200)).body.templates.map((t: { id: string }) => t.id)).not.toContain('gone-certificate');
    expect((await request(app).post('/api/v1/render/gone-certificate').send(data).expect(404)).body.error.code).toBeDefined();
    expect(existsSync(join(dataDir, 'templates', 'gone-certificate.hbs'))).toBe(false);
    expect(existsSync(join(dataDir, 'templates', 'gone-certificate.json'))).toBe(false);
    const { loadUserTemplates } = await import('../src/usertemplates/index.js');
    expect(loadUserTemplates()).not.toContain('gone-certificate');
    expect((await request(app).delete('/api/v1/templates/gone-certificate').expect(404)).body.error.th).toContain('ไม่พบแม่แบบ');
    expect((await request(app).delete('/api/v1/templates/memo').expect(409)).body.error.code).toBe('shipped_form');
    await request(app).post('/api/v1/render/memo').send(JSON.parse(readFileSync(new URL('../examples/memo/budget-request.json', import.meta.url), 'utf8'))).expect(200);
  });

  it('takes a multipart upload with the template and schema as files', async () => {
    const res = await request(app).post('/api/v1/templates')
      .field('id', 'multipart-certificate').field('titleTh', 'หนังสือรับรอง').field('titleEn', 'Certificate')
      .attach('template', Buffer.from(template), 'certificate.hbs').attach('schema', Buffer.from(JSON.stringify(schema)), 'schema.json')
      .expect(201);
    expect(res.body.title).toEqual({ th: 'หนังสือรับรอง', en: 'Certificate' });
  });

  it('validates data of an uploaded form with field paths', async () => {
    await request(app).post('/api/v1/templates').send(upload('checked-certificate')).expect(201);
    const res = await request(app).post('/api/v1/render/checked-certificate?format=pdf').send({ ...data, date: '2565-02-30' }).expect(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ path: 'date', th: expect.stringContaining('วันที่ไม่ถูกต้อง') })]);
  });

  it('refuses the id of a shipped form', async () => {
    const res = await request(app).post('/api/v1/templates').send(upload('external-letter')).expect(409);
    expect(res.body.error.code).toBe('id_taken');
    expect(res.body.error.fields[0].path).toBe('id');
  });

  it('reports a template syntax error with its line', async () => {
    const broken = '{"type": "paragraph", "text": "{{name}}"}\n{"type": "paragraph", "text": "{{position}}"}\n\n{"type": "paragraph", "text": "{{unit}"}\n';
    const res = await request(app).post('/api/v1/templates').send(upload('broken', { template: broken })).expect(400);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.line).toBe(4);
    expect(res.body.error.th).toContain('บรรทัดที่ 4');
  });

  it('reports a block the template writes wrongly, with its line, as a 400 when rendering', async () => {
    const wrong = '{"type": "paragraph", "text": "{{name}}"}\n{"type": "paragraf", "text": "x"}\n';
    await request(app).post('/api/v1/templates').send(upload('wrong-block', { template: wrong })).expect(201);
    const res = await request(app).post('/api/v1/render/wrong-block?format=pdf').send(data).expect(400);
    expect(res.body.error.fields[0].path).toBe('(template)');
    expect(res.body.error.fields[0].th).toContain('บรรทัดที่ 2');
  });

  it('is sandboxed: no prototype access, no partials from files', async () => {
    const proto = '{"type": "paragraph", "text": "[{{name.constructor}}][{{constructor.name}}][{{__proto__}}]"}\n';
    await request(app).post('/api/v1/templates').send(upload('proto', { template: proto })).expect(201);
    const pdf = await request(app).post('/api/v1/render/proto?format=pdf').send(data).buffer(true).parse(binary).expect(200);
    expect(stripSpace(pdftotext(pdf.body as Buffer))).toContain('[][][]');
    // A partial that is neither shipped nor defined in the template is refused on upload, with its line.
    const partial = '{"type": "paragraph", "text": "x"}\n{{> ../../package}}\n';
    const res = await request(app).post('/api/v1/templates').send(upload('partial', { template: partial })).expect(400);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.line).toBe(2);
    expect(res.body.error.en).toMatch(/partial "\.\.\/\.\.\/package" does not exist/);
  });

  it('refuses a template over the size limit and a schema outside the subset', async () => {
    let res = await request(app).post('/api/v1/templates').send(upload('huge', { template: `${'{"type": "spacer", "height": "1cm"}\n'.repeat(8000)}` })).expect(400);
    expect(res.body.error.fields[0].path).toBe('template');
    res = await request(app).post('/api/v1/templates').send(upload('odd-schema', { schema: { type: 'object', properties: { a: { type: 'string', format: 'uri' } } } })).expect(400);
    expect(res.body.error.code).toBe('invalid_schema');
    expect(res.body.error.en).toContain('a: the only supported format is "date"');
  });
});

describe('uploaded templates cannot stop the service (issue 15)', () => {
  const post = (body: object) => request(app).post('/api/v1/templates').send(body);
  const small = (id: string, extra: Record<string, unknown> = {}) => ({
    id, title: { th: 'ทดสอบ', en: 'Test' }, template: '{"type": "paragraph", "text": "{{name}}"}\n',
    schema: { type: 'object', properties: { name: { type: 'string' } } }, ...extra,
  });
  const elapsed = async (f: () => Promise<unknown>) => { const started = performance.now(); await f(); return performance.now() - started; };

  it('refuses inline partials doubling over 17 levels on upload within a couple of seconds, naming the line', async () => {
    let template = '{{#*inline "p0"}}{"type": "paragraph", "text": "x"}{{/inline}}\n';
    for (let i = 1; i <= 17; i++) template += `{{#*inline "p${i}"}}{{> p${i - 1}}}{{> p${i - 1}}}{{/inline}}\n`;
    template += '{{> p17}}\n';
    let res!: request.Response;
    expect(await elapsed(async () => { res = await post(small('doubling', { template })).expect(400); })).toBeLessThan(2000);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.line).toBe(19);
    expect(res.body.error.en).toMatch(/nests partials 18 deep/);
    expect(res.body.error.th).toContain('บรรทัดที่ 19');
  });

  it('stops nested loops over the data on rendering with a 400 naming the step limit and the line, fast', async () => {
    const template = '{"type": "spacer", "height": "1pt"}\n{{#each @root.a}}\n{{#each @root.a}}\n{{#each @root.a}}\n{{#each @root.a}}{{@index}}{{/each}}{{/each}}{{/each}}{{/each}}\n';
    const schema = { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } }, required: ['a'] };
    await post(small('nested-loops', { template, schema })).expect(201);
    let res!: request.Response;
    const a = Array.from({ length: 1000 }, (_, i) => String(i));
    expect(await elapsed(async () => { res = await request(app).post('/api/v1/render/nested-loops?format=pdf').send({ a }).expect(400); })).toBeLessThan(5000);
    expect(res.body.error.fields[0].path).toBe('(template)');
    expect(res.body.error.fields[0].en).toMatch(/stopped after 200000 steps/);
    expect(res.body.error.fields[0].th).toContain('บรรทัดที่ 5');
    // The same template over no items renders.
    await request(app).post('/api/v1/render/nested-loops?format=pdf').send({ a: [] }).expect(200);
  });

  it('refuses {{log}}: a template cannot write lines into the service log', async () => {
    const template = '{"type": "paragraph", "text": "x"}\n{{log "{\\"path\\":\\"/api/v1/FORGED\\",\\"status\\":200}"}}\n';
    const res = await post(small('forger', { template })).expect(400);
    expect(res.body.error.code).toBe('invalid_template');
    expect(res.body.error.line).toBe(2);
    expect(res.body.error.en).toMatch(/"log" helper is not available/);
  });

  it('refuses formatNumber with a billion decimals on upload, and decimals from the data on rendering', async () => {
    const res = await post(small('billion-digits', { template: '{"type": "paragraph", "text": "{{formatNumber name 999999999}}"}\n' })).expect(400);
    expect(res.body.error.en).toMatch(/formatNumber: decimals must be a whole number from 0 to 10/);
    expect(res.body.error.line).toBe(1);
    const schema = { type: 'object', properties: { n: { type: 'string' }, places: { type: 'integer' } }, required: ['n', 'places'] };
    await post(small('data-decimals', { template: '{"type": "paragraph", "text": "{{formatNumber n places}}"}\n', schema })).expect(201);
    const rendered = await request(app).post('/api/v1/render/data-decimals?format=pdf').send({ n: '1', places: 999999999 }).expect(400);
    expect(rendered.body.error.fields[0].en).toMatch(/formatNumber: decimals must be a whole number from 0 to 10/);
    await request(app).post('/api/v1/render/data-decimals?format=pdf').send({ n: '1', places: 2 }).expect(200);
  });

  it('refuses a schema pattern that backtracks catastrophically with a 400 naming schema.<path>.pattern; ordinary patterns pass', async () => {
    const schema = (pattern: string) => ({ type: 'object', properties: { name: { type: 'string' }, signer: { type: 'object', properties: { code: { type: 'string', pattern } } } } });
    const res = await post(small('redos', { schema: schema('^(a+)+$') })).expect(400);
    expect(res.body.error.code).toBe('invalid_schema');
    expect(res.body.error.fields[0].path).toBe('schema.signer.code.pattern');
    expect(res.body.error.en).toMatch(/backtrack catastrophically/);
    await post(small('citizen-pattern', { schema: schema('^[0-9]{13}$') })).expect(201);
    await post(small('thousands-pattern', { schema: schema('^\\d{1,3}(,\\d{3})*$') })).expect(201);
  });

  it('caps the number of templates (SARABAN_TEMPLATES_MAX) and their total size (SARABAN_TEMPLATES_MAX_BYTES) with a 413', async () => {
    const listed = (await request(app).get('/api/v1/templates').expect(200)).body.templates as { id: string }[];
    const sizeOf = (u: { template: string; schema: unknown }) => Buffer.byteLength(u.template) + Buffer.byteLength(JSON.stringify(u.schema));
    let total = 0;
    for (const { id } of listed) total += sizeOf((await request(app).get(`/api/v1/templates/${id}`).expect(200)).body);
    try {
      process.env.SARABAN_TEMPLATES_MAX = String(listed.length + 1);
      await post(small('cap-one')).expect(201);
      total += sizeOf(small('cap-one'));
      let res = await post(small('cap-two')).expect(413);
      expect(res.body.error.code).toBe('too_many_templates');
      expect(res.body.error.en).toContain(`${listed.length + 1} templates`);
      expect(res.body.error.th).toContain(`${listed.length + 1} แบบ`);
      // Replacing one is not one more.
      await post(small('cap-one', { title: { th: 'แทนที่', en: 'Replaced' } })).expect(201);
      delete process.env.SARABAN_TEMPLATES_MAX;

      process.env.SARABAN_TEMPLATES_MAX_BYTES = String(total + sizeOf(small('cap-three')));
      await post(small('cap-three')).expect(201);
      res = await post(small('cap-four')).expect(413);
      expect(res.body.error.code).toBe('templates_too_large');
      expect(res.body.error.en).toContain(`(${total + sizeOf(small('cap-three'))} bytes)`);
      expect(res.body.error.th).toContain('ไบต์');
      // A replacement counts its old size out: the same size fits, one byte more does not.
      await post(small('cap-three', { template: '{"type": "paragraph", "text": "{{ name}}"}' })).expect(201);
      expect((await post(small('cap-three', { template: '{"type": "paragraph", "text": "{{ name }}"}' })).expect(413)).body.error.code).toBe('templates_too_large');
      // Deleting one makes room.
      await request(app).delete('/api/v1/templates/cap-one').expect(204);
      await post(small('cap-four')).expect(201);
    } finally {
      delete process.env.SARABAN_TEMPLATES_MAX;
      delete process.env.SARABAN_TEMPLATES_MAX_BYTES;
    }
  });

  it('hands an upload to a render thread: userTemplateSource, and registerUserTemplate without saving, cheap when repeated', async () => {
    const { registerUserTemplate, userTemplateSource } = await import('../src/usertemplates/index.js');
    const { getForm } = await import('../src/forms/registry.js');
    await post(upload('handed-certificate')).expect(201);
    const source = userTemplateSource('handed-certificate') as TemplateUpload;
    expect(source).toEqual(upload('handed-certificate'));
    expect(userTemplateSource('no-such-template')).toBeUndefined();
    const form = getForm('handed-certificate');
    const started = performance.now();
    for (let i = 0; i < 100; i++) registerUserTemplate(structuredClone(source));
    expect(performance.now() - started).toBeLessThan(500);
    expect(getForm('handed-certificate')).toBe(form);
    registerUserTemplate({ ...source, title: { th: 'ฉบับใหม่', en: 'New edition' } });
    expect(getForm('handed-certificate')!.title.en).toBe('New edition');
    registerUserTemplate({ ...source, id: 'thread-only' });
    expect(getForm('thread-only')).toBeDefined();
    expect(existsSync(join(dataDir, 'templates', 'thread-only.json'))).toBe(false);
    expect(() => registerUserTemplate({ ...source, id: 'thread-bad', template: '{{log "x"}}' })).toThrow(/log/);
  });
});
