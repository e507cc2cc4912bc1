import { z } from 'zod';
import type { BlockInput, DocumentModelInput } from '../../model/document.js';
import { thaiDate, thaiWeekday } from '../../thai/index.js';
import { IsoDate, Required } from '../../validation.js';
import { RequestOptions } from '../shared.js';
import { defineForm } from '../types.js';
import { Round } from '../applicant-summary/index.js';

/** One row of the file: a province and the day it delivers. */
export const DeliveryRow = z.object({
  province: Required.max(100).describe('จังหวัด / province'),
  date: IsoDate.describe('วันที่นำส่ง / delivery date'),
}).strict();
export type DeliveryRow = z.infer<typeof DeliveryRow>;

export const DELIVERY_COLUMNS: Record<keyof DeliveryRow, string[]> = {
  province: ['จังหวัด', 'องค์กรปกครองส่วนท้องถิ่นในจังหวัด', 'province'],
  date: ['วัน เดือน ปี', 'วันที่', 'วันที่นำส่ง', 'วันที่ส่ง', 'วันนำส่ง', 'กำหนดวันนำส่ง', 'กำหนดส่ง', 'date', 'delivery date'],
};

export const scheduleShared = z.object({
  round: Round,
  hours: z.string().max(100).default('08.30 - 16.30 น.').describe('ช่วงเวลา / hours'),
  venue: Required.max(500).describe('สถานที่ / venue'),
  phone: z.string().max(200).optional().describe('โทรศัพท์ / phone'),
  notes: z.array(Required.max(5000)).max(30).optional().describe('หมายเหตุ ข้อละหนึ่งรายการ / notes'),
  options: RequestOptions.optional(),
}).strict();

export const submissionScheduleSchema = scheduleShared.extend({
  deliveries: z.array(DeliveryRow).min(1).max(1000).describe('จังหวัดและวันที่นำส่ง / provinces and delivery dates'),
});
export type SubmissionSchedule = z.infer<typeof submissionScheduleSchema>;

/** วันเสาร์ที่ 12 กันยายน 2558, with the weekday the date falls on. */
export function deliveryDay(iso: string): string {
  return `วัน${thaiWeekday(iso)}ที่ ${thaiDate(iso, { numerals: 'arabic' })}`;
}

/** Dates in order, each with its provinces in the order of the file; a province listed twice is an error. */
export function scheduleDays(rows: DeliveryRow[]): { date: string; provinces: string[] }[] {
  const byDate = new Map<string, string[]>();
  for (const r of rows) {
    const list = byDate.get(r.date) ?? [];
    if (!list.includes(r.province)) list.push(r.province);
    byDate.set(r.date, list);
  }
  return [...byDate].sort(([a], [b]) => a.localeCompare(b)).map(([date, provinces]) => ({ date, provinces }));
}

function build(data: SubmissionSchedule): DocumentModelInput {
  const days = scheduleDays(data.deliveries);
  const centred = (text: string, extra: Partial<{ bold: boolean; spaceBefore: number }> = {}): BlockInput =>
    ({ type: 'paragraph', text, align: 'center', spaceBefore: 0, keepWithNext: true, ...extra });
  const blocks: BlockInput[] = [
    centred(`บัญชีกำหนดระยะเวลาการนำส่งผลงานที่เกิดจากการปฏิบัติหน้าที่ (รอบเดือน${data.round.month} ${data.round.year})`, { bold: true }),
    centred(`ระหว่างเวลา ${data.hours}`),
    centred(`ณ ${data.venue}`),
    ...(data.phone ? [centred(`โทรศัพท์ ${data.phone}`)] : []),
    {
      type: 'table', spaceBefore: 12, widths: ['1.2cm', '5.2cm', '*'], align: ['center', 'left', 'left'],
      header: [['ที่', 'วัน เดือน ปี', 'องค์กรปกครองส่วนท้องถิ่นในจังหวัด']],
      rows: days.map((d, i) => [`${i + 1}.`, deliveryDay(d.date), d.provinces.join(' ')]),
    },
  ];
  if (data.notes?.length) {
    blocks.push({ type: 'paragraph', text: 'หมายเหตุ', bold: true, align: 'left', spaceBefore: 12, keepWithNext: true });
    data.notes.forEach((n, i) => blocks.push({ type: 'paragraph', text: `${i + 1}. ${n}`, firstLineIndent: '1.5cm' }));
  }
  return { title: `บัญชีกำหนดระยะเวลาการนำส่งผลงาน รอบเดือน${data.round.month} ${data.round.year}`, page: { continuation: false }, blocks };
}

export const submissionSchedule = defineForm({
  id: 'submission-schedule',
  title: { th: 'บัญชีกำหนดระยะเวลาการนำส่งผลงาน', en: 'Delivery schedule of submitted work by province' },
  schema: submissionScheduleSchema,
  compute: (data) => ({ days: scheduleDays(data.deliveries).map((d) => ({ ...d, count: d.provinces.length })) }),
  build: (data) => build(data),
  batch: {
    row: DeliveryRow,
    columns: DELIVERY_COLUMNS,
    dateColumns: ['date'],
    groupKeys: {},
    shared: scheduleShared,
    toData: (rows, shared) => ({ ...shared, deliveries: rows }),
  },
});
