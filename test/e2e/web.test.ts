import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import iconv from 'iconv-lite';
import { pdftotext, stripSpace } from '../helpers/pdf.js';
import { openWebApp, type WebApp } from '../helpers/web.js';

/**
 * The clerk's pages in a real browser: Debian's Chromium driven by
 * playwright-core against the app on an ephemeral port. A missing browser
 * fails the run (test/setup/tools.ts installs or names it); it never skips.
 *
 * Screenshots go to test/.output/screenshots/; with UPDATE_SCREENSHOTS=1 also
 * to docs/screenshots/ (the README's pictures).
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'test/.output/screenshots');
const BATCH_CSV = process.env.SARABAN_E2E_BATCH_CSV ?? join(ROOT, 'examples/batch/applicants-chainat.csv');
const dataDir = mkdtempSync(join(tmpdir(), 'saraban-e2e-'));

let browser: Browser;
let base: string;

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
    copyFileSync(join(SHOTS, `${name}.png`), join(ROOT, 'docs/screenshots', `${name}.png`));
  }
}

async function openPage(hash: string, viewport = { width: 1366, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'th-TH', acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(90_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('body[data-ready]');
  expect(errors).toEqual([]);
  return page;
}

let app: WebApp | undefined;
beforeAll(async () => {
  // Uploaded templates and batch jobs go to a scratch folder.
  app = await openWebApp({ SARABAN_DATA_DIR: dataDir });
  ({ base, browser } = app);
});

afterAll(async () => {
  await app?.close();
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

  it('keeps what the clerk typed across a language switch, a page change and a reload; “ล้างข้อมูล” empties it', async () => {
    const page = await openPage('#/form/external-letter');
    const subject = page.locator('[name="subject"]');
    const date = page.locator('[name="date"]');
    const body0 = page.locator('[data-path="body[0]"] textarea');
    await subject.fill('เรื่องที่พิมพ์ค้างไว้');
    await date.fill('17/02/2565');
    await page.locator('[data-path="body"] > button', { hasText: 'เพิ่มรายการ' }).click();
    await body0.fill('ย่อหน้าแรก');
    await page.locator('[data-path="body[1]"] textarea').fill('ย่อหน้าที่สอง');
    const kept = async () => ({ subject: await subject.inputValue(), date: await date.inputValue(), body0: await body0.inputValue(), body1: await page.locator('[data-path="body[1]"] textarea').inputValue() });
    const typed = { subject: 'เรื่องที่พิมพ์ค้างไว้', date: '17/02/2565', body0: 'ย่อหน้าแรก', body1: 'ย่อหน้าที่สอง' };

    // The labels change language; the fields keep what was typed.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Preview', exact: true }).waitFor();
    expect(await kept()).toEqual(typed);
    // Another page and back (the "tab" of the app), then a reload: still there.
    await page.getByRole('link', { name: 'Batch' }).click();
    await page.waitForSelector('body[data-ready="/batch"]');
    await page.goBack();
    await page.waitForSelector('body[data-ready="/form/external-letter"]');
    expect(await kept()).toEqual(typed);
    await page.reload();
    await page.waitForSelector('body[data-ready="/form/external-letter"]');
    expect(await kept()).toEqual(typed);
    await page.getByRole('button', { name: 'เปลี่ยนเป็นภาษาไทย' }).click();
    await page.getByRole('button', { name: 'แสดงตัวอย่าง' }).waitFor();
    expect(await kept()).toEqual(typed);

    // Clear asks first; cancelled, nothing goes.
    page.once('dialog', (d) => d.dismiss());
    await page.getByRole('button', { name: 'ล้างข้อมูล' }).click();
    expect(await subject.inputValue()).toBe('เรื่องที่พิมพ์ค้างไว้');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'ล้างข้อมูล' }).click();
    expect(await subject.inputValue()).toBe('');
    expect(await date.inputValue()).toBe('');
    await page.reload();
    await page.waitForSelector('body[data-ready="/form/external-letter"]');
    expect(await subject.inputValue()).toBe('');
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('saraban.draft.form.')))).toEqual([]);

    // A successful download clears the draft too.
    await subject.fill('ส่งแล้ว');
    expect(await page.evaluate(() => localStorage.getItem('saraban.draft.form.external-letter'))).toContain('ส่งแล้ว');
    await page.selectOption('.actions select', 'minimal');
    await page.getByRole('button', { name: 'ใส่ข้อมูลตัวอย่าง' }).click();
    await page.getByRole('status').filter({ hasText: 'ใส่ข้อมูลตัวอย่างแล้ว' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'ดาวน์โหลด PDF' }).click()]);
    // Named from the data (the reference number or the subject, and the date), not after the form.
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(download.suggestedFilename()).not.toBe('external-letter.pdf');
    await page.getByRole('status').filter({ hasText: 'ดาวน์โหลดแล้ว' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('saraban.draft.form.external-letter'))).toBeNull();
    await page.context().close();
  }, 240_000);

  it('maps the columns of a Windows-874 export (title row, en dash, “(บาท)”) on the page and renders one document per local authority', async () => {
    // As Excel on Thai Windows saves "CSV": Windows-874 bytes, a title row above the headers, AutoCorrect's en dash.
    const rows = [
      ['รายชื่อข้าราชการครูที่ขอรับการประเมินวิทยฐานะ จังหวัดชัยนาท'],
      ['ที่', 'จังหวัด', 'อปท', 'โรงเรียน', 'ชื่อ – สกุล', 'ตำแหน่ง', 'เงินเดือน (บาท)', 'อายุ (ปี)', 'วิทยฐานะที่ขอ', 'กลุ่มสาระการเรียนรู้', 'ผลงานที่ส่ง'],
      ['1', 'ชัยนาท', 'อบจ.ชัยนาท', 'โรงเรียนอนุบาลชัยนาท', 'นายสมชาย ใจดีมาก', 'ครู', '28,380.00', '32', 'ชำนาญการพิเศษ', 'ภาษาไทย', 'แบบฝึกทักษะการอ่าน ชั้น ป.2'],
      ['2', 'ชัยนาท', 'อบจ.ชัยนาท', 'โรงเรียนอนุบาลชัยนาท', 'นางสาวสมหญิง รักเรียน', 'ครู', '30,120.00', '41', 'ชำนาญการพิเศษ', 'คณิตศาสตร์', 'ชุดกิจกรรมคณิตศาสตร์ ชั้น ม.1'],
      ['3', 'ชัยนาท', 'เทศบาลเมืองชัยนาท', 'โรงเรียนเทศบาล 1', 'นายวิชัย มั่นคงดี', 'ครู', '25,000.00', '29', 'ชำนาญการ', 'วิทยาศาสตร์', 'บทเรียนออนไลน์ เรื่องแรงและการเคลื่อนที่'],
    ];
    const cell = (c: string) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const csv = iconv.encode(rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n', 'windows874');
    expect(csv.includes(0x96), 'the en dash as Windows-874 writes it').toBe(true);
    const upload = { name: 'ครู-ชัยนาท.csv', mimeType: 'text/csv', buffer: csv };

    const page = await openPage('#/batch/applicant-summary');
    await page.locator('#batch-file').setInputFiles(upload);
    const mapBox = page.locator('.mapping');
    await mapBox.waitFor();
    // The row read as the header is named, each needed column has a dropdown of the file's headers, pre-filled with the guess.
    expect(await mapBox.innerText()).toContain('แถวที่ 2');
    expect(await mapBox.locator('select[data-key="name"]').inputValue()).toBe('ชื่อ – สกุล');
    expect(await mapBox.locator('select[data-key="salary"]').inputValue()).toBe('เงินเดือน (บาท)');
    expect(await mapBox.locator('select[data-key="authority"]').inputValue()).toBe('อปท');
    expect(await mapBox.locator('select[data-key="name"] option').allTextContents()).toEqual(expect.arrayContaining(rows[1]!));
    // "ผลงานที่ส่ง" is no accepted wording: unmapped, starting refuses and points at it; the clerk picks it.
    expect(await mapBox.locator('select[data-key="works"]').inputValue()).toBe('');
    await page.getByLabel('รอบเดือน').selectOption('ตุลาคม');
    await page.getByLabel('ปี พ.ศ.').fill('2565');
    await page.getByLabel('ชื่อผู้ลงนาม (ไม่ต้องใส่วงเล็บ)').fill('นายผู้ลงนาม ทดสอบ');
    await page.locator('[data-path="signer.position"] input').fill('นายกองค์การบริหารส่วนจังหวัดชัยนาท');
    await page.getByRole('button', { name: 'เริ่มจัดทำ' }).click();
    await page.locator('[data-path="columns.works"] .error').waitFor();
    expect(await page.locator('select[data-key="works"]').getAttribute('aria-invalid')).toBe('true');
    // Said twice (the heading and beside the dropdown), not three times.
    expect((await page.locator('form.doc').innerText()).split('ยังไม่ได้เลือกคอลัมน์ที่จำเป็น').length - 1).toBe(2);
    await mapBox.locator('select[data-key="works"]').selectOption('ผลงานที่ส่ง');
    await mapBox.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'batch-mapping');
    await page.getByLabel('ผลลัพธ์').selectOption('zip');
    await page.getByRole('button', { name: 'เริ่มจัดทำ' }).click();
    const link = page.getByRole('link', { name: 'ดาวน์โหลดผลลัพธ์' });
    // The result, or a refusal (whose text is then the failure).
    const refusal = page.locator('form.doc .summary, .job .summary');
    await link.or(refusal).waitFor({ timeout: 240_000 });
    expect(await refusal.count() ? await refusal.first().innerText() : '').toBe('');
    const status = await page.locator('.job [role=status]').textContent();
    expect(status).toContain('แถว 3/3');
    expect(status).toContain('กลุ่ม 2/2');
    expect(await page.locator('table.bad-rows').count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const zip = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const pdfs = Object.keys(zip).filter((n) => n.endsWith('.pdf'));
    // One document per local authority, each with its own people and the works column mapped by hand.
    expect(pdfs).toHaveLength(2);
    const texts = pdfs.map((n) => stripSpace(pdftotext(Buffer.from(zip[n]!))));
    const pjs = texts.find((x) => x.includes(stripSpace('นายสมชาย ใจดีมาก')))!;
    const town = texts.find((x) => x.includes(stripSpace('นายวิชัย มั่นคงดี')))!;
    expect(pjs).toContain(stripSpace('นางสาวสมหญิง รักเรียน'));
    expect(pjs).not.toContain(stripSpace('นายวิชัย'));
    expect(town).not.toContain(stripSpace('สมหญิง'));
    expect(pjs).toContain(stripSpace('แบบฝึกทักษะการอ่าน'));
    expect(pjs).toContain(stripSpace('๒๘,๓๘๐'));

    // The office's choice is remembered for files with the same headers.
    await page.reload();
    await page.waitForSelector('body[data-ready="/batch/applicant-summary"]');
    await page.locator('#batch-file').setInputFiles(upload);
    await page.locator('.mapping select[data-key="works"]').waitFor();
    expect(await page.locator('.mapping select[data-key="works"]').inputValue()).toBe('ผลงานที่ส่ง');
    await page.context().close();
  }, 300_000);

  it('batch page: one document per local authority by default; the shared fields survive a reload', async () => {
    const page = await openPage('#/batch/applicant-summary');
    expect(await page.locator('select[name="groupBy"]').inputValue()).toBe('authority');
    await page.getByLabel('รอบเดือน').selectOption('เมษายน');
    await page.getByLabel('ปี พ.ศ.').fill('2562');
    await page.locator('select[name="output"]').selectOption('pdf');
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForSelector('body[data-ready="/batch/applicant-summary"]');
    await page.reload();
    await page.waitForSelector('body[data-ready="/batch/applicant-summary"]');
    expect(await page.locator('select[name="output"]').inputValue()).toBe('pdf');
    expect(await page.locator('[data-path$="year"] input').first().inputValue()).toBe('2562');
    await page.context().close();
  }, 240_000);

  it('lays the evaluation out like the paper and shows the scores the compute endpoint gives for the same data', async () => {
    const items = JSON.parse(readFileSync(join(ROOT, 'src/forms/esa-director-evaluation/items.json'), 'utf8'));
    const page = await openPage('#/form/esa-director-evaluation');
    // Thai section names and the item texts; no schema keys; dropdown values in words.
    const text = await page.locator('form.doc').innerText();
    expect(text).toContain('องค์ประกอบที่ 1 การประเมินประสิทธิภาพและประสิทธิผลการปฏิบัติงานตามมาตรฐานตำแหน่ง');
    expect(text).toContain('ตอนที่ 1 : ระดับความสำเร็จในการพัฒนางานตามมาตรฐานตำแหน่ง');
    expect(text).toContain('องค์ประกอบที่ 3 การประเมินการปฏิบัติตนในการรักษาวินัย');
    expect(text).toContain('ส่วนที่ 3.2 ความเห็นของผู้บังคับบัญชา');
    for (const key of ['component1', 'part1', 'component2', 'component3', 'supervisorOpinion', 'items.json']) expect(text).not.toContain(key);
    for (const it of items.component1Part1.items) expect(text).toContain(it.text);
    for (const it of items.component3.items) expect(text).toContain(it);
    const options = await page.locator('select option').allTextContents();
    for (const raw of ['expert', 'not-expert', 'pending', 'signed', 'refused']) expect(options).not.toContain(raw);
    expect(options).toContain('เอกสารหมายเลข 10/2: ยังไม่มีวิทยฐานะ ผอ.สพท.เชี่ยวชาญ');
    expect(options).toContain('ลงนามรับทราบแล้ว');
    // Level pickers 1-4, and 1-5 for component 2, self and supervisor on one row.
    expect(await page.locator('select[name="component1.part1.items[0].self"] option').allTextContents()).toEqual(['–', '1', '2', '3', '4']);
    expect(await page.locator('select[name="component2.supervisor.level"] option').allTextContents()).toEqual(['–', '1', '2', '3', '4', '5']);
    expect(await page.locator('tr[data-path="component3.items[9]"] select').count()).toBe(2);

    const lv = (i: number, side: number) => ((i * 7 + side * 3) % 4) + 1;
    const pair = (i: number) => ({ self: lv(i, 0), supervisor: lv(i, 1) });
    const data = {
      variant: 'not-expert', round: 2, fiscalYear: 2565,
      evaluee: { name: 'นางสาวทดสอบ ประเมินดี', position: 'ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาชัยนาท', salary: '69,040', unit: 'สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาชัยนาท' },
      evaluator: { name: 'นายผู้ประเมิน ใจดี', position: 'เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน' },
      component1: {
        part1: { items: items.component1Part1.items.map((_: unknown, i: number) => pair(i)) },
        part2: { method: pair(20), quantitative: pair(21), qualitative: pair(22) },
      },
      component2: { self: { percent: '85' }, supervisor: { percent: '55.5' } },
      component3: { items: Array.from({ length: 10 }, (_, i) => pair(30 + i)) },
    };
    await page.locator('select[name="variant"]').selectOption(data.variant);
    await page.locator('select[name="round"]').selectOption(String(data.round));
    // Typed in Thai digits, as a clerk may: sent as the number 2565, not refused as "required".
    await page.locator('[name="fiscalYear"]').fill('๒๕๖๕');
    for (const [k, v] of Object.entries(data.evaluee)) await page.locator(`[name="evaluee.${k}"]`).fill(v);
    for (const [k, v] of Object.entries(data.evaluator)) await page.locator(`[name="evaluator.${k}"]`).fill(v);
    const choose = async (path: string, p: { self: number; supervisor: number }) => {
      await page.locator(`select[name="${path}.self"]`).selectOption(String(p.self));
      await page.locator(`select[name="${path}.supervisor"]`).selectOption(String(p.supervisor));
    };
    for (const [i, p] of data.component1.part1.items.entries()) await choose(`component1.part1.items[${i}]`, p);
    for (const k of ['method', 'quantitative', 'qualitative'] as const) await choose(`component1.part2.${k}`, data.component1.part2[k]);
    await page.locator('[name="component2.self.percent"]').fill(data.component2.self.percent);
    await page.locator('[name="component2.supervisor.percent"]').fill(data.component2.supervisor.percent);
    for (const [i, p] of data.component3.items.entries()) await choose(`component3.items[${i}]`, p);

    const compute = async (body: unknown) => {
      const res = await fetch(`${base}/api/v1/forms/esa-director-evaluation/compute`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return (await res.json()).computed;
    };
    const shown = async (expected: any) => {
      await page.waitForFunction((total) => document.querySelector('[data-score="supervisor.total"]')?.textContent === total, expected.supervisor.total);
      const cells = await page.locator('[data-score]').evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.score, e.textContent])));
      for (const side of ['self', 'supervisor'] as const) {
        const c = expected[side];
        expect(cells[`${side}.c1p1`]).toBe(c.component1.part1.score);
        expect(cells[`${side}.c1p2`]).toBe(c.component1.part2.score);
        expect(cells[`${side}.c1`]).toBe(c.component1.score);
        expect(cells[`${side}.c2`]).toBe(c.component2.score);
        expect(cells[`${side}.c3`]).toBe(c.component3.score);
        expect(cells[`${side}.total`]).toBe(c.total);
        expect(cells[`${side}.band`]).toBe(c.band.th);
      }
      expect(cells.band).toContain(expected.band.th);
    };
    const expected = await compute(data);
    await shown(expected);
    await page.locator('.scores').scrollIntoViewIfNeeded();
    await shot(page, 'evaluation');

    // One level changed: the scores follow.
    data.component3.items[0] = { ...data.component3.items[0]!, supervisor: data.component3.items[0]!.supervisor === 1 ? 4 : 1 };
    await page.locator('select[name="component3.items[0].supervisor"]').selectOption(String(data.component3.items[0]!.supervisor));
    const changed = await compute(data);
    expect(changed.supervisor.component3.score).not.toBe(expected.supervisor.component3.score);
    await shown(changed);

    // The levels chosen survive a language switch; the sections are named in English.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByText('Component 1: efficiency and effectiveness against the position standard (80 points)').waitFor();
    expect(await page.locator('select[name="component3.items[0].supervisor"]').inputValue()).toBe(String(data.component3.items[0]!.supervisor));
    expect(await page.locator('[name="evaluee.salary"]').inputValue()).toBe('69,040');
    await shown(changed);
    await page.context().close();
  }, 300_000);

  it('loses nothing of a filled evaluation: each shipped example loaded on the page is what the page sends', async () => {
    const page = await openPage('#/form/esa-director-evaluation');
    for (const name of ['expert-round1-2565', 'not-expert-round2-2565-refused']) {
      const example = JSON.parse(readFileSync(join(ROOT, 'examples/esa-director-evaluation', `${name}.json`), 'utf8'));
      await page.selectOption('.actions select', name);
      await page.getByRole('button', { name: 'ใส่ข้อมูลตัวอย่าง' }).click();
      await page.waitForFunction((who) => localStorage.getItem('saraban.draft.form.esa-director-evaluation')?.includes(who), example.evaluee.name);
      // The draft is what the page sends (root.get()): the same data, its levels, texts, dates and witness.
      const sent = await page.evaluate(() => JSON.parse(localStorage.getItem('saraban.draft.form.esa-director-evaluation') ?? 'null'));
      expect(sent, name).toEqual(example);
    }
    await page.context().close();
  }, 240_000);

  it('is usable on a 390 px screen: the header fits, the fields stack, nothing scrolls sideways', async () => {
    const page = await openPage('#/', { width: 390, height: 844 });
    for (const hash of ['#/', '#/form/external-letter', '#/batch/applicant-summary', '#/form/esa-director-evaluation', '#/tools']) {
      await page.goto(`${base}/${hash}`);
      await page.waitForSelector(`body[data-ready="${hash.slice(1)}"]`);
      const m = await page.evaluate(() => {
        const top = document.querySelector('.top')!;
        const rects = [...document.querySelectorAll('.top > *, .top nav a')].map((e) => e.getBoundingClientRect());
        return { scroll: document.documentElement.scrollWidth, headerScroll: top.scrollWidth, headerWidth: top.clientWidth, rightmost: Math.max(...rects.map((r) => r.right)) };
      });
      expect(m.scroll, hash).toBeLessThanOrEqual(390);
      expect(m.headerScroll, hash).toBeLessThanOrEqual(m.headerWidth);
      expect(m.rightmost, hash).toBeLessThanOrEqual(390);
      if (hash === '#/batch/applicant-summary') {
        // The row of choices (group, output, format, sheet) stacks: one field under another, same left edge.
        const boxes = await page.locator('form.doc .row > .field').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
        expect(boxes.length).toBe(4);
        for (let i = 1; i < boxes.length; i++) {
          expect(boxes[i].left).toBeCloseTo(boxes[0].left, 0);
          expect(boxes[i].top).toBeGreaterThanOrEqual(boxes[i - 1].bottom - 1);
        }
      }
      if (hash === '#/form/external-letter') await shot(page, 'narrow-form');
      if (hash === '#/form/esa-director-evaluation') {
        await page.locator('tr[data-path="component1.part1.items[0]"]').scrollIntoViewIfNeeded();
        await shot(page, 'narrow-evaluation');
      }
    }
    await page.context().close();
  }, 240_000);
});
