import { z } from 'zod';
import type { BlockInput, DocumentModelInput } from '../../model/document.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import { applicantBatch, Applicants, type ApplicantRow as Applicant } from '../applicant-summary/row.js';

/** Sets of work each applicant sends (seed 001): one for each of the three reviewers. */
export const SETS = 3;

export const coverShared = z.object({
  options: RequestOptions.optional(),
}).strict();

export const submissionCoverSchema = coverShared.extend({
  applicants: Applicants.describe('ผู้ยื่นคำขอ / applicants'),
});
export type SubmissionCover = z.infer<typeof submissionCoverSchema>;

const BLANK = '..........';

/**
 * Volumes of each part of one set: the request form and the report are one
 * volume each; the academic works are `volumes` volumes (one per work when
 * not given). Each work is one volume when the counts agree; otherwise the
 * clerk writes the split by hand.
 */
export function volumesOf(a: Applicant): { works: number; perWork: (number | undefined)[] } {
  const works = a.volumes ?? a.works.length;
  return { works, perWork: a.works.map(() => (works === a.works.length ? 1 : undefined)) };
}

function coverPage(a: Applicant, set: number): BlockInput[] {
  const v = volumesOf(a);
  const line = (text: string, extra: Partial<{ indent: string; bold: boolean; spaceBefore: number; align: 'center' | 'left' | 'right' }> = {}): BlockInput =>
    ({ type: 'paragraph', text, align: 'left', spaceBefore: 4, ...extra });
  return [
    line(`ชุดที่ ${set}/${SETS}`, { align: 'right', bold: true, spaceBefore: 0 }),
    { type: 'paragraph', text: 'ผลงานที่เกิดจากการปฏิบัติหน้าที่', align: 'center', bold: true, size: 20, spaceBefore: 24 },
    { type: 'paragraph', text: '(ผลการปฏิบัติงานและผลงานทางวิชาการ)', align: 'center', bold: true, size: 20, spaceBefore: 0 },
    { type: 'paragraph', text: 'สำหรับการประเมินเพื่อให้มีหรือเลื่อน', align: 'center', bold: true, size: 20, spaceBefore: 0 },
    { type: 'paragraph', text: `วิทยฐานะ${a.rankRequested}`, align: 'center', bold: true, size: 20, spaceBefore: 0 },
    line(`ชื่อ-สกุล ${a.name}`, { spaceBefore: 24 }),
    line(`ตำแหน่ง ${a.position}`),
    line(`สำนัก/กอง/ร.ร. ${a.unit}  อปท. ${a.authority}`),
    line(`อำเภอ ${BLANK}${BLANK}  จังหวัด${a.province}`),
    line('ประกอบด้วย', { bold: true, spaceBefore: 12 }),
    line('1. แบบเสนอขอรับการประเมิน จำนวน 1 เล่ม', { indent: '1cm' }),
    line('2. แบบรายงานผลงานที่เกิดจากการปฏิบัติหน้าที่ จำนวน 1 เล่ม', { indent: '1cm' }),
    line(`3. ผลงานทางวิชาการ จำนวน ${v.works} เล่ม`, { indent: '1cm' }),
    line(`กลุ่มสาระ ${a.subjectGroup}`, { indent: '1.6cm' }),
    ...a.works.map((w, i) => line(`3.${i + 1} ${w} จำนวน ${v.perWork[i] ?? BLANK} เล่ม`, { indent: '1.6cm' })),
  ];
}

function build(data: SubmissionCover): DocumentModelInput {
  const blocks: BlockInput[] = [];
  data.applicants.forEach((a, i) => {
    for (let set = 1; set <= SETS; set++) {
      if (i > 0 || set > 1) blocks.push({ type: 'pageBreak' });
      blocks.push(...coverPage(a, set));
    }
  });
  return { title: 'ใบปะหน้าชุดผลงาน', page: { pageNumbers: false, continuation: false }, blocks };
}

export const submissionCover = defineForm({
  id: 'submission-cover',
  title: { th: 'ใบปะหน้าชุดผลงาน', en: 'Cover sheets of submitted work (three sets per applicant)' },
  schema: submissionCoverSchema,
  compute: (data) => ({
    pages: data.applicants.length * SETS,
    applicants: data.applicants.map((a) => ({ name: a.name, sets: SETS, volumes: volumesOf(a) })),
  }),
  build: (data) => build(data),
  batch: applicantBatch(coverShared),
});
