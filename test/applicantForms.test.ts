import { describe, expect, it } from 'vitest';
import { buildDocument, computeForm, getForm } from '../src/forms/registry.js';
import { renderForm } from '../src/service.js';
import { ApplicantRow } from '../src/forms/applicant-summary/row.js';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applicantRows, summaryInput } from '../bench/applicants.bench.js';
import { prepareText } from '../src/model/prepareText.js';
import { LEAN_ROWS, renderPdf, renderPdfFile } from '../src/render/pdf/renderPdf.js';
import { pageCount, pdftotext, rasterise, stripSpace, tempDir } from './helpers/pdf.js';
import { validationErrors, thai } from './helpers/forms.js';



const applicant = (over: Record<string, unknown> = {}) => ({
  province: 'กาญจนบุรี', authority: 'ทม.กาญจนบุรี', unit: 'เทศบาล 4 (บ้านซูกุ่ม)', name: 'นาย มุ่งมั่น ขยันสอน',
  position: 'ครู', salary: '20,960', age: '56', rankRequested: 'ชำนาญการพิเศษ', subjectGroup: 'คณิตศาสตร์',
  works: '1. แบบฝึกทักษะคณิตศาสตร์ เรื่อง การบวกการลบ\n2. คู่มือการใช้แบบฝึกคณิตศาสตร์', ...over,
});
const round = { month: 'เมษายน', year: 2558 };

describe('the applicant row (shared by the four forms and the batch input)', () => {
  it('reads salaries with separators or decimals exactly, ages and works from cells, and its output parses again to itself', () => {
    const row = ApplicantRow.parse(applicant({ salary: '35,220.00', age: ' 47 ', works: 'งานวิจัย ก | 2) คู่มือ ข' }));
    expect(row).toMatchObject({ salary: '35220', age: 47, works: ['งานวิจัย ก', 'คู่มือ ข'] });
    expect(ApplicantRow.parse(applicant({ salary: '35,220.5' })).salary).toBe('35220.50');
    expect(ApplicantRow.parse(row)).toEqual(row);
  });

  it('rejects a bad salary, age, rank or empty works with the field path and Thai and English messages', () => {
    const form = getForm('applicant-summary')!;
    const errors = validationErrors(() => buildDocument(form, {
      round, applicants: [applicant(), applicant({ salary: '35,2x0', age: '15', rankRequested: 'ชำนาญ', works: ' | ' })],
    }));
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['applicants[1].salary', 'applicants[1].age', 'applicants[1].rankRequested', 'applicants[1].works']));
    const salary = errors.find((e) => e.path === 'applicants[1].salary')!;
    expect(salary.th).toMatch(/เงินเดือน/);
    expect(salary.en).toMatch(/salary/);
  });
});

describe('applicant-summary', () => {
  const form = getForm('applicant-summary')!;

  it('keeps a salary with satang, up to 99,999.99, on one line of its cell', async () => {
    const pdf = (await renderForm('applicant-summary', { round, applicants: [applicant({ salary: '99,999.99', position: 'รองผู้อำนวยการสถานศึกษา' })] }, 'pdf')).data;
    expect(pdftotext(pdf, ['-layout'])).toContain('๙๙,๙๙๙.๙๙');
  });

  it('prints every row in Thai numerals: number, salary with separators, age, numbered works', async () => {
    const pdf = (await renderForm('applicant-summary', { round, applicants: [applicant(), applicant({ name: 'น.ส. สมสวย รอบคอบ', salary: '25440', age: 47, works: 'ศึกษาความพึงพอใจของชุมชน' })] }, 'pdf')).data;
    const text = stripSpace(pdftotext(pdf));
    expect(text).toContain('รอบเดือนเมษายน๒๕๕๘');
    expect(text).toContain('๒๐,๙๖๐');
    expect(text).toContain('๒๕,๔๔๐');
    expect(text).toContain('๕๖');
    expect(text).toContain('๑.แบบฝึกทักษะคณิตศาสตร์');
    expect(text).toContain('๒.คู่มือการใช้แบบฝึกคณิตศาสตร์');
    expect(text).toContain('ศึกษาความพึงพอใจของชุมชน');
    expect(text).not.toMatch(/[0-9]/);
    expect(text).toContain('วันที่........เดือน');
  });

  it('groups rows by province, then local authority, in order of first appearance, numbered through', () => {
    const rows = [
      applicant({ province: 'นครปฐม', authority: 'ทน.นครปฐม', name: 'A1' }),
      applicant({ province: 'กาญจนบุรี', authority: 'ทม.กาญจนบุรี', name: 'B1' }),
      applicant({ province: 'นครปฐม', authority: 'อบต.ห้วยจรเข้', name: 'C1' }),
      applicant({ province: 'นครปฐม', authority: 'ทน.นครปฐม', name: 'A2' }),
      applicant({ province: 'กาญจนบุรี', authority: 'ทม.กาญจนบุรี', name: 'B2' }),
    ];
    const model = buildDocument(form, { round, applicants: rows }).model;
    const table = model.blocks.find((b) => b.type === 'table');
    if (table?.type !== 'table') throw new Error('no table');
    expect(table.rows.map((r) => [r[0], r[4]])).toEqual([['1', 'A1'], ['2', 'A2'], ['3', 'C1'], ['4', 'B1'], ['5', 'B2']]);
    expect(computeForm(form, { round, applicants: rows })).toMatchObject({
      applicants: 5,
      authorities: [{ authority: 'ทน.นครปฐม', applicants: 2 }, { authority: 'อบต.ห้วยจรเข้', applicants: 1 }, { authority: 'ทม.กาญจนบุรี', applicants: 2 }],
    });
  });

  it('repeats both header rows on every page of a long list, and loses no row', async () => {
    const rows = applicantRows(120, 7);
    const pdf = (await renderForm('applicant-summary', { round, applicants: rows }, 'pdf')).data;
    const pages = pageCount(pdf);
    expect(pages).toBeGreaterThan(2);
    for (const page of [2, pages]) {
      const text = stripSpace(pdftotext(pdf, ['-f', String(page), '-l', String(page)]));
      expect(text, `page ${page}`).toContain('ผลงานวิชาการที่ส่งประเมิน');
      // Each heading (poppler reads narrow columns as blocks: their order in the text follows the widths).
      for (const heading of ['ชื่อ-สกุล', 'ตำแหน่ง', 'เงินเดือน', 'อายุ']) expect(text, `page ${page}`).toContain(heading);
      expect(text, `page ${page}`).toContain('เรื่อง/วิชา/ชั้นเรียน');
    }
    const all = pdftotext(pdf, ['-layout']);
    // Row numbers ๑ .. ๑๒๐ each start a line, in order.
    const numbers = all.split("\n").map((l) => /^([๐-๙]+)\s/.exec(l)?.[1]).filter((n): n is string => !!n);
    expect(numbers).toEqual(Array.from({ length: 120 }, (_, i) => thai(String(i + 1))));
  });
});

describe('applicant-fees', () => {
  const form = getForm('applicant-fees')!;

  /** The seed's rule computed independently, in whole satang: rate x 3 reviewers + 100 baht, per applicant. */
  function expectedTotals(rows: Record<string, string>[], rates: Record<string, bigint>) {
    const per = new Map<string, bigint>();
    for (const r of rows) {
      const key = `${r.province!}/${r.authority!}`;
      per.set(key, (per.get(key) ?? 0n) + rates[r.rankRequested!]! * 3n + 10_000n);
    }
    const fmt = (satang: bigint) => `${satang / 100n}.${String(satang % 100n).padStart(2, '0')}`;
    const grand = [...per.values()].reduce((a, b) => a + b, 0n);
    return { per: new Map([...per].map(([k, v]) => [k, fmt(v)])), grand: fmt(grand) };
  }

  it('per authority and in total, matches an independent computation on 500 generated applicants', () => {
    const rows = applicantRows(500, 3);
    const computed = computeForm(form, { round, applicants: rows }) as { authorities: { province: string; authority: string; total: string }[]; total: string };
    const expected = expectedTotals(rows, { 'ชำนาญการพิเศษ': 100_000n, 'เชี่ยวชาญ': 300_000n });
    expect(computed.total).toBe(expected.grand);
    expect(new Map(computed.authorities.map((a) => [`${a.province}/${a.authority}`, a.total]))).toEqual(expected.per);
  });

  it('uses the seed rates: 3,100 for ชำนาญการพิเศษ and 9,100 for เชี่ยวชาญ per applicant; exact with a rate in satang', () => {
    const one = computeForm(form, { round, applicants: [applicant()] }) as { total: string };
    expect(one.total).toBe('3100.00');
    const expert = computeForm(form, { round, applicants: [applicant({ rankRequested: 'เชี่ยวชาญ' })] }) as { total: string };
    expect(expert.total).toBe('9100.00');
    const odd = computeForm(form, {
      round, rates: { 'ชำนาญการ': '333.33' }, applicants: [applicant({ rankRequested: 'ชำนาญการ' }), applicant({ rankRequested: 'ชำนาญการ' }), applicant({ rankRequested: 'ชำนาญการ' })],
    }) as { total: string; reviewerFees: string };
    // 333.33 x 3 x 3 = 2,999.97 exactly (binary floating point gives 2999.9700000000003).
    expect(odd.reviewerFees).toBe('2999.97');
    expect(odd.total).toBe('3299.97');
  });

  it('refuses a rank the circular sets no rate for, naming the row', () => {
    const errors = validationErrors(() => computeForm(form, { round, applicants: [applicant(), applicant({ rankRequested: 'เชี่ยวชาญพิเศษ' })] }));
    expect(errors).toEqual([expect.objectContaining({ path: 'applicants[1].rankRequested' })]);
    expect(errors[0]!.th).toMatch(/อัตราค่าตอบแทน/);
  });

  it('prints one payment per authority with its total in figures and in words, and the grand total', async () => {
    const rows = [applicant(), applicant({ rankRequested: 'เชี่ยวชาญ' }), applicant({ authority: 'ทต.ท่าม่วง' })];
    const text = stripSpace(pdftotext((await renderForm('applicant-fees', { round, applicants: rows }, 'pdf')).data));
    expect(text).toContain('รวมส่งจ่ายทั้งสิ้น๑๒,๒๐๐.๐๐บาท(หนึ่งหมื่นสองพันสองร้อยบาทถ้วน)');
    expect(text).toContain('รวมส่งจ่ายทั้งสิ้น๓,๑๐๐.๐๐บาท(สามพันหนึ่งร้อยบาทถ้วน)');
    expect(text).toContain('รวมทั้งหมด๒แห่ง๓รายเป็นเงิน๑๕,๓๐๐.๐๐บาท(หนึ่งหมื่นห้าพันสามร้อยบาทถ้วน)');
  });
});

describe('submission-cover', () => {
  it('prints three cover sheets per applicant, one page each, ชุดที่ ๑/๓ to ๓/๓, with the volumes', async () => {
    const rows = [applicant({ volumes: 2 }), applicant({ name: 'นาง สมหญิง ยิ่งยศ', works: 'รายงานการวิจัย' })];
    const pdf = (await renderForm('submission-cover', { applicants: rows }, 'pdf')).data;
    expect(pageCount(pdf)).toBe(6);
    const pages = Array.from({ length: 6 }, (_, i) => stripSpace(pdftotext(pdf, ['-f', String(i + 1), '-l', String(i + 1)])));
    pages.forEach((p, i) => expect(p).toContain(`ชุดที่${thai(String((i % 3) + 1))}/๓`));
    expect(pages[0]).toContain('นายมุ่งมั่นขยันสอน');
    expect(pages[0]).toContain('๓.ผลงานทางวิชาการจำนวน๒เล่ม');
    expect(pages[0]).toContain('๓.๒คู่มือการใช้แบบฝึกคณิตศาสตร์จำนวน๑เล่ม');
    expect(pages[3]).toContain('นางสมหญิงยิ่งยศ');
    expect(pages[3]).toContain('๓.ผลงานทางวิชาการจำนวน๑เล่ม');
  });
});

describe('submission-schedule', () => {
  it('lists delivery dates in order with their weekday and the provinces of each', async () => {
    const deliveries = [
      { province: 'กาญจนบุรี', date: '2558-09-13' }, { province: 'กระบี่', date: '2558-09-12' },
      { province: 'นครปฐม', date: '2015-09-13' }, { province: 'ขอนแก่น', date: '2558-09-14' },
    ];
    const computed = computeForm(getForm('submission-schedule')!, { round, venue: 'ศูนย์กีฬา', deliveries });
    expect(computed).toEqual({ days: [
      { date: '2015-09-12', provinces: ['กระบี่'], count: 1 },
      { date: '2015-09-13', provinces: ['กาญจนบุรี', 'นครปฐม'], count: 2 },
      { date: '2015-09-14', provinces: ['ขอนแก่น'], count: 1 },
    ] });
    const text = stripSpace(pdftotext((await renderForm('submission-schedule', { round, venue: 'ศูนย์กีฬา', deliveries }, 'pdf')).data));
    expect(text).toContain('๑.วันเสาร์ที่๑๒กันยายน๒๕๕๘กระบี่');
    expect(text).toContain('๒.วันอาทิตย์ที่๑๓กันยายน๒๕๕๘กาญจนบุรีนครปฐม');
    expect(text).toContain('๓.วันจันทร์ที่๑๔กันยายน๒๕๕๘ขอนแก่น');
  });
});

describe('a province-long list written in parts (renderPdfFile, as batch jobs write documents)', () => {
  it('has the pages one pdfmake document would have: same text page by page, numbers continuing across parts, same pixels where a part ends', async () => {
    // More rows than LEAN_ROWS, so the parts are drawn from the lean layout too.
    const rows = applicantRows(LEAN_ROWS + 100, 11);
    const { model, options } = buildDocument(getForm('applicant-summary')!, summaryInput(rows));
    const prepared = prepareText(model);
    const numbering = { pagesBefore: async () => 7 };
    const whole = await renderPdf(prepared, { ...options, ...numbering });
    const dir = tempDir();
    const path = join(dir, 'list.pdf');
    await renderPdfFile(prepared, { ...options, ...numbering }, path, 40);
    const parted = readFileSync(path);
    expect(readdirSync(dir)).toEqual(['list.pdf']);
    const pages = pageCount(whole);
    expect(pages).toBeGreaterThan(120);
    expect(pageCount(parted)).toBe(pages);
    const text = pdftotext(parted);
    expect(text).toBe(pdftotext(whole));
    // Page 41 of the document, the first of the second part, is numbered 7 + 41.
    expect(text.split('\f')[40]).toContain(`- ${thai(String(48))} -`);
    expect(rasterise(parted, 50, 40, 41)).toEqual(rasterise(whole, 50, 40, 41));
    rmSync(dir, { recursive: true, force: true });
  });
});
