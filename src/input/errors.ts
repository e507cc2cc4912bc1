/**
 * A problem with the uploaded file as a whole (not one of its rows): the file
 * cannot be read, or its header lacks a column the form needs. The message is
 * in Thai with English alongside, as every error a clerk sees.
 */
export type InputFileErrorCode =
  | 'not_csv'
  | 'encoding'
  | 'csv_syntax'
  | 'encrypted'
  | 'legacy_xls'
  | 'not_xlsx'
  | 'sheet_not_found'
  | 'no_header'
  | 'missing_columns'
  | 'duplicate_columns'
  | 'unknown_mapping_key'
  | 'mapped_column_absent'
  | 'zip_too_large'
  | 'unsafe_zip'
  | 'too_many_rows'
  | 'cell_too_long'
  | 'row_too_long'
  | 'too_many_columns';

export class InputFileError extends Error {
  constructor(
    readonly code: InputFileErrorCode,
    readonly th: string,
    readonly en: string,
    /** The columns or sheets the message names, for callers that list them. */
    readonly details: string[] = [],
  ) {
    super(en);
    this.name = 'InputFileError';
  }
}

const list = (items: string[]) => items.map((i) => `"${i}"`).join(', ');
const count = (n: number) => n.toLocaleString('en-US');

export const fileErrors = {
  notCsv: () => new InputFileError('not_csv',
    'ไฟล์นี้ไม่ใช่ไฟล์ CSV หรือ Excel (.xlsx) กรุณาบันทึกเป็น CSV (UTF-8) หรือ .xlsx',
    'this file is neither CSV nor Excel (.xlsx): save it as CSV (UTF-8) or .xlsx'),
  mixedEncoding: (row: number) => new InputFileError('encoding',
    `ไฟล์ CSV ใช้การเข้ารหัสอักขระปนกัน (พบที่แถวที่ ${row}) กรุณาบันทึกใหม่เป็น CSV UTF-8`,
    `the CSV file mixes text encodings (at row ${row}): save it again as CSV UTF-8`),
  // Our own words only: csv-parse's message names its internals and options, not what a clerk should fix.
  csvSyntax: (row: number) => new InputFileError('csv_syntax',
    `รูปแบบไฟล์ CSV ไม่ถูกต้องที่แถวที่ ${row} (เช่น เครื่องหมายคำพูด " ไม่ครบคู่)`,
    `the CSV file is malformed at row ${row} (for example a quote " without its pair)`),
  encrypted: () => new InputFileError('encrypted',
    'ไฟล์ Excel นี้ตั้งรหัสผ่านไว้ กรุณาเอารหัสผ่านออกแล้วอัปโหลดใหม่',
    'this Excel file is password-protected: remove the password and upload it again'),
  legacyXls: () => new InputFileError('legacy_xls',
    'ไฟล์ Excel รุ่นเก่า (.xls) ไม่รองรับ กรุณาบันทึกเป็น .xlsx หรือ CSV',
    'old Excel files (.xls) are not supported: save it as .xlsx or CSV'),
  notXlsx: () => new InputFileError('not_xlsx',
    'ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) ที่อ่านได้ หรือไฟล์เสียหาย',
    'this file is not a readable Excel workbook (.xlsx), or it is damaged'),
  sheetNotFound: (sheet: string, sheets: string[]) => new InputFileError('sheet_not_found',
    `ไม่พบแผ่นงาน "${sheet}" ในไฟล์ (แผ่นงานที่มี: ${list(sheets)})`,
    `no sheet named "${sheet}" in the workbook (its sheets: ${list(sheets)})`, sheets),
  /** A ZIP (.xlsx) refused by src/input/zipGuard.ts: its own Thai and English say why. */
  zipTooLarge: (th: string, en: string) => new InputFileError('zip_too_large', th, en),
  unsafeZip: (th: string, en: string) => new InputFileError('unsafe_zip', th, en),
  tooManyRows: (limit: number) => new InputFileError('too_many_rows',
    `ไฟล์มีข้อมูลเกิน ${limit.toLocaleString('en-US')} แถว ซึ่งเป็นจำนวนสูงสุดที่รับได้ (SARABAN_MAX_ROWS) กรุณาแบ่งไฟล์`,
    `the file has more than ${limit.toLocaleString('en-US')} rows, the most accepted (SARABAN_MAX_ROWS): split the file`),
  /** A cell longer than SARABAN_MAX_CELL_CHARS (Excel's own limit by default); `column` counts from 1. */
  cellTooLong: (row: number, column: number, limit: number) => new InputFileError('cell_too_long',
    `แถวที่ ${row} คอลัมน์ที่ ${column} มีข้อความยาวเกิน ${count(limit)} ตัวอักษร ซึ่งเป็นความยาวสูงสุดของช่องหนึ่งช่อง (SARABAN_MAX_CELL_CHARS)`,
    `row ${row}, column ${column}: a cell longer than ${count(limit)} characters, the most one cell may hold (SARABAN_MAX_CELL_CHARS)`),
  /** A CSV record longer than SARABAN_CSV_MAX_LINE_CHARS: often a quote left open, which joins the rest of the file into one cell. */
  rowTooLong: (row: number, limit: number) => new InputFileError('row_too_long',
    `แถวที่ ${row} ของไฟล์ CSV ยาวเกิน ${count(limit)} ตัวอักษร (SARABAN_CSV_MAX_LINE_CHARS) อาจมีเครื่องหมายคำพูด " ที่ไม่ครบคู่`,
    `row ${row} of the CSV file is longer than ${count(limit)} characters (SARABAN_CSV_MAX_LINE_CHARS): perhaps a quote " without its pair`),
  /** A row read as a possible header spanning more columns than SARABAN_MAX_COLUMNS: every row below a header is read into that many cells. */
  tooManyColumns: (row: number, columns: number, limit: number) => new InputFileError('too_many_columns',
    `แถวที่ ${row} มี ${count(columns)} คอลัมน์ เกินกำหนด ${count(limit)} คอลัมน์ที่หัวตารางมีได้ (SARABAN_MAX_COLUMNS)`,
    `row ${row} spans ${count(columns)} columns, more than the ${count(limit)} a header may have (SARABAN_MAX_COLUMNS)`),
  noHeader: () => new InputFileError('no_header',
    'ไฟล์ว่าง ไม่พบแถวหัวตาราง',
    'the file is empty: no header row found'),
  /**
   * Required columns not found. With `found`, the message also names the row
   * read as the header, the columns there, the ones not recognised and the
   * accepted name nearest to each; a column literally in the header is never
   * among the missing (it was matched).
   */
  missingColumns: (thaiHeaders: string[], found?: {
    headerRow?: number; headers: string[]; unknown: { header: string; closest?: { name: string } }[]; englishNames?: string[];
  }) => {
    let th = `ไฟล์ขาดคอลัมน์ที่จำเป็น: ${list(thaiHeaders)}`;
    let en = `the file lacks required column(s): ${thaiHeaders.map((h, i) => found?.englishNames?.[i] ? `"${h}" (${found.englishNames[i]})` : `"${h}"`).join(', ')}`;
    if (found) {
      const short = (h: string) => (h.length > 60 ? `${h.slice(0, 60)}…` : h);
      const shown = found.headers.slice(0, 40).map(short);
      const where = found.headerRow !== undefined ? { th: `แถวที่ ${found.headerRow}`, en: `row ${found.headerRow}` } : { th: 'แถวแรก', en: 'the first row' };
      const more = found.headers.length > shown.length ? { th: ` และอีก ${found.headers.length - shown.length} คอลัมน์`, en: ` and ${found.headers.length - shown.length} more` } : { th: '', en: '' };
      th += ` — อ่าน${where.th} เป็นหัวตาราง พบคอลัมน์: ${list(shown)}${more.th}`;
      en += ` — ${where.en} was read as the header; its columns: ${list(shown)}${more.en}`;
      const unknown = found.unknown.slice(0, 20);
      if (unknown.length > 0) {
        th += `; คอลัมน์ที่ไม่รู้จัก: ${unknown.map((u) => `"${short(u.header)}"${u.closest ? ` (ใกล้เคียง "${u.closest.name}")` : ''}`).join(', ')}`;
        en += `; not recognised: ${unknown.map((u) => `"${short(u.header)}"${u.closest ? ` (closest accepted name: "${u.closest.name}")` : ''}`).join(', ')}`;
      }
      th += ' — แก้ชื่อหัวคอลัมน์ หรือระบุการจับคู่คอลัมน์เอง (columns / --map)';
      en += ' — rename the header, or map the columns yourself (columns / --map)';
    }
    return new InputFileError('missing_columns', th, en, thaiHeaders);
  },
  /** An explicit mapping names a key the form does not have. */
  unknownMappingKeys: (keys: string[], known: string[]) => new InputFileError('unknown_mapping_key',
    `การจับคู่คอลัมน์ระบุช่องที่แบบฟอร์มนี้ไม่มี: ${list(keys)} (ช่องที่มี: ${list(known)})`,
    `the column mapping names field(s) this form does not have: ${list(keys)} (its fields: ${list(known)})`, keys),
  /** An explicit mapping names a header the file does not have. */
  mappedColumnsAbsent: (headers: string[], found: string[], headerRow?: number) => new InputFileError('mapped_column_absent',
    `ไม่พบคอลัมน์ที่ระบุในการจับคู่: ${list(headers)} (หัวตาราง${headerRow !== undefined ? `แถวที่ ${headerRow}` : ''} มี: ${list(found.slice(0, 40))})`,
    `the column mapping names header(s) not in the file: ${list(headers)} (the header${headerRow !== undefined ? ` at row ${headerRow}` : ''} has: ${list(found.slice(0, 40))})`, headers),
  duplicateColumns: (headers: string[]) => new InputFileError('duplicate_columns',
    `คอลัมน์ซ้ำกัน ไม่ทราบว่าจะใช้คอลัมน์ใด: ${list(headers)}`,
    `columns given twice, cannot tell which to use: ${list(headers)}`, headers),
};
