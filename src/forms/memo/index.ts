import { z } from 'zod';
import { IsoDate, Required } from '../../validation.js';
import { Paragraphs, RequestOptions, Secrecy, Signer, Urgency } from '../shared.js';
import { defineForm } from '../types.js';

export const memoSchema = z.object({
  urgency: Urgency.optional(),
  secrecy: Secrecy.optional(),
  department: Required.max(500).describe('ส่วนราชการ (หน่วยงานเจ้าของเรื่อง และโทร.) / department'),
  number: Required.max(100).describe('ที่ / reference number'),
  date: IsoDate.describe('วันที่ / date'),
  subject: Required.max(1000).describe('เรื่อง / subject'),
  to: Required.max(500).describe('เรียน (ผู้รับ) / addressee'),
  body: Paragraphs.describe('ข้อความ ย่อหน้าละหนึ่งรายการ / body paragraphs'),
  closing: z.string().max(2000).optional().describe('ภาคสรุป เช่น จึงเรียนมาเพื่อโปรดพิจารณา / closing sentence'),
  signer: Signer,
  options: RequestOptions.optional(),
}).strict();

export const memo = defineForm({
  id: 'memo',
  title: { th: 'บันทึกข้อความ', en: 'Internal memo' },
  schema: memoSchema,
  template: 'memo.hbs',
});
