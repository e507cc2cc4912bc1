import { z } from 'zod';
import { IsoDate, Required } from '../../validation.js';
import { Paragraphs, RequestOptions, Signer } from '../shared.js';
import { defineForm } from '../types.js';

export const orderSchema = z.object({
  issuer: Required.max(300).describe('ส่วนราชการที่ออกคำสั่ง (ต่อท้ายคำว่า คำสั่ง) / issuing office'),
  number: Required.max(100).describe('ที่ เช่น 123/2565 / order number'),
  subject: Required.max(1000).describe('เรื่อง / subject'),
  body: Paragraphs.describe('ข้อความ ย่อหน้าละหนึ่งรายการ / body paragraphs'),
  items: z.array(Required.max(5000)).max(200).optional().describe('รายการที่สั่ง (จะใส่เลข ๑. ๒. ให้) / numbered items ordered'),
  members: z.array(z.object({
    name: Required.max(200).describe('ชื่อ-สกุล / name'),
    position: z.string().max(300).default('').describe('ตำแหน่ง / position'),
    role: Required.max(100).describe('หน้าที่ในคณะ เช่น ประธานกรรมการ / role, e.g. ประธานกรรมการ'),
  }).strict()).max(200).optional().describe('รายชื่อคณะกรรมการ เรียงเป็นคอลัมน์ ชื่อ ตำแหน่ง หน้าที่ / committee members, set in columns'),
  afterItems: z.array(Required.max(20_000)).max(100).optional().describe('ข้อความต่อจากรายการ เช่น หน้าที่ของคณะกรรมการ / paragraphs after the items'),
  effective: z.string().max(1000).optional().describe('ทั้งนี้ ตั้งแต่... / effective clause'),
  date: IsoDate.describe('สั่ง ณ วันที่ / date'),
  signer: Signer,
  options: RequestOptions.optional(),
}).strict();

export const order = defineForm({
  id: 'order',
  title: { th: 'คำสั่ง', en: 'Order' },
  schema: orderSchema,
  template: 'order.hbs',
});
