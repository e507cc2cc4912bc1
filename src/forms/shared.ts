import { z } from 'zod';
import { Alignment } from '../model/document.js';
import { Required } from '../validation.js';
import { emblemProblem, sniffImage } from '../render/emblem.js';

/** The emblem text last found fit: a batch validates the same options for every document. */
let fitEmblem: string | undefined;

/**
 * An emblem too large to decode (more pixels than SARABAN_IMAGE_MAX_PIXELS,
 * or a PNG that unpacks past its size) is refused here, from its header, by
 * every path that renders: each form's data passes this schema first. Its
 * type is told when the options are read (src/forms/registry.ts).
 */
function emblemFits(base64: string, ctx: z.RefinementCtx): void {
  if (base64 === fitEmblem) return;
  const data = Buffer.from(base64, 'base64');
  const type = sniffImage(data);
  const problem = type && emblemProblem({ type, data });
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem.th} / ${problem.en}` });
  else fitEmblem = base64;
}

/** What any request may ask of the rendering, whatever the form. */
export const RequestOptions = z.object({
  numerals: z.enum(['thai', 'arabic']).optional().describe('ตัวเลขไทย (ค่าเริ่มต้น) หรือตัวเลขอารบิก / Thai (default) or Arabic digits'),
  font: z.string().max(100).optional().describe('ชื่อฟอนต์ในโฟลเดอร์ fonts/ / a font family installed in fonts/'),
  align: Alignment.optional().describe('การจัดย่อหน้าเนื้อความ / alignment of body paragraphs'),
  emblem: z.object({
    data: z.string().min(1).max(4_000_000).superRefine(emblemFits)
      .describe('ภาพตราครุฑ base64 (PNG, JPEG หรือ SVG) ขนาดไม่เกิน SARABAN_IMAGE_MAX_PIXELS (ค่าเริ่มต้น 4 ล้านจุด) / emblem image, base64, of at most SARABAN_IMAGE_MAX_PIXELS pixels (default 4 million)'),
  }).optional(),
  archive: z.enum(['pdf/a-3b', 'none']).optional()
    .describe('PDF/A-3b สำหรับเก็บถาวร พร้อมแนบข้อมูลของแบบฟอร์มเป็น JSON ในไฟล์ (ค่าเริ่มต้น SARABAN_PDF_ARCHIVE) / PDF/A-3b for archives, with the form data embedded as JSON (default: SARABAN_PDF_ARCHIVE)'),
  sign: z.boolean().optional()
    .describe('ลงนามดิจิทัลด้วยใบรับรองของหน่วยงาน (ต้องตั้ง SARABAN_SIGN_P12) / sign with the service certificate (needs SARABAN_SIGN_P12)'),
}).strict();
export type RequestOptions = z.infer<typeof RequestOptions>;

export const Urgency = z.enum(['ด่วน', 'ด่วนมาก', 'ด่วนที่สุด']).describe('ชั้นความเร็ว / urgency');
export const Secrecy = z.enum(['ลับ', 'ลับมาก', 'ลับที่สุด']).describe('ชั้นความลับ / secrecy');

export const Signer = z.object({
  name: Required.max(200).describe('ชื่อผู้ลงนาม (ไม่ต้องใส่วงเล็บ) / signer name, without brackets'),
  positions: z.array(Required.max(300)).min(1).max(6).describe('ตำแหน่ง บรรทัดละหนึ่งรายการ / position lines'),
  onBehalf: z.array(Required.max(300)).max(6).optional().describe('บรรทัดปฏิบัติราชการแทน / acting-for lines'),
}).strict();

export const Contact = z.object({
  division: z.array(Required.max(300)).min(1).max(4).describe('ส่วนราชการเจ้าของเรื่อง / owning division'),
  phone: z.string().max(100).optional().describe('โทร.'),
  fax: z.string().max(100).optional().describe('โทรสาร'),
  email: z.string().max(200).optional().describe('ไปรษณีย์อิเล็กทรอนิกส์'),
  coordinator: z.string().max(200).optional().describe('ผู้ประสานงาน'),
}).strict();

export const Paragraphs = z.array(Required.max(20_000)).min(1).max(500);
export const Items = z.array(Required.max(2_000)).max(100);
