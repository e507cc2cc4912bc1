import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { BlockInput, DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { formatNumber, thaiDate, toThaiDigits } from '../../thai/index.js';
import { IsoDate, Required, ValidationError, type FieldError, wholeNumber } from '../../validation.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import { academicYearOf, academicYearRange, checkYear, DecimalAmount, LEVEL_TH, TeachingLevel, THRESHOLDS, twoDecimalsDown, type ThresholdCheck } from '../ppr/rules.js';

/**
 * The qualifications of a local teacher asking for an academic rank (seed 002,
 * ก.จ. ก.ท. ก.อบต. letter of 10 March 2564, item 7), checked one by one, with
 * the documents to submit (item 5 of the same letter: 2 sets for ชำนาญการ and
 * ชำนาญการพิเศษ, 4 sets with the academic works for เชี่ยวชาญ and เชี่ยวชาญพิเศษ).
 */

export const REQUESTED_RANKS = ['ชำนาญการ', 'ชำนาญการพิเศษ', 'เชี่ยวชาญ', 'เชี่ยวชาญพิเศษ'] as const;
export const RequestedRank = z.enum(REQUESTED_RANKS).describe('วิทยฐานะที่ขอ / rank requested');
export type RequestedRank = z.infer<typeof RequestedRank>;
export const CurrentRank = z.enum(['ไม่มีวิทยฐานะ', 'ชำนาญการ', 'ชำนาญการพิเศษ', 'เชี่ยวชาญ'])
  .describe('วิทยฐานะปัจจุบัน (ไม่มีวิทยฐานะ = ครู) / current rank');

/** The rank each request must have been held for five years. */
const PREVIOUS_RANK: Record<RequestedRank, z.infer<typeof CurrentRank>> = {
  'ชำนาญการ': 'ไม่มีวิทยฐานะ',
  'ชำนาญการพิเศษ': 'ชำนาญการ',
  'เชี่ยวชาญ': 'ชำนาญการพิเศษ',
  'เชี่ยวชาญพิเศษ': 'เชี่ยวชาญ',
};
const RANK_EN: Record<string, string> = {
  'ไม่มีวิทยฐานะ': 'teacher without rank', 'ชำนาญการ': 'Professional', 'ชำนาญการพิเศษ': 'Senior Professional', 'เชี่ยวชาญ': 'Expert', 'เชี่ยวชาญพิเศษ': 'Senior Expert',
};
const rankTh = (r: string) => (r === 'ไม่มีวิทยฐานะ' ? 'ครู (ไม่มีวิทยฐานะ)' : `ครู วิทยฐานะครู${r}`);
/** The ranks whose request carries academic works: 4 sets and the subject-teaching rule. */
const withAcademicWorks = (r: RequestedRank) => r === 'เชี่ยวชาญ' || r === 'เชี่ยวชาญพิเศษ';

export const YEARS_REQUIRED = 5;

const Year = z.object({
  academicYear: wholeNumber({ min: 2500, max: 2700 }, 'ปีต้องเป็นปี พ.ศ. เช่น 2565 หรือ ๒๕๖๕ / the year must be a Buddhist-era year, e.g. 2565').describe('ปีการศึกษา (พ.ศ.) / academic year'),
  workingHours: DecimalAmount.describe('ชั่วโมงการปฏิบัติงานทั้งปี / working hours of the year'),
  plcHours: DecimalAmount.describe('ชั่วโมง PLC (รวมอยู่ในชั่วโมงการปฏิบัติงาน) / PLC hours, part of the working hours'),
  teachingHoursPerWeek: DecimalAmount.describe('ชั่วโมงสอนเฉลี่ยต่อสัปดาห์ / average teaching hours a week'),
  workResultPassed: z.boolean().describe('ผลงานที่เกิดจากการปฏิบัติหน้าที่ (วฐ.๒) ผ่านเกณฑ์ / the year\'s work result passed'),
  taughtWorkSubject: z.boolean().optional().describe('สอนในวิชา/กลุ่มสาระที่เสนอผลงานทางวิชาการ (เชี่ยวชาญขึ้นไป) / taught the subject of the academic works'),
}).strict();

export const rankQualificationSchema = z.object({
  teacher: z.object({
    name: Required.max(200).describe('ชื่อ-สกุล / name'),
    unit: Required.max(300).describe('สถานศึกษา/ศูนย์พัฒนาเด็กเล็ก / school or centre'),
    authority: Required.max(300).describe('สังกัด (อบจ./เทศบาล/อบต.) / local authority'),
    province: z.string().trim().max(100).optional(),
  }).strict(),
  workplace: z.enum(['school', 'child-development-centre']).default('school')
    .describe('ปฏิบัติหน้าที่ ณ โรงเรียน หรือศูนย์พัฒนาเด็กเล็ก / works at a school or a child development centre'),
  level: TeachingLevel,
  currentRank: CurrentRank,
  currentRankSince: IsoDate.describe('วันที่ดำรงตำแหน่ง/วิทยฐานะปัจจุบัน / held the current rank since'),
  requestedRank: RequestedRank,
  submissionDate: IsoDate.describe('วันที่ยื่นคำขอ / date of the request'),
  years: z.array(Year).length(YEARS_REQUIRED).describe('๕ ปีการศึกษาย้อนหลังก่อนวันยื่นคำขอ / the five academic years before the request'),
  penalties: z.array(z.object({
    date: IsoDate.describe('วันที่สั่งลงโทษ / date of the penalty order'),
    kind: z.enum(['discipline', 'ethics']).describe('วินัย หรือจรรยาบรรณวิชาชีพ / disciplinary or professional ethics'),
    penalty: Required.max(300).describe('โทษ เช่น ภาคทัณฑ์ / the penalty'),
  }).strict()).max(50).default([]).describe('ประวัติการถูกลงโทษ / penalties'),
  courses: z.array(z.object({
    name: Required.max(500).describe('หลักสูตรการพัฒนา / development course'),
    completedOn: IsoDate.describe('วันที่ผ่านการพัฒนา / completed on'),
  }).strict()).max(100).default([]).describe('การพัฒนาตามมาตรฐานทั่วไปเกี่ยวกับการพัฒนา / development courses'),
  academicWork: z.string().trim().max(1000).optional().describe('ชื่อผลงานทางวิชาการและวิชา (เชี่ยวชาญขึ้นไป) / academic works and subject'),
  checker: z.object({ name: Required.max(200), position: Required.max(300) }).strict().optional().describe('ผู้ตรวจสอบ / who checked'),
  options: RequestOptions.optional(),
}).strict();
export type RankQualification = z.infer<typeof rankQualificationSchema>;

export interface Criterion {
  id: string;
  th: string;
  en: string;
  met: boolean;
  reason: { th: string; en: string };
  /** ISO dates the decision used. */
  dates: Record<string, string>;
}

export interface DocumentItem { id: string; th: string; en: string }

export interface RankQualificationResult {
  requestedRank: RequestedRank;
  criteria: Criterion[];
  eligible: boolean;
  documents: { sets: number; submitTo: { th: string; en: string }; items: DocumentItem[] };
}

/** The same day `years` years later (29 February becomes 1 March in a common year). */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}
function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const th = (iso: string) => thaiDate(iso);
const hoursTh = (v: Decimal.Value) => formatNumber(v, { decimals: 2 });
const yearsTh = (list: number[]) => toThaiDigits(list.join(', '));

/** The five academic years that must be reported: those completed before the day of the request. */
export function requiredAcademicYears(submissionDate: string): number[] {
  const last = academicYearOf(submissionDate) - 1;
  return Array.from({ length: YEARS_REQUIRED }, (_, i) => last - YEARS_REQUIRED + 1 + i);
}

export function checkRankQualification(data: RankQualification): RankQualificationResult {
  const errors: FieldError[] = [];
  const expected = requiredAcademicYears(data.submissionDate);
  const given = [...data.years].map((y) => y.academicYear).sort((a, b) => a - b);
  if (given.join() !== expected.join()) {
    errors.push({
      path: 'years',
      th: `ต้องเป็นปีการศึกษา ${expected.join(', ')} (๕ ปีการศึกษาที่สิ้นสุดก่อนวันยื่นคำขอ) แต่ได้รับ ${given.join(', ')}`,
      en: `must be academic years ${expected.join(', ')} (the five completed before the request), got ${given.join(', ')}`,
    });
  }
  data.years.forEach((y, i) => {
    if (new Decimal(y.plcHours).gt(y.workingHours)) {
      errors.push({ path: `years[${i}].plcHours`, th: 'ชั่วโมง PLC ต้องไม่มากกว่าชั่วโมงการปฏิบัติงาน (PLC นับรวมอยู่ในชั่วโมงการปฏิบัติงาน)', en: 'PLC hours cannot exceed the working hours they are part of' });
    }
  });
  if (data.currentRankSince > data.submissionDate) {
    errors.push({ path: 'currentRankSince', th: 'วันที่ดำรงวิทยฐานะปัจจุบันต้องไม่หลังวันยื่นคำขอ', en: 'the current rank cannot start after the request' });
  }
  if (withAcademicWorks(data.requestedRank) && !data.academicWork) {
    errors.push({ path: 'academicWork', th: `วิทยฐานะครู${data.requestedRank}ต้องระบุผลงานทางวิชาการและวิชาที่เสนอ`, en: `a request for ${RANK_EN[data.requestedRank]} needs the academic works and their subject` });
  }
  if (errors.length) throw new ValidationError(errors);

  const years = [...data.years].sort((a, b) => a.academicYear - b.academicYear);
  const window = { from: addDays(addYears(data.submissionDate, -YEARS_REQUIRED), 1), to: data.submissionDate };
  const yearDates = { firstYearFrom: academicYearRange(years[0]!.academicYear).from, lastYearTo: academicYearRange(years[years.length - 1]!.academicYear).to };
  const criteria: Criterion[] = [];

  // 1. Five years in the previous rank, counted to the day of the request.
  const previous = PREVIOUS_RANK[data.requestedRank];
  const fiveYearsOn = addYears(data.currentRankSince, YEARS_REQUIRED);
  const rightRank = data.currentRank === previous;
  const longEnough = data.submissionDate >= fiveYearsOn;
  criteria.push({
    id: 'years-in-rank',
    th: `ดำรงตำแหน่ง${rankTh(previous)} มาแล้วไม่น้อยกว่า ๕ ปี นับถึงวันที่ยื่นคำขอ`,
    en: `held the position of ${RANK_EN[previous]} for at least 5 years up to the day of the request`,
    met: rightRank && longEnough,
    reason: !rightRank
      ? { th: `วิทยฐานะปัจจุบันคือ${rankTh(data.currentRank)} ไม่ใช่${rankTh(previous)}`, en: `the current rank is ${RANK_EN[data.currentRank]}, not ${RANK_EN[previous]}` }
      : longEnough
        ? { th: `ดำรงตำแหน่งตั้งแต่ ${th(data.currentRankSince)} ครบ ๕ ปีเมื่อ ${th(fiveYearsOn)} ยื่นคำขอ ${th(data.submissionDate)}`, en: `since ${data.currentRankSince}, five years on ${fiveYearsOn}, request on ${data.submissionDate}` }
        : { th: `ดำรงตำแหน่งตั้งแต่ ${th(data.currentRankSince)} จะครบ ๕ ปีเมื่อ ${th(fiveYearsOn)} หลังวันยื่นคำขอ ${th(data.submissionDate)}`, en: `since ${data.currentRankSince}, five years only on ${fiveYearsOn}, after the request on ${data.submissionDate}` },
    dates: { rankSince: data.currentRankSince, fiveYearsOn, submission: data.submissionDate },
  });

  // 2. Hours, PLC hours and teaching load, every one of the five years.
  const perYear = years.map((y) => ({
    year: y.academicYear,
    checks: checkYear(data.level, { workingHours: new Decimal(y.workingHours), plcHours: new Decimal(y.plcHours), weeklyTeaching: new Decimal(y.teachingHoursPerWeek) }),
  }));
  const thresholdCriterion = (index: number, id: string, thText: string, enText: string, unitTh: string): Criterion => {
    const short = perYear.filter((p) => !p.checks[index]!.met);
    const print = (v: string) => (id === 'teaching-load' ? toThaiDigits(twoDecimalsDown(v)) : hoursTh(v));
    return {
      id, th: thText, en: enText, met: short.length === 0,
      reason: short.length === 0
        ? { th: `ครบทุกปีการศึกษา ${yearsTh(years.map((y) => y.academicYear))}`, en: `met in every academic year ${years.map((y) => y.academicYear).join(', ')}` }
        : {
          th: short.map((p) => `ปีการศึกษา ${yearsTh([p.year])} มี ${print(p.checks[index]!.value)} ${unitTh} ขาด ${print(p.checks[index]!.shortfall)}`).join('; '),
          en: short.map((p) => `academic year ${p.year}: ${p.checks[index]!.value}, short by ${p.checks[index]!.shortfall}`).join('; '),
        },
      dates: yearDates,
    };
  };
  const weekly = THRESHOLDS.weeklyTeaching[data.level];
  criteria.push(thresholdCriterion(0, 'working-hours', 'มีชั่วโมงการปฏิบัติงานในตำแหน่งครูในแต่ละปีไม่น้อยกว่า ๘๐๐ ชั่วโมง ย้อนหลัง ๕ ปี', 'at least 800 working hours in each of the last 5 years', 'ชั่วโมง'));
  criteria.push(thresholdCriterion(1, 'plc-hours', 'มีชั่วโมงการมีส่วนร่วมในชุมชนการเรียนรู้ทางวิชาชีพ (PLC) ในแต่ละปีไม่น้อยกว่า ๕๐ ชั่วโมง', 'at least 50 PLC hours in each year', 'ชั่วโมง'));
  criteria.push(thresholdCriterion(2, 'teaching-load',
    `มีชั่วโมงสอนระดับ${LEVEL_TH[data.level]}ไม่ต่ำกว่า ${formatNumber(weekly.toFixed())} ชั่วโมง/สัปดาห์`,
    `teaching at least ${weekly.toFixed()} hours a week (${data.level === 'early-childhood' ? 'early childhood' : 'primary and up'})`, 'ชั่วโมง/สัปดาห์'));

  if (withAcademicWorks(data.requestedRank)) {
    const missing = years.filter((y) => y.taughtWorkSubject !== true).map((y) => y.academicYear);
    criteria.push({
      id: 'work-subject-teaching',
      th: 'มีชั่วโมงสอนในวิชา/สาขาวิชา/กลุ่มสาระการเรียนรู้ที่เสนอผลงานทางวิชาการ ย้อนหลัง ๕ ปี',
      en: 'taught the subject of the academic works in the last 5 years',
      met: missing.length === 0,
      reason: missing.length === 0
        ? { th: `สอนวิชาที่เสนอผลงานทุกปีการศึกษา (${data.academicWork})`, en: 'taught the subject of the works every year' }
        : { th: `ไม่มีชั่วโมงสอนหรือไม่ได้ระบุในปีการศึกษา ${yearsTh(missing)}`, en: `not taught, or not stated, in academic years ${missing.join(', ')}` },
      dates: yearDates,
    });
  }

  // 3. No disciplinary or ethics penalty in the five years up to the request.
  const inWindow = (iso: string) => iso >= window.from && iso <= window.to;
  const penalties = data.penalties.filter((p) => inWindow(p.date));
  criteria.push({
    id: 'discipline',
    th: 'ไม่ถูกลงโทษทางวินัยหรือจรรยาบรรณวิชาชีพ ในช่วงระยะเวลาย้อนหลัง ๕ ปี',
    en: 'no disciplinary or professional-ethics penalty in the last 5 years',
    met: penalties.length === 0,
    reason: penalties.length === 0
      ? { th: `ไม่มีการลงโทษระหว่าง ${th(window.from)} ถึง ${th(window.to)}`, en: `no penalty between ${window.from} and ${window.to}` }
      : { th: penalties.map((p) => `ถูกลงโทษ${p.kind === 'discipline' ? 'ทางวินัย' : 'ทางจรรยาบรรณวิชาชีพ'} (${p.penalty}) เมื่อ ${th(p.date)}`).join('; '), en: penalties.map((p) => `${p.kind} penalty (${p.penalty}) on ${p.date}`).join('; ') },
    dates: { windowFrom: window.from, windowTo: window.to },
  });

  // 4. Development courses passed in the five years up to the request.
  const courses = data.courses.filter((c) => inWindow(c.completedOn));
  criteria.push({
    id: 'development',
    th: 'ผ่านการพัฒนาตามมาตรฐานทั่วไปที่ ก.จ. ก.ท. และ ก.อบต. กำหนด ในช่วงระยะเวลาย้อนหลัง ๕ ปี นับถึงวันที่ยื่นคำขอ',
    en: 'completed the required development in the last 5 years up to the request',
    met: courses.length > 0,
    reason: courses.length > 0
      ? { th: courses.map((c) => `${c.name} (${th(c.completedOn)})`).join('; '), en: `${courses.length} course(s) between ${window.from} and ${window.to}` }
      : { th: `ไม่มีหลักสูตรการพัฒนาที่ผ่านระหว่าง ${th(window.from)} ถึง ${th(window.to)}`, en: `no course completed between ${window.from} and ${window.to}` },
    dates: { windowFrom: window.from, windowTo: window.to },
  });

  // 5. The work results (วฐ.๒) of the five academic years pass.
  const failed = years.filter((y) => !y.workResultPassed).map((y) => y.academicYear);
  criteria.push({
    id: 'work-results',
    th: 'มีผลงานที่เกิดจากการปฏิบัติหน้าที่ ย้อนหลัง ๕ ปีการศึกษาติดต่อกันก่อนวันที่ยื่นคำขอ และผ่านเกณฑ์การตัดสิน',
    en: 'work results of the 5 consecutive academic years before the request pass',
    met: failed.length === 0,
    reason: failed.length === 0
      ? { th: `ผ่านเกณฑ์ทุกปีการศึกษา ${yearsTh(years.map((y) => y.academicYear))}`, en: 'passed in every academic year' }
      : { th: `ไม่ผ่านเกณฑ์ในปีการศึกษา ${yearsTh(failed)}`, en: `did not pass in academic years ${failed.join(', ')}` },
    dates: yearDates,
  });

  return { requestedRank: data.requestedRank, criteria, eligible: criteria.every((c) => c.met), documents: documentsFor(data, years.map((y) => y.academicYear)) };
}

function documentsFor(data: RankQualification, years: number[]): RankQualificationResult['documents'] {
  const four = withAcademicWorks(data.requestedRank);
  const items: DocumentItem[] = [
    { id: 'wt1', th: `คำขอมีวิทยฐานะหรือเลื่อนวิทยฐานะ ตำแหน่งครู (วฐ.๑)`, en: 'request for the rank (WT.1)' },
    { id: 'wt2', th: `รายงานผลงานที่เกิดจากการปฏิบัติหน้าที่ ตำแหน่งครู รายปีการศึกษา (วฐ.๒) จำนวน ๕ ปีการศึกษา (ปีการศึกษา ${yearsTh(years)})`, en: `yearly work reports (WT.2) for the 5 academic years ${years.join(', ')}` },
    { id: 'wt3', th: 'แบบสรุปผลการตรวจสอบและประเมิน ตำแหน่งครู รวม ๕ ปีการศึกษา (วฐ.๓)', en: 'summary of the checks and evaluations over 5 years (WT.3)' },
    { id: 'ppr', th: 'แบบรายงานผลสัมฤทธิ์การปฏิบัติงานรายบุคคล (PPR) ที่ผ่านการรับรองจากผู้ประเมินผลงานที่เกิดจากการปฏิบัติหน้าที่', en: 'Personal Performance Report (PPR) certified by the evaluator' },
  ];
  if (four) items.push({ id: 'academic-works', th: `ผลงานทางวิชาการตามที่มาตรฐานทั่วไปกำหนด${data.academicWork ? ` (${data.academicWork})` : ''}`, en: 'the academic works the standard requires' });
  items.push({ id: 'evidence', th: 'เอกสารหลักฐานอื่นที่เกี่ยวข้อง เช่น ตารางสอน ตารางการจัดประสบการณ์การเรียนรู้ คำสั่งมอบหมายงาน', en: 'other evidence: timetables, assignment orders, development records' });
  const submitTo = data.workplace === 'school'
    ? { th: 'ผู้อำนวยการสถานศึกษา', en: 'the school director' }
    : { th: 'ผู้อำนวยการสำนัก/กองการศึกษา หรือหัวหน้าส่วนราชการอย่างอื่นที่สังกัด', en: 'the director of the education division or the head of the unit' };
  return { sets: four ? 4 : 2, submitTo, items };
}

function build(data: RankQualification, r: RankQualificationResult): DocumentModelInput {
  const t = data.teacher;
  const label = (l: string, text: string): BlockInput => ({ type: 'labeled', label: l, text, labelWidth: cm(4), spaceBefore: 0, align: 'left' });
  const head = (text: string) => ({ text, align: 'center' as const, bold: true });
  const years = [...data.years].sort((a, b) => a.academicYear - b.academicYear);
  const failedIds = r.criteria.map((c, i) => (c.met ? undefined : i + 1)).filter((n) => n !== undefined);
  const blocks: BlockInput[] = [
    { type: 'paragraph', align: 'center', bold: true, size: 18, spaceBefore: 0, text: `แบบตรวจสอบคุณสมบัติผู้ขอมีหรือเลื่อนวิทยฐานะครู${data.requestedRank}` },
    label('ชื่อ - สกุล', t.name),
    label('ตำแหน่งปัจจุบัน', `${rankTh(data.currentRank)} ตั้งแต่ ${th(data.currentRankSince)}`),
    label('สถานศึกษา/หน่วยงาน', t.unit),
    label('สังกัด', t.province ? `${t.authority} จังหวัด${t.province}` : t.authority),
    label('ระดับที่สอน', LEVEL_TH[data.level]),
    label('ขอวิทยฐานะ', `ครู${data.requestedRank}`),
    label('วันที่ยื่นคำขอ', th(data.submissionDate)),
    { type: 'paragraph', bold: true, align: 'left', spaceBefore: 12, keepWithNext: true, text: 'ผลการตรวจสอบคุณสมบัติ' },
    {
      type: 'table', size: 14, widths: [22, 180, 50, '*'], align: ['center', 'left', 'center', 'left'],
      header: [['ที่', 'คุณสมบัติ', 'ผล', 'เหตุผลและวันที่ที่ใช้'].map(head)],
      rows: r.criteria.map((c, i) => [String(i + 1), c.th, { text: c.met ? '✓ ผ่าน' : '✗ ไม่ผ่าน', bold: !c.met }, c.reason.th]),
    },
    { type: 'paragraph', bold: true, align: 'left', spaceBefore: 12, keepWithNext: true, text: 'ชั่วโมงการปฏิบัติงาน ๕ ปีการศึกษาย้อนหลัง' },
    {
      type: 'table', size: 14, widths: [60, 80, 70, 90, '*'], align: ['center', 'right', 'right', 'right', 'center'],
      header: [['ปีการศึกษา', 'ชั่วโมงปฏิบัติงาน\n(≥ 800)', 'ชั่วโมง PLC\n(≥ 50)', `ชั่วโมงสอน/สัปดาห์\n(≥ ${THRESHOLDS.weeklyTeaching[data.level].toFixed()})`, 'ผลงาน (วฐ.๒)'].map(head)],
      rows: years.map((y) => {
        // A figure under its threshold prints its shortfall under it, as the PPR does.
        const [working, plc, load] = checkYear(data.level, {
          workingHours: new Decimal(y.workingHours), plcHours: new Decimal(y.plcHours), weeklyTeaching: new Decimal(y.teachingHoursPerWeek),
        }) as [ThresholdCheck, ThresholdCheck, ThresholdCheck];
        const hours = (v: string) => formatNumber(v, { decimals: 2, numerals: 'arabic' });
        const cell = (check: ThresholdCheck, printed: string) => (check.met ? printed : { text: `${printed}\nขาด ${hours(check.shortfall)}`, bold: true });
        return [
          String(y.academicYear), cell(working, hours(y.workingHours)), cell(plc, hours(y.plcHours)),
          cell(load, twoDecimalsDown(y.teachingHoursPerWeek)), y.workResultPassed ? 'ผ่านเกณฑ์' : { text: 'ไม่ผ่านเกณฑ์', bold: true },
        ];
      }),
    },
    {
      type: 'paragraph', bold: true, spaceBefore: 12, align: 'left',
      text: r.eligible
        ? `สรุป มีคุณสมบัติครบถ้วนที่จะยื่นคำขอมีหรือเลื่อนวิทยฐานะครู${data.requestedRank}`
        : `สรุป ยังไม่มีคุณสมบัติครบถ้วน (ไม่ผ่านข้อ ${failedIds.join(', ')})`,
    },
    { type: 'paragraph', bold: true, align: 'left', spaceBefore: 12, keepWithNext: true, text: `เอกสารที่ต้องยื่นต่อ${r.documents.submitTo.th} จำนวน ${r.documents.sets} ชุด ประกอบด้วย` },
    { type: 'list', numbering: 'numbered', spaceBefore: 0, items: r.documents.items.map((d) => d.th) },
    {
      type: 'paragraph', size: 14, align: 'left', spaceBefore: 12,
      text: 'หมายเหตุ คุณสมบัติตามหนังสือสำนักงาน ก.จ. ก.ท. และ ก.อบต. ลงวันที่ 10 มีนาคม 2564 ข้อ 7 ระยะเวลา 5 ปีนับถึงวันที่ยื่นคำขอ (ครบในวันเดียวกันของปีที่ห้า) ปีการศึกษาเริ่ม 16 พฤษภาคม สิ้นสุด 15 พฤษภาคมของปีถัดไป',
    },
  ];
  if (data.checker) {
    blocks.push({ type: 'signature', spaceBefore: 24, blankLines: 0, closing: ['ลงชื่อ .............................................. ผู้ตรวจสอบ'], name: `(${data.checker.name})`, lines: [data.checker.position] });
  }
  return { title: `ตรวจสอบคุณสมบัติ ${t.name}`, page: { margins: { top: cm(2), right: cm(1.5), bottom: cm(2), left: cm(2) } }, blocks };
}

export const rankQualification = defineForm({
  id: 'rank-qualification',
  title: { th: 'แบบตรวจสอบคุณสมบัติผู้ขอมีหรือเลื่อนวิทยฐานะ (ครูท้องถิ่น)', en: 'Academic-rank qualification check (local teachers)' },
  schema: rankQualificationSchema,
  compute: checkRankQualification,
  build,
});
