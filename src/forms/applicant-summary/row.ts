import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { decimalText, numberOrText, Required } from '../../validation.js';
import type { BatchSpec } from '../types.js';

/**
 * One applicant for an academic rank (seed 001), as a row of a province's
 * CSV/XLSX file and as an item of the applicant forms' JSON. Shared by the
 * summary list, the fees, the cover sheets and the batch input layer: the keys
 * are the canonical column keys. Cells arrive as strings (Thai digits already
 * Arabic); every transform's output is again valid input, because a batch's
 * rows are validated here and then once more as the form's data.
 */

/** The ranks a local teacher may request (วิทยฐานะที่เสนอขอ). */
export const RANKS = ['ชำนาญการ', 'ชำนาญการพิเศษ', 'เชี่ยวชาญ', 'เชี่ยวชาญพิเศษ'] as const;
export const Rank = z.enum(RANKS);
export type Rank = z.infer<typeof Rank>;

const issue = (th: string, en: string) => `${th} / ${en}`;

/**
 * Money as a decimal string without separators (`35,220` and `35220.00` are
 * both `35220`, `35,220.50` is `35220.50`): never a binary float.
 */
export const Salary = decimalText({ places: 2, unit: 'บาท', message: issue('เงินเดือนต้องเป็นตัวเลข เช่น 35,220 หรือ 35220.00', 'salary must be a number, e.g. 35,220 or 35220.00') })
  .transform((text) => {
    const d = new Decimal(text);
    return d.isInteger() ? d.toFixed(0) : d.toFixed(2);
  });

/** A whole number from a cell (`56`, ` 56 `) or from JSON (56), within bounds. */
function wholeNumber(min: number, max: number, th: string, en: string) {
  const message = issue(`${th} ต้องเป็นจำนวนเต็ม ${min}-${max}`, `${en} must be a whole number from ${min} to ${max}`);
  return numberOrText({ min, max }, message).transform((value, ctx) => {
    // `45 ปี`, `3 เล่ม`: the unit the header already says.
    const text = String(value).trim().replace(/\s*(ปี|เล่ม)$/, '');
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
}

export const Age = wholeNumber(18, 80, 'อายุ', 'age');
export const Volumes = wholeNumber(1, 99, 'จำนวนเล่ม', 'the number of volumes');

/** The most works one applicant sends, and the longest title of one. */
const MAX_WORKS = 20;
const MAX_WORK_LENGTH = 1000;
const worksMessage = issue(`ผลงานมีได้ไม่เกิน ${MAX_WORKS} เรื่อง เรื่องละไม่เกิน ${MAX_WORK_LENGTH} ตัวอักษร`, `at most ${MAX_WORKS} works of at most ${MAX_WORK_LENGTH} characters each`);

/**
 * The works sent for review: several in one cell on separate lines or
 * separated by ` | `, or a JSON list. A number the clerk typed before a work
 * (`1.`, `๒.`) is dropped: the forms number the works themselves. The text
 * and the list are bounded before they are split (room for the separators,
 * numbers and spaces a clerk writes around each work), the works after.
 */
export const Works = z.union([
  z.string().max(MAX_WORKS * (MAX_WORK_LENGTH + 20), worksMessage),
  z.array(z.string().max(MAX_WORK_LENGTH + 20, worksMessage)).max(MAX_WORKS, worksMessage),
]).transform((value, ctx) => {
  const parts = (Array.isArray(value) ? value : value.split(/\r?\n|\s+\|\s+/))
    .map((w) => w.trim().replace(/^[0-9\u0e50-\u0e59]{1,2}\s*[.)]\s*/, '').trim())
    .filter((w) => w.length > 0);
  if (parts.length === 0) {
    ctx.addIssue({ code: 'custom', message: issue('ต้องระบุผลงานอย่างน้อย 1 เรื่อง', 'at least one work is required') });
    return z.NEVER;
  }
  if (parts.length > MAX_WORKS || parts.some((w) => w.length > MAX_WORK_LENGTH)) {
    ctx.addIssue({ code: 'custom', message: worksMessage });
    return z.NEVER;
  }
  return parts;
});

export const ApplicantRow = z.object({
  province: Required.max(100).describe('จังหวัด / province'),
  authority: Required.max(200).describe('อบจ./เทศบาล/อบต. / local authority'),
  unit: Required.max(300).describe('สำนัก/กอง/โรงเรียน / office, division or school'),
  name: Required.max(200).describe('ชื่อ-สกุล / name'),
  position: Required.max(200).describe('ตำแหน่ง / position'),
  salary: Salary.describe('เงินเดือน เช่น 35,220 / monthly salary, e.g. 35,220'),
  age: Age.describe('อายุ (ปี) / age in years'),
  rankRequested: Rank.describe('วิทยฐานะที่เสนอขอ / rank requested'),
  subjectGroup: Required.max(200).describe('กลุ่มสาระ / subject group'),
  works: Works.describe('เรื่อง/วิชา/ชั้นเรียน: แยกบรรทัด หรือคั่นด้วย " | " / works, one per line or separated by " | "'),
  volumes: Volumes.optional().describe('จำนวนเล่มของผลงานทางวิชาการ (ใบปะหน้า) / volumes of academic work, for cover sheets'),
}).strict();
export type ApplicantRow = z.infer<typeof ApplicantRow>;

/** Header names accepted for each key: the seed's Thai header first, then English. */
export const APPLICANT_COLUMNS: Record<keyof ApplicantRow, string[]> = {
  province: ['จังหวัด', 'จ.', 'ชื่อจังหวัด', 'province'],
  authority: ['อบจ./เทศบาล/อบต.', 'อปท.', 'ชื่อ อปท.', 'สังกัด อปท.', 'อบจ./ทม./ทต./อบต.', 'องค์กรปกครองส่วนท้องถิ่น', 'ชื่อองค์กรปกครองส่วนท้องถิ่น', 'หน่วยงานต้นสังกัด', 'local authority', 'authority'],
  unit: ['สำนัก/กอง/โรงเรียน', 'สำนัก/กอง/', 'สำนัก/กอง/ร.ร.', 'สำนัก/กอง', 'สังกัด', 'โรงเรียน', 'ร.ร.', 'หน่วยงาน/โรงเรียน', 'หน่วยงาน', 'สถานศึกษา', 'ส่วนราชการ', 'สำนัก/กอง/สถานศึกษา', 'unit', 'school', 'office'],
  name: ['ชื่อ - สกุล', 'ชื่อ-สกุล', 'ชื่อ-นามสกุล', 'ชื่อ นามสกุล', 'ชื่อและนามสกุล', 'ชื่อ-สกุล ผู้ขอ', 'ชื่อผู้ขอ', 'ชื่อผู้ขอรับการประเมิน', 'คำนำหน้า ชื่อ-สกุล', 'ชื่อ', 'name', 'full name'],
  position: ['ตำแหน่ง', 'ตำแหน่งปัจจุบัน', 'ตำแหน่ง/ระดับ', 'position'],
  salary: ['เงินเดือน', 'อัตราเงินเดือน', 'เงินเดือนปัจจุบัน', 'เงินเดือนที่ได้รับ', 'เงินเดือน (บาท)', 'salary', 'monthly salary'],
  age: ['อายุ', 'อายุตัว', 'อายุ (ปี)', 'age'],
  rankRequested: ['ระดับวิทยฐานะที่เสนอขอ', 'วิทยฐานะที่เสนอขอ', 'วิทยฐานะที่ขอ', 'ระดับวิทยฐานะที่ขอ', 'ขอวิทยฐานะ', 'วิทยฐานะที่ขอรับการประเมิน', 'วิทยฐานะ', 'rank requested', 'rank'],
  subjectGroup: ['กลุ่มสาระ', 'กลุ่มสาระการเรียนรู้', 'กลุ่มสาระฯ', 'กลุ่มสาระ/สาขา', 'สาขา', 'สาขาวิชา', 'กลุ่มสาระการเรียนรู้/สาขา', 'subject group', 'subject'],
  works: ['เรื่อง/วิชา/ชั้นเรียน', 'เรื่อง/วิชา.....ชั้นเรียน.....', 'ผลงานวิชาการที่ส่งประเมิน', 'ชื่อผลงาน', 'ชื่อผลงานทางวิชาการ', 'ผลงาน', 'ผลงานทางวิชาการ', 'ชื่อเรื่อง', 'เรื่อง', 'ผลงานที่ส่งประเมิน', 'works', 'title of work'],
  volumes: ['จำนวนเล่ม', 'จำนวน (เล่ม)', 'เล่ม', 'volumes'],
};

export const Applicants = z.array(ApplicantRow).min(1).max(50_000);

/**
 * Groups applicants by province, then local authority, in the order each
 * first appears in the file: the summary list and the fees go authority by
 * authority.
 */
export function groupByAuthority<R extends { province: string; authority: string }>(rows: R[]): { province: string; authority: string; rows: R[] }[] {
  const groups = new Map<string, { province: string; authority: string; rows: R[] }>();
  const provinceOrder = new Map<string, number>();
  for (const r of rows) {
    if (!provinceOrder.has(r.province)) provinceOrder.set(r.province, provinceOrder.size);
    const key = `${r.province}\u0000${r.authority}`;
    let g = groups.get(key);
    if (!g) { g = { province: r.province, authority: r.authority, rows: [] }; groups.set(key, g); }
    g.rows.push(r);
  }
  // Stable: authorities keep their first appearance within their province.
  return [...groups.values()].sort((a, b) => provinceOrder.get(a.province)! - provinceOrder.get(b.province)!);
}

/**
 * The batch interface every applicant form shares: one applicant per row,
 * grouped by province or local authority, the request's shared fields beside.
 */
export function applicantBatch(shared: z.ZodObject): BatchSpec<typeof ApplicantRow> {
  return {
    row: ApplicantRow,
    columns: APPLICANT_COLUMNS,
    groupKeys: { province: 'province', authority: 'authority' },
    shared,
    toData: (rows, fields) => ({ ...fields, applicants: rows }),
  };
}
