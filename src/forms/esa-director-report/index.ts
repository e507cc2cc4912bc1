import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { DocumentModel, type BlockInput, type DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { prepareText } from '../../model/prepareText.js';
import { layoutDocument } from '../../layout/page.js';
import { fontRegistry } from '../../fonts/registry.js';
import { formatCitizenId } from '../../thai/citizenId.js';
import { formatNumber, thaiDate } from '../../thai/index.js';
import { IsoDate, Required, ValidationError, type FieldError, wholeNumber } from '../../validation.js';
import { DecimalAmount } from '../ppr/rules.js';
import { Paragraphs, RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import { CitizenId, citizenIdError, roundDate, roundText, SalaryRound } from '../esa-director-data/index.js';

/**
 * Seed 004, document 9: the performance report of an area-office director (or
 * acting director) for a salary-increment round: items 1-5 of personal data,
 * leave, study leave, discipline and criminal cases, and item 6, a summary of
 * the work of the last round in at most two A4 pages.
 */

const Leave = z.object({
  times: wholeNumber({ min: 0, max: 365 }, 'จำนวนครั้งต้องเป็นจำนวนเต็มไม่ติดลบ เช่น 2 หรือ ๒ / times must be a whole number, e.g. 2').describe('จำนวนครั้ง / times'),
  days: DecimalAmount.describe('จำนวนวัน (ครึ่งวันได้) / days, halves allowed'),
}).strict();

const SummarySection = z.object({
  heading: Required.max(500).describe('หัวข้อ / heading'),
  paragraphs: Paragraphs.describe('ย่อหน้า / paragraphs'),
}).strict();

export const esaDirectorReportSchema = z.object({
  round: SalaryRound,
  role: z.enum(['director', 'acting']).describe('director ผู้อำนวยการ, acting ผู้รักษาราชการแทน / role'),
  area: Required.max(300).describe('ชื่อเขตต่อจาก "สำนักงานเขตพื้นที่การศึกษา" เช่น ประถมศึกษาชัยนาท / the area, after สำนักงานเขตพื้นที่การศึกษา'),
  name: Required.max(200).describe('ชื่อ - สกุล / name'),
  birthDate: IsoDate.describe('วันเกิด / date of birth'),
  serviceStartDate: IsoDate.describe('วันเริ่มรับราชการ / first day of service'),
  qualification: Required.max(300).describe('วุฒิ / qualification'),
  rank: Required.max(200).describe('วิทยฐานะ / academic rank'),
  salaryScale: Required.max(50).describe('อันดับ คศ. / salary scale'),
  salary: DecimalAmount.describe('อัตราเงินเดือน (บาท) / salary'),
  positionNumber: Required.max(50).describe('ตำแหน่งเลขที่ / position number'),
  paidOn: z.object({ scale: Required.max(50), salary: DecimalAmount }).strict().optional().describe('อาศัยรับเงินเดือน / paid on another scale'),
  citizenId: CitizenId,
  directPayNumber: Required.max(50).describe('เลขที่ตำแหน่งในระบบจ่ายตรง / direct-pay position number'),
  leave: z.object({ personal: Leave, sick: Leave }).strict().describe('การลาในรอบที่แล้ว / leave of the last round'),
  study: z.object({
    leftOn: IsoDate.optional().describe('วันที่ได้รับอนุญาตให้ไปศึกษา/ฝึกอบรม / study leave from'),
    returnedOn: IsoDate.optional().describe('วันที่กลับจากศึกษา/ฝึกอบรม / returned on'),
  }).strict().default({}),
  disciplined: z.boolean().describe('ถูกลงโทษทางวินัย / disciplinary penalty'),
  criminalCase: z.boolean().describe('ถูกฟ้องคดีอาญา / criminal prosecution'),
  summary: z.array(SummarySection).min(1).max(10).describe('ข้อ ๖ สรุปผลการปฏิบัติงาน (ไม่เกิน ๒ หน้า A4) / item 6, the summary: two A4 pages at most'),
  signer: z.object({ name: Required.max(200), position: Required.max(300) }).strict(),
  note: z.string().trim().max(1000).optional()
    .describe('หมายเหตุท้ายแบบ เช่น กำหนดส่งข้อมูลข้อ ๑ - ข้อ ๕ / the note under the form, as the circular words it'),
  options: RequestOptions.optional(),
}).strict();
export type EsaDirectorReport = z.infer<typeof esaDirectorReportSchema>;

/** Whole years from one ISO date to another (an age, a length of service). */
export function fullYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/**
 * Retirement: the end of the fiscal year (30 September) in which the official
 * turns 60, written as 1 October of that year. Born on 2 October or later, the
 * sixtieth birthday falls in the next fiscal year.
 */
export function retirementDate(birthDate: string): string {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const late = m > 10 || (m === 10 && d >= 2);
  return `${y + 60 + (late ? 1 : 0)}-10-01`;
}

export const SUMMARY_MAX_PAGES = 2;

/** The summary's blocks, as the report prints them and as its length is measured. */
function summaryBlocks(sections: EsaDirectorReport['summary']): BlockInput[] {
  return sections.flatMap((s, i): BlockInput[] => [
    { type: 'paragraph', align: 'left', indent: cm(1), keepWithNext: true, text: `6.${i + 1} ${s.heading}` },
    ...s.paragraphs.map((p): BlockInput => ({ type: 'paragraph', firstLineIndent: cm(2.5), spaceBefore: 0, text: p })),
  ]);
}

const PAGE = { margins: { top: cm(2.5), right: cm(2), bottom: cm(2), left: cm(3) } };

/**
 * Pages the summary fills laid out alone, as the seed counts "ไม่เกิน ๒ หน้ากระดาษ
 * A4": 16 pt, the report's margins, the requested font (every font is scaled to
 * TH Sarabun's metrics, so the count is the same in any of them).
 */
export function summaryPages(sections: EsaDirectorReport['summary'], font?: string): number {
  const registry = fontRegistry();
  const family = font && registry.has(font) ? registry.get(font) : registry.defaultFamily();
  const model = prepareText(DocumentModel.parse({ page: { ...PAGE, pageNumbers: false, continuation: false }, blocks: summaryBlocks(sections) }));
  return layoutDocument(model, family, registry.fallbackFamily()).pages.length;
}

export interface EsaDirectorReportComputed {
  roundDate: string;
  age: number;
  serviceYears: number;
  retirementDate: string;
  citizenId: string;
  leave: { personal: { times: number; days: string }; sick: { times: number; days: string }; total: { times: number; days: string } };
  summaryPages: number;
}

export function computeDirectorReport(data: EsaDirectorReport): EsaDirectorReportComputed {
  const errors: FieldError[] = [];
  const idError = citizenIdError('citizenId', data.citizenId);
  if (idError) errors.push(idError);
  const onRound = roundDate(data.round);
  if (data.birthDate >= data.serviceStartDate) errors.push({ path: 'serviceStartDate', th: 'วันเริ่มรับราชการต้องหลังวันเกิด', en: 'service must start after birth' });
  if (data.serviceStartDate > onRound) errors.push({ path: 'serviceStartDate', th: 'วันเริ่มรับราชการต้องไม่หลังวันเลื่อนเงินเดือน', en: 'service cannot start after the round' });
  if (data.study.leftOn && data.study.returnedOn && data.study.returnedOn < data.study.leftOn) {
    errors.push({ path: 'study.returnedOn', th: 'วันกลับต้องไม่ก่อนวันไปศึกษา', en: 'the return cannot be before the departure' });
  }
  const pages = summaryPages(data.summary, data.options?.font);
  if (pages > SUMMARY_MAX_PAGES) {
    errors.push({ path: 'summary', th: `สรุปผลการปฏิบัติงานยาว ${pages} หน้า เกิน ${SUMMARY_MAX_PAGES} หน้ากระดาษ A4 กรุณาย่อ`, en: `the summary fills ${pages} A4 pages, more than ${SUMMARY_MAX_PAGES}: shorten it` });
  }
  if (errors.length) throw new ValidationError(errors);
  const { personal, sick } = data.leave;
  return {
    roundDate: onRound,
    age: fullYears(data.birthDate, onRound),
    serviceYears: fullYears(data.serviceStartDate, onRound),
    retirementDate: retirementDate(data.birthDate),
    citizenId: formatCitizenId(data.citizenId),
    leave: {
      personal: { times: personal.times, days: personal.days },
      sick: { times: sick.times, days: sick.days },
      total: { times: personal.times + sick.times, days: new Decimal(personal.days).plus(sick.days).toFixed() },
    },
    summaryPages: pages,
  };
}

const box = (checked: boolean) => (checked ? '☑' : '☐');
const money = (v: string) => formatNumber(v, { decimals: 2, numerals: 'arabic' });
const days = (v: string) => formatNumber(v, { numerals: 'arabic' });
/** วันที่ ... เดือน ... พ.ศ. ... filled, or dashes when there is no such date. */
function dayMonthYear(iso: string | undefined): string {
  if (!iso) return 'วันที่ - เดือน - พ.ศ. -';
  const [day, month, year] = thaiDate(iso, { numerals: 'arabic' }).split(' ');
  return `วันที่ ${day} เดือน ${month} พ.ศ. ${year}`;
}

function build(data: EsaDirectorReport, c: EsaDirectorReportComputed): DocumentModelInput {
  const office = `สำนักงานเขตพื้นที่การศึกษา${data.area}`;
  const item = (text: string, extra: Partial<BlockInput> = {}): BlockInput => ({ type: 'paragraph', align: 'left', spaceBefore: 3, ...extra, text } as BlockInput);
  const sub = (text: string): BlockInput => item(text, { indent: cm(1), spaceBefore: 0 });
  const { personal, sick, total } = c.leave;
  return {
    title: `แบบรายงานผลการปฏิบัติงาน ${data.name} ${roundText(data.round)}`,
    page: PAGE,
    blocks: [
      { type: 'paragraph', align: 'center', bold: true, size: 18, spaceBefore: 0, text: 'แบบรายงานผลการปฏิบัติงาน' },
      { type: 'paragraph', align: 'center', bold: true, spaceBefore: 0, text: `เพื่อประกอบการพิจารณาเลื่อนเงินเดือน ${roundText(data.round)}\nของ` },
      sub(`${box(data.role === 'director')} ผู้อำนวยการ${office}`),
      sub(`${box(data.role === 'acting')} ผู้รักษาราชการแทนผู้อำนวยการ${office}`),
      item(`1. ข้าพเจ้า ${data.name} อายุตัว ${c.age} ปี อายุราชการ ${c.serviceYears} ปี วุฒิ ${data.qualification}`, { spaceBefore: 12 }),
      item(`2. ปัจจุบันเป็นข้าราชการ วิทยฐานะ${data.rank} อันดับ ${data.salaryScale} อัตรา ${money(data.salary)} บาท ตำแหน่งเลขที่ ${data.positionNumber}`),
      sub(`หรืออาศัยรับเงินเดือน อันดับ ${data.paidOn ? `${data.paidOn.scale} อัตรา ${money(data.paidOn.salary)} บาท` : '- อัตรา - บาท'} เกษียณอายุราชการ วันที่ ${thaiDate(c.retirementDate, { era: true, numerals: 'arabic' })}`),
      sub(`เลขประจำตัวประชาชน ${c.citizenId}`),
      sub(`เลขที่ตำแหน่งในระบบจ่ายตรง ${data.directPayNumber}`),
      item(`3. ในครั้งปีที่แล้วมีวันลากิจ ${personal.times} ครั้ง ${days(personal.days)} วัน ลาป่วย ${sick.times} ครั้ง ${days(sick.days)} วัน รวมลา ${total.times} ครั้ง ${days(total.days)} วัน`),
      item('4. ในครั้งปีที่แล้วมาจนถึงปัจจุบัน'),
      sub(`ก. ได้รับอนุญาตให้ไปศึกษาในประเทศหรือไปศึกษา ฝึกอบรม หรือดูงาน ณ ต่างประเทศ ตั้งแต่${dayMonthYear(data.study.leftOn)}`),
      sub(`ข. กลับจากศึกษาต่อ ฝึกอบรมหรือดูงาน ณ ต่างประเทศ ตั้งแต่${dayMonthYear(data.study.returnedOn)}`),
      item('5. ในครั้งปีที่แล้วมาจนถึงปัจจุบัน'),
      sub(`ก. ${box(data.disciplined)} ถูกลงโทษทางวินัย    ${box(!data.disciplined)} ไม่ถูกลงโทษทางวินัย`),
      sub(`ข. ${box(data.criminalCase)} ถูกฟ้องคดีอาญา    ${box(!data.criminalCase)} ไม่ถูกฟ้องคดีอาญา`),
      item('6. สรุปผลการปฏิบัติงานเฉพาะในรอบครั้งที่แล้วมาโดยย่อ (ไม่เกิน 2 หน้ากระดาษ A4)', { keepWithNext: true }),
      ...summaryBlocks(data.summary),
      // The signer signs on the dotted line, so the name follows it directly, as on the seed's form.
      {
        type: 'signature', spaceBefore: 24, blankLines: 0, keepWithNext: data.note !== undefined,
        closing: ['ขอรับรองว่าข้อมูลดังกล่าวข้างต้นเป็นความจริง', 'ลงชื่อ ..............................................'],
        name: `(${data.signer.name})`, lines: [`ตำแหน่ง ${data.signer.position}`],
      },
      ...(data.note ? [{ type: 'labeled', label: 'หมายเหตุ', text: data.note, align: 'left', size: 14, spaceBefore: 12 } as BlockInput] : []),
    ],
  };
}

export const esaDirectorReport = defineForm({
  id: 'esa-director-report',
  title: { th: 'แบบรายงานผลการปฏิบัติงานของผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา (เอกสารหมายเลข ๙)', en: 'Performance report of an area-office director (document 9)' },
  schema: esaDirectorReportSchema,
  compute: computeDirectorReport,
  build,
});
