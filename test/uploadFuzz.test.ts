/**
 * Uploads that are truncated, oversized, renamed, empty or malicious (a ZIP
 * bomb, a ZIP with ../ entries, a PDF named .csv, an XLSX without the sheet
 * asked for, random bytes) against every upload route: batch, docx-merge,
 * templates (multipart) and render's emblem. Each must be a 4xx in our error
 * shape (never a 5xx, never a library message), and no batch job may be left
 * half-written. Also the ZIP guard itself, the row limit and the 413s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { BatchManager } from '../src/batch/manager.js';

/** Small limits, read by the modules as they load: an "oversized" file is quick to make. */
const UPLOAD_LIMIT = 1024 * 1024;
const dataDir = mkdtempSync(join(tmpdir(), 'saraban-upload-fuzz-'));
const jobsDir = join(dataDir, 'jobs');

let server: Server;
let base: string;
let jobs: BatchManager;
let zipGuard: typeof import('../src/input/zipGuard.js');

beforeAll(async () => {
  process.env.SARABAN_DATA_DIR = dataDir;
  process.env.SARABAN_UPLOAD_LIMIT_BYTES = String(UPLOAD_LIMIT);
  const { createApp } = await import('../src/http/app.js');
  const { BatchManager } = await import('../src/batch/manager.js');
  const { JobStore } = await import('../src/batch/jobs.js');
  const { RenderPool } = await import('../src/batch/pool.js');
  zipGuard = await import('../src/input/zipGuard.js');
  jobs = new BatchManager(new JobStore(jobsDir), new RenderPool(1));
  server = createServer(createApp({ batch: () => jobs }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await jobs?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server?.closeAllConnections?.();
  rmSync(dataDir, { recursive: true, force: true });
  delete process.env.SARABAN_UPLOAD_LIMIT_BYTES;
  delete process.env.SARABAN_MAX_ROWS;
});

// ---------------------------------------------------------------- files

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
function docxOf(body: string, extra: Record<string, Uint8Array> = {}): Buffer {
  return Buffer.from(zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${body}<w:sectPr/></w:body></w:document>`),
    ...extra,
  }));
}
const letter = docxOf('<w:p><w:r><w:t>เรียน {{name}}</w:t></w:r></w:p>');
const xlsx = readFileSync(new URL('../examples/batch/applicants-chainat.xlsx', import.meta.url));
const csv = readFileSync(new URL('../examples/batch/applicants-chainat.csv', import.meta.url));
const png = readFileSync(new URL('../templates/emblem/placeholder.png', import.meta.url));
const pdf = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const letterData = JSON.parse(readFileSync(new URL('../examples/external-letter/minimal.json', import.meta.url), 'utf8')) as unknown;
const templateText = readFileSync(new URL('../docs/examples/work-certificate/template.hbs', import.meta.url), 'utf8');
const schemaText = readFileSync(new URL('../docs/examples/work-certificate/schema.json', import.meta.url), 'utf8');

/** 50 MB of zeros in one entry: about 50 KB packed, a 1000:1 ratio. */
const ratioBomb = () => Buffer.from(zipSync({ 'word/document.xml': new Uint8Array(50 * 1024 * 1024) }, { level: 9 }));
/** More entries than the limit, each tiny. */
const manyEntries = () => Buffer.from(zipSync(Object.fromEntries(Array.from({ length: 5001 }, (_v, i) => [`xl/e${i}.xml`, strToU8('x')]))));
/** Entries whose sizes add up past 200 MB by their headers (each entry under the ratio's notice: a lie about small parts). */
function declaredHuge(): Buffer {
  const zip = Buffer.from(zipSync({ 'word/document.xml': strToU8('<w:document/>'), 'a.xml': strToU8('a'), 'b.xml': strToU8('b') }, { level: 0 }));
  patchCentral(zip, (at, name) => { if (name !== 'word/document.xml') zip.writeUInt32LE(150 * 1024 * 1024, at + 24); });
  return zip;
}
/** A document part that inflates to far more than its header declares. */
function lyingSize(): Buffer {
  const zip = Buffer.from(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8(`<w:document ${W}><w:body>${'<w:p><w:r><w:t>{{name}}</w:t></w:r></w:p>'.repeat(2000)}</w:body></w:document>`) }, { level: 9 }));
  patchCentral(zip, (at, name) => { if (name === 'word/document.xml') zip.writeUInt32LE(1000, at + 24); });
  return zip;
}
const traversal = (name: string) => Buffer.from(zipSync({ 'word/document.xml': strToU8(`<w:document ${W}><w:body><w:p><w:r><w:t>{{name}}</w:t></w:r></w:p></w:body></w:document>`), [name]: strToU8('evil') }));

/** Calls `edit` with the offset and name of each central directory entry. */
function patchCentral(zip: Buffer, edit: (at: number, name: string) => void): void {
  let eocd = zip.length - 22;
  while (zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const n = zip.readUInt16LE(at + 28);
    edit(at, zip.subarray(at + 46, at + 46 + n).toString('utf8'));
    at += 46 + n + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
}

interface Upload { name: string; file: Buffer; filename: string }

/** The malicious and broken files, each with the name it is uploaded under. */
function badFiles(): Upload[] {
  const bomb = ratioBomb();
  return [
    { name: 'empty csv', file: Buffer.alloc(0), filename: 'rows.csv' },
    { name: 'empty xlsx', file: Buffer.alloc(0), filename: 'rows.xlsx' },
    { name: 'pdf named .csv', file: pdf, filename: 'rows.csv' },
    { name: 'pdf named .xlsx', file: pdf, filename: 'rows.xlsx' },
    { name: 'pdf named .docx', file: pdf, filename: 'letter.docx' },
    { name: 'png named .csv', file: png, filename: 'rows.csv' },
    { name: 'png named .docx', file: png, filename: 'letter.docx' },
    { name: 'xlsx named .docx', file: xlsx, filename: 'letter.docx' },
    { name: 'docx named .xlsx', file: letter, filename: 'rows.xlsx' },
    { name: 'truncated xlsx', file: xlsx.subarray(0, Math.floor(xlsx.length / 2)), filename: 'rows.xlsx' },
    { name: 'truncated docx', file: letter.subarray(0, letter.length - 30), filename: 'letter.docx' },
    { name: 'oversized', file: Buffer.concat([csv, Buffer.alloc(UPLOAD_LIMIT, 0x41)]), filename: 'rows.csv' },
    { name: 'zip bomb (ratio)', file: bomb, filename: 'rows.xlsx' },
    { name: 'zip bomb (ratio) as docx', file: bomb, filename: 'letter.docx' },
    { name: 'zip bomb (entries)', file: manyEntries(), filename: 'rows.xlsx' },
    { name: 'zip bomb (declared size)', file: declaredHuge(), filename: 'rows.xlsx' },
    { name: 'zip with lying size', file: lyingSize(), filename: 'letter.docx' },
    { name: 'zip with ../evil', file: traversal('../evil'), filename: 'rows.xlsx' },
    { name: 'zip with word/../../evil', file: traversal('word/../../evil'), filename: 'letter.docx' },
    { name: 'zip with absolute path', file: traversal('/etc/evil'), filename: 'letter.docx' },
    { name: 'zip with backslash', file: traversal('..\\evil'), filename: 'letter.docx' },
    { name: 'random bytes', file: Buffer.from(Array.from({ length: 4000 }, (_v, i) => (i * 7919 + 13) % 256)), filename: 'rows.csv' },
  ];
}

// ---------------------------------------------------------------- requests

const LEAK = /\/work\/|node_modules|\n\s+at |\bError: |TypeError|RangeError|SyntaxError|file:\/\//;

async function post(path: string, form: FormData): Promise<{ status: number; body: { error?: { code?: string; th?: string; en?: string } }; text: string }> {
  const res = await fetch(base + path, { method: 'POST', body: form });
  const text = await res.text();
  let body = {};
  try { body = JSON.parse(text) as object; } catch { /* not JSON: checked by the caller */ }
  return { status: res.status, body, text };
}

const blob = (b: Buffer) => new Blob([new Uint8Array(b)]);

/** Asserts a structured 4xx; returns its code. */
function expectRefused(what: string, r: Awaited<ReturnType<typeof post>>, statuses: number[] = [400, 413, 415]): string {
  expect(statuses, `${what}: ${r.status} ${r.text.slice(0, 300)}`).toContain(r.status);
  expect(r.body.error?.code, what).toMatch(/^[a-z_]+$/);
  expect(r.body.error?.th, what).toMatch(/[\u0e00-\u0e7f]/);
  expect(r.body.error?.en, what).toBeTruthy();
  expect(r.text, what).not.toMatch(LEAK);
  return r.body.error!.code!;
}

const routes: Record<string, (u: Upload) => FormData> = {
  batch: (u) => { const f = new FormData(); f.append('file', blob(u.file), u.filename); f.append('shared', JSON.stringify({ round: { month: 'เมษายน', year: 2558 } })); return f; },
  'docx-merge template': (u) => { const f = new FormData(); f.append('template', blob(u.file), u.filename); f.append('data', JSON.stringify({ name: 'ทดสอบ' })); return f; },
  'docx-merge rows': (u) => { const f = new FormData(); f.append('template', blob(letter), 'letter.docx'); f.append('rows', blob(u.file), u.filename); return f; },
  'templates template': (u) => { const f = new FormData(); f.append('id', 'fuzz-upload'); f.append('titleTh', 'ทดสอบ'); f.append('titleEn', 'Test'); f.append('template', blob(u.file), u.filename.replace(/\.\w+$/, '.hbs')); f.append('schema', blob(Buffer.from(schemaText)), 'schema.json'); return f; },
  'templates schema': (u) => { const f = new FormData(); f.append('id', 'fuzz-upload'); f.append('titleTh', 'ทดสอบ'); f.append('titleEn', 'Test'); f.append('template', blob(Buffer.from(templateText)), 'template.hbs'); f.append('schema', blob(u.file), u.filename.replace(/\.\w+$/, '.json')); return f; },
  'render emblem': (u) => { const f = new FormData(); f.append('data', blob(Buffer.from(JSON.stringify(letterData))), 'letter.json'); f.append('emblem', blob(u.file), u.filename.replace(/\.\w+$/, '.png')); return f; },
  'render data': (u) => { const f = new FormData(); f.append('data', blob(u.file), u.filename.replace(/\.\w+$/, '.json')); return f; },
};
const routePath: Record<string, string> = {
  batch: '/api/v1/batch/applicant-summary', 'docx-merge template': '/api/v1/docx-merge', 'docx-merge rows': '/api/v1/docx-merge',
  'templates template': '/api/v1/templates', 'templates schema': '/api/v1/templates', 'render emblem': '/api/v1/render/external-letter',
  'render data': '/api/v1/render/external-letter',
};

/** The jobs' folders (not the store's own lock, trash and quarantine, which start with a dot). */
const jobDirs = () => (existsSync(jobsDir) ? readdirSync(jobsDir).filter((name) => !name.startsWith('.')) : []);

describe('malicious and broken uploads', { timeout: 300_000 }, () => {
  it('every route refuses every bad file with a structured 4xx, and no job is made', async () => {
    const before = jobDirs().length;
    const codes: string[] = [];
    let accepted = 0;
    for (const u of badFiles()) {
      for (const [route, form] of Object.entries(routes)) {
        const r = await post(routePath[route]!, form(u));
        // A file can be fine for another route (a PNG is an emblem; an XLSX named .docx is rows by its content):
        // what each route must refuse is asserted below by name.
        if (r.status < 300) { codes.push(`${route}/${u.name}: ${r.status} accepted`); if (route === 'batch') accepted++; continue; }
        codes.push(`${route}/${u.name}: ${r.status} ${expectRefused(`${u.name} -> ${route}`, r)}`);
      }
    }
    expect(jobDirs().length, 'no job made from a refused file').toBe(before + accepted);
    // The statuses that say what happened, checked for the cases that matter most.
    const find = (key: string) => codes.find((c) => c.startsWith(key));
    expect(find('batch/pdf named .csv:')).toMatch(/ 415 /);
    expect(find('batch/png named .csv:')).toMatch(/ 415 /);
    expect(find('batch/docx named .xlsx:')).toMatch(/ 415 /);
    expect(find('batch/random bytes:')).toMatch(/ 415 /);
    expect(find('batch/oversized:')).toMatch(/ 413 file_too_large/);
    expect(find('batch/zip bomb (ratio):')).toMatch(/ 413 file_zip_too_large/);
    expect(find('batch/zip bomb (entries):')).toMatch(/ 413 file_zip_too_large/);
    expect(find('batch/zip bomb (declared size):')).toMatch(/ 413 file_zip_too_large/);
    expect(find('batch/zip with ../evil:')).toMatch(/ 400 file_unsafe_zip/);
    expect(find('docx-merge template/pdf named .docx:')).toMatch(/ 415 unsupported_media_type/);
    expect(find('docx-merge template/xlsx named .docx:')).toMatch(/ 415 unsupported_media_type/);
    expect(find('docx-merge template/zip bomb (ratio) as docx:')).toMatch(/ 413 docx_too_large/);
    expect(find('docx-merge template/zip with lying size:')).toMatch(/ 413 docx_too_large/);
    expect(find('docx-merge template/zip with word/../../evil:')).toMatch(/ 400 unsafe_docx/);
    expect(find('docx-merge template/zip with absolute path:')).toMatch(/ 400 unsafe_docx/);
    expect(find('docx-merge template/zip with backslash:')).toMatch(/ 400 unsafe_docx/);
    expect(find('docx-merge rows/pdf named .csv:')).toMatch(/ 415 not_csv/);
    expect(find('docx-merge rows/zip with ../evil:')).toMatch(/ 400 unsafe_zip/);
    expect(find('docx-merge rows/oversized:')).toMatch(/ 413 file_too_large/);
    expect(find('templates template/png named .csv:')).toMatch(/ 415 unsupported_media_type/);
    expect(find('templates schema/pdf named .csv:')).toMatch(/ 415 unsupported_media_type/);
    expect(find('render emblem/pdf named .csv:')).toMatch(/ 415 unsupported_media_type/);
    expect(find('render emblem/xlsx named .docx:')).toMatch(/ 415 unsupported_media_type/);
  });

  it('an XLSX without the sheet asked for is a 400 naming the sheets, and no job', async () => {
    const before = jobDirs().length;
    const f = routes.batch!({ name: 'xlsx', file: xlsx, filename: 'rows.xlsx' });
    f.append('sheet', 'ไม่มีแผ่นนี้');
    const r = await post(routePath.batch!, f);
    expect(expectRefused('missing sheet', r, [400])).toBe('file_sheet_not_found');
    expect(jobDirs().length).toBe(before);
  });

  it('random and truncated files never make a 5xx on any route', async () => {
    const files = fc.sample(fc.oneof(
      fc.uint8Array({ maxLength: 5000 }).map((b) => Buffer.from(b)),
      fc.nat({ max: xlsx.length }).map((n) => xlsx.subarray(0, n)),
      fc.nat({ max: letter.length }).map((n) => letter.subarray(0, n)),
      fc.nat({ max: png.length }).map((n) => png.subarray(0, n)),
      // A valid file with a few bytes flipped: a damaged ZIP directory or deflate stream.
      fc.tuple(fc.constantFrom(xlsx, letter, png), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 8 }))
        .map(([file, flips]) => { const b = Buffer.from(file); for (const [at, v] of flips) b[at % b.length] = v; return b; }),
    ), { numRuns: Number(process.env.UPLOAD_FUZZ_RUNS ?? 60), seed: Number(process.env.FUZZ_SEED ?? 7) });
    const names = ['rows.csv', 'rows.xlsx', 'letter.docx'];
    let i = 0;
    for (const file of files) {
      const filename = names[i++ % names.length]!;
      for (const [route, form] of Object.entries(routes)) {
        const r = await post(routePath[route]!, form({ name: 'random', file, filename }));
        expect(r.status, `${route} ${filename} (${file.length} bytes): ${r.text.slice(0, 300)}`).toBeLessThan(500);
        if (r.status >= 400) expectRefused(`${route} random`, r, [400, 404, 409, 413, 415]);
      }
    }
    // Whatever was accepted as a job ends cleanly: done or failed, never a half-written result.
    for (const id of jobDirs()) {
      const job = await jobs.finished(id);
      expect(['done', 'failed']).toContain(job.state);
      const files = readdirSync(join(jobsDir, id));
      expect(files).not.toContain('result.part');
      expect(files).not.toContain('work');
      if (job.state === 'failed') expect(JSON.stringify(job.error)).not.toMatch(LEAK);
    }
  });
});

describe('limits', { timeout: 120_000 }, () => {
  it('a batch file over SARABAN_MAX_ROWS fails its job with too_many_rows naming the limit, leaving no result', async () => {
    process.env.SARABAN_MAX_ROWS = '3';
    try {
      const f = routes.batch!({ name: 'csv', file: csv, filename: 'rows.csv' });
      const r = await post(routePath.batch!, f);
      expect(r.status).toBe(202);
      const id = (r.body as { id: string }).id;
      const job = await jobs.finished(id);
      expect(job.state).toBe('failed');
      expect(job.error).toMatchObject({ code: 'too_many_rows' });
      expect(job.error!.en).toContain('3 rows');
      expect(job.error!.th).toContain('3 แถว');
      expect(readdirSync(join(jobsDir, id)).sort()).toEqual(['input', 'job.json']);
      const result = await fetch(`${base}/api/v1/jobs/${id}/result`);
      expect(result.status).toBe(409);
    } finally {
      delete process.env.SARABAN_MAX_ROWS;
    }
  });

  it('docx-merge rows over the row limit answer 413 too_many_rows', async () => {
    process.env.SARABAN_MAX_ROWS = '2';
    try {
      const rowsCsv = Buffer.from('name\nก\nข\nค\n');
      const r = await post('/api/v1/docx-merge', routes['docx-merge rows']!({ name: 'csv', file: rowsCsv, filename: 'rows.csv' }));
      expect(expectRefused('rows', r, [413])).toBe('too_many_rows');
      const f = new FormData();
      f.append('template', blob(letter), 'letter.docx');
      f.append('data', JSON.stringify([{ name: 'ก' }, { name: 'ข' }, { name: 'ค' }]));
      expect(expectRefused('data', await post('/api/v1/docx-merge', f), [413])).toBe('too_many_rows');
    } finally {
      delete process.env.SARABAN_MAX_ROWS;
    }
  });

  it('JSON bodies over the JSON limit answer 413 on every JSON route', async () => {
    const big = JSON.stringify({ ...(letterData as object), subject: 'ก'.repeat(400_000) });
    for (const path of ['/api/v1/render/external-letter', '/api/v1/forms/esa-director-evaluation/compute', '/api/v1/preview/external-letter', '/api/v1/templates']) {
      const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      const text = await res.text();
      expect(res.status, path).toBe(413);
      expect(JSON.parse(text).error.code, path).toBe('too_large');
    }
  });

  it("multer's limits are structured answers: unknown file field 400, too many files 413, a cut body 400", async () => {
    const f = new FormData();
    f.append('nonsense', blob(csv), 'x.csv');
    expect(expectRefused('unexpected', await post('/api/v1/batch/applicant-summary', f), [400])).toBe('unexpected_file');
    const many = new FormData();
    for (let i = 0; i < 5; i++) many.append('template', blob(letter), 'letter.docx');
    expect(expectRefused('many', await post('/api/v1/docx-merge', many), [400, 413])).toMatch(/unexpected_file|too_many_parts/);
    const cut = await fetch(`${base}/api/v1/docx-merge`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=xyz' }, body: '--xyz\r\nContent-Disposition: form-data; name="template"; filename="a.docx"\r\n\r\nPK' });
    const text = await cut.text();
    expect(cut.status).toBe(400);
    expect(JSON.parse(text).error.code).toBe('invalid_multipart');
    const noBoundary = await fetch(`${base}/api/v1/templates`, { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: 'x' });
    expect(noBoundary.status).toBe(400);
    expect(await noBoundary.text()).not.toMatch(LEAK);
  });
});

describe('ZIP guard', () => {
  it('reads the directory of a real XLSX and DOCX, and refuses bombs and unsafe names', () => {
    expect(zipGuard.checkZip(xlsx).some((e) => e.name === 'xl/workbook.xml')).toBe(true);
    expect(Object.keys(zipGuard.unzipGuarded(letter))).toContain('word/document.xml');
    const reason = (f: () => unknown) => { try { f(); return 'ok'; } catch (e) { return (e as InstanceType<typeof zipGuard.ZipGuardError>).reason; } };
    expect(reason(() => zipGuard.checkZip(ratioBomb()))).toBe('too_large');
    expect(reason(() => zipGuard.checkZip(manyEntries()))).toBe('too_large');
    expect(reason(() => zipGuard.checkZip(declaredHuge()))).toBe('too_large');
    expect(reason(() => zipGuard.checkZip(lyingSize()))).toBe('ok');
    expect(reason(() => zipGuard.unzipGuarded(lyingSize()))).toBe('too_large');
    for (const name of ['../evil', 'a/../../evil', '/abs', 'C:/x', 'a\\b']) expect(reason(() => zipGuard.checkZip(traversal(name))), name).toBe('unsafe');
    expect(reason(() => zipGuard.checkZip(pdf))).toBe('damaged');
    // Limits are settings: the same ZIP passes with a higher ratio allowed.
    expect(reason(() => zipGuard.checkZip(ratioBomb(), { maxEntries: 10, maxUnpackedBytes: 1e9, maxRatio: 5000 }))).toBe('ok');
    expect(zipGuard.unsafeEntryName('word/document.xml')).toBe(false);
    expect(zipGuard.unsafeEntryName('word/..data.xml')).toBe(false);
  });
});
