import { getForm, buildDocument } from './forms/registry.js';
import { renderDocument, type OutputFormat } from './render/index.js';

export class UnknownFormError extends Error {
  constructor(readonly formId: string) {
    super(`unknown form: ${formId}`);
  }
}

export interface RenderedFile {
  data: Buffer;
  /** A file name for the download: the form id and, where the data has one, its reference. */
  filename: string;
}

/** The one render call behind the HTTP API, the CLI and batch jobs. */
export async function renderForm(formId: string, input: unknown, format: OutputFormat): Promise<RenderedFile> {
  const form = getForm(formId);
  if (!form) throw new UnknownFormError(formId);
  const { model, options } = buildDocument(form, input);
  const data = await renderDocument(model, format, options);
  return { data, filename: `${formId}.${format}` };
}
