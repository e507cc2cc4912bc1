import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { TableCell, type BlockInput, type DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { formatNumber, thaiDate } from '../../thai/index.js';
import { IsoDate, Required, ValidationError, type FieldError, wholeNumber } from '../../validation.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import {
  academicYearOf, academicYearRange, checkYear, DecimalAmount, LEVEL_TH, TEACHING_WEEKS, TeachingLevel, THRESHOLDS, twoDecimalsDown,
  type ThresholdCheck,
} from './rules.js';

/**
 * แบบรายงานผลสัมฤทธิ์การปฏิบัติงานรายบุคคล (Personal Performance Report, PPR),
 * seed 002: a local teacher's continuous log of work and training, totalled
 * per academic year against the thresholds of item 7, certified by the evaluator.
 */

export const EntryKind = z.enum(['teaching', 'plc', 'duty', 'training'])
  .describe('ประเภท: teaching สอน, plc ชุมชนการเรียนรู้ทางวิชาชีพ, duty งานอื่นที่ได้รับมอบหมาย, training อบรมและพัฒนา / kind of entry');
export type EntryKind = z.infer<typeof EntryKind>;

export const KIND_TH: Record<EntryKind, string> = {
  teaching: 'การสอน',
  plc: 'PLC',
  duty: 'งานที่ได้รับมอบหมาย',
  training: 'อบรมและพัฒนา',
};

const Entry = z.object({
  date: IsoDate.describe('วันที่ / date'),
  kind: EntryKind,
  hours: DecimalAmount.describe('จำนวนชั่วโมง ทศนิยมได้ ๒ ตำแหน่ง / hours, up to 2 decimals'),
  description: Required.max(2000).describe('รายการ / what was done'),
  evidence: z.string().trim().max(500).optional().describe('หลักฐานอ้างอิง / evidence reference'),
}).strict();

const Person = z.object({
  name: Required.max(200).describe('ชื่อ-สกุล / name'),
  position: Required.max(300).describe('ตำแหน่ง / position'),
}).strict();

export const pprSchema = z.object({
  teacher: z.object({
    name: Required.max(200).describe('ชื่อ-สกุล / name'),
    position: Required.max(200).default('ครู').describe('ตำแหน่ง / position'),
    rank: z.string().trim().max(200).optional().describe('วิทยฐานะ / academic rank'),
    unit: Required.max(300).describe('สถานศึกษา/ศูนย์พัฒนาเด็กเล็ก / school or child development centre'),
    authority: Required.max(300).describe('สังกัด (อบจ./เทศบาล/อบต.) / local authority'),
    province: z.string().trim().max(100).optional().describe('จังหวัด / province'),
    subject: z.string().trim().max(300).optional().describe('กลุ่มสาระการเรียนรู้/วิชาที่สอน / subject taught'),
  }).strict(),
  level: TeachingLevel,
  academicYears: z.array(wholeNumber({ min: 2500, max: 2700 }, 'ปีต้องเป็นปี พ.ศ. เช่น 2565 หรือ ๒๕๖๕ / the year must be a Buddhist-era year, e.g. 2565')).min(1).max(10)
    .describe('ปีการศึกษา (พ.ศ.) ที่รายงาน / academic years reported (Buddhist era)'),
  entries: z.array(Entry).max(20_000).describe('บันทึกการปฏิบัติงานและการอบรม / the log'),
  evaluator: Person.describe('ผู้ประเมินผลงานที่เกิดจากการปฏิบัติหน้าที่ / evaluator'),
  certifiedOn: IsoDate.optional().describe('วันที่ผู้ประเมินรับรอง / date certified'),
  options: RequestOptions.optional(),
}).strict();
export type Ppr = z.infer<typeof pprSchema>;

export interface PprYear {
  academicYear: number;
  from: string;
  to: string;
  entries: number;
  teachingHours: string;
  plcHours: string;
  dutyHours: string;
  trainingHours: string;
  /** Teaching + PLC + other duties: training is reported apart, as the PPR keeps it apart. */
  workingHours: string;
  /** Teaching hours ÷ weeks, exact (÷ 40 always terminates). */
  weeklyTeaching: string;
  checks: ThresholdCheck[];
  met: boolean;
}

export interface PprComputed {
  weeks: number;
  years: PprYear[];
  allMet: boolean;
}

export function computePpr(data: Ppr): PprComputed {
  const errors: FieldError[] = [];
  data.academicYears.forEach((y, i) => {
    if (data.academicYears.indexOf(y) !== i) errors.push({ path: `academicYears[${i}]`, th: `ปีการศึกษา ${y} ซ้ำ`, en: `academic year ${y} is listed twice` });
  });
  const sums = new Map<number, Record<EntryKind, Decimal> & { count: number }>(data.academicYears.map((y) => [y, {
    teaching: new Decimal(0), plc: new Decimal(0), duty: new Decimal(0), training: new Decimal(0), count: 0,
  }]));
  data.entries.forEach((e, i) => {
    const year = academicYearOf(e.date);
    const sum = sums.get(year);
    if (!sum) {
      errors.push({
        path: `entries[${i}].date`,
        th: `วันที่อยู่ในปีการศึกษา ${year} ซึ่งไม่อยู่ในปีการศึกษาที่รายงาน (${data.academicYears.join(', ')})`,
        en: `the date falls in academic year ${year}, which is not among the years reported (${data.academicYears.join(', ')})`,
      });
      return;
    }
    sum[e.kind] = sum[e.kind].plus(e.hours);
    sum.count++;
  });
  if (errors.length) throw new ValidationError(errors);
  const years = [...sums.entries()].sort(([a], [b]) => a - b).map(([academicYear, s]): PprYear => {
    const working = s.teaching.plus(s.plc).plus(s.duty);
    const weekly = s.teaching.div(TEACHING_WEEKS);
    const checks = checkYear(data.level, { workingHours: working, plcHours: s.plc, weeklyTeaching: weekly });
    const range = academicYearRange(academicYear);
    return {
      academicYear, from: range.from, to: range.to, entries: s.count,
      teachingHours: s.teaching.toFixed(), plcHours: s.plc.toFixed(), dutyHours: s.duty.toFixed(), trainingHours: s.training.toFixed(),
      workingHours: working.toFixed(), weeklyTeaching: weekly.toFixed(), checks, met: checks.every((c) => c.met),
    };
  });
  return { weeks: TEACHING_WEEKS, years, allMet: years.every((y) => y.met) };
}

const hours = (v: Decimal.Value) => formatNumber(v, { decimals: 2, numerals: 'arabic' });
const shortDate = (iso: string) => thaiDate(iso, { style: 'short', numerals: 'arabic' });
const fullDate = (iso: string) => thaiDate(iso, { numerals: 'arabic' });
const head = (text: string) => ({ text, align: 'center' as const, bold: true });

/** A figure and, when it falls short, the shortfall under it. */
function figure(check: ThresholdCheck, printed: string): string {
  return check.met ? printed : `${printed}\nขาด ${hours(check.shortfall)}`;
}

function summaryTable(data: Ppr, c: PprComputed): BlockInput {
  const minimumWeekly = THRESHOLDS.weeklyTeaching[data.level].toFixed();
  return {
    type: 'table', size: 14, keepWithNext: false,
    widths: [52, 54, 54, 54, 58, 58, 54, '*'],
    align: ['center', 'right', 'right', 'right', 'right', 'right', 'right', 'center'],
    header: [[
      head('ปีการศึกษา'), head('ชั่วโมงสอน'), head('ชั่วโมง PLC\n(≥ 50)'), head('งานที่ได้รับ มอบหมาย'),
      head('รวมชั่วโมง ปฏิบัติงาน\n(≥ 800)'), head(`สอนเฉลี่ย ชม./สัปดาห์\n(≥ ${minimumWeekly})`), head('อบรมและ พัฒนา'), head('ผล'),
    ]],
    rows: c.years.map((y) => {
      const [working, plc, load] = y.checks as [ThresholdCheck, ThresholdCheck, ThresholdCheck];
      return [
        String(y.academicYear), hours(y.teachingHours), figure(plc, hours(y.plcHours)), hours(y.dutyHours),
        figure(working, hours(y.workingHours)), figure(load, twoDecimalsDown(y.weeklyTeaching)), hours(y.trainingHours),
        { text: y.met ? 'ผ่านเกณฑ์' : 'ไม่ผ่านเกณฑ์', bold: !y.met, align: 'center' },
      ];
    }),
  };
}

function logTable(year: PprYear, entries: Ppr['entries']): BlockInput[] {
  const rows: z.input<typeof TableCell>[][] = entries.map((e, i) => [String(i + 1), shortDate(e.date), KIND_TH[e.kind], e.description, hours(e.hours), e.evidence ?? '-']);
  rows.push([
    { text: `รวมชั่วโมงปฏิบัติงานปีการศึกษา ${year.academicYear} (ไม่รวมอบรมและพัฒนา ${hours(year.trainingHours)} ชั่วโมง)`, colSpan: 4, align: 'right', bold: true },
    { text: hours(year.workingHours), bold: true }, '',
  ]);
  return [
    {
      type: 'paragraph', bold: true, keepWithNext: true, spaceBefore: 12, align: 'left',
      text: `ปีการศึกษา ${year.academicYear} (${fullDate(year.from)} - ${fullDate(year.to)})`,
    },
    {
      type: 'table', size: 14,
      widths: [24, 60, 62, '*', 44, 82],
      align: ['center', 'center', 'left', 'left', 'right', 'left'],
      header: [['ที่', 'วัน เดือน ปี', 'ประเภท', 'รายการปฏิบัติงาน/การอบรมและพัฒนา', 'ชั่วโมง', 'หลักฐานอ้างอิง'].map(head)],
      rows,
    },
  ];
}

function build(data: Ppr, c: PprComputed): DocumentModelInput {
  const t = data.teacher;
  const label = (l: string, text: string): BlockInput => ({ type: 'labeled', label: l, text, labelWidth: cm(4.2), spaceBefore: 0, align: 'left' });
  const sorted = [...data.entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const signed = data.certifiedOn ? `วันที่ ${thaiDate(data.certifiedOn, { era: true, numerals: 'arabic' })}` : 'วันที่ ........ เดือน .................... พ.ศ. ........';
  return {
    title: `PPR ${t.name}`,
    page: { margins: { top: cm(2), right: cm(1.5), bottom: cm(2), left: cm(2) } },
    blocks: [
      { type: 'paragraph', align: 'center', bold: true, size: 18, spaceBefore: 0, text: 'แบบรายงานผลสัมฤทธิ์การปฏิบัติงานรายบุคคล\n(Personal Performance Report : PPR)' },
      { type: 'paragraph', bold: true, align: 'left', spaceBefore: 12, text: 'ข้อมูลผู้รายงาน' },
      label('ชื่อ - สกุล', t.name),
      label('ตำแหน่ง', t.rank ? `${t.position} วิทยฐานะ${t.rank}` : t.position),
      label('สถานศึกษา/หน่วยงาน', t.unit),
      label('สังกัด', t.province ? `${t.authority} จังหวัด${t.province}` : t.authority),
      label('ระดับที่สอน', LEVEL_TH[data.level] + (t.subject ? ` (${t.subject})` : '')),
      label('ปีการศึกษาที่รายงาน', c.years.map((y) => y.academicYear).join(', ')),
      { type: 'paragraph', bold: true, align: 'left', spaceBefore: 12, keepWithNext: true, text: 'ส่วนที่ ๑ สรุปชั่วโมงการปฏิบัติงานรายปีการศึกษา' },
      summaryTable(data, c),
      {
        type: 'paragraph', size: 14, align: 'left', firstLineIndent: 0,
        text: `หมายเหตุ เกณฑ์ตามหนังสือสำนักงาน ก.จ. ก.ท. และ ก.อบต. ลงวันที่ 10 มีนาคม 2564 ข้อ 7 ชั่วโมงปฏิบัติงานไม่น้อยกว่า 800 ชั่วโมงต่อปี โดยมีชั่วโมง PLC ไม่น้อยกว่า 50 ชั่วโมง และชั่วโมงสอนระดับ${LEVEL_TH[data.level]}ไม่ต่ำกว่า ${THRESHOLDS.weeklyTeaching[data.level].toFixed()} ชั่วโมงต่อสัปดาห์ `
          + `ชั่วโมงปฏิบัติงานรวมการสอน PLC และงานที่ได้รับมอบหมาย ชั่วโมงสอนเฉลี่ยต่อสัปดาห์คิดจากชั่วโมงสอนทั้งปีการศึกษาหารด้วย ${c.weeks} สัปดาห์ ปีการศึกษาเริ่ม 16 พฤษภาคม สิ้นสุด 15 พฤษภาคมของปีถัดไป`,
      },
      { type: 'paragraph', bold: true, align: 'left', spaceBefore: 12, keepWithNext: true, text: 'ส่วนที่ ๒ บันทึกการปฏิบัติงานและการอบรมและพัฒนา' },
      ...c.years.flatMap((y) => logTable(y, sorted.filter((e) => academicYearOf(e.date) === y.academicYear))),
      // Each signs on the dotted line of ลงชื่อ, so the name follows it directly.
      {
        type: 'signature', spaceBefore: 24, blankLines: 0,
        closing: ['ขอรับรองว่าข้อมูลข้างต้นเป็นความจริง', 'ลงชื่อ ..............................................'],
        name: `(${t.name})`, lines: ['ผู้รายงาน'],
      },
      {
        type: 'signature', spaceBefore: 18, blankLines: 0,
        closing: ['ได้ตรวจสอบแล้ว ขอรับรองว่าข้อมูลถูกต้องตามความเป็นจริง', 'ลงชื่อ ..............................................'],
        name: `(${data.evaluator.name})`, lines: [data.evaluator.position, 'ผู้ประเมินผลงานที่เกิดจากการปฏิบัติหน้าที่', signed],
      },
    ],
  };
}

export const ppr = defineForm({
  id: 'ppr',
  title: { th: 'แบบรายงานผลสัมฤทธิ์การปฏิบัติงานรายบุคคล (PPR)', en: 'Personal Performance Report (PPR)' },
  schema: pprSchema,
  compute: computePpr,
  build,
});
