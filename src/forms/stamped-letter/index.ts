import { z } from 'zod';
import { IsoDate, Required } from '../../validation.js';
import { Contact, Items, Paragraphs, RequestOptions, Secrecy, Urgency } from '../shared.js';
import { defineForm } from '../types.js';

export const stampedLetterSchema = z.object({
  urgency: Urgency.optional(),
  secrecy: Secrecy.optional(),
  number: Required.max(100).describe('ที่ / reference number'),
  to: Required.max(1000).describe('ถึง (ผู้รับ) / addressee'),
  body: Paragraphs.describe('ข้อความ ย่อหน้าละหนึ่งรายการ / body paragraphs'),
  issuer: Required.max(300).describe('ชื่อส่วนราชการที่ส่งหนังสือ (ใต้ข้อความ ตรงตราชื่อส่วนราชการ) / issuing office, printed where the office stamp goes'),
  date: IsoDate.describe('วันที่ / date'),
  contact: Contact.optional(),
  copyTo: Items.optional(),
  options: RequestOptions.optional(),
}).strict();

export const stampedLetter = defineForm({
  id: 'stamped-letter',
  title: { th: 'หนังสือประทับตรา', en: 'Stamped letter' },
  schema: stampedLetterSchema,
  template: 'stamped-letter.hbs',
});
