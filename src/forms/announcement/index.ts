import { z } from 'zod';
import { IsoDate, Required } from '../../validation.js';
import { Paragraphs, RequestOptions, Signer } from '../shared.js';
import { defineForm } from '../types.js';

type ItemInput = string | { text: string; items?: ItemInput[]; paragraphs?: string[] };

/** A sub-clause (๔.๑, ๘.๑.๑ ...): text, or text with its own sub-clauses and paragraphs. */
const Item: z.ZodType<ItemInput> = z.lazy(() => z.union([
  Required.max(20_000),
  z.object({
    text: Required.max(20_000),
    items: z.array(Item).max(100).optional(),
    paragraphs: z.array(Required.max(20_000)).max(50).optional().describe('วรรคต่อจากข้อย่อยนี้ / paragraphs after this sub-clause'),
  }).strict(),
]));

const Clause = z.object({
  text: Required.max(20_000).describe('ข้อความของข้อ (ไม่ต้องพิมพ์ "ข้อ ๑") / clause text, without its number'),
  paragraphsBeforeItems: z.array(Required.max(20_000)).max(50).optional().describe('วรรคก่อนข้อย่อย / paragraphs between the clause text and its sub-clauses'),
  items: z.array(Item).max(100).optional().describe('ข้อย่อย ๑.๑ ๑.๒ ... / sub-clauses'),
  paragraphs: z.array(Required.max(20_000)).max(50).optional().describe('วรรคต่อจากข้อย่อย / paragraphs after the sub-clauses'),
}).strict();

const Chapter = z.object({
  title: z.string().max(500).optional().describe('ชื่อหมวด (ไม่ต้องพิมพ์ "หมวด ๑") / chapter title'),
  numbered: z.boolean().optional().describe('false สำหรับหัวข้อที่ไม่มีเลขหมวด เช่น บทเฉพาะกาล / false for an unnumbered section such as บทเฉพาะกาล'),
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

interface Line { text: string; indent: string; heading?: boolean }

const indentOf = (depth: number) => `${(2.5 + 0.75 * depth).toFixed(2)}cm`;

function items(list: ItemInput[] | undefined, prefix: string, depth: number): Line[] {
  return (list ?? []).flatMap((item, i) => {
    const number = `${prefix}.${i + 1}`;
    const it = typeof item === 'string' ? { text: item } : item;
    return [
      { text: `${number} ${it.text}`, indent: indentOf(depth) },
      ...items(it.items, number, depth + 1),
      ...(it.paragraphs ?? []).map((p) => ({ text: p, indent: indentOf(depth) })),
    ];
  });
}

/** Clauses are numbered through the whole announcement; chapters only when they have a title and are not marked unnumbered. */
function lines(d: Data): { chapter?: { label?: string; title: string }; line?: Line }[] {
  let clause = 0;
  let chapter = 0;
  return d.chapters.flatMap((c) => [
    ...(c.title ? [{ chapter: { label: c.numbered === false ? undefined : `หมวด ${++chapter}`, title: c.title } }] : []),
    ...c.clauses.flatMap((cl) => {
      const n = String(++clause);
      return [
        { line: { text: `ข้อ ${n} ${cl.text}`, indent: indentOf(0) } },
        ...(cl.paragraphsBeforeItems ?? []).map((p) => ({ line: { text: p, indent: indentOf(0) } })),
        ...items(cl.items, n, 0).map((line) => ({ line })),
        ...(cl.paragraphs ?? []).map((p) => ({ line: { text: p, indent: indentOf(0) } })),
      ];
    }),
  ]);
}

export const announcement = defineForm({
  id: 'announcement',
  title: { th: 'ประกาศ', en: 'Announcement' },
  schema: announcementSchema,
  template: 'announcement.hbs',
  view: (d) => ({ parts: lines(d) }),
});
