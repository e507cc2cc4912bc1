import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { cm } from '../../model/units.js';
import { applyNumerals } from '../../thai/index.js';
import { Required, ValidationError, type FieldError } from '../../validation.js';
import { defineForm } from '../types.js';
import {
  certification, colTh, columnError, contentWidth, count, Count, explanation, fitColumns, head, ListHeader, listDocument, money, Money, peopleBatch, quotaOf, roundDates, YesNo,
} from '../salary-increment-list/common.js';

/**
 * Attachment 14 of seed 004: the wage-step raises of permanent employees
 * (ลูกจ้างประจำ) in 15 numbered columns. One step (with the 4 % compensation
 * or half a step plus 2 %) is limited to 15 % of the head count, whole people
 * only: (13) = (4) + (6) may not exceed the whole part of (3) = (1) x 15 %.
 */

const Result = z.enum(['one-step', 'half-step', 'none'])
  .describe('ผลการพิจารณา: one-step (1 ขั้น/4%/0.5 ขั้น+2%), half-step (0.5 ขั้น/2%), none (ไม่เลื่อน) / result');

const Person = z.object({
  name: Required.max(200).describe('ชื่อ - ชื่อสกุล / name'),
  position: z.string().trim().max(300).default('').describe('ตำแหน่ง / position'),
  wage: Money.describe('ค่าจ้าง ณ วันที่นับตัว (ต่อเดือน) / monthly wage on the count date'),
  present: YesNo.describe('มีตัวอยู่จริง ณ วันที่นับตัว / present on the count date'),
  result: Result,
  stepMoney: Money.default('0').describe('เงินเลื่อนขั้น (ต่อเดือน) / monthly step raise'),
  compensation: Money.default('0').describe('เงินตอบแทนฯ (ต่อเดือน) / compensation paid instead of a step'),
}).strict();

const Row = z.object({
  label: z.string().trim().max(200).optional().describe('ชื่อแถว / row label'),
  col1: Count, col2: Money, col3: Money.optional(),
  col4: Count.default(0), col5: Money.default('0'), col6: Count.default(0), col7: Money.default('0'),
  col8: Count.default(0), col9: Money.default('0'), col10: Count.default(0), col11: Money.default('0'),
  col12: Count.default(0), col13: Count.optional(), col14: Money.optional(), col15: Money.optional(),
}).strict().describe('แถวของบัญชี: คอลัมน์ (1)-(12) ตามแบบ; (3), (13)-(15) คำนวณให้ ถ้าใส่มาต้องตรง / columns (1)-(12); (3), (13)-(15) computed and checked when given');
type RowInput = z.infer<typeof Row>;

export const permanentEmployeeQuotaSchema = z.object({
  ...ListHeader,
  rows: z.array(Row).min(1).max(20).optional(),
  people: z.array(Person).max(20_000).optional().describe('รายบุคคล หนึ่งคนต่อแถว / one person a row'),
}).strict().refine((d) => (d.rows === undefined) !== (d.people === undefined), {
  message: 'ต้องส่ง rows (ยอดรวม) หรือ people (รายบุคคล) อย่างใดอย่างหนึ่ง / send either rows (totals) or people (one person a row), not both',
  path: ['rows'],
});
type QuotaData = z.infer<typeof permanentEmployeeQuotaSchema>;

export type QuotaRow = { label: string; quotaWhole: number } & Record<`col${number}`, string | number>;

function rowOfPeople(people: z.infer<typeof Person>[]): RowInput {
  const errors: FieldError[] = [];
  const row = { col1: 0, col2: new Decimal(0), counts: [0, 0, 0, 0, 0], moneys: [0, 0, 0, 0].map(() => new Decimal(0)) };
  people.forEach((p, i) => {
    if (!p.present) return;
    row.col1 += 1;
    row.col2 = row.col2.plus(p.wage);
    const step = new Decimal(p.stepMoney);
    const comp = new Decimal(p.compensation);
    if (p.result === 'none') {
      if (!step.isZero() || !comp.isZero()) errors.push({ path: `people[${i}].stepMoney`, th: 'ผู้ไม่เลื่อนขั้นต้องไม่มีเงินเลื่อนขั้นหรือเงินตอบแทน', en: 'someone not raised has no step money and no compensation' });
      row.counts[4]! += 1;
      return;
    }
    if (step.isZero() && comp.isZero()) {
      errors.push({ path: `people[${i}].stepMoney`, th: 'ผู้ได้เลื่อนขั้นต้องมีเงินเลื่อนขั้นหรือเงินตอบแทน', en: 'someone raised needs step money or compensation' });
      return;
    }
    const base = p.result === 'one-step' ? 0 : 2;
    // Someone paid both step money and compensation is counted once, in the step column (the circular's rule).
    row.counts[step.isZero() ? base + 1 : base]! += 1;
    row.moneys[base] = row.moneys[base]!.plus(step);
    row.moneys[base + 1] = row.moneys[base + 1]!.plus(comp);
  });
  if (errors.length) throw new ValidationError(errors);
  const [c4, c6, c8, c10, c12] = row.counts as [number, number, number, number, number];
  const [m5, m7, m9, m11] = row.moneys.map((m) => m.toFixed()) as [string, string, string, string];
  return { col1: row.col1, col2: row.col2.toFixed(), col4: c4, col5: m5, col6: c6, col7: m7, col8: c8, col9: m9, col10: c10, col11: m11, col12: c12 };
}

export interface QuotaComputed { rows: QuotaRow[] }

export function computeQuota(data: QuotaData): QuotaComputed {
  const input = data.people ? [rowOfPeople(data.people)] : data.rows!;
  const errors: FieldError[] = [];
  const rows = input.map((r, i): QuotaRow => {
    const quota = quotaOf(r.col1);
    const col13 = r.col4 + r.col6;
    const col14 = new Decimal(r.col5).plus(r.col9);
    const col15 = new Decimal(r.col7).plus(r.col11);
    if (r.col3 !== undefined && !new Decimal(r.col3).equals(quota.exact)) {
      errors.push(columnError(i, 3, `คอลัมน์ ${colTh(3)} ต้องเท่ากับ (๑) x ๑๕% = ${applyNumerals(quota.exact, 'thai')}`, `column (3) must be (1) x 15 % = ${quota.exact}`));
    }
    const counted = r.col4 + r.col6 + r.col8 + r.col10 + r.col12;
    if (counted !== r.col1) {
      errors.push(columnError(i, 12, `จำนวนคน (๔)+(๖)+(๘)+(๑๐)+(๑๒) ต้องเท่ากับ ${colTh(1)}: รวมได้ ${applyNumerals(String(counted), 'thai')} คน แต่มีตัวอยู่จริง ${applyNumerals(String(r.col1), 'thai')} คน`,
        `the counts (4)+(6)+(8)+(10)+(12) must equal column (1): they add up to ${counted}, but ${r.col1} are present`));
    }
    for (const [m, n] of [[5, 4], [7, 6], [9, 8], [11, 10]] as const) {
      if (r[`col${n}`] === 0 && !new Decimal(r[`col${m}`]).isZero()) {
        errors.push(columnError(i, m, `คอลัมน์ ${colTh(m)} มีเงินแต่คอลัมน์ ${colTh(n)} ไม่มีคน`, `column (${m}) has money but column (${n}) has no one`));
      }
    }
    if (r.col13 !== undefined && r.col13 !== col13) {
      errors.push(columnError(i, 13, `คอลัมน์ ${colTh(13)} ต้องเท่ากับ (๔)+(๖) = ${applyNumerals(String(col13), 'thai')}`, `column (13) must be (4)+(6) = ${col13}`));
    } else if (col13 > quota.whole) {
      errors.push(columnError(i, 13, `เกินโควตา: เลื่อน ๑ ขั้น ${applyNumerals(String(col13), 'thai')} คน เกินโควตาร้อยละ ๑๕ เฉพาะจำนวนเต็ม ${applyNumerals(String(quota.whole), 'thai')} คน`,
        `quota exceeded: ${col13} given one step, the 15 % quota in whole people is ${quota.whole}`));
    }
    if (r.col14 !== undefined && !new Decimal(r.col14).equals(col14)) {
      errors.push(columnError(i, 14, `คอลัมน์ ${colTh(14)} ต้องเท่ากับ (๕)+(๙) = ${applyNumerals(col14.toFixed(), 'thai')}`, `column (14) must be (5)+(9) = ${col14.toFixed()}`));
    }
    if (r.col15 !== undefined && !new Decimal(r.col15).equals(col15)) {
      errors.push(columnError(i, 15, `คอลัมน์ ${colTh(15)} ต้องเท่ากับ (๗)+(๑๑) = ${applyNumerals(col15.toFixed(), 'thai')}`, `column (15) must be (7)+(11) = ${col15.toFixed()}`));
    }
    return {
      label: r.label ?? 'ลูกจ้างประจำ', quotaWhole: quota.whole,
      col1: r.col1, col2: new Decimal(r.col2).toFixed(), col3: quota.exact,
      col4: r.col4, col5: new Decimal(r.col5).toFixed(), col6: r.col6, col7: new Decimal(r.col7).toFixed(),
      col8: r.col8, col9: new Decimal(r.col9).toFixed(), col10: r.col10, col11: new Decimal(r.col11).toFixed(),
      col12: r.col12, col13, col14: col14.toFixed(), col15: col15.toFixed(),
    };
  });
  if (errors.length) throw new ValidationError(errors);
  return { rows };
}

const COUNT_COLS = new Set([1, 4, 6, 8, 10, 12, 13]);
const cell = (n: number, v: string | number) => (n === 3 ? String(v) : COUNT_COLS.has(n) ? count(Number(v)) : money(v));

function build(data: QuotaData, c: QuotaComputed) {
  const dates = roundDates(data.round, data.year);
  const values = c.rows.map((r) => Array.from({ length: 15 }, (_, k) => cell(k + 1, r[`col${k + 1}`]!)));
  const fit = fitColumns(Array.from({ length: 15 }, (_, k) => values.map((v) => v[k]!)), contentWidth(true) - 1, [14, 13, 12, 11, 10], cm(0.8));
  return listDocument({
    attachment: '14',
    title: [`บัญชีแสดงการเลื่อนขั้นค่าจ้างลูกจ้างประจำ ตามผลการพิจารณาเลื่อนขั้นค่าจ้างลูกจ้างประจำ ครั้งที่ ${data.round} (${dates.raiseText})`, data.office],
    landscape: true,
    blocks: [{
      type: 'table', size: fit.size,
      // Each column as wide as its figures need, the header taking the rest, wrapping where the seed's does.
      widths: Array.from({ length: 15 }, () => cm(0.5)), fitHeader: true,
      align: Array.from({ length: 15 }, () => 'right' as const),
      header: [
        [head(`ณ วันที่ ${dates.countText}`, 3), head(`รายละเอียดแสดงจำนวนคนและจำนวนเงิน (เลื่อนขั้น + ตอบแทนฯ) ที่ใช้เลื่อนขั้นฯ ณ วันที่ ${dates.raiseText}`, 8), head('รวมทั้งสิ้น', 4)],
        [head('จำนวน\nลูกจ้างประจำ\n(คน)', 1, 2), head('อัตรา\nค่าจ้างรวม\n(ต่อเดือน)', 1, 2), head('โควตา\n15%', 1, 2), head('เลื่อน 1 ขั้น และ 4% หรือ (0.5 ขั้น + 2%)', 4), head('เลื่อน 0.5 ขั้น และ 2%', 4),
          head('ไม่เลื่อนขั้น\nจำนวน (คน)', 1, 2), head('จำนวนที่ได้\nเลื่อน 1 ขั้น\n(คน)', 1, 2), head('จำนวนเงิน\nเลื่อนขั้นทุกขั้น\n(บาท)', 1, 2), head('จำนวนเงิน\nตอบแทนฯ ทุกขั้น\n(บาท)', 1, 2)],
        [head('คน'), head('เงินเลื่อนขั้น'), head('คน'), head('เงินตอบแทนฯ'), head('คน'), head('เงินเลื่อนขั้น'), head('คน'), head('เงินตอบแทนฯ')],
        [head('(1)'), head('(2)'), head('(3) = (1) x 15%'), ...[4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => head(`(${n})`)), head('(13) = (4)+(6)'), head('(14) = (5)+(9)'), head('(15) = (7)+(11)')],
      ],
      rows: c.rows.flatMap((r, i) => [[{ text: r.label, colSpan: 15, bold: true, align: 'left' as const }], values[i]!]),
    },
    ...explanation('อธิบาย ให้กรอกข้อมูลแต่ละช่อง ดังนี้', [
      `ช่อง (1) ให้ใส่จำนวนลูกจ้างประจำ ที่มีตัวอยู่จริง ณ วันที่ ${dates.countText}`,
      'ช่อง (2) ให้ใส่อัตราค่าจ้างรวม (ต่อเดือน) ของลูกจ้างประจำ ในช่อง (1)',
      'ช่อง (3) ให้ใส่โควตา 15% ของจำนวนลูกจ้างประจำ ในช่อง (1) ผู้ได้เลื่อน 1 ขั้น ในช่อง (13) ต้องไม่เกินโควตาเฉพาะจำนวนเต็ม',
      'ช่อง (4) - (11) ให้ใส่จำนวนคนที่ได้เลื่อน 1 ขั้น, 0.5 ขั้น และจำนวนเงินเลื่อนขั้น/เงินตอบแทนฯ แต่ละขั้น สำหรับผู้ที่ได้ทั้งเงินเลื่อนขั้นและเงินตอบแทนฯ (รวม 2 กรณี) ให้ใส่จำนวนคนในช่องเงินเลื่อนขั้นเพียงช่องเดียว ส่วนจำนวนเงินให้แยกใส่ในช่องเงินเลื่อนขั้นและเงินตอบแทนฯ',
      'ช่อง (12) ให้ใส่จำนวนคนที่ไม่เลื่อนขั้น',
      'ช่อง (13) ให้ใส่จำนวนคนที่ได้เลื่อน 1 ขั้น (รวมผู้ที่ได้รับเงินตอบแทน 4%)',
      'ช่อง (14) ให้ใส่จำนวนเงินเลื่อนขั้นทั้งสิ้น (เงินเลื่อน 1 ขั้น และ 0.5 ขั้น)',
      'ช่อง (15) ให้ใส่จำนวนเงินตอบแทนทั้งสิ้น (เงินตอบแทน 4% และ 2%)',
    ], 12),
    ...certification(data.certifiers, data.office, true)],
  });
}

const { rows: _rows, people: _people, office: _office, ...sharedShape } = permanentEmployeeQuotaSchema.shape;

export const permanentEmployeeQuota = defineForm({
  id: 'permanent-employee-quota',
  title: { th: 'บัญชีแสดงการเลื่อนขั้นค่าจ้างลูกจ้างประจำ (เอกสารหมายเลข ๑๔)', en: 'Permanent employees\' wage-step raises and 15 % quota (attachment 14)' },
  schema: permanentEmployeeQuotaSchema,
  compute: computeQuota,
  build,
  batch: peopleBatch(Person, {
    name: ['ชื่อ - ชื่อสกุล', 'ชื่อ-สกุล', 'name'],
    position: ['ตำแหน่ง', 'position'],
    wage: ['ค่าจ้าง', 'wage'],
    present: ['มีตัวอยู่จริง', 'present'],
    result: ['ผลการพิจารณา', 'result'],
    stepMoney: ['เงินเลื่อนขั้น', 'step money'],
    compensation: ['เงินตอบแทน', 'compensation'],
  }, z.object(sharedShape)),
});
