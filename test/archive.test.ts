import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeFormValues, renderForm, renderFormToFile } from '../src/service.js';
import { buildDocument, getForm, listForms } from '../src/forms/registry.js';
import { renderPdfFile } from '../src/render/pdf/renderPdf.js';
import { prepareText } from '../src/model/prepareText.js';
import { loadSigningKey, SigningSetupError } from '../src/sign/key.js';
import { checkSigningAtStart } from '../src/sign/startup.js';
import { createApp } from '../src/http/app.js';
import { makeTestCerts, type TestCerts } from './helpers/certs.js';
import { example } from './helpers/forms.js';
import { archiveChecks } from './helpers/archive.js';
import { pdftotext, stripSpace } from './helpers/pdf.js';

/**
 * Issue 18: PDF/A-3b with the form's data embedded, signed (PAdES B-B), and
 * checked with poppler's own tools, as a receiving office would: pdfsig,
 * pdfdetach, pdfinfo -meta, pdffonts. A throwaway CA from openssl signs the
 * test certificate; pdfsig trusts it through an NSS database of its own.
 */

const EXAMPLES = new URL('../examples/', import.meta.url).pathname;
let certs: TestCerts;
let work: string;

beforeAll(() => {
  certs = makeTestCerts();
  work = mkdtempSync(join(tmpdir(), 'saraban-archive-'));
  ({ saved, pdfsig, detached, expectArchivedAndSigned } = archiveChecks(work, certs.nssDir));
});
afterAll(() => {
  rmSync(certs.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

let saved: (pdf: Buffer) => string;
let pdfsig: (file: string) => string;
let detached: (file: string) => Map<string, string>;
let expectArchivedAndSigned: (pdf: Buffer, label: string) => string;

// First: the render threads this starts read the settings as they are now, without a certificate.
describe('a request to sign on a service without a certificate', () => {
  it('is a 400 naming options.sign, in Thai and English', async () => {
    const saved = process.env.SARABAN_SIGN_P12;
    delete process.env.SARABAN_SIGN_P12;
    try {
      const res = await request(createApp()).post('/api/v1/render/external-letter?format=pdf')
        .send({ ...example('external-letter', 'minimal.json'), options: { sign: true } }).expect(400);
      const field = res.body.error.fields.find((f: { path: string }) => f.path === 'options.sign');
      expect(field.th).toMatch(/ใบรับรอง/);
      expect(field.en).toMatch(/certificate/);
      const bad = await request(createApp()).post('/api/v1/render/external-letter?format=pdf')
        .send({ ...example('external-letter', 'minimal.json'), options: { archive: 'pdf/a-1' } }).expect(400);
      expect(bad.body.error.fields.map((f: { path: string }) => f.path)).toContain('options.archive');
    } finally {
      if (saved !== undefined) process.env.SARABAN_SIGN_P12 = saved;
    }
  });
});

describe('archived, signed PDFs', () => {
  beforeAll(() => {
    process.env.SARABAN_SIGN_P12 = certs.p12;
    process.env.SARABAN_SIGN_P12_PASSWORD = certs.password;
  });

  it('every example renders as PDF/A-3b with its data embedded, signed, and pdfsig finds the signature valid', async () => {
    let count = 0;
    for (const form of listForms()) {
      for (const name of readdirSync(join(EXAMPLES, form.id)).filter((f) => f.endsWith('.json') && f !== 'shared.json')) {
        const label = `${form.id}/${name}`;
        const input = JSON.parse(readFileSync(join(EXAMPLES, form.id, name), 'utf8')) as Record<string, unknown>;
        const { data } = await renderForm(form.id, { ...input, options: { ...(input.options as object), archive: 'pdf/a-3b', sign: true } }, 'pdf');
        const file = expectArchivedAndSigned(data, label);
        // The data as sent (its rendering options aside), and what the form computes, read back without OCR.
        const files = detached(file);
        const { options: _options, ...sent } = input;
        expect(JSON.parse(files.get('data.json') ?? 'null'), label).toEqual(sent);
        if (form.compute) expect(JSON.parse(files.get('data-computed.json') ?? 'null'), label).toEqual(JSON.parse(JSON.stringify(computeFormValues(form.id, input))));
        else expect([...files.keys()], label).toEqual(['data.json']);
        count++;
      }
    }
    expect(count).toBeGreaterThan(20);
  }, 600_000);

  it('one altered byte, or an altered word, makes the signature fail', async () => {
    const { data } = await renderForm('external-letter', { ...example('external-letter', 'minimal.json'), options: { archive: 'pdf/a-3b', sign: true } }, 'pdf');
    expect(pdfsig(saved(data))).toContain('Signature is Valid.');
    const range = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(data.toString('latin1'))!;
    // A byte in the middle of the first signed range, and one in the second (the update after the signature).
    for (const at of [Math.floor(Number(range[1]) / 2), Number(range[2]) + Math.floor(Number(range[3]) / 2)]) {
      const flipped = Buffer.from(data);
      flipped[at]! ^= 0x01;
      expect(pdfsig(saved(flipped)), `byte ${at}`).not.toContain('Signature is Valid.');
    }
    // A forger's change that keeps the file readable: the author in the XMP, same length.
    const text = data.toString('latin1');
    const at = text.indexOf('<pdf:Producer>Saraban');
    expect(at).toBeGreaterThan(0);
    const forged = Buffer.from(data);
    forged.write('<pdf:Producer>Sarabam', at, 'latin1');
    const report = pdfsig(saved(forged));
    expect(report).toContain('Digest Mismatch');
  });

  it('a long document written in parts is joined as one PDF/A-3b and signed once whole', async () => {
    const form = getForm('external-letter')!;
    const letter = example('external-letter', 'minimal.json') as Record<string, unknown>;
    // Three pages or so: a letter of many paragraphs.
    const input = { ...letter, body: Array.from({ length: 40 }, (_, i) => `ย่อหน้าที่ ${i + 1} ข้อความของหนังสือที่ยาวพอให้ขึ้นบรรทัดใหม่ ${'ทดสอบการจัดหน้า '.repeat(6)}`) };
    const built = buildDocument(form, { ...input, options: { archive: 'pdf/a-3b', sign: true } });
    const out = join(work, 'parts.pdf');
    // Through the service, as a batch document: the data file and the computed values go with it.
    await renderFormToFile(form.id, { ...input, options: { archive: 'pdf/a-3b', sign: true } }, 'pdf', out);
    const whole = readFileSync(out);
    // Then in parts of one page each, so concatPdfs joins them and writes the archive's metadata itself.
    const partsFile = join(work, 'one-page-parts.pdf');
    const options = { ...built.options, archive: 'pdf/a-3b' as const, sign: true, meta: { subject: form.title.th }, attachments: [{ name: 'data.json', description: 'data', json: JSON.stringify({ a: 'ก' }) }] };
    await renderPdfFile(prepareText(built.model), options, partsFile, 1);
    const joined = readFileSync(partsFile);
    const pages = (pdf: Buffer) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [saved(pdf)], { encoding: 'utf8' }))![1]);
    expect(pages(joined)).toBeGreaterThan(1);
    expect(pages(joined)).toBe(pages(whole));
    for (const [pdf, label] of [[whole, 'whole'], [joined, 'joined']] as const) {
      const file = expectArchivedAndSigned(pdf, label);
      expect(stripSpace(pdftotext(pdf))).toContain('ย่อหน้าที่๔๐');
      expect(detached(file).size, label).toBe(1);
    }
    expect(JSON.parse(detached(saved(whole)).get('data.json')!)).toEqual(input);
    expect(JSON.parse(detached(saved(joined)).get('data.json')!)).toEqual({ a: 'ก' });
    // One XMP packet and one output intent in the joined file: the parts' own gave way.
    const text = joined.toString('latin1');
    expect(text.match(/\/Type \/Metadata/g)).toHaveLength(1);
    expect(text.match(/\/Type \/OutputIntent\b/g)).toHaveLength(1);
  }, 120_000);

  it('writes the signature dictionary\'s reason, location and signer in Thai, and escapes XML in the XMP', async () => {
    const input = { ...example('external-letter', 'minimal.json'), subject: 'ทดสอบ <เครื่องหมาย> & "อัญประกาศ"', options: { archive: 'pdf/a-3b', sign: true } };
    const { data } = await renderForm('external-letter', input, 'pdf');
    const text = data.toString('latin1');
    const hex = (s: string) => Buffer.from(`\ufeff${s}`, 'utf16le').swap16().toString('hex');
    expect(text).toContain(`/Reason <${hex('รับรองความถูกต้องของหนังสือราชการอิเล็กทรอนิกส์')}>`);
    expect(text).toContain(`/Location <${hex('ประเทศไทย')}>`);
    expect(text).toContain(`/Name <${hex('นายทดสอบ ลงนาม')}>`);
    const xmp = execFileSync('pdfinfo', ['-meta', saved(data)], { encoding: 'utf8' });
    expect(xmp).toContain('ทดสอบ &lt;เครื่องหมาย&gt; &amp; &quot;อัญประกาศ&quot;');
  });

  it('leaves a PDF as it was without the options, and a DOCX as it is with them', async () => {
    const plain = (await renderForm('external-letter', example('external-letter', 'minimal.json'), 'pdf')).data;
    const text = plain.toString('latin1');
    expect(text).not.toContain('pdfaid');
    expect(text).not.toContain('/ByteRange');
    const docx = (await renderForm('external-letter', { ...example('external-letter', 'minimal.json'), options: { archive: 'pdf/a-3b', sign: true } }, 'docx')).data;
    expect(docx.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('the signing certificate', () => {
  it('is refused with a clear reason when its password is wrong, and the password is in no message', () => {
    const secret = 'not-the-password-42';
    expect(() => loadSigningKey(certs.p12, secret)).toThrow(SigningSetupError);
    try { loadSigningKey(certs.p12, secret); } catch (e) {
      expect((e as Error).message).toMatch(/wrong password/);
      expect((e as Error).message).not.toContain(secret);
    }
  });

  it('is refused when it has expired, naming the date', () => {
    expect(() => loadSigningKey(certs.expiredP12, certs.password)).toThrow(/expired on 2021-01-01/);
    expect(loadSigningKey(certs.p12, certs.password).name).toBe('นายทดสอบ ลงนาม');
  });

  it('stops the start of the service (exit 1, one fatal line without the password)', () => {
    const run = (env: Record<string, string>) => {
      const saved = { ...process.env };
      const lines: string[] = [];
      let exited: number | undefined;
      Object.assign(process.env, env);
      try {
        checkSigningAtStart({ fatal: (m) => lines.push(m), info: (m) => lines.push(m) }, (code) => { exited = code; });
      } finally {
        for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k];
      }
      return { lines, exited };
    };
    const wrong = run({ SARABAN_SIGN_P12: certs.p12, SARABAN_SIGN_P12_PASSWORD: 'Secret-Wrong-99' });
    expect(wrong.exited).toBe(1);
    expect(wrong.lines.join('\n')).toMatch(/wrong password/);
    expect(wrong.lines.join('\n')).not.toContain('Secret-Wrong-99');
    const expired = run({ SARABAN_SIGN_P12: certs.expiredP12, SARABAN_SIGN_P12_PASSWORD: certs.password });
    expect(expired.exited).toBe(1);
    expect(expired.lines.join('\n')).toMatch(/expired/);
    const bad = run({ SARABAN_PDF_ARCHIVE: 'pdf/a-1' });
    expect(bad.exited).toBe(1);
    const good = run({ SARABAN_SIGN_P12: certs.p12, SARABAN_SIGN_P12_PASSWORD: certs.password });
    expect(good.exited).toBeUndefined();
    expect(good.lines.join('\n')).toContain('นายทดสอบ ลงนาม');
    expect(good.lines.join('\n')).not.toContain(certs.password);
  });
});
