/**
 * Files as real offices make them (issue 17): Excel on Thai Windows writes
 * "CSV" in Windows-874 with CRLF line ends, a title row above the header,
 * AutoCorrect's en dash in `ชื่อ – สกุล`, units in brackets (`เงินเดือน (บาท)`),
 * and a totals row at the end. Each must be accepted on the first try, and
 * what is still wrong must be said with the value, the person and the reason.
 */
import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/http/app.js';
import { BatchManager } from '../src/batch/manager.js';
import { JobStore } from '../src/batch/jobs.js';
import { RenderPool } from '../src/batch/pool.js';
import { checkColumns, validatedRows } from '../src/batch/rows.js';
import { batchSpecOf } from '../src/batch/groupRows.js';
import { mapColumns, InputFileError } from '../src/input/index.js';
import { APPLICANT_COLUMNS } from '../src/forms/applicant-summary/row.js';
import { listForms } from '../src/forms/registry.js';
import { IsoDate, fieldErrors } from '../src/validation.js';
import { binary } from './helpers/http.js';
import { unzip } from './helpers/zip.js';

const dir = mkdtempSync(join(tmpdir(), 'saraban-real-files-'));
const pool = new RenderPool(2);
const jobs = new BatchManager(new JobStore(join(dir, 'jobs')), pool);
const app = createApp({ batch: () => jobs });
afterAll(async () => {
  await jobs.close();
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

const spec = batchSpecOf('applicant-summary');
const KEYS = Object.keys(APPLICANT_COLUMNS).filter((k) => k !== 'volumes');
/** The seed's own header of each column. */
const SEED_HEADER = Object.fromEntries(KEYS.map((k) => [k, APPLICANT_COLUMNS[k as keyof typeof APPLICANT_COLUMNS][0]!]));

/**
 * The 24 wordings of the applicant-summary columns of issue 17: the 10 that
 * were refused, then 14 more as exports and clerks write them.
 */
const WORDINGS: [string, string][] = [
  ['ชื่อ – สกุล', 'name'], ['ชื่อ สกุล', 'name'], ['เงินเดือน (บาท)', 'salary'], ['อายุ (ปี)', 'age'],
  ['กลุ่มสาระการเรียนรู้', 'subjectGroup'], ['อปท', 'authority'], ['โรงเรียน', 'unit'], ['หน่วยงาน/โรงเรียน', 'unit'],
  ['วิทยฐานะที่ขอ', 'rankRequested'], ['ชื่อผลงาน', 'works'],
  ['ชื่อ—สกุล', 'name'], ['ชื่อ‐นามสกุล', 'name'], ['จังหวัด*', 'province'], ['อบจ./ทม./ทต./อบต.', 'authority'],
  ['อ.ป.ท.', 'authority'], ['ตำแหน่ง\nปัจจุบัน', 'position'], ['เงินเดือน(บาท)', 'salary'], ['อัตราเงินเดือน (บาท)', 'salary'],
  ['อายุ(ปี)', 'age'], ['ระดับวิทยฐานะ\nที่ขอ', 'rankRequested'], ['กลุ่มสาระฯ', 'subjectGroup'], ['สำนัก / กอง / โรงเรียน', 'unit'],
  ['ชื่อผลงานทางวิชาการ', 'works'], ['Rank Requested', 'rankRequested'],
];

/** CSV text as Excel on Thai Windows saves it: Windows-874, CRLF, quoted where needed. */
function excelCsv(rows: string[][]): Buffer {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return iconv.encode(rows.map((r) => r.map(q).join(',')).join('\r\n') + '\r\n', 'windows874');
}

const TITLE = ['แบบสรุปรายชื่อผู้ยื่นคำขอเลื่อนวิทยฐานะ รอบเดือนเมษายน 2565 จังหวัดชัยนาท'];
const HEADER = ['ที่', 'จังหวัด', 'อปท', 'โรงเรียน', 'ชื่อ – สกุล', 'ตำแหน่ง', 'เงินเดือน (บาท)', 'อายุ (ปี)', 'วิทยฐานะที่ขอ', 'กลุ่มสาระการเรียนรู้', 'ชื่อผลงาน'];
const person = (i: number, authority: string, over: Partial<Record<'age' | 'salary' | 'name', string>> = {}) => [
  String(i), 'ชัยนาท', authority, `โรงเรียนเทศบาล ${i}`, over.name ?? `นางสาวทดสอบ ลำดับ${i}`, 'ครู', over.salary ?? '35,220', over.age ?? '45',
  'ชำนาญการพิเศษ', 'ภาษาไทย', `การพัฒนาทักษะการอ่าน ${i}`,
];

describe('column matching', () => {
  it('accepts each of the 24 header wordings and maps it to its column', () => {
    expect(WORDINGS).toHaveLength(24);
    for (const [wording, key] of WORDINGS) {
      const headers = KEYS.map((k) => (k === key ? wording : SEED_HEADER[k]!));
      const mapping = mapColumns(headers, APPLICANT_COLUMNS, KEYS);
      expect(mapping[key], wording).toBe(wording);
    }
    // And all the first ten in one header row, as the export of issue 17 had them.
    expect(mapColumns(HEADER, APPLICANT_COLUMNS, KEYS)).toMatchObject({
      name: 'ชื่อ – สกุล', salary: 'เงินเดือน (บาท)', age: 'อายุ (ปี)', authority: 'อปท', unit: 'โรงเรียน', rankRequested: 'วิทยฐานะที่ขอ', works: 'ชื่อผลงาน',
    });
  });

  it('never lets one accepted name of a form stand for two of its columns', () => {
    for (const form of listForms()) {
      if (!form.batch) continue;
      const seen = new Map<string, string>();
      for (const [key, names] of Object.entries(form.batch.columns)) {
        for (const name of names) {
          const m = mapColumns([name], form.batch.columns, []);
          expect(Object.keys(m), `${form.id}: ${name}`).toEqual([key]);
          seen.set(name, key);
        }
      }
    }
  });

  it('takes the specific header over a shorter one of the same column (วิทยฐานะ held beside วิทยฐานะที่ขอ)', () => {
    const headers = KEYS.map((k) => SEED_HEADER[k]!).map((h) => (h === 'ระดับวิทยฐานะที่เสนอขอ' ? 'วิทยฐานะที่ขอ' : h));
    expect(mapColumns(['วิทยฐานะ', ...headers], APPLICANT_COLUMNS, KEYS).rankRequested).toBe('วิทยฐานะที่ขอ');
  });

  it('reads a name exported in three columns (คำนำหน้า | ชื่อ | นามสกุล) as one name', async () => {
    const header = ['ลำดับ', 'จังหวัด', 'อปท.', 'โรงเรียน', 'คำนำหน้า', 'ชื่อ', 'นามสกุล', 'ตำแหน่ง', 'เงินเดือน', 'อายุ', 'วิทยฐานะที่ขอ', 'กลุ่มสาระ', 'ชื่อผลงาน'];
    const file = excelCsv([TITLE, header, ['1', 'ชัยนาท', 'ทม.ชัยนาท', 'โรงเรียนเทศบาล 1', 'นางสาว', 'มาลี', 'ใจดี', 'ครู', '35220', '41', 'ชำนาญการพิเศษ', 'ภาษาไทย', 'เรื่อง ก']]);
    const out = [];
    for await (const r of validatedRows(writeTemp('names.csv', file), 'names.csv', spec)) out.push(r);
    expect(out).toEqual([expect.objectContaining({ ok: true, value: expect.objectContaining({ name: 'นางสาวมาลี ใจดี' }) })]);
  });

  it('refuses a header it cannot read by naming the row read, the columns found, the ones not recognised and the nearest accepted name', async () => {
    const header = HEADER.map((h) => (h === 'อายุ (ปี)' ? 'อายุตัวคน' : h === 'ชื่อ – สกุล' ? 'ชื่อครูผู้ขอ' : h));
    const file = excelCsv([TITLE, header, person(1, 'เทศบาลเมืองชัยนาท')]);
    let error: InputFileError | undefined;
    try { await checkColumns({ data: file }, 'export.csv', spec); } catch (e) { error = e as InputFileError; }
    expect(error?.code).toBe('missing_columns');
    // Only what is missing; จังหวัด, ตำแหน่ง are in the header and are not named as missing.
    expect(error!.details).toEqual(['ชื่อ - สกุล', 'อายุ']);
    expect(error!.th).toContain('อ่านแถวที่ 2 เป็นหัวตาราง');
    expect(error!.th).toContain('"จังหวัด", "อปท"');
    expect(error!.th).toContain('"อายุตัวคน" (ใกล้เคียง "อายุตัว")');
    expect(error!.en).toContain('row 2 was read as the header');
    expect(error!.en).toMatch(/"อายุ" \(age\)/);
    expect(error!.en).toContain('"ชื่อครูผู้ขอ" (closest accepted name: "ชื่อผู้ขอ")');
    const missing = error!.th.slice(0, error!.th.indexOf('—'));
    for (const present of ['จังหวัด', 'ตำแหน่ง', 'เงินเดือน']) expect(missing).not.toContain(present);
  });
});

describe('a file exported from Excel on Thai Windows', () => {
  const rows = [
    TITLE, HEADER,
    person(1, 'เทศบาลเมืองชัยนาท'), person(2, 'เทศบาลเมืองชัยนาท'), person(3, 'เทศบาลตำบลสรรพยา'),
    person(4, 'เทศบาลตำบลสรรพยา', { age: '' }), person(5, 'เทศบาลตำบลสรรพยา', { age: 'สามสิบ', name: 'นายผิด อายุ' }),
    person(6, 'องค์การบริหารส่วนตำบลหาดท่าเสา', { salary: '๓๕,๒๒๐' }),
    ['', 'รวม 6 ราย'], ['', '', '', '', '', '', '211,320'],
  ];
  const file = excelCsv(rows);

  it('reads the rows under the title, skips the totals rows once, and names the bad rows with value, person and group', async () => {
    const seen = [];
    for await (const r of validatedRows(writeTemp('export.csv', file), 'export.csv', spec)) seen.push(r);
    expect(seen.filter((r) => r.ok).map((r) => r.row)).toEqual([3, 4, 5, 8]);
    const skipped = seen.filter((r) => !r.ok && r.skipped);
    expect(skipped.map((r) => r.row)).toEqual([9, 10]);
    const bad = seen.filter((r) => !r.ok && !r.skipped) as Extract<(typeof seen)[number], { ok: false }>[];
    expect(bad.map((r) => r.row)).toEqual([6, 7]);
    expect(bad[0]!.errors).toEqual([expect.objectContaining({
      column: 'อายุ (ปี)', th: 'ต้องกรอกข้อมูลนี้ — แถวของ นางสาวทดสอบ ลำดับ4', en: 'this field is required — the row of นางสาวทดสอบ ลำดับ4', name: 'นางสาวทดสอบ ลำดับ4', group: 'เทศบาลตำบลสรรพยา',
    })]);
    expect(bad[0]!.errors[0]!.value).toBeUndefined();
    expect(bad[1]!.errors).toEqual([expect.objectContaining({ column: 'อายุ (ปี)', value: 'สามสิบ', name: 'นายผิด อายุ', en: 'age must be a whole number from 18 to 80 (given "สามสิบ") — the row of นายผิด อายุ' })]);
  });

  it('runs over HTTP with shared as a file part: one document per authority, the totals rows reported as skipped, the errors file with its group column', async () => {
    const sharedFile = readFileSync(new URL('../examples/applicant-summary/shared.json', import.meta.url));
    const accepted = await request(app).post('/api/v1/batch/applicant-summary')
      .attach('shared', sharedFile, { filename: 'shared.json', contentType: 'application/json' })
      .attach('file', file, 'export.csv').expect(202);
    const job = await waitForJob(accepted.body.id);
    expect(job.state).toBe('done');
    expect(job.badRowCount).toBe(2);
    expect(job.skippedRows.map((s: { row: number }) => s.row)).toEqual([9, 10]);
    expect(job.skippedRows[0].th).toContain('รวม 6 ราย');
    const zip = (await request(app).get(`/api/v1/jobs/${job.id}/result`).buffer(true).parse(binary).expect(200)).body as Buffer;
    const files = unzip(zip);
    const names = [...files.keys()];
    expect(names.filter((n) => n.endsWith('.pdf'))).toHaveLength(3);
    const report = files.get('ข้อผิดพลาด-errors.csv')!.toString('utf8');
    expect(report).toContain('"7","เทศบาลตำบลสรรพยา","อายุ (ปี)"');
    expect(report).toContain('"สามสิบ","นายผิด อายุ"');
    expect(report).not.toContain('รวม 6 ราย');
  });

  it('skips the header printed again on each page of an export, and its row of column numbers', async () => {
    const numbers = HEADER.map((_, i) => `(${i + 1})`);
    const paged = excelCsv([TITLE, HEADER, person(1, 'ก'), person(2, 'ก'), numbers, HEADER, person(3, 'ข')]);
    const out = [];
    for await (const r of validatedRows(writeTemp('paged.csv', paged), 'paged.csv', spec)) out.push(r);
    expect(out.filter((r) => r.ok).map((r) => r.row)).toEqual([3, 4, 7]);
    expect(out.filter((r) => !r.ok).map((r) => [r.row, !r.ok && r.skipped?.en])).toEqual([[5, 'a row of column numbers, skipped'], [6, 'the header repeated, skipped']]);
  });

  it('previews the header and the best-guess mapping without starting a job', async () => {
    const res = await request(app).post('/api/v1/batch/applicant-summary/columns').attach('file', file, 'export.csv').expect(200);
    expect(res.body.headerRow).toBe(2);
    expect(res.body.headers).toEqual(HEADER);
    expect(res.body.mapping).toMatchObject({ name: 'ชื่อ – สกุล', salary: 'เงินเดือน (บาท)', volumes: null });
    expect(res.body.required).toContain('age');
    expect(res.body.accepted.name).toContain('ชื่อ - สกุล');
    // A header it cannot match still answers, with null where the clerk must choose.
    const odd = excelCsv([TITLE, HEADER.map((h) => (h === 'ชื่อ – สกุล' ? 'ครูผู้ขอ' : h)), person(1, 'ก')]);
    const partial = await request(app).post('/api/v1/batch/applicant-summary/columns').attach('file', odd, 'odd.csv').expect(200);
    expect(partial.body).toMatchObject({ headerRow: 2, mapping: { name: null, age: 'อายุ (ปี)' } });
    expect((await request(app).post('/api/v1/batch/applicant-summary/columns').field('sheet', 'x').expect(400)).body.error.code).toBe('missing_file');
    expect((await request(app).post('/api/v1/batch/no-such-form/columns').attach('file', file, 'a.csv').expect(404)).body.error.code).toBe('unknown_form');
    expect((await request(app).post('/api/v1/batch/external-letter/columns').attach('file', file, 'a.csv').expect(400)).body.error.code).toBe('no_batch');
    await request(app).post('/api/v1/batch/applicant-summary/columns').send({ file: 'x' }).expect(415);
    const pdf = Buffer.from('%PDF-1.7\n');
    expect((await request(app).post('/api/v1/batch/applicant-summary/columns').attach('file', pdf, 'a.csv').expect(415)).body.error.code).toBe('file_not_csv');
  });

  it('takes an explicit column mapping for a header it does not know, and says which mapped header is absent', async () => {
    const odd = excelCsv([TITLE, HEADER.map((h) => (h === 'ชื่อ – สกุล' ? 'ครูผู้ขอ' : h)), person(1, 'เทศบาลเมืองชัยนาท'), person(2, 'เทศบาลเมืองชัยนาท')]);
    // The year as a web form field sends what was typed: Thai digits, as text.
    const shared = JSON.stringify({ round: { month: 'เมษายน', year: '๒๕๖๕' } });
    const refused = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).attach('file', odd, 'odd.csv').expect(400);
    expect(refused.body.error.code).toBe('file_missing_columns');
    const ok = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).field('columns', JSON.stringify({ name: 'ครูผู้ขอ' }))
      .attach('file', odd, 'odd.csv').expect(202);
    const job = await waitForJob(ok.body.id);
    expect(job).toMatchObject({ state: 'done', badRowCount: 0, options: { columns: { name: 'ครูผู้ขอ' } } });
    const absent = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).field('columns', JSON.stringify({ name: 'ไม่มีคอลัมน์นี้' }))
      .attach('file', odd, 'odd.csv').expect(400);
    expect(absent.body.error).toMatchObject({ code: 'file_mapped_column_absent', th: expect.stringContaining('ไม่มีคอลัมน์นี้'), en: expect.stringContaining('"ครูผู้ขอ"') });
    const unknownKey = await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).field('columns', JSON.stringify({ teacher: 'ครูผู้ขอ' }))
      .attach('file', odd, 'odd.csv').expect(400);
    expect(unknownKey.body.error.code).toBe('file_unknown_mapping_key');
    await request(app).post('/api/v1/batch/applicant-summary').field('shared', shared).field('columns', '{name:').attach('file', odd, 'odd.csv').expect(400);
  });
});

describe('a messy workbook', () => {
  it('reads numbered and wrapped headers, heading rows between groups, amounts written 35,220.- and ages 45 ปี, and skips its SUM row', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('สรุป');
    sheet.addRow(['บัญชีรายชื่อครูที่ขอเลื่อนวิทยฐานะ']);
    sheet.mergeCells('A1:K1');
    sheet.addRow([]);
    sheet.addRow(['(1) ที่', '(2) จังหวัด', '(3) อปท.', '(4) โรงเรียน', '(5) ชื่อ – สกุล', '(6) ตำแหน่ง', 'เงินเดือน\n(บาท)', 'อายุ\n(ปี)', 'ระดับวิทยฐานะ\nที่ขอ', 'กลุ่มสาระการเรียนรู้', 'ชื่อผลงาน']);
    sheet.addRow(['เทศบาลเมืองชัยนาท']);
    sheet.addRow([1, 'ชัยนาท', 'เทศบาลเมืองชัยนาท', 'โรงเรียนอนุบาล', 'นายหนึ่ง ทดสอบ', 'ครู', '35,220.-', '45 ปี', 'ชำนาญการพิเศษ', 'ภาษาไทย', '1. เรื่อง ก\n2. เรื่อง ข']);
    sheet.addRow([2, 'ชัยนาท', 'เทศบาลเมืองชัยนาท', 'โรงเรียนอนุบาล', 'นางสอง ทดสอบ', 'ครู', 41000, 52, 'เชี่ยวชาญ', 'คณิตศาสตร์', 'เรื่อง ค']);
    sheet.addRow(['องค์การบริหารส่วนตำบลหาดท่าเสา']);
    sheet.addRow([3, 'ชัยนาท', 'องค์การบริหารส่วนตำบลหาดท่าเสา', 'โรงเรียนบ้านหาด', 'นายสาม ทดสอบ', 'ครู', '๓๒,๑๐๐', '๓๙', 'ชำนาญการพิเศษ', 'วิทยาศาสตร์', 'เรื่อง ง']);
    sheet.addRow(['', 'รวมทั้งสิ้น', '', '', '3 ราย', '', { formula: 'SUM(G5:G8)', result: 108320 }]);
    sheet.addRow(['ลงชื่อ ........................ ผู้รายงาน']);
    const path = join(dir, 'messy.xlsx');
    await book.xlsx.writeFile(path);
    const out = [];
    for await (const r of validatedRows(path, 'messy.xlsx', spec)) out.push(r);
    const good = out.filter((r) => r.ok) as Extract<(typeof out)[number], { ok: true }>[];
    expect(good.map((r) => [r.row, r.value.salary, r.value.age])).toEqual([[5, '35220', 45], [6, '41000', 52], [8, '32100', 39]]);
    expect(out.filter((r) => !r.ok && !r.skipped)).toEqual([]);
    expect(out.filter((r) => !r.ok && r.skipped).map((r) => r.row)).toEqual([4, 7, 9, 10]);
  });
});

describe('dates and types', () => {
  it('reads every way a date is written in a batch date column, Thai digits and Excel serials too', async () => {
    const csv = excelCsv([['บัญชีกำหนดระยะเวลาการนำส่งผลงาน'], ['จังหวัด', 'วันที่นำส่ง'],
      ['ก', '17/02/2565'], ['ข', '17 ก.พ. 2565'], ['ค', '๑๗/๐๒/๒๕๖๕'], ['ง', '17 กุมภาพันธ์ 2565'], ['จ', '44609'], ['ฉ', '2022-02-17'], ['ช', '๒๕๖๕-๐๒-๑๗'], ['ซ', '31/02/2565']]);
    const out = [];
    for await (const r of validatedRows(writeTemp('dates.csv', csv), 'dates.csv', batchSpecOf('submission-schedule'))) out.push(r);
    expect(out.slice(0, 7).map((r) => (r.ok ? r.value.date : r))).toEqual(Array(7).fill('2022-02-17'));
    expect(out[7]).toMatchObject({ ok: false, errors: [{ value: '31/02/2565', en: expect.stringContaining('invalid date') }] });
  });

  it('takes Thai digits and Thai-written dates in JSON dates', () => {
    for (const v of ['๒๕๖๕-๐๒-๑๗', '17/02/2565', '17 ก.พ. 2565', ' 2022-02-17 ']) expect(IsoDate.parse(v), v).toBe('2022-02-17');
    expect(IsoDate.safeParse('44609').success).toBe(false);
  });

  it('says a wrong type is the wrong type, never "required", over HTTP', async () => {
    const letter = JSON.parse(readFileSync(new URL('../examples/external-letter/minimal.json', import.meta.url), 'utf8'));
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ subject: 123 }, 'subject', /expected string, received number/],
      [{ signer: 'name' }, 'signer', /expected object, received string/],
      [{ body: 'a string' }, 'body', /expected/],
    ];
    for (const [change, path, en] of cases) {
      const res = await request(app).post('/api/v1/render/external-letter').send({ ...letter, ...change }).expect(400);
      const field = res.body.error.fields.find((f: { path: string }) => f.path === path);
      expect(field, path).toBeDefined();
      expect(field.en).toMatch(en);
      expect(field.en).not.toMatch(/required/);
      expect(field.th).not.toContain('ต้องกรอกข้อมูลนี้');
      expect(field.th).toContain('ต้องเป็น');
    }
    const evaluation = JSON.parse(readFileSync(new URL('../examples/esa-director-evaluation/expert-round1-2565.json', import.meta.url), 'utf8'));
    // A year typed in Thai digits is the year; a word is refused at its field.
    await request(app).post('/api/v1/render/esa-director-evaluation').send({ ...evaluation, fiscalYear: '๒๕๖๕' }).expect(200);
    const res = await request(app).post('/api/v1/render/esa-director-evaluation').send({ ...evaluation, fiscalYear: 'สองพัน' }).expect(400);
    const year = res.body.error.fields.find((f: { path: string }) => f.path === 'fiscalYear');
    expect(year.th).toContain('ปีงบประมาณต้องเป็น');
    expect(year.en).toMatch(/fiscal year must be a year/);
    // A level written as a word gets the form's own words; a level left out is "required".
    const text = JSON.stringify(evaluation);
    const word = await request(app).post('/api/v1/render/esa-director-evaluation').send(JSON.parse(text.replace(/"self":\s*\d/, '"self":"สี่"'))).expect(400);
    expect(word.body.error.fields[0]).toMatchObject({ path: 'component1.part1.items[0].self', en: 'the level must be a whole number from 1 to 4' });
    const none = await request(app).post('/api/v1/render/esa-director-evaluation').send(JSON.parse(text.replace(/"self":\s*\d,?/, ''))).expect(400);
    expect(none.body.error.fields[0]).toMatchObject({ path: 'component1.part1.items[0].self', en: 'this field is required' });
  });

  it('says "required" for an absent union field and names the types for a wrong one', () => {
    const schema = spec.row.pick({ works: true, age: true });
    const empty = fieldErrors(schema.safeParse({}).error!);
    expect(empty.map((e) => e.en)).toEqual(['this field is required', 'this field is required']);
    const wrong = fieldErrors(schema.safeParse({ works: true, age: true }).error!);
    expect(wrong.map((e) => e.en)).toEqual([expect.stringMatching(/expected string or array, received boolean/), expect.stringMatching(/expected string or number, received boolean/)]);
  });
});

describe('shipped batch examples', () => {
  it('every batch form ships shared.json and a sample CSV the way Excel writes it, read without a bad row', async () => {
    for (const form of listForms()) {
      if (!form.batch) continue;
      const base = new URL(`../examples/${form.id}/`, import.meta.url);
      const shared = JSON.parse(readFileSync(new URL('shared.json', base), 'utf8'));
      expect(form.batch.shared.safeParse(shared).success, form.id).toBe(true);
      const sample = readFileSync(new URL('sample.csv', base));
      // UTF-8 with a BOM ("CSV UTF-8"), or Windows-874 (plain "CSV" on Thai Windows): not UTF-8, Thai once decoded.
      const bom = sample.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
      const windows874 = sample.toString('utf8').includes('\ufffd') && /[\u0e00-\u0e7f]/.test(iconv.decode(sample, 'windows874'));
      const excelEncoded = bom || windows874;
      expect(excelEncoded, form.id).toBe(true);
      expect(sample.includes(Buffer.from('\r\n')), form.id).toBe(true);
      let good = 0;
      for await (const r of validatedRows(new URL('sample.csv', base).pathname, 'sample.csv', form.batch)) {
        expect(r.ok || Boolean(r.skipped), `${form.id} row ${r.row}: ${JSON.stringify(r)}`).toBe(true);
        if (r.ok) good++;
      }
      expect(good, form.id).toBeGreaterThan(0);
    }
  });
});

function writeTemp(name: string, data: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

async function waitForJob(id: string) {
  for (;;) {
    const res = await request(app).get(`/api/v1/jobs/${id}`).expect(200);
    if (res.body.state === 'done' || res.body.state === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
