import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { cm } from '../../model/units.js';
import { applyNumerals } from '../../thai/index.js';
import { Required, ValidationError, type FieldError } from '../../validation.js';
import { defineForm } from '../types.js';
import {
  budgetAt, certification, colTh, contentWidth, fitColumns, columnError, count, Count, explanation, head, ListHeader, listDocument, money, Money, peopleBatch, roundDates, sum, YesNo,
} from '../salary-increment-list/common.js';
import { groupOfRank } from '../salary-increment-list/index.js';

/**
 * Attachment 11 (teachers, by salary group, budget 3.00 %) and attachment 13
 * (section 38 ค.(2) staff, budget 2.99 %) of seed 004: how the budget of each
 * group was spent, in 23 numbered columns. Columns (4)-(19) are four rating
 * levels, each with people and money for the raise and for the compensation
 * paid instead of it; (20) people not raised; (21)-(23) the identities the
 * circular prints under the table.
 */

const LEVELS = [
  { key: 'excellent', th: 'ระดับดีเด่น' },
  { key: 'very-good', th: 'ระดับดีมาก' },
  { key: 'good', th: 'ระดับดี' },
  { key: 'fair', th: 'ระดับพอใช้' },
] as const;
/** Count columns (4), (6), ..., (20) and money columns (5), (7), ..., (19). */
const COUNT_COLS = [4, 6, 8, 10, 12, 14, 16, 18, 20] as const;
const MONEY_COLS = [5, 7, 9, 11, 13, 15, 17, 19] as const;
const RATE: Record<11 | 13, string> = { 11: '3', 13: '2.99' };

const Result = z.enum(['excellent', 'very-good', 'good', 'fair', 'none'])
  .describe('ผลการพิจารณา: excellent (ดีเด่น), very-good (ดีมาก), good (ดี), fair (พอใช้), none (ไม่ได้เลื่อน) / rating');

const Person = z.object({
  name: Required.max(200).describe('ชื่อ - ชื่อสกุล / name'),
  position: z.string().trim().max(300).default('').describe('ตำแหน่ง / position'),
  rank: z.string().trim().max(50).default('').describe('อันดับ (ครูผู้ช่วย, คศ.1-คศ.5) / salary rank'),
  group: z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')]).transform(Number).optional().describe('กลุ่ม 1 หรือ 2 (ถ้าไม่ใส่ คิดจากอันดับ) / salary group, from the rank when omitted'),
  salary: Money.describe('เงินเดือน ณ วันที่นับตัว / monthly salary on the count date'),
  present: YesNo.describe('มีตัวอยู่จริง ณ วันที่นับตัว / present on the count date'),
  result: Result,
  increment: Money.default('0').describe('เงินที่ใช้เลื่อนเงินเดือน (ต่อเดือน) / monthly raise'),
  compensation: Money.default('0').describe('ค่าตอบแทนพิเศษ (ต่อเดือน) / compensation paid instead of a raise'),
}).strict();

const Cols = Object.fromEntries([
  ['col1', Count], ['col2', Money], ['col3', Money.optional()],
  ...COUNT_COLS.map((n) => [`col${n}`, Count.default(0)]),
  ...MONEY_COLS.map((n) => [`col${n}`, Money.default('0')]),
  ['col21', Count.optional()], ['col22', Money.optional()], ['col23', Money.optional()],
]) as Record<string, z.ZodType>;

const Row = z.object({
  group: z.union([z.literal(1), z.literal(2)]).optional().describe('กลุ่มที่ 1 หรือ 2 (เอกสารหมายเลข 11) / salary group'),
  label: z.string().trim().max(200).optional().describe('ชื่อแถว / row label'),
  ...Cols,
}).strict().describe('แถวของบัญชี: คอลัมน์ (1)-(20) ตามแบบ; (3), (21), (22), (23) คำนวณให้ ถ้าใส่มาต้องตรง / a row: columns (1)-(20); (3), (21)-(23) are computed and checked when given');

export const salaryIncrementSummarySchema = z.object({
  attachment: z.literal([11, 13]).default(11).describe('11 ข้าราชการครูฯ (วงเงิน 3.00%) หรือ 13 บุคลากรตามมาตรา 38 ค.(2) (วงเงิน 2.99%) / attachment'),
  ...ListHeader,
  rows: z.array(Row).min(1).max(20).optional(),
  people: z.array(Person).max(20_000).optional().describe('รายบุคคล หนึ่งคนต่อแถว: ระบบรวมเป็นแถวของบัญชีให้ / one person a row, summed into the table'),
}).strict().refine((d) => (d.rows === undefined) !== (d.people === undefined), {
  message: 'ต้องส่ง rows (ยอดรวมรายกลุ่ม) หรือ people (รายบุคคล) อย่างใดอย่างหนึ่ง / send either rows (group totals) or people (one person a row), not both',
  path: ['rows'],
});
type SummaryData = z.infer<typeof salaryIncrementSummarySchema>;

/** A row with every column, money as decimal strings. */
export type SummaryRow = { label: string } & Record<`col${number}`, string | number>;

function label(data: SummaryData, group: number | undefined, given?: string): string {
  if (given) return given;
  if (data.attachment === 13) return 'กลุ่มประเภทวิชาการและทั่วไป';
  return group === 2 ? 'กลุ่มที่ 2 อันดับ คศ.4 - คศ.5' : 'กลุ่มที่ 1 อันดับครูผู้ช่วย - คศ.3';
}

/** Sums per-person results into rows: one per salary group (attachment 11) or one (13). */
function rowsOfPeople(data: SummaryData, people: z.infer<typeof Person>[]): Record<string, unknown>[] {
  const errors: FieldError[] = [];
  const byRow = new Map<number, Record<string, Decimal>>();
  people.forEach((p, i) => {
    if (!p.present) return;
    let key = 0;
    if (data.attachment === 11) {
      const g = groupOfRank(p.rank);
      if (p.group && g && p.group !== g) errors.push({ path: `people[${i}].group`, th: `อันดับ ${p.rank} อยู่ในกลุ่มที่ ${applyNumerals(String(g), 'thai')}`, en: `rank ${p.rank} is in group ${g}` });
      key = p.group ?? g ?? 0;
      if (!key) { errors.push({ path: `people[${i}].rank`, th: 'ต้องระบุอันดับ (ครูผู้ช่วย, คศ.1-คศ.5) หรือกลุ่ม', en: 'give the rank (ครูผู้ช่วย, คศ.1-คศ.5) or the group' }); return; }
    }
    const inc = new Decimal(p.increment);
    const comp = new Decimal(p.compensation);
    const row = byRow.get(key) ?? {};
    byRow.set(key, row);
    const add = (col: number, v: Decimal.Value) => { row[`col${col}`] = (row[`col${col}`] ?? new Decimal(0)).plus(v); };
    add(1, 1);
    add(2, p.salary);
    if (p.result === 'none') {
      if (!inc.isZero() || !comp.isZero()) errors.push({ path: `people[${i}].increment`, th: 'ผู้ไม่ได้เลื่อนเงินเดือนต้องไม่มีเงินเลื่อนหรือค่าตอบแทน', en: 'someone not raised has no raise and no compensation' });
      add(20, 1);
      return;
    }
    if (inc.isZero() && comp.isZero()) {
      errors.push({ path: `people[${i}].increment`, th: 'ผู้ได้เลื่อนเงินเดือนต้องมีเงินเลื่อนเงินเดือนหรือค่าตอบแทน', en: 'someone raised needs a raise or a compensation amount' });
      return;
    }
    const first = 4 + 4 * LEVELS.findIndex((l) => l.key === p.result);
    // Someone paid both a raise and compensation is counted once, with the raise (the circular's rule for columns 4-19).
    add(inc.isZero() ? first + 2 : first, 1);
    add(first + 1, inc);
    add(first + 3, comp);
  });
  if (errors.length) throw new ValidationError(errors);
  const keys = data.attachment === 11 ? [1, 2] : [0];
  return keys.map((key) => {
    const row = byRow.get(key) ?? {};
    const out: Record<string, unknown> = { label: label(data, key || undefined) };
    for (let n = 1; n <= 20; n++) if (n !== 3) out[`col${n}`] = (row[`col${n}`] ?? new Decimal(0)).toFixed();
    return out;
  });
}

export interface SummaryComputed { rate: string; rows: SummaryRow[]; total?: SummaryRow }

export function computeSummary(data: SummaryData): SummaryComputed {
  const rate = RATE[data.attachment];
  const input = data.people ? rowsOfPeople(data, data.people).map((r) => Row.parse(r)) : data.rows!;
  const errors: FieldError[] = [];
  const rows = input.map((r, i) => {
    const c = (n: number) => (r as Record<string, string | number | undefined>)[`col${n}`];
    const col3 = budgetAt(c(2)!, rate);
    if (c(3) !== undefined && !new Decimal(c(3)!).equals(col3)) {
      errors.push(columnError(i, 3, `คอลัมน์ ${colTh(3)} ต้องเท่ากับร้อยละ ${applyNumerals(rate, 'thai')} ของ ${colTh(2)} เฉพาะจำนวนเต็ม ตัดเศษสตางค์ทิ้ง (${applyNumerals(col3, 'thai')} บาท)`,
        `column (3) must be ${rate} % of column (2), whole baht, satang cut off (${col3})`));
    }
    for (const m of MONEY_COLS) {
      if (Number(c(m - 1)) === 0 && !new Decimal(c(m)!).isZero()) {
        errors.push(columnError(i, m, `คอลัมน์ ${colTh(m)} มีเงินแต่คอลัมน์ ${colTh(m - 1)} ไม่มีคน`, `column (${m}) has money but column (${m - 1}) has no one`));
      }
    }
    const col21 = COUNT_COLS.reduce((a, n) => a + Number(c(n)), 0);
    const col22 = sum(MONEY_COLS.map((n) => c(n)!));
    const col23 = new Decimal(col3).minus(col22);
    if (c(21) !== undefined && Number(c(21)) !== col21) {
      errors.push(columnError(i, 21, `คอลัมน์ ${colTh(21)} ต้องเท่ากับ (๔)+(๖)+(๘)+(๑๐)+(๑๒)+(๑๔)+(๑๖)+(๑๘)+(๒๐) = ${applyNumerals(String(col21), 'thai')}`,
        `column (21) must be (4)+(6)+(8)+(10)+(12)+(14)+(16)+(18)+(20) = ${col21}`));
    } else if (col21 !== Number(c(1))) {
      errors.push(columnError(i, 21, `คอลัมน์ ${colTh(21)} ต้องเท่ากับ ${colTh(1)}: รวมได้ ${applyNumerals(String(col21), 'thai')} คน แต่มีตัวอยู่จริง ${applyNumerals(String(c(1)), 'thai')} คน`,
        `column (21) must equal column (1): the counts add up to ${col21}, but ${c(1)} are present`));
    }
    if (c(22) !== undefined && !new Decimal(c(22)!).equals(col22)) {
      errors.push(columnError(i, 22, `คอลัมน์ ${colTh(22)} ต้องเท่ากับ (๕)+(๗)+(๙)+(๑๑)+(๑๓)+(๑๕)+(๑๗)+(๑๙) = ${applyNumerals(col22.toFixed(), 'thai')}`,
        `column (22) must be (5)+(7)+(9)+(11)+(13)+(15)+(17)+(19) = ${col22.toFixed()}`));
    }
    if (c(23) !== undefined && !new Decimal(c(23)!).equals(col23)) {
      errors.push(columnError(i, 23, `คอลัมน์ ${colTh(23)} ต้องเท่ากับ (๓) - (๒๒) = ${applyNumerals(col23.toFixed(), 'thai')}`, `column (23) must be (3) - (22) = ${col23.toFixed()}`));
    } else if (col23.isNegative()) {
      errors.push(columnError(i, 23, `ใช้เงินเกินวงเงิน: คอลัมน์ (๒๒) ${applyNumerals(money(col22), 'thai')} บาท เกินวงเงินคอลัมน์ (๓) ${applyNumerals(money(col3), 'thai')} บาท (ห้ามใช้วงเงินข้ามกลุ่ม)`,
        `money used beyond the budget: column (22) ${col22.toFixed()} exceeds column (3) ${col3} (no money moves between groups)`));
    }
    const row: Record<string, string | number> = { label: label(data, r.group, r.label) };
    for (let n = 1; n <= 20; n++) row[`col${n}`] = n === 3 ? col3 : COUNT_COLS.includes(n as 4) || n === 1 ? Number(c(n)) : new Decimal(c(n)!).toFixed();
    Object.assign(row, { col21, col22: col22.toFixed(), col23: col23.toFixed() });
    return row as SummaryRow;
  });
  if (errors.length) throw new ValidationError(errors);
  if (rows.length < 2) return { rate, rows };
  const total: Record<string, string | number> = { label: 'รวม' };
  for (let n = 1; n <= 23; n++) {
    const values = rows.map((r) => r[`col${n}`]!);
    total[`col${n}`] = typeof values[0] === 'number' ? values.reduce<number>((a, v) => a + Number(v), 0) : sum(values).toFixed();
  }
  return { rate, rows, total: total as SummaryRow };
}

const cell = (v: string | number) => (typeof v === 'number' ? count(v) : money(v));

function build(data: SummaryData, c: SummaryComputed) {
  const dates = roundDates(data.round, data.year);
  const rateText = data.attachment === 11 ? '3.00%' : '2.99%';
  const title = data.attachment === 11
    ? ['บัญชีแสดงการเลื่อนเงินเดือนข้าราชการครูและบุคลากรทางการศึกษา']
    : ['บัญชีแสดงการเลื่อนเงินเดือนข้าราชการพลเรือนสามัญ/ข้าราชการครูและบุคลากรทางการศึกษา', 'ตำแหน่งบุคลากรทางการศึกษาอื่นตามมาตรา 38 ค.(2)'];
  title.push(`ตามผลการพิจารณาเลื่อนเงินเดือน ครั้งที่ ${data.round} (${dates.raiseText})`, data.office);
  // 23 numbered columns across a landscape page, each as wide as its longest figure.
  const figures = [...c.rows, ...(c.total ? [c.total] : [])];
  const fit = fitColumns(Array.from({ length: 23 }, (_, k) => figures.map((r) => cell(r[`col${k + 1}`]!))), contentWidth(true) - 1, [11, 10, 9, 8], cm(0.6));
  // Each row's label (the group) stands on its own line above its figures, as in the seed.
  const rows = [...c.rows, ...(c.total ? [c.total] : [])].flatMap((r, i, all) => {
    const bold = Boolean(c.total) && i === all.length - 1;
    return [
      [{ text: r.label, colSpan: 23, bold: true, align: 'left' as const }],
      Array.from({ length: 23 }, (_, k) => ({ text: cell(r[`col${k + 1}`]!), bold })),
    ];
  });
  const source = data.attachment === 11 ? 'เอกสารหมายเลข 5' : 'เอกสารหมายเลข 6';
  return listDocument({
    attachment: String(data.attachment), title, landscape: true,
    blocks: [{
      type: 'table', size: fit.size,
      // Each column as wide as its figures need, the header taking the rest, wrapping where the seed's does.
      widths: Array.from({ length: 23 }, () => cm(0.5)), fitHeader: true,
      align: Array.from({ length: 23 }, () => 'right' as const),
      header: [
        [head(`ณ วันที่ ${dates.countText}`, 3), head(`รายละเอียดแสดงจำนวนคนและเงิน (เลื่อนเงินเดือน + ค่าตอบแทน) ที่ใช้เลื่อนเงินเดือน ณ ${dates.raiseText} (ต่อเดือน)`, 16),
          head('ไม่ได้รับการ\nเลื่อนเงินเดือน'), head('รวมคน/เลื่อนเงินเดือน\nและค่าตอบแทนทั้งสิ้น', 2), head('วงเงิน\nคงเหลือหลังจาก\nเลื่อนเงินเดือน', 1, 3)],
        [head('จำนวน\nข้าราชการ', 1, 2), head('เงินเดือนรวม\n(ต่อเดือน)', 1, 2), head(`วงเงินที่\nสพฐ. จัดสรร\n(${rateText})`, 1, 2), ...LEVELS.map((l) => head(l.th, 4)),
          head('จำนวน'), head('จำนวน'), head('จำนวน')],
        [...LEVELS.flatMap(() => [head('คน'), head('เลื่อนเงินเดือน'), head('คน'), head('ค่าตอบแทน')]), head('คน'), head('คน'), head('เงิน')],
        Array.from({ length: 23 }, (_, i) => head(`(${i + 1})`)),
      ],
      rows,
    },
    ...explanation('คำอธิบาย ให้กรอกข้อมูลแต่ละช่อง ดังนี้', [
      `ช่อง (1)-(2) ให้ใส่จำนวนข้าราชการและเงินเดือนรวม ณ วันที่ ${dates.countText} โดยยกยอดมาจาก ${source}`,
      `ช่อง (3) ให้ใส่วงเงินตามที่ สพฐ. จัดสรรให้ ร้อยละ ${rateText.replace('%', '')} ของช่อง (2) (เฉพาะจำนวนเต็ม ไม่ปัดเศษ)`,
      'ช่อง (4)-(19) ให้ใส่ยอดรวมจำนวนคน เงินเลื่อนเงินเดือน และค่าตอบแทนพิเศษ สำหรับผู้ได้ทั้งเงินเลื่อนเงินเดือนและค่าตอบแทนฯ (รวม 2 กรณี) ให้ใส่จำนวนคนในช่องผลการพิจารณาให้เลื่อนเงินเดือนเท่านั้น',
      'ช่อง (20) ให้ใส่จำนวนคนที่ไม่ได้เลื่อนเงินเดือน',
      'ช่อง (21) ให้ใส่ยอดรวมจำนวนคน {(4)+(6)+(8)+(10)+(12)+(14)+(16)+(18)+(20)} ต้องเท่ากับยอดมีตัวในช่อง (1)',
      'ช่อง (22) ให้ใส่เงินที่ใช้เลื่อนเงินเดือนและค่าตอบแทนพิเศษทั้งสิ้น {(5)+(7)+(9)+(11)+(13)+(15)+(17)+(19)}',
      'ช่อง (23) ให้ใส่วงเงินคงเหลือจากการเลื่อนเงินเดือนในครั้งนี้ {(3)-(22)}',
    ], 12),
    ...certification(data.certifiers, data.office, true)],
  });
}

const { rows: _rows, people: _people, office: _office, ...sharedShape } = salaryIncrementSummarySchema.shape;

export const salaryIncrementSummary = defineForm({
  id: 'salary-increment-summary',
  title: { th: 'บัญชีแสดงการเลื่อนเงินเดือน ๒๓ ช่อง (เอกสารหมายเลข ๑๑ และ ๑๓)', en: 'Salary increment summary, 23 columns (attachments 11 and 13)' },
  schema: salaryIncrementSummarySchema,
  compute: computeSummary,
  build,
  batch: peopleBatch(Person, {
    name: ['ชื่อ - ชื่อสกุล', 'ชื่อ-สกุล', 'name'],
    position: ['ตำแหน่ง', 'position'],
    rank: ['อันดับ', 'rank'],
    group: ['กลุ่ม', 'group'],
    salary: ['เงินเดือน', 'salary'],
    present: ['มีตัวอยู่จริง', 'present'],
    result: ['ผลการพิจารณา', 'result'],
    increment: ['เงินเลื่อนเงินเดือน', 'increment'],
    compensation: ['ค่าตอบแทน', 'compensation'],
  }, z.object(sharedShape)),
});
