import { DocumentModel, type DocumentModelInput, type RenderOptions } from '../model/document.js';
import { prepareText } from '../model/prepareText.js';
import { renderPdf } from './pdf/renderPdf.js';
import { renderDocx } from './docx/renderDocx.js';

export type OutputFormat = 'pdf' | 'docx';

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** Validates a model, writes its digits in the requested numerals, and renders it. */
export async function renderDocument(model: DocumentModelInput, format: OutputFormat, options: RenderOptions = {}): Promise<Buffer> {
  const parsed = prepareText(DocumentModel.parse(model));
  return format === 'pdf' ? renderPdf(parsed, options) : renderDocx(parsed, options);
}
