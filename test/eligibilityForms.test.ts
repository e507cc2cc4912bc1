import { describe, expect, it } from 'vitest';
import { buildDocument, computeForm, getForm } from '../src/forms/registry.js';
import { renderModel } from '../src/render/index.js';
import { pdftotext, stripSpace } from './helpers/pdf.js';
import { unzip } from './helpers/zip.js';
import type { PprComputed } from '../src/forms/ppr/index.js';
import type { RankQualificationResult } from '../src/forms/rank-qualification/index.js';
import { retirementDate, fullYears } from '../src/forms/esa-director-report/index.js';
import { academicYearOf } from '../src/forms/ppr/rules.js';
import { layoutDocument } from '../src/layout/page.js';
import { lineText } from '../src/layout/paragraph.js';
import { prepareText } from '../src/model/prepareText.js';
import { fontRegistry } from '../src/fonts/registry.js';
import { breakUnits } from '../src/thai/segment.js';
import { validationErrors as errorsOf, thai, example } from './helpers/forms.js';



async function pdfText(formId: string, data: unknown) {
  const built = buildDocument(getForm(formId)!, data);
  return stripSpace(pdftotext(await renderModel(built.model, 'pdf', built.options)));
}
async function docxText(formId: string, data: unknown) {
  const built = buildDocument(getForm(formId)!, data);
  const xml = unzip(await renderModel(built.model, 'docx', built.options)).get('word/document.xml')!.toString('utf8');
  return stripSpace([...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
}

/**
 * Table cells whose lines break inside a word or a number (ตำแห|น่ง, ๒๕๖|๐): the
 * layout cuts a unit between letters only when the column is narrower than it.
 * Returns the two sides of every such break.
 */
function cutWords(formId: string, data: unknown): string[] {
  const built = buildDocument(getForm(formId)!, data);
  const registry = fontRegistry();
  const prepared = prepareText(built.model);
  const laid = layoutDocument(prepared, registry.defaultFamily(), registry.fallbackFamily());
  // A line break where the source has a space or a newline is no cut: the two sides are not adjacent there.
  const source = JSON.stringify(prepared.blocks);
  const cuts: string[] = [];
  for (const page of laid.pages) {
    for (const { slice } of page.slices) {
      if (slice.content.kind !== 'tableRow') continue;
      for (const cell of slice.content.cells) {
        const lines = cell.lines.map(lineText);
        for (let i = 0; i + 1 < lines.length; i++) {
          const before = breakUnits(lines[i]!).filter((u) => !u.space).pop()?.text ?? '';
          const after = breakUnits(lines[i + 1]!).find((u) => !u.space)?.text ?? '';
          // A no-break stretch wider than its column is cut where its rules allow (ผอ.สพท.|ชำนาญการพิเศษ): no cut inside a word.
          const whole = breakUnits(before + after);
          if (before && after && source.includes(before + after) && whole.length === 1 && !whole[0]!.cuts?.some((c) => c.at === before.length)) cuts.push(`${before}|${after}`);
        }
      }
    }
  }
  return cuts;
}

describe('PPR', () => {
  const form = getForm('ppr')!;
  /** One academic year (2564) whose totals are exactly the given hours. */
  const oneYear = (level: 'early-childhood' | 'primary-up', teaching: string, plc: string, duty: string) => ({
    teacher: { name: 'นางทดสอบ ระบบ', unit: 'โรงเรียนทดสอบ', authority: 'เทศบาลทดสอบ' },
    level,
    academicYears: [2564],
    entries: [
      { date: '2021-05-16', kind: 'teaching', hours: teaching, description: 'สอน' },
      { date: '2022-05-15', kind: 'plc', hours: plc, description: 'PLC' },
      { date: '2021-12-01', kind: 'duty', hours: duty, description: 'เวร' },
      { date: '2021-12-02', kind: 'training', hours: '100', description: 'อบรม (ไม่นับเป็นชั่วโมงปฏิบัติงาน)' },
    ],
    evaluator: { name: 'นายผู้ประเมิน', position: 'ผู้อำนวยการสถานศึกษา' },
  });
  const year = (data: unknown) => (computeForm(form, data) as PprComputed).years[0]!;
  const met = (data: unknown) => Object.fromEntries(year(data).checks.map((c) => [c.id, c.met]));

  it('counts the academic year from 16 May to 15 May', () => {
    expect(academicYearOf('2021-05-15')).toBe(2563);
    expect(academicYearOf('2021-05-16')).toBe(2564);
    expect(academicYearOf('2022-05-15')).toBe(2564);
  });

  it('totals working hours exactly (teaching + PLC + duty, not training) at the 800-hour boundary', () => {
    expect(year(oneYear('primary-up', '480', '50', '269.99')).workingHours).toBe('799.99');
    expect(met(oneYear('primary-up', '480', '50', '269.99'))['working-hours']).toBe(false);
    expect(year(oneYear('primary-up', '480', '50', '269.99')).checks[0]!.shortfall).toBe('0.01');
    expect(met(oneYear('primary-up', '480', '50', '270'))['working-hours']).toBe(true);
    // Binary floating point would make 0.1 + 0.2 + ... drift: decimals stay exact.
    expect(year(oneYear('primary-up', '0.1', '0.2', '799.7')).workingHours).toBe('800');
  });

  it('checks PLC at 49.99 / 50', () => {
    expect(met(oneYear('primary-up', '480', '49.99', '300'))['plc-hours']).toBe(false);
    expect(met(oneYear('primary-up', '480', '50', '300'))['plc-hours']).toBe(true);
  });

  it('averages teaching over 40 weeks: 11.99 / 12 a week (primary), 5.99 / 6 (early childhood)', () => {
    expect(year(oneYear('primary-up', '479.6', '50', '300')).weeklyTeaching).toBe('11.99');
    expect(met(oneYear('primary-up', '479.6', '50', '300'))['teaching-load']).toBe(false);
    expect(met(oneYear('primary-up', '480', '50', '300'))['teaching-load']).toBe(true);
    expect(met(oneYear('early-childhood', '239.6', '50', '600'))['teaching-load']).toBe(false);
    expect(met(oneYear('early-childhood', '240', '50', '600'))['teaching-load']).toBe(true);
    expect(met(oneYear('early-childhood', '479.6', '50', '300'))['teaching-load']).toBe(true);
  });

  it('prints the totals and shortfalls in Thai numerals in the PDF and the DOCX', async () => {
    const data = oneYear('primary-up', '479.6', '49.99', '270.4');
    expect(year(data).workingHours).toBe('799.99');
    for (const text of [await pdfText('ppr', data), await docxText('ppr', data)]) {
      // Working hours, PLC and weekly load: each 0.01 short, each marked (a PDF's cells read line by line across the row).
      for (const figure of ['๗๙๙.๙๙', '๔๙.๙๙', '๑๑.๙๙', '๔๗๙.๖๐', '๒๗๐.๔๐']) expect(text).toContain(figure);
      expect(text.match(/ขาด๐\.๐๑/g)).toHaveLength(3);
      expect(text).toContain('ไม่ผ่านเกณฑ์');
    }
  });

  it('repeats the log table header on every page of a long log', async () => {
    const data = example('ppr', 'municipal-school-2563-2564.json');
    const built = buildDocument(form, data);
    const pages = pdftotext(await renderModel(built.model, 'pdf', built.options)).split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(4);
    for (const page of pages.slice(1)) expect(stripSpace(page)).toContain('หลักฐานอ้างอิง');
  });

  it('rejects entries outside the years reported, repeated years and bad hours, with field paths', () => {
    const data = oneYear('primary-up', '480', '50', '300');
    const errors = errorsOf(() => computeForm(form, {
      ...data, academicYears: [2564, 2564], entries: [...data.entries, { date: '2022-05-16', kind: 'duty', hours: '1', description: 'x' }],
    }));
    expect(errors.map((e) => e.path)).toEqual(['academicYears[1]', 'entries[4].date']);
    const hours = errorsOf(() => computeForm(form, { ...data, entries: [{ ...data.entries[0], hours: '1.234' }, { ...data.entries[1], hours: -1 }] }));
    expect(hours.map((e) => e.path)).toEqual(['entries[0].hours', 'entries[1].hours']);
    for (const e of [...errors, ...hours]) expect(e.th).toMatch(/[\u0e00-\u0e7f]/);
  });
});

describe('rank qualification', () => {
  const form = getForm('rank-qualification')!;
  const base = example('rank-qualification', 'child-centre-professional-2565.json');
  const check = (data: unknown) => computeForm(form, data) as RankQualificationResult;
  const criterion = (data: unknown, id: string) => check(data).criteria.find((c) => c.id === id)!;

  it('passes the example with every criterion, two sets, to the education division', () => {
    const r = check(base);
    expect(r.eligible).toBe(true);
    expect(r.criteria.map((c) => c.id)).toEqual(['years-in-rank', 'working-hours', 'plc-hours', 'teaching-load', 'discipline', 'development', 'work-results']);
    expect(r.documents.sets).toBe(2);
    expect(r.documents.items.map((d) => d.id)).toEqual(['wt1', 'wt2', 'wt3', 'ppr', 'evidence']);
    expect(r.documents.submitTo.th).toContain('กองการศึกษา');
  });

  it('counts five years in rank to the day of the request: exactly five years meets, one day short does not', () => {
    const exact = criterion({ ...base, currentRankSince: '2017-07-15', submissionDate: '2022-07-15' }, 'years-in-rank');
    expect(exact.met).toBe(true);
    expect(exact.dates).toEqual({ rankSince: '2017-07-15', fiveYearsOn: '2022-07-15', submission: '2022-07-15' });
    const short = criterion({ ...base, currentRankSince: '2017-07-16', submissionDate: '2022-07-15' }, 'years-in-rank');
    expect(short.met).toBe(false);
    expect(short.reason.en).toContain('2022-07-16');
    expect(criterion({ ...base, currentRank: 'ชำนาญการ' }, 'years-in-rank').met).toBe(false);
  });

  it('checks every year at 799.99 / 800, 49.99 / 50 and 5.99 / 6 hours a week', () => {
    const withYear = (patch: object) => ({ ...base, years: base.years.map((y: object, i: number) => (i === 2 ? { ...y, ...patch } : y)) });
    expect(criterion(withYear({ workingHours: '799.99' }), 'working-hours').met).toBe(false);
    expect(criterion(withYear({ workingHours: '799.99' }), 'working-hours').reason.th).toContain('ปีการศึกษา ๒๕๖๒ มี ๗๙๙.๙๙ ชั่วโมง ขาด ๐.๐๑');
    expect(criterion(withYear({ workingHours: 800 }), 'working-hours').met).toBe(true);
    expect(criterion(withYear({ plcHours: 49.99 }), 'plc-hours').met).toBe(false);
    expect(criterion(withYear({ plcHours: 50 }), 'plc-hours').met).toBe(true);
    expect(criterion(withYear({ teachingHoursPerWeek: 5.99 }), 'teaching-load').met).toBe(false);
    expect(criterion(withYear({ teachingHoursPerWeek: 6 }), 'teaching-load').met).toBe(true);
    const primary = { ...withYear({ teachingHoursPerWeek: 11.99 }), level: 'primary-up' };
    expect(criterion(primary, 'teaching-load').met).toBe(false);
    expect(criterion({ ...withYear({ teachingHoursPerWeek: 12 }), level: 'primary-up' }, 'teaching-load').met).toBe(true);
    expect(check(withYear({ workResultPassed: false })).eligible).toBe(false);
  });

  it('counts penalties and courses in the five years up to the request', () => {
    // Request 15 July 2565 (2022): the window is 16 July 2017 to 15 July 2022.
    const penalty = (date: string) => ({ ...base, penalties: [{ date, kind: 'discipline', penalty: 'ภาคทัณฑ์' }] });
    expect(criterion(penalty('2017-07-15'), 'discipline').met).toBe(true);
    expect(criterion(penalty('2017-07-16'), 'discipline').met).toBe(false);
    expect(criterion(penalty('2017-07-16'), 'discipline').dates).toEqual({ windowFrom: '2017-07-16', windowTo: '2022-07-15' });
    expect(criterion({ ...base, courses: [{ name: 'หลักสูตร', completedOn: '2017-07-15' }] }, 'development').met).toBe(false);
    expect(criterion({ ...base, courses: [] }, 'development').met).toBe(false);
  });

  it('asks four sets with the academic works, and teaching in their subject, for เชี่ยวชาญ', () => {
    const r = check(example('rank-qualification', 'expert-2565.json'));
    expect(r.eligible).toBe(true);
    expect(r.documents.sets).toBe(4);
    expect(r.documents.items.map((d) => d.id)).toContain('academic-works');
    expect(r.criteria.map((c) => c.id)).toContain('work-subject-teaching');
  });

  it('rejects the wrong five years, PLC above the working hours and a missing academic work, with field paths', () => {
    const wrongYears = errorsOf(() => computeForm(form, { ...base, submissionDate: '2022-05-15' }));
    expect(wrongYears).toEqual([expect.objectContaining({ path: 'years', en: expect.stringContaining('2559, 2560, 2561, 2562, 2563') })]);
    const plc = errorsOf(() => computeForm(form, { ...base, years: base.years.map((y: object, i: number) => (i === 1 ? { ...y, plcHours: 950 } : y)) }));
    expect(plc.map((e) => e.path)).toEqual(['years[1].plcHours']);
    const work = errorsOf(() => computeForm(form, { ...base, currentRank: 'ชำนาญการพิเศษ', requestedRank: 'เชี่ยวชาญ' }));
    expect(work.map((e) => e.path)).toEqual(['academicWork']);
    const missing = errorsOf(() => computeForm(form, { ...base, years: base.years.slice(1), requestedRank: 'ครู' }));
    expect(missing.map((e) => e.path).sort()).toEqual(['requestedRank', 'years']);
  });

  it('prints each criterion and its result in the PDF and the DOCX', async () => {
    const data = { ...base, years: base.years.map((y: object, i: number) => (i === 4 ? { ...y, plcHours: 49.99 } : y)) };
    for (const text of [await pdfText('rank-qualification', data), await docxText('rank-qualification', data)]) {
      expect(text).toContain(stripSpace('ปีการศึกษา ๒๕๖๔ มี ๔๙.๙๙ ชั่วโมง ขาด ๐.๐๑'));
      expect(text).toContain('✗ไม่ผ่าน');
      expect(text).toContain(stripSpace('ยังไม่มีคุณสมบัติครบถ้วน (ไม่ผ่านข้อ ๓)'));
      expect(text).toContain(stripSpace('จำนวน ๒ ชุด'));
    }
  });
});

describe('ESA director data (document 8)', () => {
  const form = getForm('esa-director-data')!;
  const base = example('esa-director-data', 'chainat-round1-2565.json');

  it('rejects a citizen ID with a wrong check digit and a history that does not fit the years, with paths', () => {
    const directors = structuredClone(base.directors);
    directors[1].citizenId = '3501100456784';
    directors[0].history[2] = [{ percent: 3 }];
    const errors = errorsOf(() => computeForm(form, { ...base, directors }));
    expect(errors.map((e) => e.path)).toEqual(['directors[0].history[2]', 'directors[1].citizenId']);
    expect(errors[1]!.th).toContain('เลขประจำตัวประชาชน');
  });

  it('prints the rows with salaries and increments, in landscape with the header on every page', async () => {
    const directors = Array.from({ length: 12 }, () => base.directors[1]);
    const built = buildDocument(form, { ...base, directors });
    expect(built.model.page.orientation).toBe('landscape');
    const pages = pdftotext(await renderModel(built.model, 'pdf', built.options)).split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    // The header cell wraps (เลขประจำตัว / ประชาชน); pdftotext reads a table line by line across its cells.
    for (const page of pages.filter((p) => p.includes('นางสุภาพร'))) expect(stripSpace(page)).toMatch(/เลขประจำตัว.*ประชาชน/);
    expect(pages.filter((p) => p.includes('นางสุภาพร')).length).toBeGreaterThan(1);
    const text = await pdfText('esa-director-data', base);
    expect(text).toContain(thai('69,040.00'));
    expect(text).toContain(thai('3100600123450'));
  });

  it('keeps every header word, year and citizen ID whole in its column, and the certifications on the table\'s page', async () => {
    expect(cutWords('esa-director-data', base)).toEqual([]);
    const built = buildDocument(form, base);
    const pages = pdftotext(await renderModel(built.model, 'pdf', built.options)).split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(1);
    expect(stripSpace(pages[0]!)).toContain('ขอรับรองว่าข้อมูลดังกล่าวข้างต้นถูกต้อง');
  });
});

describe('ESA director report (document 9)', () => {
  const form = getForm('esa-director-report')!;
  const base = example('esa-director-report', 'chainat-director-round1-2565.json');

  it('retires on 1 October of the year of the sixtieth birthday, the next year when born from 2 October', () => {
    expect(retirementDate('1963-10-01')).toBe('2023-10-01');
    expect(retirementDate('1963-10-02')).toBe('2024-10-01');
    expect(fullYears('1963-04-02', '2022-04-01')).toBe(58);
    expect(fullYears('1963-04-01', '2022-04-01')).toBe(59);
  });

  it('adds the leave and prints it, the ticked boxes and the age in Thai numerals', async () => {
    const c = computeForm(form, base) as { leave: { total: { times: number; days: string } }; age: number };
    expect(c.leave.total).toEqual({ times: 3, days: '3.5' });
    for (const text of [await pdfText('esa-director-report', base), await docxText('esa-director-report', base)]) {
      expect(text).toContain(stripSpace('รวมลา ๓ ครั้ง ๓.๕ วัน'));
      expect(text).toContain(stripSpace('☐ ถูกลงโทษทางวินัย ☑ ไม่ถูกลงโทษทางวินัย'));
      expect(text).toContain(stripSpace('อายุตัว ๕๘ ปี อายุราชการ ๓๕ ปี'));
      expect(text).toContain(stripSpace('วันที่ ๑ ตุลาคม พ.ศ. ๒๕๖๖'));
    }
  });

  it('rejects a summary longer than two A4 pages, measured by laying it out, and a bad citizen ID', () => {
    const paragraph = 'สำนักงานเขตพื้นที่การศึกษาดำเนินงานตามนโยบายอย่างต่อเนื่อง '.repeat(12);
    const fits = { ...base, summary: [{ heading: 'ผลงาน', paragraphs: Array(8).fill(paragraph) }] };
    expect((computeForm(form, fits) as { summaryPages: number }).summaryPages).toBeLessThanOrEqual(2);
    const errors = errorsOf(() => computeForm(form, { ...base, citizenId: '3100600123451', summary: [{ heading: 'ผลงาน', paragraphs: Array(20).fill(paragraph) }] }));
    expect(errors.map((e) => e.path)).toEqual(['citizenId', 'summary']);
    expect(errors[1]!.en).toMatch(/fills \d A4 pages/);
  });
});
