import { z } from 'zod';
import { IsoDate, Required } from '../../validation.js';
import { Paragraphs, RequestOptions, Signer } from '../shared.js';
import { defineForm } from '../types.js';

const Clause = z.object({
  text: Required.max(20_000).describe('ข้อความของข้อ (ไม่ต้องพิมพ์ "ข้อ ๑") / clause text, without its number'),
  items: z.array(Required.max(20_000)).max(100).optional().describe('ข้อย่อย ๑.๑ ๑.๒ ... / sub-clauses'),
  paragraphs: z.array(Required.max(20_000)).max(50).optional().describe('วรรคต่อจากข้อย่อย / paragraphs after the sub-clauses'),
}).strict();

const Chapter = z.object({
  title: z.string().max(500).optional().describe('ชื่อหมวด (ไม่ต้องพิมพ์ "หมวด ๑") / chapter title'),
  clauses: z.array(Clause).min(1).max(200),
}).strict();

export const announcementSchema = z.object({
  issuer: Required.max(300).describe('ส่วนราชการที่ออกประกาศ (ต่อท้ายคำว่า ประกาศ) / issuing body'),
  subject: Required.max(1000).describe('เรื่อง / subject'),
  preamble: Paragraphs.optional().describe('อารัมภบท / preamble paragraphs'),
  chapters: z.array(Chapter).min(1).max(50).describe('หมวด และข้อ; ใช้หมวดเดียวไม่มีชื่อถ้าไม่แบ่งหมวด / chapters with their clauses; one untitled chapter when there are none'),
  date: IsoDate.describe('ประกาศ ณ วันที่ / date'),
  signer: Signer,
  options: RequestOptions.optional(),
}).strict();

type Data = z.infer<typeof announcementSchema>;

/** Clauses are numbered through the whole announcement; chapters only when they have a title. */
function numbered(d: Data) {
  let clause = 0;
  let chapter = 0;
  return d.chapters.flatMap((c) => [
    ...(c.title ? [{ chapter: { number: String(++chapter), title: c.title } }] : []),
    ...c.clauses.map((cl) => {
      const n = String(++clause);
      return { clause: { number: n, text: cl.text, items: (cl.items ?? []).map((t, i) => ({ number: `${n}.${i + 1}`, text: t })), paragraphs: cl.paragraphs ?? [] } };
    }),
  ]);
}

export const announcement = defineForm({
  id: 'announcement',
  title: { th: 'ประกาศ', en: 'Announcement' },
  schema: announcementSchema,
  template: 'announcement.hbs',
  view: (d) => ({ parts: numbered(d) }),
});
