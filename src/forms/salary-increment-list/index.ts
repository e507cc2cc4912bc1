import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { BlockInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { applyNumerals, toArabicDigits } from '../../thai/index.js';
import { Required, ValidationError, type FieldError, wholeNumber } from '../../validation.js';
import { defineForm } from '../types.js';
import {
  budgetAt, certification, count, explanation, head, ListHeader, listDocument, money, Money, peopleBatch, quotaOf, roundDates, sum, YesNo,
} from './common.js';

/**
 * Attachments 1-7 of the OBEC salary-increment circular (seed 004): the lists
 * of staff seconded away (1-4) and the head counts and salary sums of staff
 * present on the count date (5: teachers by group, 6: section 38 ค.(2) staff
 * and their budget, 7: permanent employees and their one-step quota). All
 * seven are drawn from one roster, one person a row.
 */

/** Kinds of staff, each with its own lists and budget. */
const STAFF_KINDS = { teacher: 'ข้าราชการครู', '38c2': 'มาตรา 38 ค.(2)', employee: 'ลูกจ้างประจำ' } as const;
const StaffKind = z.preprocess(
  (v) => (typeof v === 'string' ? (Object.entries(STAFF_KINDS).find(([, th]) => th.replace(/\s/g, '') === toArabicDigits(v).replace(/\s/g, ''))?.[0] ?? v) : v),
  z.enum(['teacher', '38c2', 'employee']),
).describe('ประเภทบุคลากร: teacher (ข้าราชการครูและบุคลากรทางการศึกษา), 38c2 (บุคลากรทางการศึกษาอื่นตามมาตรา 38 ค.(2)), employee (ลูกจ้างประจำ) / kind of staff');

/** Position columns of attachment 5, in the order printed. */
const POSITION_TYPES = {
  teacher: 'ครู',
  'deputy-school-director': 'รอง ผอ.สถานศึกษา',
  'school-director': 'ผอ.สถานศึกษา',
  'deputy-area-director': 'รอง ผอ.สพท.',
  'area-director': 'ผอ.สพท.',
  supervisor: 'ศึกษานิเทศก์',
} as const;
type PositionType = keyof typeof POSITION_TYPES;
const PositionTypeSchema = z.preprocess(
  (v) => (typeof v === 'string' ? (Object.entries(POSITION_TYPES).find(([, th]) => th.replace(/\s/g, '') === v.replace(/\s/g, ''))?.[0] ?? v) : v),
  z.enum(Object.keys(POSITION_TYPES) as [PositionType, ...PositionType[]]),
).describe('ประเภทตำแหน่งในเอกสารหมายเลข 5 / position column of attachment 5');

export const Person = z.object({
  name: Required.max(200).describe('ชื่อ - ชื่อสกุล / name'),
  kind: StaffKind,
  position: z.string().trim().max(300).default('').describe('ตำแหน่ง/ร.ร./อำเภอ / position, school, district'),
  positionType: PositionTypeSchema.optional(),
  positionNumber: z.string().trim().max(50).default('').describe('ตำแหน่งเลขที่ / position number'),
  rank: z.string().trim().max(50).default('').describe('อันดับ เช่น ครูผู้ช่วย, คศ.1-คศ.5; ลูกจ้างประจำ เช่น ช 2 / salary rank'),
  standing: z.string().trim().max(100).default('').describe('วิทยฐานะ/ระดับ เช่น ชำนาญการพิเศษ / academic standing or level'),
  step: z.string().trim().max(20).default('').describe('ขั้น (ลูกจ้างประจำ) / wage step of a permanent employee'),
  salary: Money.describe('เงินเดือน/ค่าจ้าง ณ วันที่นับตัว (ต่อเดือน) / monthly salary or wage on the count date'),
  present: YesNo.describe('มีตัวอยู่จริง ณ 1 มีนาคม (ครั้งที่ 1) หรือ 1 กันยายน (ครั้งที่ 2) / present on the count date'),
  group: z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')]).transform(Number).optional()
    .describe('กลุ่ม 1 (ครูผู้ช่วย, คศ.1-คศ.3) หรือ 2 (คศ.4-คศ.5): ถ้าใส่ต้องตรงกับอันดับ / group, checked against the rank'),
  secondment: z.enum(['obec', 'other-office']).optional()
    .describe('ไปช่วยราชการ: obec (ที่ สพฐ. และต่างสังกัด สพฐ.) หรือ other-office (ต่าง สพท./ศธจ./ศธภ.) / seconded to OBEC or outside it, or to another office'),
  secondedTo: z.string().trim().max(300).default('').describe('ชื่อส่วนราชการที่ไปช่วยราชการ / where seconded'),
  stepHistory: z.array(z.string().trim().max(30)).max(3).default([])
    .describe('การเลื่อนขั้นค่าจ้างย้อนหลัง 3 ปี (จำนวนขั้น) เก่าไปใหม่ / wage steps over the last three years, oldest first'),
  remark: z.string().trim().max(500).default('').describe('หมายเหตุ / remark'),
}).strict();
export type Person = z.infer<typeof Person>;

export const salaryIncrementListSchema = z.object({
  attachment: z.literal([1, 2, 3, 4, 5, 6, 7])
    .describe('เอกสารหมายเลข 1-7 / attachment 1-7'),
  ...ListHeader,
  people: z.array(Person).max(20_000).describe('รายชื่อ หนึ่งคนต่อหนึ่งแถว / the roster, one person a row'),
  historyYears: z.array(wholeNumber({ min: 1900, max: 2800 }, 'ปีต้องเป็นปี พ.ศ. (หรือ ค.ศ.) เช่น 2565 หรือ ๒๕๖๕ / the year must be a year, e.g. 2565')).length(3).optional()
    .describe('ปี พ.ศ. สามปีของประวัติการเลื่อนขั้น (เอกสารหมายเลข 2) ค่าเริ่มต้น 3 ปีก่อนหน้า / the three years of attachment 2'),
}).strict();
type ListData = z.infer<typeof salaryIncrementListSchema>;

/** Salary group of a teacher's rank: ครูผู้ช่วย, คศ.1-คศ.3 are group 1; คศ.4-คศ.5 group 2 (circular item 2). */
export function groupOfRank(rank: string): 1 | 2 | undefined {
  const text = toArabicDigits(rank).replace(/\s/g, '');
  if (text === 'ครูผู้ช่วย') return 1;
  const m = /^ค\.?ศ\.?([1-5])$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) <= 3 ? 1 : 2;
}

interface Tally { count: number; salarySum: string }
const tally = (people: Person[]): Tally => ({ count: people.length, salarySum: sum(people.map((p) => p.salary)).toFixed(2) });

export interface ListComputed {
  /** Teachers present on the count date, by salary group, with the 3.00 % budget of each (whole baht). */
  groups: { group: 1 | 2; count: number; salarySum: string; budget: string; byPosition: Record<PositionType, Tally> }[];
  /** All teachers present, every group. */
  teachers: Tally;
  /** Section 38 ค.(2) staff present: budget 3 %, 2.99 % allocated to the area office, the rest kept centrally. */
  section38c2: Tally & { budget: string; allocated: string; reserved: string };
  /** Permanent employees present: the one-step quota, 15 % of the head count, whole people. */
  employees: Tally & { quota: string; quotaWhole: number };
}

export function computeList(data: ListData): ListComputed {
  const errors: FieldError[] = [];
  const present = data.people.map((p, i) => ({ p, i })).filter(({ p }) => p.present);
  const teachers = present.filter(({ p }) => p.kind === 'teacher');
  const grouped: Record<1 | 2, { p: Person; i: number }[]> = { 1: [], 2: [] };
  for (const { p, i } of teachers) {
    const g = groupOfRank(p.rank);
    if (!g) {
      errors.push({ path: `people[${i}].rank`, th: 'อันดับของข้าราชการครูต้องเป็น ครูผู้ช่วย หรือ คศ.1 ถึง คศ.5', en: 'a teacher\'s rank must be ครูผู้ช่วย or คศ.1 to คศ.5' });
      continue;
    }
    if (p.group && p.group !== g) {
      errors.push({ path: `people[${i}].group`, th: `อันดับ ${p.rank} อยู่ในกลุ่มที่ ${applyNumerals(String(g), 'thai')} ไม่ใช่กลุ่มที่ ${applyNumerals(String(p.group), 'thai')}`, en: `rank ${p.rank} is in group ${g}, not group ${p.group}` });
    }
    if (data.attachment === 5 && !p.positionType) {
      errors.push({ path: `people[${i}].positionType`, th: 'ต้องระบุประเภทตำแหน่งเพื่อแยกคอลัมน์ในเอกสารหมายเลข ๕', en: 'attachment 5 needs the position type of every teacher present' });
    }
    grouped[g].push({ p, i });
  }
  if (errors.length) throw new ValidationError(errors);

  const groups = ([1, 2] as const).map((group) => {
    const members = grouped[group].map(({ p }) => p);
    const all = tally(members);
    const byPosition = Object.fromEntries((Object.keys(POSITION_TYPES) as PositionType[])
      .map((t) => [t, tally(members.filter((p) => p.positionType === t))])) as Record<PositionType, Tally>;
    return { group, ...all, budget: budgetAt(all.salarySum, '3'), byPosition };
  });
  const s38 = tally(present.filter(({ p }) => p.kind === '38c2').map(({ p }) => p));
  const budget = budgetAt(s38.salarySum, '3');
  const allocated = budgetAt(s38.salarySum, '2.99');
  const employees = tally(present.filter(({ p }) => p.kind === 'employee').map(({ p }) => p));
  const quota = quotaOf(employees.count);
  return {
    groups,
    teachers: tally(teachers.map(({ p }) => p)),
    // Column (6) of attachment 6 is defined as (4) - (5): both already whole baht.
    section38c2: { ...s38, budget, allocated, reserved: new Decimal(budget).minus(allocated).toFixed() },
    employees: { ...employees, quota: quota.exact, quotaWhole: quota.whole },
  };
}

// ---------------------------------------------------------------------------
// Layout

const rankCell = (p: Person) => [p.rank, p.standing].filter(Boolean).join('\n');

function secondedList(data: ListData, kind: 'teacher' | 'employee', where: 'obec' | 'other-office') {
  return data.people.filter((p) => p.secondment === where && (kind === 'employee' ? p.kind === 'employee' : p.kind !== 'employee'));
}

function build(data: ListData, c: ListComputed) {
  const dates = roundDates(data.round, data.year);
  const roundText = `ครั้งที่ ${data.round} (${dates.raiseText})`;
  const area = data.office;
  const end = () => certification(data.certifiers, data.office, landscape);
  let landscape = false;
  let title: string[] = [];
  let blocks: BlockInput[] = [];

  switch (data.attachment) {
    case 1:
    case 3: {
      const toObec = data.attachment === 1;
      const people = secondedList(data, 'teacher', toObec ? 'obec' : 'other-office');
      title = [
        toObec
          ? 'บัญชีรายชื่อข้าราชการครูและบุคลากรทางการศึกษา ที่ สพฐ.อนุญาตให้ไปช่วยปฏิบัติราชการที่ สพฐ. และต่างสังกัด สพฐ.'
          : 'บัญชีรายชื่อข้าราชการครูและบุคลากรทางการศึกษา ที่ สพฐ.อนุญาตให้ไปช่วยปฏิบัติราชการต่าง สพท./ศธจ./ศธภ.',
        `เพื่อประกอบการตรวจสอบวงเงินเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ${roundText}`,
        area,
      ];
      landscape = true;
      const section = (label: string, members: Person[], from: number) => [
        [{ text: label, colSpan: 8, bold: true, align: 'left' as const }],
        ...members.map((p, i) => [String(from + i), p.name, p.position, p.positionNumber, rankCell(p), money(p.salary), p.secondedTo, p.remark]),
      ];
      const teachers = people.filter((p) => p.kind === 'teacher');
      const others = people.filter((p) => p.kind === '38c2');
      blocks = [{
        type: 'table', size: 14,
        widths: [cm(1), '*', cm(5.5), cm(2), cm(2.6), cm(2.4), cm(4.5), cm(2.6)], fitHeader: true,
        align: ['center', 'left', 'left', 'center', 'center', 'right', 'left', 'left'],
        header: [[head('ที่'), head('ชื่อ - ชื่อสกุล'), head('ตำแหน่ง/ร.ร./อำเภอ'), head('ตำแหน่งเลขที่'), head('อันดับ/ระดับ'), head('เงินเดือนปัจจุบัน'),
          head(toObec ? 'ชื่อส่วนราชการที่ไปช่วยราชการ' : 'ช่วยปฏิบัติราชการที่ สพท./ศธจ./ศธภ.'), head('หมายเหตุ')]],
        rows: [...section('ข้าราชการครู', teachers, 1), ...section('บุคลากรทางการศึกษาอื่น ตามมาตรา 38 ค.(2)', others, teachers.length + 1)],
      }];
      if (toObec) {
        blocks.push(...explanation('อธิบาย', ['รายที่ได้รับอนุญาตให้ช่วยราชการเพิ่มใหม่ (เพิ่มจากที่ได้รายงาน สพฐ. แล้ว) ให้ส่งหลักฐานหนังสืออนุญาตหรืออนุมัติให้ช่วยราชการจาก สพฐ. ไปเพื่อประกอบการตรวจสอบด้วย']));
      }
      break;
    }
    case 2: {
      const people = secondedList(data, 'employee', 'obec');
      const years = data.historyYears ?? [data.year - 3, data.year - 2, data.year - 1];
      title = [
        'บัญชีรายชื่อลูกจ้างประจำ ที่ไปช่วยปฏิบัติราชการที่ สพฐ. และต่างสังกัด สพฐ.',
        `เพื่อประกอบการพิจารณาเลื่อนขั้นค่าจ้างลูกจ้างประจำ ${roundText}`,
        area,
      ];
      landscape = true;
      blocks = [{
        type: 'table', size: 14,
        widths: [cm(1), '*', cm(4), cm(1.8), cm(1.8), cm(2.2), cm(4), cm(2), cm(2), cm(2), cm(2.4)], fitHeader: true,
        align: ['center', 'left', 'left', 'center', 'center', 'right', 'left', 'center', 'center', 'center', 'left'],
        header: [
          [head('ที่', 1, 2), head('ชื่อ - ชื่อสกุล', 1, 2), head('ตำแหน่ง', 1, 2), head('ตำแหน่งเลขที่', 1, 2), head('อันดับ', 1, 2), head('ค่าจ้างปัจจุบัน', 1, 2), head('ชื่อส่วนราชการที่ไปช่วยราชการ', 1, 2),
            head('ข้อมูลการเลื่อนขั้นค่าจ้างย้อนหลัง 3 ปี (จำนวนขั้น)', 3), head('หมายเหตุ', 1, 2)],
          years.map((y) => head(`ปี พ.ศ. ${y} (รวม 2 ครั้ง)`)),
        ],
        rows: people.map((p, i) => [String(i + 1), p.name, p.position, p.positionNumber, p.rank, money(p.salary), p.secondedTo,
          p.stepHistory[0] ?? '', p.stepHistory[1] ?? '', p.stepHistory[2] ?? '', p.remark]),
      }, ...explanation('อธิบาย', [
        '- การกรอกข้อมูลในช่อง "ข้อมูลการเลื่อนขั้นค่าจ้างย้อนหลัง 3 ปี" หากปีใดไม่เลื่อนขั้นให้ระบุเหตุผลไว้ในช่องหมายเหตุด้วย เช่น ลาเกิน ลงโทษทางวินัย คดีอาญา ศึกษาต่อ บรรจุใหม่ ฯลฯ',
        '- รายที่ได้รับอนุญาตให้ช่วยราชการเพิ่มเติม (เพิ่มจากที่ได้รายงาน สพฐ. แล้ว) ให้ส่งหลักฐานหนังสืออนุญาตหรืออนุมัติให้ช่วยราชการของ สพฐ. ไปเพื่อประกอบการตรวจสอบด้วย',
      ])];
      break;
    }
    case 4: {
      const people = secondedList(data, 'employee', 'other-office');
      title = [
        'บัญชีรายชื่อลูกจ้างประจำ ที่ช่วยปฏิบัติราชการต่าง สพท./ศธจ./ศธภ.',
        `เพื่อประกอบการพิจารณาเลื่อนขั้นค่าจ้างลูกจ้างประจำ ${roundText}`,
        area,
      ];
      landscape = true;
      blocks = [{
        type: 'table', size: 14,
        widths: [cm(1), '*', cm(4.5), cm(2), cm(2), cm(2.4), cm(5), cm(3)], fitHeader: true,
        align: ['center', 'left', 'left', 'center', 'center', 'right', 'left', 'left'],
        header: [
          [head('ที่', 1, 2), head('ชื่อ - ชื่อสกุล', 1, 2), head('ตำแหน่ง', 1, 2), head('ตำแหน่งเลขที่', 1, 2), head('ค่าจ้างปัจจุบัน', 2), head('ช่วยปฏิบัติราชการที่ สพท./ศธจ./ศธภ.', 1, 2), head('หมายเหตุ', 1, 2)],
          [head('อันดับ'), head('ขั้น')],
        ],
        rows: people.map((p, i) => [String(i + 1), p.name, p.position, p.positionNumber, p.rank, p.step, p.secondedTo, p.remark]),
      }];
      break;
    }
    case 5: {
      title = [
        `บัญชีแสดงจำนวนข้าราชการครูและบุคลากรทางการศึกษาที่มีตัวอยู่จริง ณ วันที่ ${dates.countText}`,
        `เพื่อประกอบการตรวจสอบวงเงินเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา ${roundText}`,
        area,
      ];
      landscape = true;
      const types = Object.keys(POSITION_TYPES) as PositionType[];
      const groupLabel = { 1: 'กลุ่มที่ 1 ข้าราชการที่รับเงินเดือนอันดับครูผู้ช่วย - คศ.3', 2: 'กลุ่มที่ 2 ข้าราชการที่รับเงินเดือนอันดับ คศ.4 - คศ.5' };
      const totalRow = ['รวมทั้งสิ้น', ...types.flatMap((t) => {
        const all = c.groups.map((g) => g.byPosition[t]);
        return [count(all.reduce((a, x) => a + x.count, 0)), money(sum(all.map((x) => x.salarySum)))];
      }), count(c.teachers.count), money(c.teachers.salarySum)];
      blocks = [{
        type: 'table', size: 12,
        widths: [cm(4.2), ...Array.from({ length: 7 }, () => [cm(1.2), '*' as const]).flat()], fitHeader: true,
        align: ['left', ...Array.from({ length: 14 }, () => 'right' as const)],
        header: [
          [head('กลุ่ม', 1, 2), ...types.map((t) => head(POSITION_TYPES[t], 2)), head('รวมทุกตำแหน่ง', 2)],
          Array.from({ length: 7 }, () => [head('จำนวนคน'), head('เงินเดือนรวม')]).flat(),
        ],
        rows: [
          ...c.groups.map((g) => [groupLabel[g.group], ...types.flatMap((t) => [count(g.byPosition[t].count), money(g.byPosition[t].salarySum)]), count(g.count), money(g.salarySum)]),
          totalRow.map((text) => ({ text, bold: true })),
        ],
      }];
      break;
    }
    case 6: {
      title = [
        'บัญชีแสดงจำนวนข้าราชการพลเรือนสามัญ/ข้าราชการครูและบุคลากรทางการศึกษา ตำแหน่งบุคลากรทางการศึกษาอื่นตามมาตรา 38 ค.(2)',
        `ที่มีตัวอยู่จริง ณ วันที่ ${dates.countText}`,
        `เพื่อประกอบการตรวจสอบวงเงินเลื่อนเงินเดือนข้าราชการ ${roundText}`,
        area,
      ];
      landscape = true;
      const s = c.section38c2;
      blocks = [{
        type: 'table', size: 14,
        widths: ['*', cm(2.2), cm(3.4), cm(3), cm(3), cm(3.2), cm(4)], fitHeader: true,
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'left'],
        header: [
          [head(`ณ วันที่ ${dates.countText}`, 3), head('วงเงิน'), head('จัดสรรให้ สพท.'), head('วงเงินคงเหลือ'), head('หมายเหตุ', 1, 3)],
          [head('ข้าราชการ'), head('จำนวนคน'), head('เงินเดือนรวม (ต่อเดือน)'), head('3% ของเงินเดือน'), head('2.99%'), head('กันไว้ที่ สพฐ. 0.01%')],
          [head('(1)'), head('(2)'), head('(3)'), head('(4)'), head('(5)'), head('(6) = (4)-(5)')],
        ],
        rows: [['กลุ่มประเภทวิชาการและทั่วไป', count(s.count), money(s.salarySum), money(s.budget), money(s.allocated), money(s.reserved), 'ใช้วงเงินตัวเต็ม เศษสตางค์ตัดทิ้ง']],
      }, ...explanation('อธิบาย', ['การนับจำนวนข้าราชการ ณ วันที่ 1 มีนาคม หรือ 1 กันยายน (แล้วแต่กรณี) สพท. ต้องไม่นับข้าราชการซึ่งไม่มีตัวที่ สพท. ตามแนวปฏิบัติในการพิจารณาเลื่อนเงินเดือนข้าราชการ'])];
      break;
    }
    case 7: {
      title = [
        `บัญชีแสดงจำนวนลูกจ้างประจำ ที่มีตัวอยู่จริง ณ วันที่ ${dates.countText}`,
        `ประกอบการตรวจสอบโควตาเลื่อนขั้นค่าจ้างลูกจ้างประจำ ${roundText}`,
        area,
      ];
      const e = c.employees;
      blocks = [{
        type: 'table', size: 16,
        widths: [cm(3), cm(3), cm(5), '*'], fitHeader: true,
        align: ['center', 'center', 'center', 'left'],
        header: [
          [head(`ณ วันที่ ${dates.countText}`, 2), head('จำนวนผู้ที่จะได้เลื่อน 1 ขั้น เฉพาะโควตาตัวเต็ม', 1, 2), head('หมายเหตุ', 1, 2)],
          [head('จำนวนคน'), head('โควตา 15%')],
        ],
        rows: [[count(e.count), e.quota, count(e.quotaWhole), '']],
      }, ...explanation('อธิบาย', ['การนับจำนวนลูกจ้างประจำ ณ วันที่ 1 มีนาคม หรือ 1 กันยายน (แล้วแต่กรณี) สพท. ต้องไม่นับลูกจ้างประจำที่ไปช่วยปฏิบัติราชการที่ สพฐ. / ต่างสังกัด สพฐ. หรือต่าง สพท.'])];
      break;
    }
  }
  return listDocument({ attachment: String(data.attachment), title, landscape, blocks: [...blocks, ...end()] });
}

const personColumns: Record<string, string[]> = {
  name: ['ชื่อ - ชื่อสกุล', 'ชื่อ-สกุล', 'name'],
  kind: ['ประเภทบุคลากร', 'kind'],
  position: ['ตำแหน่ง/ร.ร./อำเภอ', 'ตำแหน่ง', 'position'],
  positionType: ['ประเภทตำแหน่ง', 'position type'],
  positionNumber: ['ตำแหน่งเลขที่', 'position number'],
  rank: ['อันดับ', 'rank'],
  standing: ['วิทยฐานะ', 'ระดับ', 'academic standing'],
  step: ['ขั้น', 'step'],
  salary: ['เงินเดือน', 'ค่าจ้าง', 'salary', 'wage'],
  present: ['มีตัวอยู่จริง', 'present'],
  group: ['กลุ่ม', 'group'],
  secondment: ['ไปช่วยราชการ', 'secondment'],
  secondedTo: ['ส่วนราชการที่ไปช่วยราชการ', 'seconded to'],
  remark: ['หมายเหตุ', 'remark'],
};

const { people: _people, office: _office, ...sharedShape } = salaryIncrementListSchema.shape;

export const salaryIncrementList = defineForm({
  id: 'salary-increment-list',
  title: { th: 'บัญชีรายชื่อและบัญชีแสดงจำนวนเพื่อการเลื่อนเงินเดือน (เอกสารหมายเลข ๑-๗)', en: 'Salary increment lists and head counts (attachments 1-7)' },
  schema: salaryIncrementListSchema,
  compute: computeList,
  build: (data, computed) => build(data, computed),
  batch: peopleBatch(Person.omit({ stepHistory: true }), personColumns, z.object(sharedShape)),
});
