import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import { createApp, downloadName } from '../src/http/app.js';
import { pdftotext, stripSpace } from './helpers/pdf.js';
import { binary } from './helpers/http.js';
import { toThaiDigits } from '../src/thai/index.js';

const app = createApp();
const example = JSON.parse(readFileSync(new URL('../examples/external-letter/obec-salary-increment-2565.json', import.meta.url), 'utf8'));

describe('HTTP API', () => {
  it('lists the forms with titles and JSON Schemas', async () => {
    const res = await request(app).get('/api/v1/forms').expect(200);
    const ids = (res.body.forms as { id: string }[]).map((f) => f.id);
    expect(ids).toContain('external-letter');
    const letter = res.body.forms.find((f: { id: string }) => f.id === 'external-letter');
    expect(letter.title.th).toBe('หนังสือภายนอก');
    expect(letter.schema.type).toBe('object');
    expect(letter.schema.required).toEqual(expect.arrayContaining(['number', 'subject', 'body', 'signer']));
  });

  it('renders a PDF with its content type and file name', async () => {
    const res = await request(app).post('/api/v1/render/external-letter?format=pdf').send(example).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    // Named from the data (its reference number and date), in UTF-8 for Thai; ASCII-only clients get a readable fallback.
    const name = `${example.number} ${example.date}.pdf`.replace(/\//g, '_');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect(stripSpace(pdftotext(res.body as Buffer))).toContain('ซักซ้อมการเลื่อนเงินเดือน');
  });

  it('renders a DOCX', async () => {
    const res = await request(app).post('/api/v1/render/external-letter?format=docx').send(example).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((res.body as Buffer).subarray(0, 2).toString()).toBe('PK');
  });

  it('accepts multipart with the data as a file and an emblem image', async () => {
    const png = readFileSync(new URL('../templates/emblem/placeholder.png', import.meta.url));
    const res = await request(app).post('/api/v1/render/external-letter')
      .attach('data', Buffer.from(JSON.stringify(example)), 'letter.json')
      .attach('emblem', png, 'garuda.png')
      .buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
  });

  it('answers 400 with field paths in Thai and English for invalid data', async () => {
    const res = await request(app).post('/api/v1/render/external-letter').send({ ...example, date: '31/02/2565', signer: {} }).expect(400);
    expect(res.body.error.code).toBe('invalid_input');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['date', 'signer.name', 'signer.positions']));
    for (const f of res.body.error.fields) { expect(f.th).toMatch(/[\u0e00-\u0e7f]/); expect(f.en).toBeTruthy(); }
  });

  it('answers 400 for malformed JSON, an unknown format, a bad emblem and an unknown font', async () => {
    const bad = await request(app).post('/api/v1/render/memo').set('content-type', 'application/json').send('{"subject": ').expect(400);
    expect(bad.body.error.code).toBe('invalid_json');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.js|node_modules|SyntaxError/);
    const fmt = await request(app).post('/api/v1/render/external-letter?format=odt').send(example).expect(400);
    expect(fmt.body.error.fields[0].path).toBe('format');
    const emblem = await request(app).post('/api/v1/render/external-letter').send({ ...example, options: { emblem: { data: Buffer.from('not an image').toString('base64') } } }).expect(400);
    expect(emblem.body.error.fields[0].path).toBe('options.emblem.data');
    const font = await request(app).post('/api/v1/render/external-letter').send({ ...example, options: { font: 'Comic Sans' } }).expect(400);
    expect(font.body.error.fields[0].path).toBe('options.font');
  });

  it('answers 400, not 500, for an emblem that claims a format but is broken, and accepts a sound SVG', async () => {
    const b64 = (s: string) => Buffer.from(s, 'binary').toString('base64');
    for (const broken of ['\x89PNG\r\n\x1a\n not really a png', '<svg><g><unclosed', '\xff\xd8\xff truncated jpeg']) {
      for (const format of ['pdf', 'docx']) {
        const res = await request(app).post(`/api/v1/render/external-letter?format=${format}`).send({ ...example, options: { emblem: { data: b64(broken) } } }).expect(400);
        expect(res.body.error.fields[0].path).toBe('options.emblem.data');
      }
    }
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle cx="50" cy="50" r="40" fill="none" stroke="#888"/></svg>';
    await request(app).post('/api/v1/render/external-letter').send({ ...example, options: { emblem: { data: b64(svg) } } }).expect(200);
  });

  it('answers 404 for an unknown form, 413 for an oversized body, 415 for other media types', async () => {
    const nf = await request(app).post('/api/v1/render/no-such-form').send(example).expect(404);
    expect(nf.body.error.code).toBe('unknown_form');
    const big = { ...example, body: Array.from({ length: 400 }, () => 'ก'.repeat(3000)) };
    const tl = await request(app).post('/api/v1/render/external-letter').send(big).expect(413);
    expect(tl.body.error.code).toBe('too_large');
    const um = await request(app).post('/api/v1/render/external-letter').set('content-type', 'text/plain').send('hello').expect(415);
    expect(um.body.error.th).toBeTruthy();
    // A PDF sent as the data file is the wrong type (415); text that is not JSON is bad input (400).
    const pdfAsData = await request(app).post('/api/v1/render/external-letter').attach('data', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj', 'latin1'), 'letter.json').expect(415);
    expect(pdfAsData.body.error.fields[0].path).toBe('data');
    const notJson = await request(app).post('/api/v1/render/external-letter').attach('data', Buffer.from('ชื่อ,ที่\n'), 'letter.json').expect(400);
    expect(notJson.body.error.code).toBe('invalid_json');
  });
});

describe('HTTP details', () => {
  it('answers 405 with Allow for a known path and a wrong method, 404 for an unknown path', async () => {
    const res = await request(app).get('/api/v1/render/memo').expect(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.error).toMatchObject({ code: 'method_not_allowed', th: expect.stringMatching(/[\u0e00-\u0e7f]/) });
    expect((await request(app).put('/api/v1/jobs/abc').expect(405)).headers.allow).toBe('GET, DELETE');
    await request(app).get('/api/v1/no-such-route').expect(404);
  });

  it('answers 400 missing_data for a POST without a body, whatever its type', async () => {
    for (const path of ['/api/v1/render/memo', '/api/v1/forms/memo/compute', '/api/v1/preview/memo']) {
      expect((await request(app).post(path).expect(400)).body.error.code).toBe('missing_data');
    }
  });

  it('takes the format in any case', async () => {
    const res = await request(app).post('/api/v1/render/external-letter?format=DOCX').send(example).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toMatch(/\.docx$/);
  });

  it('names a download from its reference number, else its subject, with its date; else the form id', () => {
    expect(downloadName('memo', { number: 'ศธ 04009/123', subject: 'x', date: '2024-01-15' })).toBe('ศธ 04009_123 2024-01-15');
    expect(downloadName('memo', { subject: 'ขอเชิญประชุม', date: '2024-01-15' })).toBe('ขอเชิญประชุม 2024-01-15');
    expect(downloadName('memo', { subject: '  ' })).toBe('memo');
    expect(downloadName('memo', ['not', 'an', 'object'])).toBe('memo');
  });

  it('states the JSON limit in its 413', async () => {
    const res = await request(app).post('/api/v1/render/memo').set('content-type', 'application/json').send(`{"a":"${'x'.repeat(1_100_000)}"}`).expect(413);
    expect(res.body.error.en).toMatch(/SARABAN_JSON_LIMIT/);
  });
});

describe('compute endpoint', () => {
  const evaluation = JSON.parse(readFileSync(new URL('../examples/esa-director-evaluation/not-expert-round2-2565-refused.json', import.meta.url), 'utf8'));

  it('returns every score of both columns, and the rendered form prints the same numbers', async () => {
    const res = await request(app).post('/api/v1/forms/esa-director-evaluation/compute').send(evaluation).expect(200);
    const { self, supervisor } = res.body.computed;
    expect(res.body.formId).toBe('esa-director-evaluation');
    for (const column of [self, supervisor]) {
      expect(column.total).toMatch(/^\d{1,3}\.\d\d$/);
      expect(Number(column.total)).toBeCloseTo(Number(column.component1.score) + Number(column.component2.score) + Number(column.component3.score), 10);
    }
    const pdf = await request(app).post('/api/v1/render/esa-director-evaluation?format=pdf').send(evaluation).buffer(true).parse(binary).expect(200);
    const text = stripSpace(pdftotext(pdf.body as Buffer));
    for (const value of [self.total, supervisor.total, supervisor.component1.score, supervisor.component1.part2.score, supervisor.component3.score]) {
      expect(text).toContain(toThaiDigits(value));
    }
    expect(text).toContain(supervisor.band.th);
  });

  it('names the item at fault, and refuses other media types', async () => {
    const bad = structuredClone(evaluation);
    bad.component2.supervisor = { percent: 101 };
    const res = await request(app).post('/api/v1/forms/esa-director-evaluation/compute').send(bad).expect(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('component2.supervisor.percent');
    await request(app).post('/api/v1/forms/esa-director-evaluation/compute').set('content-type', 'text/plain').send('x').expect(415);
    await request(app).post('/api/v1/forms/no-such-form/compute').send({}).expect(404);
  });
});

