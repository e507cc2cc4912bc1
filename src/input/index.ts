export { readRows, sniffDelimiter, cellText, type InputSource, type ReadOptions, type SheetRow, type SheetRows } from './read.js';
export { mapColumns, matchColumns, closestName, requiredKeys, type ColumnMapping, type ColumnMatch, type UnknownHeader } from './columns.js';
export { normalizeCell, normalizeHeader, headerKeys, parseThaiDate } from './normalize.js';
export { validateRows, footerReason, type RowError, type RowResult, type SkippedRow, type ValidateOptions } from './validate.js';
export { InputFileError, type InputFileErrorCode } from './errors.js';
