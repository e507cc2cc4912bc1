import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { buildDocument, computeForm, getForm } from '../src/forms/registry.js';
import { renderDocument } from '../src/render/index.js';
import { budgetAt, quotaOf } from '../src/forms/salary-increment-list/common.js';
import { yearlyScore } from '../src/forms/government-employee-score/index.js';
import { pageCount, pdftotext, stripSpace } from './helpers/pdf.js';
import { lintDocx } from '../src/lint/pages.js';
import { prepareText } from '../src/model/prepareText.js';
import { layoutFor } from '../src/render/pdf/renderPdf.js';
import { lineText } from '../src/layout/paragraph.js';
import { renderForm } from '../src/service.js';
import { validationErrors as errorsOf, thai, example } from './helpers/forms.js';



async function pdfText(id: string, data: unknown): Promise<{ text: string; pdf: Buffer }> {
  const built = buildDocument(getForm(id)!, data);
  const pdf = await renderDocument(built.model, 'pdf', built.options);
  return { text: stripSpace(pdftotext(pdf)), pdf };
}

const header = { round: 1, year: 2565, office: 'สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท' };
const teacher = (name: string, rank: string, salary: string, extra: Record<string, unknown> = {}) =>
  ({ name, kind: 'teacher', rank, salary, present: true, positionType: 'teacher', ...extra });
const employees = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `ลูกจ้าง ${i + 1}`, kind: 'employee', salary: '15000', present: true }));

describe('salary-increment-list: head counts, budgets and quota from one person a row', () => {
  const form = getForm('salary-increment-list')!;

  it('sums salaries per group by rank (ครูผู้ช่วย, คศ.1-3 in group 1; คศ.4-5 in group 2), counting only staff present', () => {
    const people = [
      teacher('ก', 'ครูผู้ช่วย', '15800'), teacher('ข', 'คศ.3', '45370.50'), teacher('ค', 'คศ.๔', '66480'),
      teacher('ง', 'คศ. 5', '76800'), teacher('จ', 'คศ.2', '30220', { present: false }),
    ];
    const c = computeForm(form, { attachment: 5, ...header, people }) as { groups: { count: number; salarySum: string; budget: string }[] };
    expect(c.groups.map((g) => [g.count, g.salarySum])).toEqual([[2, '61170.50'], [2, '143280.00']]);
    // 3 % of 61,170.50 is 1,835.115: whole baht, satang cut off.
    expect(c.groups[0]!.budget).toBe('1835');
    expect(c.groups[1]!.budget).toBe('4298'); // 4,298.40
  });

  it('truncates the section 38 ค.(2) budget to whole baht: 3 % and 2.99 % cut, (6) = (4) - (5)', () => {
    const people = [
      { name: 'ก', kind: '38c2', salary: '45210', present: true },
      { name: 'ข', kind: '38c2', salary: '31460', present: true },
      { name: 'ค', kind: '38c2', salary: '20117.50', present: true },
      { name: 'ง', kind: '38c2', salary: '28110', present: false },
    ];
    const c = computeForm(form, { attachment: 6, ...header, people }) as { section38c2: Record<string, unknown> };
    // 96,787.50 x 3 % = 2,903.625 -> 2,903; x 2.99 % = 2,893.94625 -> 2,893; 0.01 % would be 9.68, but (6) is (4) - (5) = 10.
    expect(c.section38c2).toEqual({ count: 3, salarySum: '96787.50', budget: '2903', allocated: '2893', reserved: '10' });
  });

  it('truncates, never rounds, even a budget one satang short of the next baht', () => {
    expect(budgetAt('33333.33', '3')).toBe('999'); // 999.9999
    expect(budgetAt('33333.34', '3')).toBe('1000'); // 1,000.0002
    expect(budgetAt('100', '2.99')).toBe('2'); // 2.99
    expect(budgetAt('0', '3')).toBe('0');
  });

  it('gives the 15 % one-step quota in whole people: 6 -> 0, 7 -> 1, 13 -> 1, 14 -> 2', () => {
    for (const [n, whole, exact] of [[6, 0, '0.9'], [7, 1, '1.05'], [13, 1, '1.95'], [14, 2, '2.1'], [0, 0, '0'], [20, 3, '3']] as const) {
      const c = computeForm(form, { attachment: 7, ...header, people: employees(n) }) as { employees: { count: number; quota: string; quotaWhole: number } };
      expect(c.employees, `${n} employees`).toMatchObject({ count: n, quota: exact, quotaWhole: whole });
      expect(quotaOf(n).whole).toBe(whole);
    }
  });

  it('rejects a teacher whose rank has no group, or whose group contradicts the rank, naming the person', () => {
    const errors = errorsOf(() => computeForm(form, { attachment: 5, ...header, people: [teacher('ก', 'คศ.1', '20000'), teacher('ข', 'คศ.6', '20000'), teacher('ค', 'คศ.4', '60000', { group: 1 })] }));
    expect(errors.map((e) => e.path)).toEqual(['people[1].rank', 'people[2].group']);
    expect(errors[1]!.th).toContain('กลุ่มที่ ๒');
  });

  it('prints the sums in Thai numerals and ends with both certifications', async () => {
    const { text } = await pdfText('salary-increment-list', example('salary-increment-list', '6-section-38c2-budget-2565.json'));
    for (const figure of ['96,787.50', '2,903', '2,893']) expect(text).toContain(thai(figure));
    expect(text).toContain('ขอรับรองว่าข้อมูลดังกล่าวข้างต้นถูกต้อง');
    expect(text).toContain('ตำแหน่งผู้อำนวยการกลุ่มบริหารงานบุคคล');
    expect(text).toContain('ตำแหน่งผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท');
    const head = await pdfText('salary-increment-list', example('salary-increment-list', '5-teacher-head-count-2565.json'));
    // Group 1 of the example roster: 15,800 + 18,530 + 30,220 + 45,370 + 48,670 + 51,220.
    expect(head.text).toContain(thai('209,810'));
  });

  it('lists only the people seconded to the place the attachment names', async () => {
    const data = example('salary-increment-list', '1-seconded-teachers-obec-2565.json');
    const { text } = await pdfText('salary-increment-list', data);
    expect(text).toContain('นางสาวจิราพรคำดี');
    expect(text).not.toContain('นายกิตติพรหมมา'); // seconded to another office: attachment 3
    expect((await pdfText('salary-increment-list', { ...data, attachment: 3 })).text).toContain('นายกิตติพรหมมา');
  });
});

describe('salary-increment-summary (attachments 11 and 13, 23 columns)', () => {
  const form = getForm('salary-increment-summary')!;
  const data = example('salary-increment-summary', '11-teachers-2565.json');
  type Row = Record<string, string | number>;

  it('computes (3), (21), (22), (23) as the circular defines them, checked by an independent sum', () => {
    const c = computeForm(form, data) as { rows: Row[]; total: Row };
    for (const [i, given] of (data.rows as Row[]).entries()) {
      const row = c.rows[i]!;
      const n = (k: number) => Number(given[`col${k}`] ?? 0);
      expect(row.col3).toBe(new Decimal(given.col2!).times(0.03).floor().toFixed());
      expect(row.col21).toBe(n(4) + n(6) + n(8) + n(10) + n(12) + n(14) + n(16) + n(18) + n(20));
      expect(row.col21).toBe(n(1));
      expect(row.col22).toBe(String(n(5) + n(7) + n(9) + n(11) + n(13) + n(15) + n(17) + n(19)));
      expect(row.col23).toBe(String(Number(row.col3) - Number(row.col22)));
    }
    expect(c.rows.map((r) => r.col23)).toEqual(['369', '471']);
    expect(c.total.col2).toBe('58674030');
  });

  const broken = (i: number, patch: Row) => ({ ...data, rows: (data.rows as Row[]).map((r, k) => (k === i ? { ...r, ...patch } : r)) });

  it('rejects counts that do not add up to (1), naming the column and row', () => {
    const [e] = errorsOf(() => computeForm(form, broken(1, { col20: 3 })));
    expect(e).toMatchObject({ path: 'rows[1].col21' });
    expect(e!.th).toContain('คอลัมน์ (๒๑) ต้องเท่ากับ (๑)');
    expect(e!.en).toContain('column (21) must equal column (1)');
  });

  it('rejects a stated (21), (22), (23) or (3) that does not match', () => {
    expect(errorsOf(() => computeForm(form, broken(0, { col21: 1519 })))[0]).toMatchObject({ path: 'rows[0].col21' });
    const e22 = errorsOf(() => computeForm(form, broken(0, { col22: '1574251' })))[0]!;
    expect(e22.path).toBe('rows[0].col22');
    expect(e22.th).toContain('(๕)+(๗)+(๙)+(๑๑)+(๑๓)+(๑๕)+(๑๗)+(๑๙)');
    expect(errorsOf(() => computeForm(form, broken(1, { col23: '470' })))[0]).toMatchObject({ path: 'rows[1].col23' });
    // 3 % of 52,487,310 is 1,574,619.30: rounding up to 1,574,620 is not allowed either.
    const e3 = errorsOf(() => computeForm(form, broken(0, { col3: '1574620' })))[0]!;
    expect(e3.path).toBe('rows[0].col3');
    expect(e3.th).toContain('ตัดเศษสตางค์');
  });

  it('rejects money used beyond the budget of a group (no money moves between groups)', () => {
    // Group 1 has 369 baht left; 370 more is one baht too many, even though group 2 has 471 left.
    const over = broken(0, { col5: String(251160 + 370), col22: undefined as unknown as string });
    delete (over.rows[0] as Row).col22;
    const e = errorsOf(() => computeForm(form, over))[0]!;
    expect(e.path).toBe('rows[0].col23');
    expect(e.th).toContain('เกินวงเงิน');
    const exact = broken(0, { col5: String(251160 + 369) });
    delete (exact.rows[0] as Row).col22;
    expect((computeForm(form, exact) as { rows: Row[] }).rows[0]!.col23).toBe('0');
  });

  it('rejects money in a column whose people column is empty', () => {
    expect(errorsOf(() => computeForm(form, broken(1, { col19: '100' })))[0]).toMatchObject({ path: 'rows[1].col19' });
  });

  it('sums one person a row into the columns (attachment 13, budget 2.99 %)', () => {
    const byPerson = example('salary-increment-summary', '13-section-38c2-by-person-2565.json');
    const c = computeForm(form, byPerson) as { rate: string; rows: Row[] };
    expect(c.rate).toBe('2.99');
    const people = byPerson.people as { salary: string; result: string; increment: string; compensation: string }[];
    const salaries = people.reduce((a, p) => a.plus(p.salary), new Decimal(0));
    const row = c.rows[0]!;
    expect(row.col1).toBe(people.length);
    expect(row.col2).toBe(salaries.toFixed());
    expect(row.col3).toBe(salaries.times('0.0299').floor().toFixed());
    // Very good: two raised (1,000 + 620), one paid compensation only (1,180).
    expect([row.col8, row.col9, row.col10, row.col11]).toEqual([2, '1620', 1, '1180']);
    expect(row.col20).toBe(1);
    const used = people.reduce((a, p) => a.plus(p.increment).plus(p.compensation), new Decimal(0));
    expect(row.col22).toBe(used.toFixed());
  });

  it('rejects a person rated but given no money, by person', () => {
    const byPerson = example('salary-increment-summary', '13-section-38c2-by-person-2565.json');
    byPerson.people[2].increment = '0';
    expect(errorsOf(() => computeForm(form, byPerson))[0]).toMatchObject({ path: 'people[2].increment' });
  });

  it('prints the figures in Thai numerals, landscape, with the column numbers (๑)-(๒๓) on every page', async () => {
    const { text } = await pdfText('salary-increment-summary', data);
    for (const figure of ['1,574,619', '1,574,250', '58,674,030', '1,760,220']) expect(text).toContain(thai(figure));
    // Twenty groups' rows run over a page: the numbered header row repeats.
    const rows = Array.from({ length: 20 }, (_, i) => ({ label: `หน่วยที่ ${i + 1}`, col1: 1, col2: '30000', col4: 1, col5: '900' }));
    const long = await pdfText('salary-increment-summary', { ...data, rows });
    const pages = pageCount(long.pdf);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const page = stripSpace(pdftotext(long.pdf, ['-f', String(p), '-l', String(p)]));
      if (!page.includes('หน่วยที่')) continue; // the certification page
      for (let col = 1; col <= 23; col++) expect(page, `page ${p}`).toContain(thai(`(${col})`));
    }
  });
});

describe('permanent-employee-quota (attachment 14, 15 columns)', () => {
  const form = getForm('permanent-employee-quota')!;
  const data = example('permanent-employee-quota', '14-permanent-employees-2565.json');
  type Row = Record<string, string | number>;
  const withRow = (patch: Row) => ({ ...data, rows: [{ ...data.rows[0], ...patch }] });

  it('computes (3) = (1) x 15 %, (13) = (4)+(6), (14) = (5)+(9), (15) = (7)+(11)', () => {
    const row = (computeForm(form, data) as { rows: Row[] }).rows[0]!;
    const g = data.rows[0] as Row;
    expect(row.col3).toBe(new Decimal(g.col1!).times('0.15').toFixed());
    expect(row.col13).toBe(Number(g.col4) + Number(g.col6));
    expect(row.col14).toBe(String(Number(g.col5) + Number(g.col9)));
    expect(row.col15).toBe(String(Number(g.col7) + Number(g.col11)));
    expect(row.quotaWhole).toBe(4);
  });

  it('rejects more one-step raises than the whole-people quota, at the boundaries', () => {
    // Only (1), (2), (4), (5), (12) given: (3) and (13)-(15) are computed, so the quota check is what decides.
    const counts = (col1: number, col4: number) => ({ col1, col2: '100000', col4, col5: String(300 * col4), col12: col1 - col4 });
    const run = (col1: number, col4: number) => () => computeForm(form, { ...data, rows: [counts(col1, col4)] });
    expect(errorsOf(run(6, 1))[0]).toMatchObject({ path: 'rows[0].col13' });
    expect(() => run(7, 1)()).not.toThrow();
    expect(errorsOf(run(13, 2))[0]!.th).toContain('เกินโควตา');
    expect(() => run(14, 2)()).not.toThrow();
  });

  it('rejects counts that do not add up to (1) and stated sums that do not match', () => {
    const e = errorsOf(() => computeForm(form, withRow({ col12: 4 })))[0]!;
    expect(e.path).toBe('rows[0].col12');
    expect(e.th).toContain('ต้องเท่ากับ (๑)');
    expect(errorsOf(() => computeForm(form, withRow({ col3: '4' })))[0]).toMatchObject({ path: 'rows[0].col3' });
    expect(errorsOf(() => computeForm(form, withRow({ col13: 3 })))[0]).toMatchObject({ path: 'rows[0].col13' });
    expect(errorsOf(() => computeForm(form, withRow({ col14: '6700' })))[0]).toMatchObject({ path: 'rows[0].col14' });
    expect(errorsOf(() => computeForm(form, withRow({ col15: '1400' })))[0]).toMatchObject({ path: 'rows[0].col15' });
  });

  it('counts one person a row: one step within the quota of 7 employees', () => {
    const byPerson = example('permanent-employee-quota', '14-by-person-2565.json');
    const row = (computeForm(form, byPerson) as { rows: Row[] }).rows[0]!;
    expect(row).toMatchObject({ col1: 7, col3: '1.05', quotaWhole: 1, col4: 1, col8: 4, col10: 1, col12: 1, col13: 1, col14: '1580', col15: '420' });
    byPerson.people[1].result = 'one-step';
    expect(errorsOf(() => computeForm(form, byPerson))[0]).toMatchObject({ path: 'rows[0].col13' });
  });

  it('prints the sums in Thai numerals with the numbered columns', async () => {
    const { text } = await pdfText('permanent-employee-quota', data);
    for (const figure of ['512,430', '4.05', '6,720', '1,410']) expect(text).toContain(thai(figure));
    for (const label of ['(3)=(1)', '(13)=', '(14)=', '(15)=', '(4)+(6)', '(5)+(9)', '(7)+(11)']) expect(text).toContain(thai(label));
  });
});

describe('government-employee-score: (round 1 + round 2) / 2', () => {
  it('writes two decimals, the third rounded half up', () => {
    expect(yearlyScore('85.25', '90.00')).toBe('87.63'); // 87.625
    expect(yearlyScore('78.33', '81.50')).toBe('79.92'); // 79.915
    expect(yearlyScore('78.33', '81.49')).toBe('79.91'); // 79.91
    expect(yearlyScore('88', '86')).toBe('87.00');
    expect(yearlyScore('100', '99.99')).toBe('100.00'); // 99.995
  });

  it('rejects a score above 100 or with three decimals, naming the person', () => {
    const form = getForm('government-employee-score')!;
    const data = example('government-employee-score', 'yearly-scores-2565.json');
    data.people[1].round2 = '100.01';
    data.people[2].round1 = '80.125';
    expect(errorsOf(() => computeForm(form, data)).map((e) => e.path)).toEqual(['people[1].round2', 'people[2].round1']);
  });

  it('prints the yearly scores in Thai numerals', async () => {
    const { text } = await pdfText('government-employee-score', example('government-employee-score', 'yearly-scores-2565.json'));
    for (const figure of ['87.63', '93.63', '79.92', '87.00', '175.25']) expect(text).toContain(thai(figure));
  });
});

/** The text lines of each page, as poppler places them: top and bottom of the line's box (points from the top), text. */
function boxLines(pdf: Buffer): { yMin: number; yMax: number; text: string }[][] {
  return pdftotext(pdf, ['-bbox-layout']).split('<page').slice(1).map((page) =>
    [...page.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((m) => ({
      yMin: Number(m[1]), yMax: Number(m[2]), text: [...m[3]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '),
    })));
}

describe('certifications of the lists: room to sign, side by side on landscape pages', () => {
  const lists: [string, string][] = [
    ...['1-seconded-teachers-obec-2565', '2-seconded-employees-obec-2565', '3-seconded-teachers-other-office-2565', '4-seconded-employees-other-office-2565',
      '5-teacher-head-count-2565', '6-section-38c2-budget-2565', '7-employee-quota-2565'].map((f): [string, string] => ['salary-increment-list', f]),
    ['salary-increment-summary', '11-teachers-2565'], ['salary-increment-summary', '13-section-38c2-by-person-2565'],
    ['permanent-employee-quota', '14-permanent-employees-2565'], ['permanent-employee-quota', '14-by-person-2565'],
    ['government-employee-score', 'yearly-scores-2565'], ['esa-director-data', 'chainat-round1-2565'],
  ];

  it.each(lists)('%s %s: a line and a half of blank above every (ลงชื่อ) line, as printed', async (formId, file) => {
    const { pdf } = await pdfText(formId, example(formId, `${file}.json`));
    let signing = 0;
    for (const lines of boxLines(pdf)) {
      for (const l of lines.filter((x) => /^\(?ลงชื่อ/.test(x.text))) {
        signing++;
        // The pitch of the block: from the signing line down to its name line.
        const pitch = Math.min(...lines.filter((o) => o.yMin > l.yMin + 1).map((o) => o.yMin)) - l.yMin;
        const over = Math.max(...lines.filter((o) => o.yMin < l.yMin - 1).map((o) => o.yMax));
        // Two lines in a row have boxes (pitch - box height) apart: 1.5 lines of blank more than that.
        const blank = l.yMin - over - (pitch - (l.yMax - l.yMin));
        expect(blank, `${formId} ${file}: blank above «${l.text.slice(0, 20)}»`).toBeGreaterThanOrEqual(1.5 * pitch - 0.5);
      }
    }
    expect(signing).toBe(2);
  });

  it('fits attachments 11 and 14 of one to three data rows on one page with both certifications, side by side', async () => {
    const a11 = example('salary-increment-summary', '11-teachers-2565.json');
    const a14 = example('permanent-employee-quota', '14-permanent-employees-2565.json');
    for (const n of [1, 2, 3]) {
      const cases: [string, unknown][] = [
        ['salary-increment-summary', { ...a11, rows: Array.from({ length: n }, (_, i) => ({ ...a11.rows[i % 2], group: (i % 2) + 1 })) }],
        ['permanent-employee-quota', { ...a14, rows: Array.from({ length: n }, () => a14.rows[0]) }],
      ];
      for (const [formId, data] of cases) {
        const { pdf } = await pdfText(formId, data);
        expect(pageCount(pdf), `${formId}, ${n} row(s)`).toBe(1);
        // Both signing lines on one printed line: the certifiers stand beside each other.
        const signing = boxLines(pdf)[0]!.filter((l) => l.text.includes('ลงชื่อ'));
        expect(new Set(signing.map((l) => Math.round(l.yMin))).size, `${formId}, ${n} row(s)`).toBe(1);
      }
    }
  });

  it('gives the Word file the same room and page, as LibreOffice lays it out (attachment 11)', async () => {
    const docx = (await renderForm('salary-increment-summary', { ...example('salary-increment-summary', '11-teachers-2565.json'), options: { font: 'Sarabun' } }, 'docx')).data;
    expect(await lintDocx(docx)).toEqual({ pages: 1, findings: [] });
  });
});

/** Each table cell's lines, by row (header rows first), as the PDF lays them out. */
function cellLines(formId: string, data: unknown): string[][][] {
  const layout = layoutFor(prepareText(buildDocument(getForm(formId)!, data).model));
  return layout.pages.flatMap((p) => p.slices).flatMap((p) => (p.slice.content.kind === 'tableRow' && !p.repeated ? [p.slice.content.cells.map((c) => c.lines.map(lineText))] : []));
}

describe('table columns set for their words', () => {
  it('government-employee score: the rounds\' dates break after the dash (no line of a dash alone), each name on one line', () => {
    const rows = cellLines('government-employee-score', example('government-employee-score', 'yearly-scores-2565.json'));
    for (const cells of rows) for (const lines of cells) for (const l of lines) expect(l.trim(), lines.join(' | ')).not.toMatch(/^-/);
    const names = rows.filter((cells) => /^[๐-๙]+$/.test(cells[0]?.[0] ?? '')).map((cells) => cells[1]!);
    expect(names.length).toBe(4);
    for (const name of names) expect(name, name.join(' | ')).toHaveLength(1);
  });

  it('area director data: ผอ.สพท.ชำนาญการพิเศษ and every other academic rank whole on its line', () => {
    const rows = cellLines('esa-director-data', example('esa-director-data', 'chainat-round1-2565.json'));
    const ranks = rows.slice(-2).map((cells) => cells[3]!);
    expect(ranks.flat()).toContain('ผอ.สพท.ชำนาญการพิเศษ');
    expect(ranks.flat()).toContain('ผอ.สพท.เชี่ยวชาญ');
  });
});

describe('batch rows: one person a CSV row', () => {
  it('reads Thai cells (digits, ใช่, commas) and groups them into one document per area office', () => {
    const form = getForm('salary-increment-list')!;
    const spec = form.batch!;
    expect(spec.groupKeys.authority).toBe('office');
    expect(spec.columns.salary).toContain('เงินเดือน');
    const cells = [
      { office: header.office, name: 'นางสาว ก', kind: 'ข้าราชการครู', rank: 'คศ.๒', salary: '๓๐,๒๒๐.๕๐', present: 'ใช่', positionType: 'ครู' },
      { office: header.office, name: 'นาย ข', kind: 'มาตรา 38 ค.(2)', rank: 'ชำนาญการ', salary: '31460', present: '1' },
      { office: header.office, name: 'นาย ค', kind: 'ลูกจ้างประจำ', salary: '15000', present: 'ไม่มี' },
    ];
    const rows = cells.map((c) => spec.row.parse(c));
    const data = spec.toData(rows, { attachment: 5, round: 1, year: 2565 });
    const c = computeForm(form, data) as { groups: { salarySum: string }[]; section38c2: { count: number }; employees: { count: number } };
    expect(c.groups[0]!.salarySum).toBe('30220.50');
    expect(c.section38c2.count).toBe(1);
    expect(c.employees.count).toBe(0);
    expect(() => spec.row.parse({ ...cells[0], salary: '-5' })).toThrow();
  });
});
