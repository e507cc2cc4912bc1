import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { BlockInput, DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { applyNumerals, formatNumber, thaiDate, toArabicDigits } from '../../thai/index.js';
import { decimalText, numberOrText, Required, wholeNumber, type FieldError } from '../../validation.js';
import { RequestOptions } from '../shared.js';
import type { BatchSpec } from '../types.js';

/**
 * What the salary-increment forms of the OBEC circular (seed 004, attachments
 * 1-7, 11, 13, 14) share: the round and its dates, money and counts read from
 * JSON or from CSV cells, the budget and quota rules, and the two
 * certification signatures every list ends with.
 */

/** Baht with at most two decimals; JSON numbers, strings with commas and Thai digits are all accepted. */
export const Money = decimalText({
  places: 2, max: '999999999999.99',
  message: 'จำนวนเงินต้องเป็นตัวเลขไม่ติดลบ ทศนิยมไม่เกิน ๒ ตำแหน่ง เช่น 35220 หรือ 35,220.50 / money must be a non-negative number with at most two decimals, e.g. 35220 or 35,220.50',
}).transform((text) => new Decimal(text).toFixed());

const countMessage = 'จำนวนคนต้องเป็นจำนวนเต็มไม่ติดลบ ไม่เกิน 7 หลัก / a head count must be a whole number of people, not negative, of at most 7 digits';

/** A head count: a whole number of people (a CSV cell may carry it as text). */
export const Count = wholeNumber({ min: 0, max: 9_999_999 }, countMessage);

const yesNoMessage = 'ต้องเป็น ใช่ หรือ ไม่ใช่ (1 หรือ 0) / must be yes or no (1 or 0)';

/** Yes/no from JSON (true/false) or a CSV cell (ใช่/ไม่ใช่, มี/ไม่มี, 1/0, yes/no, ✓). */
export const YesNo = z.union([z.boolean(), numberOrText({ min: 0, max: 1 }, yesNoMessage)]).transform((value, ctx) => {
  if (typeof value === 'boolean') return value;
  const text = toArabicDigits(String(value)).trim().toLowerCase();
  if (['1', 'y', 'yes', 'true', 'ใช่', 'มี', 'มีตัว', '✓', '/'].includes(text)) return true;
  if (['0', 'n', 'no', 'false', 'ไม่ใช่', 'ไม่มี', 'ไม่มีตัว', '-', ''].includes(text)) return false;
  ctx.addIssue({ code: 'custom', message: yesNoMessage });
  return z.NEVER;
});

const yearMessage = 'ปีต้องเป็นปีพุทธศักราช เช่น 2565 / the year must be a Buddhist-era year, e.g. 2565';

/** A Buddhist-era year; a year before 2400 is read as CE. */
export const BuddhistYear = wholeNumber({ min: 1900, max: 2800 }, yearMessage).transform((year) => (year >= 2400 ? year : year + 543));

/** Round 1 raises salaries on 1 April (staff counted on 1 March); round 2 on 1 October (counted on 1 September). */
export const Round = z.union([z.literal(1), z.literal(2), z.literal('1'), z.literal('2')]).transform(Number)
  .describe('ครั้งที่ 1 (1 เมษายน) หรือ 2 (1 ตุลาคม) / round 1 (1 April) or 2 (1 October)');

export interface RoundDates { raise: string; count: string; raiseText: string; countText: string }

export function roundDates(round: number, beYear: number): RoundDates {
  const ce = beYear - 543;
  const raise = round === 1 ? `${ce}-04-01` : `${ce}-10-01`;
  const count = round === 1 ? `${ce}-03-01` : `${ce}-09-01`;
  return { raise, count, raiseText: thaiDate(raise, { numerals: 'arabic' }), countText: thaiDate(count, { numerals: 'arabic' }) };
}

/** A certifier of a list: the name is printed in brackets; blank brackets when left out, for signing by hand. */
const Certifier = z.object({
  name: z.string().trim().max(200).optional().describe('ชื่อผู้รับรอง (ไม่ต้องใส่วงเล็บ) / certifier name, without brackets'),
  position: z.string().trim().max(300).optional().describe('ตำแหน่ง (ค่าเริ่มต้นตามแบบ) / position (the form\'s by default)'),
}).strict();

/** The fields every list carries besides its rows. */
export const ListHeader = {
  round: Round,
  year: BuddhistYear.describe('ปีงบประมาณ/ปี พ.ศ. ของวันเลื่อนเงินเดือน เช่น 2565 / Buddhist-era year of the raise date'),
  office: Required.max(300).describe('สำนักงานเขตพื้นที่การศึกษา เช่น สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท / the area office'),
  certifiers: z.object({
    personnel: Certifier.optional().describe('ผู้อำนวยการกลุ่มบริหารงานบุคคล / director of the personnel group'),
    director: Certifier.optional().describe('ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา / director of the area office'),
  }).strict().prefault({}),
  options: RequestOptions.optional(),
};

export interface Certifiers { personnel?: { name?: string; position?: string }; director?: { name?: string; position?: string } }

// ---------------------------------------------------------------------------
// Arithmetic. Money is Decimal throughout; it leaves as decimal strings.

/**
 * A budget at a percentage of a salary sum, in whole baht: the circular says
 * "ใช้วงเงินตัวเต็ม เศษสตางค์ไว้ตัดทิ้ง" (attachment 6) and "เฉพาะจำนวนเต็ม
 * ไม่ปัดเศษ" (attachment 11 column 3), so satang are cut off, never rounded.
 */
export function budgetAt(salarySum: Decimal.Value, percent: string): string {
  return new Decimal(salarySum).times(percent).dividedBy(100).toDecimalPlaces(0, Decimal.ROUND_DOWN).toFixed();
}

/** The permanent employees' one-step quota: 15 % of the head count, whole people only (floor). */
export function quotaOf(headCount: number): { exact: string; whole: number } {
  const exact = new Decimal(headCount).times(15).dividedBy(100);
  return { exact: exact.toFixed(), whole: exact.floor().toNumber() };
}

export const sum = (values: Decimal.Value[]): Decimal => values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0));

// ---------------------------------------------------------------------------
// Layout helpers. Numbers go into the model in Arabic digits; the renderer writes Thai ones.

/** Money as printed in the lists: thousands separators, satang only when there are any. */
export function money(value: Decimal.Value): string {
  const d = new Decimal(value);
  return formatNumber(d.toFixed(), { numerals: 'arabic', decimals: d.isInteger() ? 0 : 2 });
}

export const count = (n: number) => formatNumber(n, { numerals: 'arabic' });

/** `(๒๑)`: a column number as the form prints it, for messages. */
export const colTh = (n: number) => `(${applyNumerals(String(n), 'thai')})`;

/** A field error on a table column, e.g. `rows[3].col21`, with the column numbers as printed. */
export function columnError(row: number, col: number, th: string, en: string): FieldError {
  return { path: `rows[${row}].col${col}`, th, en };
}

export interface PageOptions { landscape: boolean }

// The top margin a little over the sides': room for the attachment number, and a short list keeps its signatures on its page.
const LANDSCAPE_MARGINS = { top: cm(1.3), right: cm(1.2), bottom: cm(1.2), left: cm(1.2) };
/** Width of the text column: A4 less the margins. */
export const contentWidth = (landscape: boolean) => (landscape ? cm(29.7 - 2.4) : cm(21 - 5));

/** The document shell: title lines centred and bold, the attachment number (if any) at the top right. */
export function listDocument(opts: { attachment?: string; title: string[]; landscape: boolean; blocks: BlockInput[] }): DocumentModelInput {
  return {
    title: opts.title[0] ?? '',
    page: opts.landscape
      ? { orientation: 'landscape', margins: LANDSCAPE_MARGINS, continuation: false }
      : { continuation: false },
    blocks: [
      ...(opts.attachment ? [{ type: 'paragraph', text: `เอกสารหมายเลข ${opts.attachment}`, align: 'right', size: 14, spaceBefore: 0 } as const] : []),
      ...opts.title.map((line, i): BlockInput => ({ type: 'paragraph', text: line, align: 'center', bold: true, spaceBefore: 0, keepWithNext: true })),
      ...opts.blocks,
    ],
  };
}

/** The explanation under a table (อธิบาย / คำอธิบาย), one paragraph per line. */
export function explanation(label: string, lines: string[], size = 14): BlockInput[] {
  return [
    { type: 'paragraph', text: [{ text: label, bold: true, underline: true }], size, spaceBefore: 6, keepWithNext: true },
    ...lines.map((line): BlockInput => ({ type: 'paragraph', text: line, size, spaceBefore: 0, firstLineIndent: cm(1), align: 'left' })),
  ];
}

/** Size of the certifications on a landscape list: a size smaller than the title, as the notes are, so a short list keeps them on its page. */
const LANDSCAPE_CERTIFICATION_SIZE = 14;

/**
 * The two certifications every list ends with: ขอรับรองว่า... (kept with the
 * signatures), the director of the personnel group, then the director of the
 * area office, each with a dotted line to sign on (the signature block gives
 * it its room to sign). A portrait list has them one under the other on the
 * signature axis; a landscape list side by side, each centred in its half of
 * the page, as the area director data (attachment 8) has them: stacked, they
 * took a second page after a short list.
 */
export function certification(certifiers: Certifiers, office: string, landscape: boolean): BlockInput[] {
  const width = contentWidth(landscape);
  const size = landscape ? LANDSCAPE_CERTIFICATION_SIZE : 16;
  const lines = (who: { name?: string; position?: string } | undefined, position: string) => [
    '(ลงชื่อ)..................................................',
    who?.name ? `(${who.name})` : '(..................................................)',
    `ตำแหน่ง ${who?.position || position}`,
  ];
  const personnel = lines(certifiers.personnel, 'ผู้อำนวยการกลุ่มบริหารงานบุคคล');
  const director = lines(certifiers.director, `ผู้อำนวยการ${office}`);
  const certify = 'ขอรับรองว่าข้อมูลดังกล่าวข้างต้นถูกต้อง';
  if (landscape) {
    return [
      { type: 'paragraph', text: certify, size, align: 'center', spaceBefore: 4, keepWithNext: true },
      { type: 'signature', size, blankLines: 0, spaceBefore: 0, axis: width / 4, lines: personnel, beside: [{ axis: (width * 3) / 4, lines: director }] },
    ];
  }
  const axis = cm(10);
  return [
    // Centred on the axis: centred in the column from 2 x axis - width to the right margin.
    { type: 'paragraph', text: certify, size, align: 'center', indent: Math.max(0, 2 * axis - width), spaceBefore: 4, keepWithNext: true },
    { type: 'signature', axis, size, blankLines: 0, spaceBefore: 0, lines: personnel },
    { type: 'signature', axis, size, blankLines: 0, spaceBefore: 0, lines: director },
  ];
}

/** A header cell spanning columns and running down header rows (the rows below leave its columns out), bold and centred. */
export const head = (text: string, colSpan = 1, rowSpan = 1) => ({ text, colSpan, rowSpan, align: 'center' as const, bold: true });

// ---------------------------------------------------------------------------
// Batch files: one person a row, grouped into one document per area office.

/**
 * The batch interface of a list whose data is `people` plus shared header
 * fields: each row is a person and the office column groups rows into one
 * document per area office (the authority of these lists).
 */
export function peopleBatch<P extends z.ZodObject>(person: P, columns: Record<string, string[]>, shared: z.ZodObject): BatchSpec {
  const row = person.extend({ office: Required.max(300) });
  return {
    row,
    // A name column also answers to ชื่อ alone: a file of คำนำหน้า | ชื่อ | นามสกุล is read as one name (src/input/validate.ts).
    columns: { office: ['สำนักงานเขตพื้นที่การศึกษา', 'สพท.', 'สพป.', 'สพม.', 'สำนักงานเขตพื้นที่', 'เขตพื้นที่การศึกษา', 'office', 'area office'], ...columns, ...(columns.name ? { name: [...columns.name, 'ชื่อ-นามสกุล', 'ชื่อและนามสกุล', 'ชื่อ'] } : {}) },
    groupKeys: { authority: 'office' },
    shared,
    toData: (rows, sharedFields) => ({
      ...sharedFields,
      office: (rows[0] as { office: string }).office,
      people: rows.map((r) => {
        const { office: _office, ...person } = r as Record<string, unknown>;
        return person;
      }),
    }),
  };
}

/**
 * Column widths and type size for a wide numeric table: each column as wide as
 * its longest figure (digits of TH Sarabun are about 0.45 em; cell padding and
 * rule 9 pt), at the largest size from `sizes` at which every figure fits on
 * one line; the space left is shared out evenly. Figures then never wrap
 * inside a number, whatever the office's totals.
 */
export function fitColumns(columns: string[][], available: number, sizes: number[], minWidth: number): { widths: number[]; size: number } {
  const longest = columns.map((cells) => Math.max(0, ...cells.map((c) => c.length)));
  for (const size of sizes) {
    const need = longest.map((n) => Math.max(minWidth, n * 0.45 * size + 9));
    const total = need.reduce((a, b) => a + b, 0);
    if (total <= available || size === sizes[sizes.length - 1]) {
      const extra = Math.max(0, available - total) / need.length;
      return { widths: need.map((w) => w + extra), size };
    }
  }
  throw new Error('fitColumns needs at least one size');
}
