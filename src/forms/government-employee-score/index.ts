import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { cm } from '../../model/units.js';
import { decimalText, Required } from '../../validation.js';
import { defineForm } from '../types.js';
import { certification, explanation, head, ListHeader, listDocument, peopleBatch } from '../salary-increment-list/common.js';

/**
 * Government employees (พนักงานราชการ) are raised once a year, on 1 October,
 * on the mean of their two evaluation rounds (circular item 9, seed 004):
 * yearly score = (round 1 + round 2) / 2, written with two decimals. Both
 * rounds carry at most two decimals, so the mean has at most three; the third
 * is rounded half up (87.625 -> 87.63), the usual rounding of Thai score sheets.
 */

/** A score from 0 to 100 with at most two decimals. */
const Score = decimalText({ places: 2, max: 100, message: 'คะแนนต้องอยู่ระหว่าง 0 ถึง 100 ทศนิยมไม่เกิน ๒ ตำแหน่ง / a score is 0 to 100 with at most two decimals' })
  .transform((text) => new Decimal(text).toFixed(2));

const Person = z.object({
  name: Required.max(200).describe('ชื่อ - ชื่อสกุล / name'),
  position: z.string().trim().max(300).default('').describe('ตำแหน่ง / position'),
  unit: z.string().trim().max(300).default('').describe('สังกัด/สถานศึกษา / school or unit'),
  round1: Score.describe('คะแนนครั้งที่ 1 (1 ตุลาคม - 31 มีนาคม) / round 1 score'),
  round2: Score.describe('คะแนนครั้งที่ 2 (1 เมษายน - 30 กันยายน) / round 2 score'),
  remark: z.string().trim().max(500).default('').describe('หมายเหตุ / remark'),
}).strict();

export const governmentEmployeeScoreSchema = z.object({
  ...ListHeader,
  round: z.literal([2, '2']).transform(Number).default(2).describe('เลื่อนค่าตอบแทนปีละครั้ง 1 ตุลาคม / the yearly raise of 1 October'),
  people: z.array(Person).min(1).max(20_000).describe('พนักงานราชการ หนึ่งคนต่อแถว / one government employee a row'),
}).strict();
type ScoreData = z.infer<typeof governmentEmployeeScoreSchema>;

/** (round 1 + round 2) / 2 to two decimals, half up. */
export function yearlyScore(round1: Decimal.Value, round2: Decimal.Value): string {
  return new Decimal(round1).plus(round2).dividedBy(2).toFixed(2, Decimal.ROUND_HALF_UP);
}

export interface ScoreComputed { people: { name: string; round1: string; round2: string; sum: string; yearly: string }[] }

function compute(data: ScoreData): ScoreComputed {
  return {
    people: data.people.map((p) => ({
      name: p.name, round1: p.round1, round2: p.round2,
      sum: new Decimal(p.round1).plus(p.round2).toFixed(2),
      yearly: yearlyScore(p.round1, p.round2),
    })),
  };
}

function build(data: ScoreData, c: ScoreComputed) {
  const be = data.year;
  return listDocument({
    title: [
      `บัญชีผลการประเมินผลการปฏิบัติงานของพนักงานราชการ ประจำปีงบประมาณ พ.ศ. ${be}`,
      `เพื่อประกอบการพิจารณาเลื่อนค่าตอบแทนประจำปี ณ วันที่ 1 ตุลาคม ${be}`,
      data.office,
    ],
    landscape: true,
    blocks: [{
      type: 'table', size: 14,
      widths: [cm(1.1), '*', cm(4.5), cm(5), cm(2.6), cm(2.6), cm(2.4), cm(2.8), cm(3)],
      // Names break only between name and surname; the columns share the width as the rows need it.
      wholeWordColumns: [1], balance: true,
      align: ['center', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
      header: [
        [...['ที่', 'ชื่อ - ชื่อสกุล', 'ตำแหน่ง', 'สังกัด'].map((t) => head(t, 1, 3)), head('ผลการประเมิน', 2), head('รวม'), head('คะแนนประจำปี'), head('หมายเหตุ', 1, 3)],
        // Broken as the seed prints them: the round, then its dates, the dash ending a line (never a line of its own).
        [head(`ครั้งที่ 1\n(1 ต.ค. ${be - 1} -\n31 มี.ค. ${be})`), head(`ครั้งที่ 2\n(1 เม.ย. -\n30 ก.ย. ${be})`), head('(1) + (2)'), head('(3) ÷ 2')],
        [head('(1)'), head('(2)'), head('(3)'), head('(4)')],
      ],
      rows: data.people.map((p, i) => {
        const s = c.people[i]!;
        return [String(i + 1), p.name, p.position, p.unit, s.round1, s.round2, s.sum, { text: s.yearly, bold: true }, p.remark];
      }),
    },
    ...explanation('อธิบาย', [
      'คะแนนประจำปี = (คะแนนครั้งที่ 1 + คะแนนครั้งที่ 2) ÷ 2 ทศนิยม 2 ตำแหน่ง ตำแหน่งที่ 3 ตั้งแต่ 5 ขึ้นไปปัดขึ้น ตามประกาศคณะกรรมการบริหารพนักงานราชการ เรื่อง แนวทางการประเมินผลการปฏิบัติงานของพนักงานราชการ พ.ศ. 2554',
    ], 14),
    ...certification(data.certifiers, data.office, true)],
  });
}

const { people: _people, office: _office, ...sharedShape } = governmentEmployeeScoreSchema.shape;

export const governmentEmployeeScore = defineForm({
  id: 'government-employee-score',
  title: { th: 'บัญชีคะแนนประเมินประจำปีของพนักงานราชการ', en: 'Government employees\' yearly evaluation scores' },
  schema: governmentEmployeeScoreSchema,
  compute,
  build,
  batch: peopleBatch(Person, {
    name: ['ชื่อ - ชื่อสกุล', 'ชื่อ-สกุล', 'name'],
    position: ['ตำแหน่ง', 'position'],
    unit: ['สังกัด', 'unit'],
    round1: ['คะแนนครั้งที่ 1', 'round 1'],
    round2: ['คะแนนครั้งที่ 2', 'round 2'],
    remark: ['หมายเหตุ', 'remark'],
  }, z.object(sharedShape)),
});
