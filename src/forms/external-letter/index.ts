import { z } from 'zod';
import { IsoDate, Required } from '../../validation.js';
import { Contact, Items, Paragraphs, RequestOptions, Secrecy, Signer, Urgency } from '../shared.js';
import { defineForm } from '../types.js';

export const externalLetterSchema = z.object({
  urgency: Urgency.optional(),
  secrecy: Secrecy.optional(),
  number: Required.max(100).describe('ที่ (เลขที่หนังสือ) เช่น ศธ 04009/ว 1075 / reference number'),
  office: z.array(Required.max(200)).min(1).max(5).describe('ส่วนราชการเจ้าของหนังสือและที่ตั้ง / issuing office and address'),
  date: IsoDate.describe('วันที่ (ปปปป-ดด-วว) / date, YYYY-MM-DD'),
  subject: Required.max(1000).describe('เรื่อง / subject'),
  to: Required.max(500).describe('คำขึ้นต้น: ผู้รับ (ไม่ต้องใส่ "เรียน") / addressee'),
  salutation: z.enum(['เรียน', 'กราบเรียน']).default('เรียน').describe('คำขึ้นต้น / salutation'),
  references: Items.optional().describe('อ้างถึง / references'),
  enclosures: Items.optional().describe('สิ่งที่ส่งมาด้วย / enclosures'),
  body: Paragraphs.describe('ข้อความ ย่อหน้าละหนึ่งรายการ / body paragraphs'),
  closing: Required.max(2000).describe('ภาคสรุป เช่น จึงเรียนมาเพื่อโปรดทราบ / closing sentence'),
  complimentary: z.enum(['ขอแสดงความนับถือ', 'ขอแสดงความนับถืออย่างยิ่ง']).optional().describe('คำลงท้าย / complimentary close'),
  signer: Signer,
  contact: Contact.optional(),
  copyTo: Items.optional().describe('สำเนาส่ง / copies to'),
  options: RequestOptions.optional(),
}).strict();

export const externalLetter = defineForm({
  id: 'external-letter',
  title: { th: 'หนังสือภายนอก', en: 'External letter' },
  schema: externalLetterSchema,
  template: 'external-letter.hbs',
  view: (d) => ({
    // The regulation pairs กราบเรียน with ขอแสดงความนับถืออย่างยิ่ง.
    complimentary: d.complimentary ?? (d.salutation === 'กราบเรียน' ? 'ขอแสดงความนับถืออย่างยิ่ง' : 'ขอแสดงความนับถือ'),
    referencesNumbered: (d.references?.length ?? 0) > 1,
    enclosuresNumbered: (d.enclosures?.length ?? 0) > 1,
  }),
});
