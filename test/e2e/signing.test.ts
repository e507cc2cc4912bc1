import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCerts, type TestCerts } from '../helpers/certs.js';
import { openWebApp, type WebApp } from '../helpers/web.js';

/**
 * The upload page's "PDF/A (เก็บถาวร)" and "ลงนามดิจิทัล" in Chromium: the
 * signing box is there only when the service has a certificate, and ticked
 * it gives a PDF that pdfsig verifies, with the data that was typed inside.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'saraban-e2e-sign-'));
let certs: TestCerts;
let app: WebApp;

beforeAll(async () => {
  certs = makeTestCerts();
  // The render threads read the certificate from the settings as they start.
  app = await openWebApp({ SARABAN_DATA_DIR: dataDir, SARABAN_SIGN_P12: certs.p12, SARABAN_SIGN_P12_PASSWORD: certs.password });
});

afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

async function formPage() {
  const context = await app.browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'th-TH', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  await page.goto(`${app.base}/#/form/external-letter`);
  await page.waitForSelector('body[data-ready]');
  await page.locator('summary', { hasText: 'ตัวเลือกการพิมพ์' }).click();
  return page;
}

describe('the upload page’s archive and signature options', () => {
  it('offers “ลงนามดิจิทัล” when the service has a certificate, and the PDF it gives is PDF/A, signed and carries the data', async () => {
    const page = await formPage();
    await page.getByRole('button', { name: 'ใส่ข้อมูลตัวอย่าง' }).click();
    await page.getByRole('status').filter({ hasText: 'ใส่ข้อมูลตัวอย่างแล้ว' }).waitFor();
    await page.getByLabel('PDF/A (เก็บถาวร)').check();
    await page.getByLabel('ลงนามดิจิทัล').check();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ดาวน์โหลด PDF' }).click()]);
    const file = (await download.path())!;
    const sig = spawnSync('pdfsig', ['-nssdir', `sql:${certs.nssDir}`, file], { encoding: 'utf8' }).stdout;
    expect(sig).toContain('Signature Validation: Signature is Valid.');
    expect(sig).toContain('Total document signed');
    expect(execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' })).toContain('<pdfaid:part>3</pdfaid:part>');
    const out = mkdtempSync(join(dataDir, 'files-'));
    execFileSync('pdfdetach', ['-saveall', '-o', out, file]);
    expect(readdirSync(out)).toEqual(['data.json']);
    // What the page sent, its options aside: the example's letter.
    const data = JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')) as Record<string, unknown>;
    expect(data.subject).toBeTruthy();
    expect(data).not.toHaveProperty('options');
    await page.context().close();
  }, 240_000);

  it('does not offer it when the service has no certificate', async () => {
    const saved = process.env.SARABAN_SIGN_P12;
    delete process.env.SARABAN_SIGN_P12;
    try {
      const page = await formPage();
      await page.getByLabel('PDF/A (เก็บถาวร)').waitFor();
      expect(await page.getByLabel('ลงนามดิจิทัล').count()).toBe(0);
      await page.context().close();
    } finally {
      process.env.SARABAN_SIGN_P12 = saved;
    }
  }, 240_000);
});
