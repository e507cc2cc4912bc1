import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { TableCell, type BlockInput, type DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { citizenIdDigits, citizenIdProblem, formatCitizenId } from '../../thai/citizenId.js';
import { formatNumber, thaiDate } from '../../thai/index.js';
import { IsoDate, Required, ValidationError, type FieldError, wholeNumber } from '../../validation.js';
import { DecimalAmount } from '../ppr/rules.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';

/**
 * Seed 004, document 8: data of the directors (and acting directors) of an
 * educational service area office, for the salary increment of a round: one
 * row each with position numbers, salary, five years of increments, the
 * retirement year and the citizen ID (validated by its check digit).
 */

/** Salary-increment round: 1 = 1 April, 2 = 1 October of the Buddhist-era year. */
export const SalaryRound = z.object({
  number: z.union([z.literal(1), z.literal(2)]).describe('ครั้งที่ ๑ (๑ เมษายน) หรือ ๒ (๑ ตุลาคม) / round'),
  year: wholeNumber({ min: 2500, max: 2700 }, 'ปีต้องเป็นปี พ.ศ. เช่น 2565 หรือ ๒๕๖๕ / the year must be a Buddhist-era year, e.g. 2565').describe('ปี พ.ศ. / Buddhist-era year'),
}).strict();
export type SalaryRound = z.infer<typeof SalaryRound>;

/** The day a round's increment takes effect (ISO, CE). */
export function roundDate(round: SalaryRound): string {
  return `${round.year - 543}-${round.number === 1 ? '04' : '10'}-01`;
}
export function roundText(round: SalaryRound): string {
  return `ครั้งที่ ${round.number} (${thaiDate(roundDate(round), { numerals: 'arabic' })})`;
}

export const CitizenId = z.string().trim().max(40).describe('เลขประจำตัวประชาชน ๑๓ หลัก / 13-digit citizen ID');

/** A field error for an ID whose length or check digit is wrong. */
export function citizenIdError(path: string, id: string): FieldError | undefined {
  const problem = citizenIdProblem(id);
  if (!problem) return undefined;
  return problem === 'length'
    ? { path, th: 'เลขประจำตัวประชาชนต้องมี ๑๓ หลัก', en: 'a citizen ID has 13 digits' }
    : { path, th: 'เลขประจำตัวประชาชนไม่ถูกต้อง (หลักตรวจสอบหลักสุดท้ายไม่ตรง)', en: 'invalid citizen ID: the check digit does not match' };
}

/** One increment: a percentage (since 2560), steps (ขั้น, before), or none. */
const Increment = z.union([
  z.object({ percent: DecimalAmount.describe('ร้อยละ / percent') }).strict(),
  z.object({ steps: DecimalAmount.describe('ขั้น / steps') }).strict(),
  z.literal('none').describe('ไม่ได้เลื่อน / no increment'),
]);
type Increment = z.infer<typeof Increment>;

const HistoryYear = z.object({
  year: wholeNumber({ min: 2500, max: 2700 }, 'ปีต้องเป็นปี พ.ศ. เช่น 2565 หรือ ๒๕๖๕ / the year must be a Buddhist-era year, e.g. 2565').describe('ปี พ.ศ. / Buddhist-era year'),
  split: z.boolean().describe('แยก ๑ เม.ย. และ ๑ ต.ค. (true) หรือรวม ๒ ครั้ง (false) / two rounds apart, or their total'),
}).strict();

const Director = z.object({
  name: Required.max(200).describe('ชื่อ - สกุล / name'),
  position: Required.max(300).describe('ตำแหน่ง/ร.ร./อำเภอ / position and office'),
  rank: z.string().trim().max(200).default('-').describe('วิทยฐานะ / academic rank'),
  positionNumber: Required.max(50).describe('ตำแหน่งเลขที่ / position number'),
  directPayNumber: Required.max(50).describe('เลขที่ตำแหน่งในระบบจ่ายตรง / direct-pay position number'),
  salaryScale: Required.max(50).describe('อันดับ เช่น ผอ.สพท. / salary scale'),
  paidOnScale: z.string().trim().max(50).optional().describe('อาศัยรับเงินเดือนอันดับ / paid on scale'),
  salary: DecimalAmount.describe('เงินเดือนปัจจุบัน (บาท) / current salary'),
  history: z.array(z.array(Increment).min(1).max(2)).length(5)
    .describe('การเลื่อนเงินเดือน ๕ ปี ตาม historyYears: ปีรวม ๑ รายการ ปีแยก ๒ รายการ / increments of the five years'),
  retirementYear: wholeNumber({ min: 2500, max: 2700 }, 'ปีต้องเป็นปี พ.ศ. เช่น 2565 หรือ ๒๕๖๕ / the year must be a Buddhist-era year, e.g. 2565').describe('ปีเกษียณ พ.ศ. / retirement year'),
  citizenId: CitizenId,
}).strict();

const Certifier = z.object({ name: Required.max(200), position: Required.max(300) }).strict();

export const esaDirectorDataSchema = z.object({
  area: Required.max(300).describe('สำนักงานเขตพื้นที่การศึกษา / the area office'),
  round: SalaryRound,
  salaryAsOf: IsoDate.optional().describe('วันที่ของเงินเดือนปัจจุบัน (ค่าเริ่มต้น ๑ ต.ค. หรือ ๑ เม.ย. ก่อนรอบ) / date of the current salary'),
  historyYears: z.array(HistoryYear).length(5).describe('ปีของสถิติการเลื่อนเงินเดือนย้อนหลัง ๕ ปี / the five years of history'),
  directors: z.array(Director).min(1).max(500),
  personnelDirector: Certifier.optional().describe('ผู้อำนวยการกลุ่มบริหารงานบุคคล / head of personnel'),
  areaDirector: Certifier.optional().describe('ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา / area director'),
  note: z.string().trim().max(500).optional().describe('หมายเหตุท้ายตาราง / note under the table'),
  options: RequestOptions.optional(),
}).strict();
export type EsaDirectorData = z.infer<typeof esaDirectorDataSchema>;

export interface EsaDirectorDataComputed {
  roundDate: string;
  salaryAsOf: string;
  directors: { name: string; citizenId: string; salary: string; retirementYear: number; yearsToRetirement: number }[];
  totalSalary: string;
}

function salaryAsOf(data: EsaDirectorData): string {
  if (data.salaryAsOf) return data.salaryAsOf;
  const ce = data.round.year - 543;
  return data.round.number === 1 ? `${ce - 1}-10-01` : `${ce}-04-01`;
}

export function computeDirectorData(data: EsaDirectorData): EsaDirectorDataComputed {
  const errors: FieldError[] = [];
  data.historyYears.forEach((y, j) => {
    if (j > 0 && y.year !== data.historyYears[j - 1]!.year + 1) {
      errors.push({ path: `historyYears[${j}].year`, th: 'ปีของสถิติต้องเรียงต่อเนื่องกัน', en: 'the history years must be consecutive' });
    }
  });
  data.directors.forEach((d, i) => {
    const idError = citizenIdError(`directors[${i}].citizenId`, d.citizenId);
    if (idError) errors.push(idError);
    d.history.forEach((cells, j) => {
      const want = data.historyYears[j]!.split ? 2 : 1;
      if (cells.length !== want) {
        errors.push({
          path: `directors[${i}].history[${j}]`,
          th: `ปี ${data.historyYears[j]!.year} ต้องมี ${want} รายการ (${want === 2 ? '๑ เม.ย. และ ๑ ต.ค.' : 'รวม ๒ ครั้ง'})`,
          en: `year ${data.historyYears[j]!.year} needs ${want} value(s)`,
        });
      }
    });
    // A director who retires on 1 October of the round's year is still in office on 1 April, not on 1 October.
    const lastRoundYear = data.round.number === 1 ? d.retirementYear : d.retirementYear - 1;
    if (lastRoundYear < data.round.year) {
      errors.push({ path: `directors[${i}].retirementYear`, th: `เกษียณก่อนวันเลื่อนเงินเดือน ${roundText(data.round)}`, en: 'retires before the round takes effect' });
    }
  });
  if (errors.length) throw new ValidationError(errors);
  return {
    roundDate: roundDate(data.round),
    salaryAsOf: salaryAsOf(data),
    directors: data.directors.map((d) => ({
      name: d.name, citizenId: formatCitizenId(d.citizenId), salary: new Decimal(d.salary).toFixed(2),
      retirementYear: d.retirementYear, yearsToRetirement: d.retirementYear - data.round.year,
    })),
    totalSalary: data.directors.reduce((sum, d) => sum.plus(d.salary), new Decimal(0)).toFixed(2),
  };
}

function incrementText(inc: Increment): string {
  if (inc === 'none') return '-';
  if ('percent' in inc) return `${formatNumber(inc.percent, { numerals: 'arabic' })}%`;
  return `${formatNumber(inc.steps, { numerals: 'arabic' })} ขั้น`;
}

const DOTS = '..............................';
/** One certifier's lines: signing line, name, position; centred in its half of the page. */
function certification(who: z.infer<typeof Certifier> | undefined, fallback: string): string[] {
  return [`ลงชื่อ ${DOTS}`, `(${who?.name ?? DOTS})`, `ตำแหน่ง ${who?.position ?? fallback}`];
}

function build(data: EsaDirectorData, c: EsaDirectorDataComputed): DocumentModelInput {
  type Cell = z.input<typeof TableCell>;
  const head = (text: string, colSpan = 1, rowSpan = 1): Cell => ({ text, align: 'center', bold: true, colSpan, rowSpan });
  const asOf = thaiDate(c.salaryAsOf, { style: 'short', numerals: 'arabic' });
  const historyColumns = data.historyYears.reduce((n, y) => n + (y.split ? 2 : 1), 0);
  // Header words split where the seed's form splits them: the layout keeps a
  // date or a year with its era as one unit, too wide for these columns.
  const fixed = ['ที่', 'ชื่อ - สกุล', 'ตำแหน่ง/ร.ร./\nอำเภอ', 'วิทยฐานะ', 'ตำแหน่ง เลขที่', 'เลขที่ตำแหน่ง ในระบบ จ่ายตรง', 'อันดับ', 'อาศัยรับ เงินเดือน อันดับ', `เงินเดือน ปัจจุบัน\n${asOf}`];
  const header: Cell[][] = [
    // The fixed columns, the retirement year and the ID run down all three header rows.
    [...fixed.map((t) => head(t, 1, 3)), head('สถิติการเลื่อนเงินเดือนย้อนหลัง 5 ปี (ขั้น / ร้อยละ)', historyColumns), head('เกษียณ พ.ศ.', 1, 3), head('เลขประจำตัวประชาชน', 1, 3)],
    data.historyYears.map((y) => head(y.split ? `ปี พ.ศ. ${y.year}` : `ปี พ.ศ.\n${y.year}`, y.split ? 2 : 1)),
    data.historyYears.flatMap((y) => (y.split
      ? [head(`1 เม.ย.\n${String(y.year).slice(-2)}`), head(`1 ต.ค.\n${String(y.year).slice(-2)}`)]
      : [head('รวม\n2 ครั้ง')])),
  ];
  const rows: Cell[][] = data.directors.map((d, i) => [
    String(i + 1), d.name, d.position, d.rank, d.positionNumber, d.directPayNumber, d.salaryScale, d.paidOnScale ?? '-',
    formatNumber(d.salary, { decimals: 2, numerals: 'arabic' }),
    ...d.history.flatMap((cells) => cells.map(incrementText)),
    // 13 digits without the card's dashes: the grouped form does not fit the column on one line.
    String(d.retirementYear), citizenIdDigits(d.citizenId),
  ]);
  // Widths (points, 12 pt text) hold the longest header word of each column on one line:
  // a column narrower than a word makes the layout cut the word between letters.
  const historyWidth = 33;
  // The text column: landscape A4 less the 1 cm margins.
  const width = cm(29.7 - 2);
  return {
    title: `ข้อมูลผู้ดำรงตำแหน่ง ผอ.สพท. ${roundText(data.round)}`,
    fontSize: 16,
    page: { orientation: 'landscape', margins: { top: cm(1.5), right: cm(1), bottom: cm(1.5), left: cm(1) }, continuation: false },
    blocks: [
      {
        type: 'paragraph', align: 'center', bold: true, spaceBefore: 0,
        text: `ข้อมูลผู้ดำรงตำแหน่งผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาและหรือผู้รักษาราชการแทนผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา\nเพื่อประกอบการพิจารณาเลื่อนเงินเดือน ${roundText(data.round)}\n${data.area}`,
      },
      {
        type: 'table', size: 12, spaceBefore: 6,
        widths: [18, 50, 64, 68, 37, 46, 38, 38, 50, ...Array<number>(historyColumns).fill(historyWidth), 34, '*'],
        align: ['center', 'left', 'left', 'left', 'center', 'center', 'center', 'center', 'right', ...Array<'center'>(historyColumns).fill('center'), 'center', 'center'],
        wholeWordColumns: [1],
        // Width goes where the rows need it: an academic rank (ผอ.สพท.ชำนาญการพิเศษ) whole instead of cut between letters.
        balance: true,
        header, rows,
      },
      ...(data.note ? [{ type: 'paragraph', size: 14, align: 'left', text: data.note } as BlockInput] : []),
      { type: 'paragraph', align: 'center', spaceBefore: 12, keepWithNext: true, text: 'ขอรับรองว่าข้อมูลดังกล่าวข้างต้นถูกต้อง' },
      // The two certifiers side by side, in the seed's order (personnel, then the area director):
      // stacked, they would push the certification onto a page of its own after a one-page table.
      {
        type: 'signature', spaceBefore: 0, blankLines: 0, axis: width / 4,
        lines: certification(data.personnelDirector, 'ผู้อำนวยการกลุ่มบริหารงานบุคคล'),
        beside: [{ axis: (width * 3) / 4, lines: certification(data.areaDirector, `ผู้อำนวยการ${data.area}`) }],
      },
    ],
  };
}

export const esaDirectorData = defineForm({
  id: 'esa-director-data',
  title: { th: 'ข้อมูลผู้ดำรงตำแหน่งผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา (เอกสารหมายเลข ๘)', en: 'Data of educational service area directors (document 8)' },
  schema: esaDirectorDataSchema,
  compute: computeDirectorData,
  build,
});
