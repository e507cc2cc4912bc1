import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { pdftotext, stripSpace } from '../helpers/pdf.js';

/**
 * The clerk's pages in a real browser: Debian's Chromium driven by
 * playwright-core against the app on an ephemeral port. A missing browser
 * fails the run (test/setup/tools.ts installs or names it); it never skips.
 *
 * Screenshots go to test/.output/screenshots/; with UPDATE_SCREENSHOTS=1 also
 * to docs/screenshots/ (the README's pictures).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.SARABAN_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test/.output/screenshots');
const BATCH_CSV = process.env.SARABAN_E2E_BATCH_CSV ?? join(ROOT, 'examples/batch/applicants-chainat.csv');
const dataDir = mkdtempSync(join(tmpdir(), 'saraban-e2e-'));

let browser: Browser;
let server: Server;
let base: string;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(join(SHOTS, `${name}.png`), join(ROOT, 'docs/screenshots', `${name}.png`));
  }
}

async function openPage(hash: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'th-TH', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready]');
  expect(errors).toEqual([]);
  return page;
}

beforeAll(async () => {
  // Before the app is imported: uploaded templates and batch jobs go to a scratch folder.
  process.env.SARABAN_DATA_DIR = dataDir;
  const { createApp } = await import('../../src/http/app.js');
  server = createApp().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the clerk’s pages in Chromium', () => {
  it('lists the forms with their Thai titles, and switches to English', async () => {
    const page = await openPage('#/');
    await expect(page.getByRole('heading', { level: 2, name: 'หนังสือภายนอก' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { level: 2, name: 'บันทึกข้อความ' }).isVisible()).resolves.toBe(true);
    await shot(page, 'home');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose a form' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'เปลี่ยนเป็นภาษาไทย' }).click();
    await page.getByRole('heading', { level: 1, name: 'เลือกแบบฟอร์ม' }).waitFor();
    await page.context().close();
  }, 240_000);

  it('fills in a letter, previews its first page and downloads the PDF and the DOCX', async () => {
    const page = await openPage('#/form/external-letter');
    await page.getByLabel('ที่ (เลขที่หนังสือ) เช่น ศธ 04009/ว 1075').fill('ศธ 04009/ว 1234');
    await page.locator('[data-path="office[0]"] input').fill('สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน');
    await page.locator('[data-path="office"] > button', { hasText: 'เพิ่มรายการ' }).click();
    // The new row takes the focus: typing goes straight into it.
    await page.keyboard.type('กระทรวงศึกษาธิการ กทม. 10300');
    await page.getByRole('textbox', { name: 'วันที่', exact: true }).fill('17/02/2565');
    await page.getByRole('textbox', { name: 'เรื่อง', exact: true }).fill('ทดสอบการกรอกแบบฟอร์มผ่านเบราว์เซอร์');
    await page.getByLabel('คำขึ้นต้น: ผู้รับ (ไม่ต้องใส่ "เรียน")').fill('ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต');
    await page.locator('[data-path="body[0]"] textarea').fill('ด้วยสำนักงานขอแจ้งผลการทดสอบแบบฟอร์มหนังสือภายนอกจำนวน 25 ฉบับ');
    await page.getByLabel('ภาคสรุป เช่น จึงเรียนมาเพื่อโปรดทราบ').fill('จึงเรียนมาเพื่อโปรดทราบ');
    await page.getByLabel('ชื่อผู้ลงนาม (ไม่ต้องใส่วงเล็บ)').fill('นายทดสอบ ระบบดี');
    await page.locator('[data-path="signer.positions[0]"] input').fill('เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน');

    await page.getByRole('button', { name: 'แสดงตัวอย่าง' }).click();
    const img = page.locator('.preview img');
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector('.preview img') as HTMLImageElement | null)?.naturalWidth! > 500);
    expect(await img.getAttribute('alt')).toMatch(/หน้า 1 จาก 1/);
    await shot(page, 'preview');

    const [pdfDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ดาวน์โหลด PDF' }).click()]);
    expect(pdfDownload.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = readFileSync((await pdfDownload.path())!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = stripSpace(pdftotext(pdf));
    expect(text).toContain(stripSpace('ทดสอบการกรอกแบบฟอร์มผ่านเบราว์เซอร์'));
    // The BE date typed as 17/02/2565 is printed in Thai numerals, the figure 25 too.
    expect(text).toContain(stripSpace('๑๗ กุมภาพันธ์ ๒๕๖๕'));
    expect(text).toContain(stripSpace('จำนวน ๒๕ ฉบับ'));
    expect(text).toContain(stripSpace('กระทรวงศึกษาธิการ กทม. ๑๐๓๐๐'));

    const [docxDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ดาวน์โหลด DOCX' }).click()]);
    expect(docxDownload.suggestedFilename()).toMatch(/\.docx$/);
    const docx = unzipSync(new Uint8Array(readFileSync((await docxDownload.path())!)));
    expect(Buffer.from(docx['word/document.xml']!).toString('utf8')).toContain('ทดสอบการกรอกแบบฟอร์มผ่านเบราว์เซอร์');
    await page.context().close();
  }, 240_000);

  it('shows the server’s validation message next to its field and moves the focus there', async () => {
    const page = await openPage('#/form/external-letter');
    await page.selectOption('.actions select', 'minimal');
    await page.getByRole('button', { name: 'ใส่ข้อมูลตัวอย่าง' }).click();
    // The example arrives asynchronously; typing before it lands would be overwritten.
    await page.getByRole('status').filter({ hasText: 'ใส่ข้อมูลตัวอย่างแล้ว' }).waitFor();
    const date = page.getByRole('textbox', { name: 'วันที่', exact: true });
    expect(await date.inputValue()).toBe('15/01/2567');
    await date.fill('31/02/2565');
    await page.getByRole('button', { name: 'แสดงตัวอย่าง' }).click();
    const message = page.locator('[data-path="date"] .error');
    await message.waitFor();
    expect(await message.textContent()).toContain('วันที่ไม่ถูกต้อง');
    // In the format the clerk typed, not the API's ISO dates.
    expect(await message.textContent()).toContain('17/02/2565');
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await date.evaluate((el) => el === document.activeElement)).toBe(true);
    // Only the date is at fault: no other field is marked.
    expect(await page.locator('.field .error').count()).toBe(1);
    await shot(page, 'form-validation-error');

    // Corrected with the calendar (a CE date), the field shows it in BE; the message goes and the preview comes.
    await page.locator('[data-path="date"] input.picker').fill('2022-02-17');
    expect(await date.inputValue()).toBe('17/02/2565');
    await page.getByRole('button', { name: 'แสดงตัวอย่าง' }).click();
    await page.locator('.preview img').waitFor();
    expect(await page.locator('.error').count()).toBe(0);
    await page.context().close();
  }, 240_000);

  it('runs a batch: uploads the CSV, shows progress and offers the result', async () => {
    expect(existsSync(BATCH_CSV), `${BATCH_CSV} is the batch example this test uploads`).toBe(true);
    const page = await openPage('#/batch/applicant-summary');
    await page.locator('#batch-file').setInputFiles(BATCH_CSV);
    await page.getByLabel('รอบเดือน').selectOption('เมษายน');
    await page.getByLabel('ปี พ.ศ.').fill('2562');
    await page.getByLabel('ผลลัพธ์').selectOption('zip');
    await page.getByRole('button', { name: 'เริ่มจัดทำ' }).click();
    const link = page.getByRole('link', { name: 'ดาวน์โหลดผลลัพธ์' });
    await link.waitFor({ timeout: 240_000 });
    const job = await page.evaluate(async () => {
      const status = document.querySelector('.job [role=status]')?.textContent ?? '';
      const id = /jobs\/([^/]+)\/result/.exec(document.querySelector('.job a[download]')?.getAttribute('href') ?? '')?.[1];
      return { status, json: await (await fetch(`/api/v1/jobs/${id}`)).json() };
    });
    // The page reports what the job reports: rows done of rows, and one line per bad row.
    const p = job.json.progress;
    expect(job.status).toContain(`เสร็จแล้ว · แถว ${p.rowsDone}/${p.rows} · กลุ่ม ${p.groupsDone}/${p.groups} · หน้า ${p.pages}`);
    expect(p.rowsDone).toBeGreaterThan(0);
    expect(await page.locator('table.bad-rows tbody tr').count()).toBe(job.json.badRows.length);
    expect(await page.locator('progress').evaluate((el: HTMLProgressElement) => el.value === el.max)).toBe(true);
    await page.locator('.job').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(page, 'batch');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const pdfs = Object.keys(zip).filter((n) => n.endsWith('.pdf'));
    expect(pdfs.length).toBeGreaterThan(0);
    expect(Buffer.from(zip[pdfs[0]!]!).subarray(0, 5).toString()).toBe('%PDF-');
    await page.context().close();
  }, 300_000);
});
