import { z } from 'zod';
import { Decimal } from 'decimal.js';
import type { DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { bahtText, formatNumber } from '../../thai/index.js';
import { IsoDate, ValidationError, type FieldError, wholeNumber } from '../../validation.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import { applicantBatch, Applicants, RANKS, Salary, groupByAuthority, type Rank } from '../applicant-summary/row.js';
import { ListSigner, Round, signatureLines } from '../applicant-summary/index.js';

/**
 * Reviewer fees of academic-rank submissions (seed 001, item 1 and 2): three
 * qualified reviewers per applicant at 1,000 baht each for ชำนาญการพิเศษ and
 * 3,000 baht each for เชี่ยวชาญ, plus 100 baht operating cost per applicant;
 * each local authority pays for all its applicants in one payment. The seed
 * sets no rate for ชำนาญการ or เชี่ยวชาญพิเศษ: a request for those needs the
 * rate in `rates`.
 */
export const SEED_RATES: Partial<Record<Rank, string>> = { 'ชำนาญการพิเศษ': '1000', 'เชี่ยวชาญ': '3000' };
export const REVIEWERS = 3;
export const OPERATING_COST = '100';

export const feesShared = z.object({
  round: Round,
  rates: z.partialRecord(z.enum(RANKS), Salary).optional()
    .describe('ค่าตอบแทนต่อกรรมการหนึ่งคน แยกตามวิทยฐานะ (ค่าเริ่มต้นตามหนังสือ: ชำนาญการพิเศษ 1,000 เชี่ยวชาญ 3,000) / fee per reviewer by rank'),
  reviewers: wholeNumber({ min: 1, max: 9 }, 'จำนวนกรรมการต้องเป็น 1 ถึง 9 คน / reviewers must be 1 to 9').default(REVIEWERS).describe('จำนวนกรรมการต่อผู้ยื่นคำขอ / reviewers per applicant'),
  operatingCost: Salary.default(OPERATING_COST).describe('ค่าใช้จ่ายในการดำเนินการต่อราย / operating cost per applicant'),
  signer: ListSigner.optional(),
  date: IsoDate.optional().describe('วันที่ลงนาม / date signed'),
  options: RequestOptions.optional(),
}).strict();

export const applicantFeesSchema = feesShared.extend({
  applicants: Applicants.describe('ผู้ยื่นคำขอ / applicants'),
});
export type ApplicantFees = z.infer<typeof applicantFeesSchema>;

export interface RankLine { rank: Rank; applicants: number; ratePerReviewer: string; reviewerFees: string; operating: string; total: string }
export interface AuthorityFees { province: string; authority: string; applicants: number; lines: RankLine[]; reviewerFees: string; operating: string; total: string }
export interface FeesComputed { authorities: AuthorityFees[]; applicants: number; reviewerFees: string; operating: string; total: string }

/** Per authority and rank: applicants x rate x reviewers, plus the operating cost per applicant; then the sums. */
export function computeFees(data: ApplicantFees): FeesComputed {
  const rates: Partial<Record<Rank, string>> = { ...SEED_RATES, ...data.rates };
  const errors: FieldError[] = [];
  data.applicants.forEach((a, i) => {
    if (rates[a.rankRequested] === undefined) {
      errors.push({
        path: `applicants[${i}].rankRequested`,
        th: `ไม่มีอัตราค่าตอบแทนสำหรับวิทยฐานะ${a.rankRequested} ในหนังสือ กรุณาระบุใน rates`,
        en: `the circular sets no reviewer fee for ${a.rankRequested}: give it in rates`,
      });
    }
  });
  if (errors.length) throw new ValidationError(errors);
  const operatingEach = new Decimal(data.operatingCost);
  const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), new Decimal(0));
  const authorities = groupByAuthority(data.applicants).map((g) => {
    const lines = RANKS.filter((rank) => g.rows.some((r) => r.rankRequested === rank)).map((rank) => {
      const n = g.rows.filter((r) => r.rankRequested === rank).length;
      const rate = new Decimal(rates[rank]!);
      const reviewerFees = rate.times(data.reviewers).times(n);
      const operating = operatingEach.times(n);
      return { rank, applicants: n, rate, reviewerFees, operating };
    });
    const reviewerFees = sum(lines.map((l) => l.reviewerFees));
    const operating = sum(lines.map((l) => l.operating));
    return {
      province: g.province, authority: g.authority, applicants: g.rows.length,
      lines: lines.map((l) => ({
        rank: l.rank, applicants: l.applicants, ratePerReviewer: l.rate.toFixed(2), reviewerFees: l.reviewerFees.toFixed(2),
        operating: l.operating.toFixed(2), total: l.reviewerFees.plus(l.operating).toFixed(2),
      })),
      reviewerFees, operating,
    };
  });
  const reviewerFees = sum(authorities.map((a) => a.reviewerFees));
  const operating = sum(authorities.map((a) => a.operating));
  return {
    authorities: authorities.map((a) => ({
      ...a, reviewerFees: a.reviewerFees.toFixed(2), operating: a.operating.toFixed(2), total: a.reviewerFees.plus(a.operating).toFixed(2),
    })),
    applicants: data.applicants.length,
    reviewerFees: reviewerFees.toFixed(2),
    operating: operating.toFixed(2),
    total: reviewerFees.plus(operating).toFixed(2),
  };
}

const money = (v: string) => formatNumber(v, { decimals: 2, numerals: 'arabic' });

function build(data: ApplicantFees, c: FeesComputed): DocumentModelInput {
  const roundText = `รอบเดือน${data.round.month} ${data.round.year}`;
  const r = (text: string) => ({ text, align: 'right' as const });
  const blocks: DocumentModelInput['blocks'] = [
    {
      type: 'paragraph', align: 'center', bold: true, spaceBefore: 0, keepWithNext: true,
      text: `ค่าตอบแทนและค่าใช้จ่ายในการตรวจประเมินผลงานที่เกิดจากการปฏิบัติหน้าที่ ${roundText}`,
    },
    {
      type: 'paragraph', align: 'left', size: 14, keepWithNext: true,
      text: `ค่าตอบแทนกรรมการผู้ทรงคุณวุฒิ ${data.reviewers} คน ต่อผู้ยื่นคำขอ 1 ราย และค่าใช้จ่ายในการดำเนินการ ${money(data.operatingCost)} บาท ต่อราย ส่งจ่ายรวมในใบเดียวกันต่อองค์กรปกครองส่วนท้องถิ่น`,
    },
  ];
  for (const a of c.authorities) {
    blocks.push({ type: 'paragraph', align: 'left', bold: true, keepWithNext: true, text: `${a.authority} จังหวัด${a.province} (${a.applicants} ราย)` });
    blocks.push({
      type: 'table', size: 14, spaceBefore: 2,
      widths: [95, 45, 70, 85, 78, '*'],
      header: [['วิทยฐานะที่เสนอขอ', 'จำนวน (ราย)', 'อัตราต่อกรรมการ (บาท)', `ค่าตอบแทนกรรมการ ${data.reviewers} คน (บาท)`, 'ค่าใช้จ่ายดำเนินการ (บาท)', 'รวม (บาท)']],
      rows: [
        ...a.lines.map((l) => [l.rank, r(String(l.applicants)), r(money(l.ratePerReviewer)), r(money(l.reviewerFees)), r(money(l.operating)), r(money(l.total))]),
        [{ text: 'รวม', bold: true }, { text: String(a.applicants), align: 'right' as const, bold: true }, '', { text: money(a.reviewerFees), align: 'right' as const, bold: true },
          { text: money(a.operating), align: 'right' as const, bold: true }, { text: money(a.total), align: 'right' as const, bold: true }],
      ],
    });
    blocks.push({ type: 'paragraph', align: 'left', size: 14, spaceBefore: 2, text: `รวมส่งจ่ายทั้งสิ้น ${money(a.total)} บาท (${bahtText(a.total)})` });
  }
  if (c.authorities.length > 1) {
    blocks.push({
      type: 'paragraph', align: 'left', bold: true, spaceBefore: 12,
      text: `รวมทั้งหมด ${c.authorities.length} แห่ง ${c.applicants} ราย เป็นเงิน ${money(c.total)} บาท (${bahtText(c.total)})`,
    });
  }
  blocks.push({ type: 'signature', blankLines: 0, spaceBefore: 18, axis: cm(11), ...signatureLines(data.signer, data.date) });
  return { title: `ค่าตอบแทนการตรวจประเมินผลงาน ${roundText}`, page: { continuation: false }, blocks };
}

export const applicantFees = defineForm({
  id: 'applicant-fees',
  title: { th: 'ค่าตอบแทนและค่าใช้จ่ายในการตรวจประเมินผลงาน', en: 'Reviewer fees and operating costs of rank submissions' },
  schema: applicantFeesSchema,
  compute: computeFees,
  build,
  batch: applicantBatch(feesShared),
});
