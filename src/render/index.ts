import { DocumentModel, type DocumentModelInput, type RenderOptions } from '../model/document.js';
import { prepareText } from '../model/prepareText.js';
import { writeFile } from 'node:fs/promises';
import { renderPdf, renderPdfFile } from './pdf/renderPdf.js';
import type { OutputFormat } from './contentTypes.js';

export { CONTENT_TYPES, type OutputFormat } from './contentTypes.js';

/** Renders a validated model (a form's, from buildDocument): its text prepared once for both renderers. */
export async function renderModel(model: DocumentModel, format: OutputFormat, options: RenderOptions = {}): Promise<Buffer> {
  const prepared = prepareText(model);
  if (format === 'pdf') return renderPdf(prepared, options);
  // Loaded with the first Word file: the docx library costs every render thread of a PDF batch about 10 MB.
  const { renderDocx } = await import('./docx/renderDocx.js');
  return renderDocx(prepared, options);
}

/** Renders a validated model to a file: a long PDF is drawn in parts (renderPdfFile), so its size does not stay in memory. */
export async function renderModelToFile(model: DocumentModel, format: OutputFormat, path: string, options: RenderOptions = {}): Promise<void> {
  if (format === 'pdf') await renderPdfFile(prepareText(model), options, path);
  else await writeFile(path, await renderModel(model, format, options));
}

/** Validates a model written by hand (or by a caller's code) and renders it. */
export async function renderDocument(model: DocumentModelInput, format: OutputFormat, options: RenderOptions = {}): Promise<Buffer> {
  return renderModel(DocumentModel.parse(model), format, options);
}
