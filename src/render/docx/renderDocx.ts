import type { DocumentModel, RenderOptions } from '../../model/document.js';

/** Placeholder until the DOCX renderer lands (being written now). */
export async function renderDocx(_model: DocumentModel, _options: RenderOptions = {}): Promise<Buffer> {
  throw new Error('renderDocx: not implemented yet');
}
