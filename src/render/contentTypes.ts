/** Output formats and their media types, apart from the renderers: a batch's main thread names them without loading pdfmake or docx. */
export type OutputFormat = 'pdf' | 'docx';

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};
