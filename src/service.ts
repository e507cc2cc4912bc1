import { getForm, buildDocument, computeForm, ValidationError, UnknownFormError } from './forms/registry.js';
import { renderModel, renderModelToFile, type OutputFormat } from './render/index.js';
import type { RenderOptions } from './model/document.js';
import { emblemIsDrawable } from './render/pdf/renderPdf.js';

export { UnknownFormError };

export interface RenderedFile {
  data: Buffer;
}

/** The one render call behind the HTTP API and the CLI. */
export async function renderForm(formId: string, input: unknown, format: OutputFormat, numbering: Pick<RenderOptions, 'pagesBefore'> = {}): Promise<RenderedFile> {
  const { model, options } = await formDocument(formId, input);
  const data = await renderModel(model, format, { ...options, ...numbering });
  return { data };
}

/** renderForm for batch jobs: straight to a file, a long list in parts (see renderPdfFile). */
export async function renderFormToFile(formId: string, input: unknown, format: OutputFormat, path: string, numbering: Pick<RenderOptions, 'pagesBefore'> = {}): Promise<void> {
  const { model, options } = await formDocument(formId, input);
  await renderModelToFile(model, format, path, { ...options, ...numbering });
}

async function formDocument(formId: string, input: unknown): Promise<ReturnType<typeof buildDocument>> {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  const built = buildDocument(form, input);
  if (built.options.emblem && !(await emblemIsDrawable(built.options.emblem))) {
    throw new ValidationError([{ path: 'options.emblem.data', th: 'ไฟล์ภาพตราเสียหายหรืออ่านไม่ได้ (SVG ต้องระบุ width และ height)', en: 'the emblem image is damaged or unreadable (an SVG needs width and height)' }]);
  }
  return built;
}

/** A form's computed values (scores, totals, bands, checks) without rendering: the same values its document prints. */
export function computeFormValues(formId: string, input: unknown): unknown {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  return computeForm(form, input);
}
