import { z } from 'zod';
import type { DocumentModelInput } from '../../model/document.js';
import { cm } from '../../model/units.js';
import { formatNumber, thaiDate } from '../../thai/index.js';
import { IsoDate, Required, yearNumber } from '../../validation.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import { applicantBatch, Applicants, groupByAuthority } from './row.js';

/** The submission round: applications are made 1-30 April or 1-31 October. */
export const Round = z.object({
  month: z.enum(['เมษายน', 'ตุลาคม']).describe('รอบเดือน / month of the round'),
  year: yearNumber(2500, 2700).describe('ปี พ.ศ. / Buddhist-era year'),
}).strict();

/** A list's certifying signer; left blank (dotted) for signing by hand when omitted. */
export const ListSigner = z.object({
  name: Required.max(200).describe('ชื่อผู้ลงนาม (ไม่ต้องใส่วงเล็บ) / signer name, without brackets'),
  position: Required.max(300).describe('ตำแหน่ง / position'),
}).strict();

/** Fields every document of a batch shares: they come beside the file, not in it. */
export const summaryShared = z.object({
  round: Round,
  signer: ListSigner.optional(),
  date: IsoDate.optional().describe('วันที่ลงนาม / date signed'),
  options: RequestOptions.optional(),
}).strict();

export const applicantSummarySchema = summaryShared.extend({
  applicants: Applicants.describe('ผู้ยื่นคำขอ / applicants'),
});
export type ApplicantSummary = z.infer<typeof applicantSummarySchema>;

/** ผลงาน: one work as it is; several numbered, one per line. */
export function worksText(works: string[]): string {
  return works.length === 1 ? works[0]! : works.map((w, i) => `${i + 1}. ${w}`).join('\n');
}

const DOTS = '..............................';

/** ลงชื่อ / (name) / ตำแหน่ง / วันที่: filled from the data, dotted where it is to be written by hand. */
export function signatureLines(signer: { name: string; position: string } | undefined, date: string | undefined) {
  return {
    closing: [`ลงชื่อ ${DOTS}`],
    name: signer ? `(${signer.name})` : `(${DOTS})`,
    lines: [
      `ตำแหน่ง ${signer?.position ?? DOTS}`,
      date ? `วันที่ ${thaiDate(date, { era: true, numerals: 'arabic' })}` : 'วันที่ ........ เดือน .................... พ.ศ. ........',
    ],
  };
}

function build(data: ApplicantSummary): DocumentModelInput {
  const roundText = `รอบเดือน${data.round.month} ${data.round.year}`;
  const rows: string[][] = [];
  let n = 0;
  for (const group of groupByAuthority(data.applicants)) {
    for (const a of group.rows) {
      rows.push([
        String(++n), a.province, a.authority, a.unit, a.name, a.position,
        formatNumber(a.salary, { numerals: 'arabic' }), String(a.age), a.rankRequested, a.subjectGroup, worksText(a.works),
      ]);
    }
  }
  const head = (text: string) => ({ text, align: 'center' as const });
  return {
    title: `แบบสรุปรายชื่อผู้ยื่นคำขอเลื่อนวิทยฐานะ ${roundText}`,
    page: { orientation: 'landscape', margins: { top: cm(2), right: cm(1.5), bottom: cm(1.5), left: cm(1.5) }, continuation: false },
    fontSize: 16,
    blocks: [
      {
        type: 'paragraph', align: 'center', bold: true, spaceBefore: 0, keepWithNext: true,
        text: 'แบบสรุปรายชื่อข้าราชการครู พนักงานครูและบุคลากรทางการศึกษาท้องถิ่นที่นำส่งผลงานที่เกิดจากการปฏิบัติหน้าที่\n'
          + `(ผลการปฏิบัติงานและผลงานทางวิชาการ) เพื่อเลื่อนวิทยฐานะให้สูงขึ้นระดับชำนาญการพิเศษและเชี่ยวชาญ ${roundText}`,
      },
      {
        type: 'table', size: 14, spaceBefore: 6,
        // ที่ จังหวัด อปท. สำนัก ชื่อ ตำแหน่ง เงินเดือน อายุ วิทยฐานะ กลุ่มสาระ เรื่อง
        // The number column fits the last row's number (๑๒๐ needs more than ๙).
        widths: [Math.max(26, 12 + 7 * String(rows.length).length), 58, 72, 74, 100, 60, 60, 26, 64, 60, '*'],
        align: ['center', 'left', 'left', 'left', 'left', 'left', 'right', 'center', 'left', 'left', 'left'],
        wholeWordColumns: [4],
        // The widths above suit the seed's rows: width moves to what the data wraps (three long works of an applicant).
        balance: true,
        header: [
          [
            ...['ที่', 'จังหวัด', 'อบจ./เทศบาล/ อบต.', 'สำนัก/กอง/ โรงเรียน', 'ชื่อ - สกุล', 'ตำแหน่ง', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะ ที่เสนอขอ'].map((t) => ({ ...head(t), rowSpan: 2 })),
            { text: 'ผลงานวิชาการที่ส่งประเมิน', colSpan: 2, align: 'center' },
          ],
          ['กลุ่มสาระ', 'เรื่อง/วิชา/ชั้นเรียน'].map(head),
        ],
        rows,
      },
      { type: 'signature', axis: cm(19), blankLines: 0, spaceBefore: 18, ...signatureLines(data.signer, data.date) },
    ],
  };
}

export const applicantSummary = defineForm({
  id: 'applicant-summary',
  title: { th: 'แบบสรุปรายชื่อผู้ยื่นคำขอเลื่อนวิทยฐานะ', en: 'Summary list of academic-rank applicants' },
  schema: applicantSummarySchema,
  compute: (data) => ({
    applicants: data.applicants.length,
    authorities: groupByAuthority(data.applicants).map((g) => ({ province: g.province, authority: g.authority, applicants: g.rows.length })),
  }),
  build: (data) => build(data),
  batch: applicantBatch(summaryShared),
});
