import { z } from 'zod';
import { dec } from '../../arith/decimal.js';
import { decimalText, IsoDate, Required, wholeNumber } from '../../validation.js';
import { RequestOptions } from '../shared.js';

/**
 * Input of แบบประเมินผลการปฏิบัติงาน ผอ.สพท. (seed 004, attachments 10/1 and
 * 10/2). Every level is required for both columns: a missing or out-of-range
 * level is rejected with the item's path (component3.items[4].supervisor).
 */

/** A non-negative decimal written as a number or a string (Arabic or Thai digits); kept as its decimal text. */
export const DecimalText = decimalText({ message: 'ต้องเป็นตัวเลขไม่ติดลบ เช่น 85.50 / must be a non-negative number, e.g. 85.50' });

const level = (max: 4 | 5) => z.number({ error: (issue) => issue.input === undefined ? undefined : `ระดับต้องเป็นจำนวนเต็ม 1 ถึง ${max} / the level must be a whole number from 1 to ${max}` })
  .int(`ระดับต้องเป็นจำนวนเต็ม 1 ถึง ${max} / the level must be a whole number from 1 to ${max}`)
  .min(1, `ระดับต้องเป็นจำนวนเต็ม 1 ถึง ${max} / the level must be a whole number from 1 to ${max}`)
  .max(max, `ระดับต้องเป็นจำนวนเต็ม 1 ถึง ${max} / the level must be a whole number from 1 to ${max}`);

/** One item's levels: the evaluee's own and the supervisor's, each 1-4. */
export const LevelPair = z.object({
  self: level(4).describe('ระดับที่ประเมินตนเอง 1-4 / self-assessed level 1-4'),
  supervisor: level(4).describe('ระดับที่ผู้บังคับบัญชาประเมิน 1-4 / supervisor level 1-4'),
}).strict();

const Part1Item = z.object({
  no: z.string().trim().min(1).max(20).optional().describe('เลขข้อ เช่น 5.2 (ค่าเริ่มต้นตามรายการในไฟล์ items.json) / item number'),
  text: z.string().trim().min(1).max(2000).optional().describe('ข้อความรายการตามประกาศของปีนั้น (ไม่ระบุ = ใช้รายการเริ่มต้น) / the official item text; omitted = the default list'),
  ...LevelPair.shape,
}).strict();

/** Component 2 for one column: the percentage of assigned work completed, or the level itself. */
const Component2Column = z.object({
  percent: DecimalText.optional().describe('ร้อยละของงานที่ได้รับมอบหมายแล้วเสร็จ 0-100 / percent of assigned work completed'),
  level: level(5).optional().describe('ระดับ 1-5 (ถ้าไม่ระบุร้อยละ) / level 1-5, when no percentage is given'),
}).strict().superRefine((value, ctx) => {
  if (value.percent === undefined && value.level === undefined) {
    ctx.addIssue({ code: 'custom', path: ['level'], message: 'ต้องระบุร้อยละของงานที่แล้วเสร็จ หรือระดับ 1-5 / give the percentage of work completed or the level 1-5' });
  }
  if (value.percent !== undefined && dec(value.percent).greaterThan(100)) {
    ctx.addIssue({ code: 'custom', path: ['percent'], message: 'ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 / the percentage must be from 0 to 100' });
  }
});

const Person = z.object({
  name: Required.max(200).describe('ชื่อ-สกุล / name'),
  position: Required.max(300).describe('ตำแหน่ง / position'),
  unit: z.string().trim().max(300).optional().describe('สังกัด / unit'),
}).strict();

const Leave = z.object({
  times: wholeNumber({ min: 0, max: 366 }, 'จำนวนครั้งต้องเป็นจำนวนเต็มไม่ติดลบ เช่น 2 หรือ ๒ / times must be a whole number, e.g. 2').default(0).describe('จำนวนครั้ง / times'),
  days: DecimalText.default('0').describe('จำนวนวัน (ครึ่งวันเขียน 0.5) / days'),
}).strict();

const Acknowledgement = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending') }).strict(),
  z.object({
    status: z.literal('signed'),
    date: IsoDate.optional().describe('วันที่ลงนามรับทราบ / date signed'),
  }).strict(),
  z.object({
    status: z.literal('refused'),
    informedOn: IsoDate.describe('วันที่แจ้งผลการประเมิน / date the result was made known'),
    date: IsoDate.optional().describe('วันที่ผู้ประเมินลงนาม / date the evaluator signs'),
    witness: Person.describe('พยาน / witness'),
  }).strict(),
]).describe('การรับทราบผลการประเมิน: pending (ยังไม่รับทราบ), signed (ลงนามรับทราบ), refused (แจ้งแล้วแต่ไม่ลงนาม มีพยาน)');

export const esaDirectorEvaluationSchema = z.object({
  variant: z.enum(['expert', 'not-expert']).describe('expert = เอกสารหมายเลข 10/1 (มีวิทยฐานะ ผอ.สพท.เชี่ยวชาญ), not-expert = 10/2 (ยังไม่มี)'),
  round: z.union([z.literal(1), z.literal(2)]).describe('รอบการประเมิน: 1 = 1 ต.ค.-31 มี.ค., 2 = 1 เม.ย.-30 ก.ย. / round'),
  fiscalYear: wholeNumber({ min: 1900, max: 2800 }, 'ปีงบประมาณต้องเป็นปี พ.ศ. (หรือ ค.ศ.) เช่น 2565 หรือ ๒๕๖๕ / the fiscal year must be a year, e.g. 2565').describe('ปีงบประมาณ (พ.ศ. เช่น 2565; ค.ศ. ก็ได้): รอบ 1 คือ 1 ต.ค. ของปีก่อนถึง 31 มี.ค. / fiscal year, Buddhist or Common era'),
  evaluee: Person.extend({
    salary: DecimalText.describe('เงินเดือน (บาท) / monthly salary, baht'),
    unit: Required.max(300).describe('สังกัด / unit'),
  }).describe('ผู้รับการประเมิน / the director evaluated'),
  leave: z.object({
    sick: Leave.prefault({}).describe('ลาป่วย / sick leave'),
    personal: Leave.prefault({}).describe('ลากิจ / personal leave'),
    other: Leave.extend({ kind: z.string().trim().max(200).optional().describe('ประเภทการลา / kind of leave') }).prefault({}).describe('ลาอื่น ๆ / other leave'),
  }).strict().prefault({}),
  evaluator: Person.describe('ผู้ประเมิน (ผู้บังคับบัญชา) / the evaluator (supervisor)'),
  component1: z.object({
    part1: z.object({
      areas: z.array(z.object({ no: Required.max(20), text: Required.max(1000) }).strict()).max(20).optional()
        .describe('หัวข้อด้านของมาตรฐานตำแหน่ง (ไม่ระบุ = ค่าเริ่มต้น) / the standard\'s areas; omitted = default'),
      items: z.array(Part1Item).min(1).max(60).describe('รายการประเมินตอนที่ 1 ระดับ 1-4 / part 1 items, levels 1-4'),
    }).strict(),
    part2: z.object({
      method: LevelPair.describe('ข้อ 1 วิธีดำเนินการ (20 คะแนน) / item 1, method (20 points)'),
      quantitative: LevelPair.describe('ข้อ 2.1 เชิงปริมาณ (10 คะแนน) / item 2.1, quantitative (10 points)'),
      qualitative: LevelPair.describe('ข้อ 2.2 เชิงคุณภาพ (10 คะแนน) / item 2.2, qualitative (10 points)'),
    }).strict(),
  }).strict(),
  component2: z.object({
    self: Component2Column,
    supervisor: Component2Column,
  }).strict(),
  component3: z.object({
    items: z.array(LevelPair).length(10, 'ต้องมีครบ 10 รายการ / exactly 10 items are needed').describe('10 รายการ คะแนน 1-4 / ten items scored 1-4'),
  }).strict(),
  selfCertification: z.object({ date: IsoDate.optional() }).strict().optional().describe('ส่วนที่ 3.1 วันที่ผู้รับการประเมินลงนาม / date of self-certification'),
  supervisorOpinion: z.object({
    text: z.array(z.string().trim().max(2000)).max(10).optional().describe('ความเห็นของผู้บังคับบัญชา / opinion'),
    date: IsoDate.optional(),
  }).strict().optional(),
  acknowledgement: Acknowledgement.optional(),
  options: RequestOptions.optional(),
}).strict();

export type EsaDirectorEvaluation = z.infer<typeof esaDirectorEvaluationSchema>;
