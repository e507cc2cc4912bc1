import { getForm, buildDocument, computeForm, ValidationError, UnknownFormError } from './forms/registry.js';
import { renderModel, type OutputFormat } from './render/index.js';
import type { RenderOptions } from './model/document.js';
import { emblemIsDrawable } from './render/pdf/renderPdf.js';

export { UnknownFormError };

export interface RenderedFile {
  data: Buffer;
  /** A file name for the download: the form id and, where the data has one, its reference. */
  filename: string;
}

/** The one render call behind the HTTP API, the CLI and batch jobs. */
export async function renderForm(formId: string, input: unknown, format: OutputFormat, numbering: Pick<RenderOptions, 'pagesBefore'> = {}): Promise<RenderedFile> {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  const { model, options } = buildDocument(form, input);
  if (options.emblem && !(await emblemIsDrawable(options.emblem))) {
    throw new ValidationError([{ path: 'options.emblem.data', th: 'ไฟล์ภาพตราเสียหายหรืออ่านไม่ได้ (SVG ต้องระบุ width และ height)', en: 'the emblem image is damaged or unreadable (an SVG needs width and height)' }]);
  }
  const data = await renderModel(model, format, { ...options, ...numbering });
  return { data, filename: `${formId}.${format}` };
}

/** A form's computed values (scores, totals, bands, checks) without rendering: the same values its document prints. */
export function computeFormValues(formId: string, input: unknown): unknown {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  return computeForm(form, input);
}
