import { getForm, buildDocument, computeForm, ValidationError, UnknownFormError } from './forms/registry.js';
import { renderModel, renderModelToFile, type OutputFormat } from './render/index.js';
import type { RenderOptions } from './model/document.js';
import { emblemIsDrawable } from './render/pdf/renderPdf.js';
import { pdfArchiveDefault } from './settings.js';
import { signingConfigured } from './sign/key.js';

export { UnknownFormError };

export interface RenderedFile {
  data: Buffer;
}

/** The one render call behind the HTTP API and the CLI. */
export async function renderForm(formId: string, input: unknown, format: OutputFormat, numbering: Pick<RenderOptions, 'pagesBefore'> = {}): Promise<RenderedFile> {
  const { model, options } = await formDocument(formId, input, format);
  const data = await renderModel(model, format, { ...options, ...numbering });
  return { data };
}

/**
 * renderForm for batch jobs: straight to a file, a long list in parts (see
 * renderPdfFile). Archive and signature come with the data, as the job's
 * shared `options`; a merged PDF of such documents is archived and signed
 * whole by concatPdfs.
 */
export async function renderFormToFile(formId: string, input: unknown, format: OutputFormat, path: string, numbering: Pick<RenderOptions, 'pagesBefore'> = {}): Promise<void> {
  const { model, options } = await formDocument(formId, input, format);
  await renderModelToFile(model, format, path, { ...options, ...numbering });
}

/** The error of a request to sign when the service has no certificate, at the field's path. */
export const noCertificate = (path: string) => ({
  path,
  th: 'ระบบนี้ยังไม่ได้ตั้งใบรับรองสำหรับลงนามดิจิทัล (SARABAN_SIGN_P12) จึงลงนามไม่ได้ ให้ผู้ดูแลระบบตั้งค่า หรือส่งโดยไม่ลงนาม',
  en: 'this service has no signing certificate (SARABAN_SIGN_P12): it cannot sign; ask its administrator, or send without sign',
});

async function formDocument(formId: string, input: unknown, format: OutputFormat): Promise<ReturnType<typeof buildDocument>> {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  const built = buildDocument(form, input);
  if (built.options.emblem && !(await emblemIsDrawable(built.options.emblem))) {
    throw new ValidationError([{ path: 'options.emblem.data', th: 'ไฟล์ภาพตราเสียหายหรืออ่านไม่ได้ (SVG ต้องระบุ width และ height)', en: 'the emblem image is damaged or unreadable (an SVG needs width and height)' }]);
  }
  // Archive and signature: PDF only (a Word file stays as it is). Validated by the form's schema.
  const { options: asked, ...data } = (input ?? {}) as { options?: { archive?: 'pdf/a-3b' | 'none'; sign?: boolean }; signer?: { name?: unknown } };
  const sign = asked?.sign ?? false;
  if (sign && !signingConfigured()) throw new ValidationError([noCertificate('options.sign')]);
  const archive = (asked?.archive ?? pdfArchiveDefault()) === 'pdf/a-3b';
  if (format !== 'pdf') return built;
  built.options.sign = sign;
  if (archive) {
    built.options.archive = 'pdf/a-3b';
    const author = typeof data.signer?.name === 'string' ? data.signer.name : undefined;
    built.options.meta = { subject: form.title.th, author };
    // The data as sent (without its rendering options) and what the form computed from it, as JSON.
    built.options.attachments = [{ name: 'data.json', description: `ข้อมูลของแบบฟอร์ม ${form.id} / the form's data`, json: JSON.stringify(data, null, 1) }];
    if (built.computed !== undefined) {
      built.options.attachments.push({ name: 'data-computed.json', description: 'ค่าที่คำนวณ (คะแนน ยอดรวม) / the computed values', json: JSON.stringify(built.computed, null, 1) });
    }
  }
  return built;
}

/** A form's computed values (scores, totals, bands, checks) without rendering: the same values its document prints. */
export function computeFormValues(formId: string, input: unknown): unknown {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  return computeForm(form, input);
}
