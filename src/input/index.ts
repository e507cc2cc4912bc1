export { readRows, sniffDelimiter, cellText, type InputSource, type ReadOptions, type SheetRow, type SheetRows } from './read.js';
export { mapColumns, requiredKeys, type ColumnMapping } from './columns.js';
export { normalizeCell, normalizeHeader, parseThaiDate } from './normalize.js';
export { validateRows, type RowError, type RowResult } from './validate.js';
export { InputFileError, type InputFileErrorCode } from './errors.js';
