import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import {
  readRows, validateRows, mapColumns, normalizeCell, normalizeHeader, parseThaiDate, sniffDelimiter, InputFileError,
  type SheetRow, type SheetRows, type RowResult,
} from '../src/input/index.js';
import { IsoDate, Required } from '../src/validation.js';
import { applicantRecords, writeCsv, writeXlsx, THAI_HEADERS, ENGLISH_HEADERS } from '../scripts/generate-province.js';

const dir = mkdtempSync(join(tmpdir(), 'saraban-input-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in for the applicant forms' batch spec: the same canonical keys and
// seed headers, a schema small enough to read here.
const Row = z.object({
  province: Required,
  authority: Required,
  name: Required,
  salary: z.string().regex(/^\d+(\.\d{1,2})?$/, 'เงินเดือนต้องเป็นตัวเลข / salary must be a number'),
  age: z.coerce.number().int().min(18).max(80),
  rankRequested: z.enum(['ชำนาญการพิเศษ', 'เชี่ยวชาญ']),
  works: z.string().transform((w) => w.split('\n')),
  submitted: IsoDate.optional(),
}).strict();
const spec = {
  row: Row,
  columns: {
    province: ['จังหวัด', 'province'],
    authority: ['อบจ./เทศบาล/อบต.', 'local authority'],
    name: ['ชื่อ - สกุล', 'ชื่อ-สกุล', 'name'],
    salary: ['เงินเดือน', 'salary'],
    age: ['อายุ', 'age'],
    rankRequested: ['ระดับวิทยฐานะที่เสนอขอ', 'rank requested'],
    works: ['เรื่อง/วิชา/ชั้นเรียน', 'works'],
    submitted: ['วันที่ส่ง', 'submitted'],
  },
  dateColumns: ['submitted'],
};
type Result = RowResult<z.infer<typeof Row>>;

const HEADER = ['ที่', 'จังหวัด', 'อบจ./เทศบาล/อบต.', 'ชื่อ - สกุล', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะที่เสนอขอ', 'เรื่อง/วิชา/ชั้นเรียน', 'วันที่ส่ง'];
const ROWS = [
  ['๑', 'ชัยนาท', 'ทม.ชัยนาท', 'นายมุ่งมั่น ขยันสอน', '๒๐๙๖๐', '๕๖', 'ชำนาญการพิเศษ', '1. แบบฝึกทักษะคณิตศาสตร์ เรื่อง การบวกการลบ\n2. คู่มือการใช้แบบฝึก, ชั้น ป.๓', '17/02/2565'],
  ['2', 'ชัยนาท', 'อบต.ท่าชัย', 'นางสาวสมสวย\u00a0รอบคอบ', '25440.50', '47', 'เชี่ยวชาญ', 'รายงานการวิจัย "รูปแบบ" การพัฒนา', '17 ก.พ. 2565'],
];

function csv(rows: string[][], delimiter = ','): string {
  const field = (t: string) => (/[",;\t\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t);
  return rows.map((r) => r.map(field).join(delimiter)).join('\r\n') + '\r\n';
}

function fixture(name: string, content: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function collect(rows: AsyncIterable<SheetRow>): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function validate(source: SheetRows): Promise<Result[]> {
  const out: Result[] = [];
  for await (const r of validateRows(source, spec)) out.push(r);
  return out;
}

async function fileError(promise: Promise<unknown>): Promise<InputFileError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof InputFileError) return e;
    throw e;
  }
  throw new Error('expected an InputFileError');
}

const EXPECTED = [
  { ok: true, row: 2, value: { province: 'ชัยนาท', authority: 'ทม.ชัยนาท', name: 'นายมุ่งมั่น ขยันสอน', salary: '20960', age: 56, rankRequested: 'ชำนาญการพิเศษ',
    works: ['1. แบบฝึกทักษะคณิตศาสตร์ เรื่อง การบวกการลบ', '2. คู่มือการใช้แบบฝึก, ชั้น ป.3'], submitted: '2022-02-17' } },
  { ok: true, row: 3, value: { province: 'ชัยนาท', authority: 'อบต.ท่าชัย', name: 'นางสาวสมสวย รอบคอบ', salary: '25440.50', age: 47, rankRequested: 'เชี่ยวชาญ',
    works: ['รายงานการวิจัย "รูปแบบ" การพัฒนา'], submitted: '2022-02-17' } },
];

describe('CSV files', () => {
  it('reads UTF-8 with a BOM: Thai digits, quoted cells with commas, quotes and new lines, dates to ISO', async () => {
    const path = fixture('bom.csv', '\ufeff' + csv([HEADER, ...ROWS]));
    const source = await readRows({ path }, { filename: 'bom.csv' });
    expect(source).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 1, headers: HEADER });
    expect(await validate(source)).toEqual(EXPECTED);
  });

  it('reads Windows-874 (TIS-620) text, told from invalid UTF-8, to the same values', async () => {
    const bytes = iconv.encode(csv([HEADER, ...ROWS]), 'windows874');
    expect(new TextDecoder().decode(bytes)).toContain('\ufffd');
    const source = await readRows({ data: bytes });
    expect(source.encoding).toBe('windows-874');
    expect(await validate(source)).toEqual(EXPECTED);
  });

  it('reads UTF-16 "Unicode text" from Excel, tab-separated', async () => {
    const text = csv([HEADER, ...ROWS], '\t');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const source = await readRows({ data: bytes });
    expect(source).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' });
    expect(await validate(source)).toEqual(EXPECTED);
  });

  it('sniffs a semicolon delimiter (European Excel) even when the cells hold commas', async () => {
    const path = fixture('semicolon.csv', csv([HEADER, ...ROWS], ';'));
    const source = await readRows({ path });
    expect(source.delimiter).toBe(';');
    expect(await validate(source)).toEqual(EXPECTED);
    expect(sniffDelimiter('"a,b";c;d\n1,2,3,4,5')).toBe(';');
    expect(sniffDelimiter('a\tb\tc')).toBe('\t');
    expect(sniffDelimiter('\n\nจังหวัด,ชื่อ;x')).toBe(',');
  });

  it('numbers rows as Excel shows them: a cell with new lines is one row, empty rows are skipped but counted', async () => {
    const text = csv([HEADER, ROWS[0]!]) + '\r\n,,,\r\n' + csv([ROWS[1]!]);
    const rows = await collect((await readRows({ data: Buffer.from(text) })).rows);
    expect(rows.map((r) => r.row)).toEqual([2, 5]);
    expect(rows[0]!.cells['เรื่อง/วิชา/ชั้นเรียน']).toBe('1. แบบฝึกทักษะคณิตศาสตร์ เรื่อง การบวกการลบ\n2. คู่มือการใช้แบบฝึก, ชั้น ป.๓');
  });

  it('reports bad rows with their row number, the column header as written and a Thai and English message', async () => {
    const header = ['จังหวัด', 'อบจ./เทศบาล/อบต.', 'ชื่อ-สกุล', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะ ที่เสนอขอ', 'เรื่อง/วิชา/ชั้นเรียน', 'วันที่ส่ง', 'หมายเหตุ'];
    const text = csv([header,
      ['ชัยนาท', 'ทม.ชัยนาท', 'นายก', '20960', '56', 'ชำนาญการพิเศษ', 'ก', '', 'ignored column'],
      ['ชัยนาท', '', 'นายข', '20,960', '๑๒๐', 'ชำนาญการ', 'ข', '31/02/2565', ''],
    ]);
    const results = await validate(await readRows({ data: Buffer.from(text) }));
    expect(results[0]).toMatchObject({ ok: true, row: 2 });
    expect(results[0]!.ok && results[0]!.value.submitted).toBeUndefined();
    const bad = results[1]!;
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => [e.row, e.column, e.key])).toEqual([
      [3, 'อบจ./เทศบาล/อบต.', 'authority'],
      [3, 'เงินเดือน', 'salary'],
      [3, 'อายุ', 'age'],
      [3, 'ระดับวิทยฐานะ ที่เสนอขอ', 'rankRequested'],
      [3, 'วันที่ส่ง', 'submitted'],
    ]);
    // Each message says what was written (nothing, for an empty cell) and whose row it is.
    expect(bad.errors[0]).toMatchObject({ th: 'ต้องกรอกข้อมูลนี้ — แถวของ นายข', en: 'this field is required — the row of นายข', name: 'นายข' });
    expect(bad.errors[1]).toMatchObject({ th: 'เงินเดือนต้องเป็นตัวเลข (กรอกไว้ "20,960") — แถวของ นายข', en: 'salary must be a number (given "20,960") — the row of นายข', value: '20,960' });
    expect(bad.errors[2]).toMatchObject({ th: 'ต้องไม่เกิน 80 (กรอกไว้ "120") — แถวของ นายข', en: 'must be at most 80 (given "120") — the row of นายข', value: '120' });
    expect(bad.errors[4]!.th).toContain('วันที่ไม่ถูกต้อง');
  });

  it('reads English headers, in any case and spacing', async () => {
    const text = csv([['Province', 'LOCAL  AUTHORITY', 'Name', 'Salary', 'Age', 'Rank Requested', 'Works'], ['ลำปาง', 'ทน.ลำปาง', 'นายค', '30000', '40', 'เชี่ยวชาญ', 'ค']]);
    const [result] = await validate(await readRows({ data: Buffer.from(text) }));
    expect(result).toMatchObject({ ok: true, row: 2, value: { province: 'ลำปาง', authority: 'ทน.ลำปาง', age: 40 } });
  });

  it('refuses a required column missing from the header, naming it in Thai, before reading any row', async () => {
    const text = csv([['จังหวัด', 'ชื่อ - สกุล', 'เงินเดือน', 'อายุ', 'เรื่อง/วิชา/ชั้นเรียน'], ['ชัยนาท', 'นายก', '1', '40', 'ก']]);
    const error = await fileError(validate(await readRows({ data: Buffer.from(text) })));
    expect(error.code).toBe('missing_columns');
    expect(error.details).toEqual(['อบจ./เทศบาล/อบต.', 'ระดับวิทยฐานะที่เสนอขอ']);
    expect(error.th).toMatch(/^ไฟล์ขาดคอลัมน์ที่จำเป็น: "อบจ\.\/เทศบาล\/อบต\.", "ระดับวิทยฐานะที่เสนอขอ" — อ่านแถวที่ 1 เป็นหัวตาราง พบคอลัมน์: "จังหวัด"/);
    expect(error.en).toContain('lacks required column');
  });

  it('closes the file when the header lacks a column, without the rows being read', async () => {
    const { readdirSync } = await import('node:fs');
    const openFiles = () => readdirSync('/proc/self/fd').length;
    const path = fixture('short.csv', csv([['จังหวัด'], ...Array.from({ length: 200_000 }, () => ['ชัยนาท'])]));
    const before = openFiles();
    const source = await readRows({ path });
    expect(openFiles()).toBe(before + 1);
    expect((await fileError(validate(source))).code).toBe('missing_columns');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBe(before);
  });

  it('stops at a byte that is not UTF-8 after the first megabyte, naming the row, rather than writing U+FFFD into the data', async () => {
    const line = 'ชัยนาท,ทม.ชัยนาท,นายก,20960,56,ชำนาญการพิเศษ,ก\r\n';
    const rows = Math.ceil((1.2 * 2 ** 20) / Buffer.byteLength(line));
    const head = Buffer.from('จังหวัด,อบจ./เทศบาล/อบต.,ชื่อ - สกุล,เงินเดือน,อายุ,ระดับวิทยฐานะที่เสนอขอ,เรื่อง/วิชา/ชั้นเรียน\r\n' + line.repeat(rows));
    const data = Buffer.concat([head, iconv.encode(line, 'windows874')]);
    const results: Result[] = [];
    const error = await fileError((async () => { for await (const r of validateRows(await readRows({ data }), spec)) results.push(r); })());
    expect(error).toMatchObject({ code: 'encoding' });
    // Every row before the bad one was read and valid.
    expect(results).toHaveLength(rows);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(error.th).toContain(`แถวที่ ${rows + 2}`);
  });

  it('refuses files that are not text or a workbook, and an empty file', async () => {
    expect((await fileError(readRows({ data: Buffer.from('%PDF-1.7\n%\xe2\xe3') }))).code).toBe('not_csv');
    expect((await fileError(readRows({ data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) }))).code).toBe('not_csv');
    expect((await fileError(readRows({ data: Buffer.from('a,b\0c') }))).code).toBe('not_csv');
    expect((await fileError(readRows({ data: Buffer.from('\ufeff\r\n , \r\n') }))).code).toBe('no_header');
    // The name only says what the clerk meant: a text file named .xlsx is not read as CSV.
    expect((await fileError(readRows({ data: Buffer.from('a,b') }, { filename: 'list.xlsx' }))).code).toBe('not_xlsx');
    // ... while an ".xls" that government systems export as tab-separated text is read as text.
    const tsv = await readRows({ data: Buffer.from('จังหวัด\tอายุ\r\nแพร่\t40\r\n') }, { filename: 'export.xls' });
    expect(await collect(tsv.rows)).toEqual([{ row: 2, cells: { จังหวัด: 'แพร่', อายุ: '40' } }]);
  });

  it('finds the header below the title rows an export opens with, when told what a header holds', async () => {
    const titled = csv([['แบบสรุปรายชื่อผู้ยื่นคำขอ'], ['รอบเดือนเมษายน 2569', '', 'จังหวัด'], [], HEADER, ...ROWS]);
    const isHeader = (texts: string[]) => texts.includes('จังหวัด') && texts.includes('ชื่อ - สกุล');
    const source = await readRows({ data: Buffer.from(titled) }, { isHeader });
    expect(source.headerRow).toBe(4);
    expect(source.headers).toEqual(HEADER);
    expect(await validate(source)).toEqual(EXPECTED.map((e) => ({ ...e, row: e.row + 3 })));
    // No row qualifies: the first non-empty row is the header, and every later row is data.
    const plain = await readRows({ data: Buffer.from(titled) }, { isHeader: () => false });
    expect(plain.headerRow).toBe(1);
    expect((await collect(plain.rows)).map((r) => r.row)).toEqual([2, 4, 5, 6]);
  });

  it('reads a header written on two rows: names merged down, names under a group title, names wrapped into two cells', async () => {
    const names = new Set(Object.entries(spec.columns).flatMap(([k, list]) => [k, ...list].map(normalizeHeader)));
    const options = {
      isHeader: (texts: string[]) => { try { mapColumns(texts, spec.columns, ['province', 'name', 'rankRequested']); return true; } catch { return false; } },
      isColumnName: (text: string) => names.has(normalizeHeader(text)),
    };
    const upper = ['ที่', 'ข้อมูลผู้ขอ', '', '', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะ', 'เรื่อง/วิชา/ชั้นเรียน', 'วันที่ส่ง'];
    const lower = ['', 'จังหวัด', 'อบจ./เทศบาล/อบต.', 'ชื่อ - สกุล', '', '', 'ที่เสนอขอ', '', ''];
    const source = await readRows({ data: Buffer.from(csv([['แบบสรุปรายชื่อ'], upper, lower, ...ROWS])) }, options);
    expect(source.headerRow).toBe(3);
    expect(source.headers).toEqual(['ที่', 'จังหวัด', 'อบจ./เทศบาล/อบต.', 'ชื่อ - สกุล', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะ ที่เสนอขอ', 'เรื่อง/วิชา/ชั้นเรียน', 'วันที่ส่ง']);
    expect(await validate(source)).toEqual(EXPECTED.map((e) => ({ ...e, row: e.row + 2 })));
    // Without knowing the columns' names, the two rows are not read as one: the first row is the header.
    const plain = await readRows({ data: Buffer.from(csv([['แบบสรุปรายชื่อ'], upper, lower, ...ROWS])) }, { isHeader: options.isHeader });
    expect(plain.headerRow).toBe(1);
  });

  it('takes rows under the header that only number its columns, or only name more of them, as header too', async () => {
    const names = new Set(Object.entries(spec.columns).flatMap(([k, list]) => [k, ...list].map(normalizeHeader)));
    const options = {
      isHeader: (texts: string[]) => { try { mapColumns(texts, spec.columns, ['province', 'authority', 'name', 'salary', 'age', 'rankRequested', 'works']); return true; } catch { return false; } },
      isColumnName: (text: string) => names.has(normalizeHeader(text)),
    };
    // Official forms number their columns under the header: (1) (2) (3) = (1) x 15%.
    const numbers = HEADER.map((_, i) => (i === 4 ? '(๕) = (๔) x 12' : `(${i + 1})`));
    const numbered = await readRows({ data: Buffer.from(csv([HEADER, numbers, ...ROWS])) }, options);
    expect(numbered.headers).toEqual(HEADER);
    expect(await validate(numbered)).toEqual(EXPECTED.map((e) => ({ ...e, row: e.row + 1 })));
    // The upper row names every column the form needs; the lower one names an optional column under a group title.
    const upper = [...HEADER.slice(0, -1), 'การส่งผลงาน'];
    const lower = [...HEADER.slice(0, -1).map(() => ''), 'วันที่ส่ง'];
    const twoRows = await readRows({ data: Buffer.from(csv([upper, lower, ...ROWS])) }, options);
    expect(twoRows.headerRow).toBe(2);
    expect(twoRows.headers).toEqual(HEADER);
    expect(await validate(twoRows)).toEqual(EXPECTED.map((e) => ({ ...e, row: e.row + 1 })));
    // A data row is never taken for header: the first applicant stays a row.
    const plain = await readRows({ data: Buffer.from(csv([HEADER, ...ROWS])) }, options);
    expect(await validate(plain)).toEqual(EXPECTED);
  });

  it('reports an unterminated quote with the row it opens in', async () => {
    const error = await fileError((async () => collect((await readRows({ data: Buffer.from('a,b\r\n1,2\r\n1,"2\r\n3,4\r\n') })).rows))());
    expect(error.code).toBe('csv_syntax');
    expect(error.th).toContain('แถวที่ 3');
  });
});

describe('XLSX files', () => {
  async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    build(wb);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  const applicants = (wb: ExcelJS.Workbook, name: string) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(HEADER);
    ws.addRow([1, 'ชัยนาท', 'ทม.ชัยนาท', 'นายมุ่งมั่น ขยันสอน', 20960, 56, 'ชำนาญการพิเศษ', '1. แบบฝึกทักษะคณิตศาสตร์ เรื่อง การบวกการลบ\n2. คู่มือการใช้แบบฝึก, ชั้น ป.๓', new Date(Date.UTC(2022, 1, 17))]);
    ws.getCell('I2').numFmt = 'd/m/yyyy';
    ws.addRow([]);
    ws.addRow([
      '๒',
      { richText: [{ text: 'ชัย', font: { bold: true } }, { text: 'นาท' }] },
      'อบต.ท่าชัย',
      'นางสาวสมสวย\u00a0รอบคอบ',
      { formula: 'E2+4480.5', result: 25440.5 },
      '๔๗',
      'เชี่ยวชาญ',
      'รายงานการวิจัย "รูปแบบ" การพัฒนา',
      '17 กุมภาพันธ์ พ.ศ. ๒๕๖๕',
    ]);
    return ws;
  };

  it('reads number, date, rich-text, formula and Thai-digit cells of the first sheet; empty rows keep the numbering', async () => {
    const data = await workbook((wb) => { applicants(wb, 'ผู้ขอรับการประเมิน'); wb.addWorksheet('อื่น').addRow(['x']); });
    const path = fixture('applicants.xlsx', data);
    const source = await readRows({ path }, { filename: 'applicants.xlsx' });
    expect(source).toMatchObject({ format: 'xlsx', sheet: 'ผู้ขอรับการประเมิน', headerRow: 1, headers: HEADER });
    const results = await validate(source);
    expect(results).toEqual([EXPECTED[0], { ...EXPECTED[1], row: 4, value: { ...EXPECTED[1]!.value, salary: '25440.5' } }]);
  });

  it('reads a named sheet, and lists the sheets when the name is not there', async () => {
    const data = await workbook((wb) => {
      wb.addWorksheet('คำชี้แจง').addRow(['กรอกข้อมูลในแผ่นงานถัดไป']);
      applicants(wb, 'ข้อมูล');
    });
    const source = await readRows({ data }, { sheet: 'ข้อมูล' });
    expect(source.sheet).toBe('ข้อมูล');
    expect((await validate(source)).map((r) => [r.row, r.ok])).toEqual([[2, true], [4, true]]);
    const error = await fileError(readRows({ data }, { sheet: 'ชีต 3' }));
    expect(error.code).toBe('sheet_not_found');
    expect(error.details).toEqual(['คำชี้แจง', 'ข้อมูล']);
    expect(error.th).toContain('ไม่พบแผ่นงาน "ชีต 3"');
  });

  it('finds the header below empty rows and gives rows their sheet numbers', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('s');
      ws.getCell('A3').value = 'จังหวัด';
      ws.getCell('B3').value = 'อายุ';
      ws.getCell('A7').value = 'แพร่';
      ws.getCell('B7').value = 0.1 + 0.2;
    });
    const source = await readRows({ data });
    expect(source.headerRow).toBe(3);
    expect(await collect(source.rows)).toEqual([{ row: 7, cells: { จังหวัด: 'แพร่', อายุ: '0.3' } }]);
  });

  it('reads a two-row header of merged cells as the workbook shows it', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('s');
      ws.addRow(['แบบสรุปรายชื่อผู้ยื่นคำขอ จังหวัดชัยนาท']);
      ws.mergeCells('A1:I1');
      ws.addRow(['ที่', 'ข้อมูลผู้ขอ', '', '', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะที่เสนอขอ', 'เรื่อง/วิชา/ชั้นเรียน', 'วันที่ส่ง']);
      ws.addRow(['', 'จังหวัด', 'อบจ./เทศบาล/อบต.', 'ชื่อ - สกุล']);
      ws.mergeCells('B2:D2');
      for (const col of ['A', 'E', 'F', 'G', 'H', 'I']) ws.mergeCells(`${col}2:${col}3`);
      ws.addRow(['1', 'ชัยนาท', 'ทม.ชัยนาท', 'นายมุ่งมั่น ขยันสอน', 20960, 56, 'ชำนาญการพิเศษ', 'แบบฝึกทักษะ', '']);
    });
    const names = new Set(Object.entries(spec.columns).flatMap(([k, list]) => [k, ...list].map(normalizeHeader)));
    const source = await readRows({ data }, {
      isHeader: (texts) => { try { mapColumns(texts, spec.columns, ['province', 'name', 'salary']); return true; } catch { return false; } },
      isColumnName: (text) => names.has(normalizeHeader(text)),
    });
    expect(source.headerRow).toBe(3);
    expect(await collect(source.rows)).toEqual([{ row: 4, cells: {
      'ที่': '1', 'จังหวัด': 'ชัยนาท', 'อบจ./เทศบาล/อบต.': 'ทม.ชัยนาท', 'ชื่อ - สกุล': 'นายมุ่งมั่น ขยันสอน', 'เงินเดือน': '20960', 'อายุ': '56',
      'ระดับวิทยฐานะที่เสนอขอ': 'ชำนาญการพิเศษ', 'เรื่อง/วิชา/ชั้นเรียน': 'แบบฝึกทักษะ', 'วันที่ส่ง': '',
    } }]);
  });

  it('recognises an encrypted workbook and an old .xls by their compound-file wrapper', async () => {
    const ole = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    const encrypted = Buffer.concat([ole, Buffer.from('EncryptionInfo\0EncryptedPackage', 'utf16le')]);
    expect((await fileError(readRows({ path: fixture('locked.xlsx', encrypted) }))).code).toBe('encrypted');
    const xls = Buffer.concat([ole, Buffer.from('Workbook', 'utf16le')]);
    expect((await fileError(readRows({ data: xls }, { filename: 'old.xls' }))).code).toBe('legacy_xls');
    expect((await fileError(readRows({ data: Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200)]) }))).code).toBe('not_xlsx');
  });

  it('refuses a required column missing from a workbook', async () => {
    const data = await workbook((wb) => wb.addWorksheet('s').addRow(['จังหวัด', 'ชื่อ - สกุล']));
    const error = await fileError(validate(await readRows({ data })));
    expect(error.details).toEqual(['อบจ./เทศบาล/อบต.', 'เงินเดือน', 'อายุ', 'ระดับวิทยฐานะที่เสนอขอ', 'เรื่อง/วิชา/ชั้นเรียน']);
  });
});

describe('cells and headers', () => {
  it('writes every date form a clerk types as ISO, a year of 2400 or more being Buddhist era', () => {
    for (const text of ['17/02/2565', '17/2/2022', '17-02-2565', '17.02.2565', '17 ก.พ. 2565', '17 กพ 2565', '17 กุมภาพันธ์ 2565',
      '๑๗ กุมภาพันธ์ พ.ศ. ๒๕๖๕', 'วันที่ 17 กุมภาพันธ์ 2565', '2565-02-17', '2022-02-17', '17 Feb 2022', '44609']) {
      expect(normalizeCell(text, { date: true }), text).toBe('2022-02-17');
    }
    expect(parseThaiDate('29/02/2563')).toBe('2020-02-29');
    expect(parseThaiDate('29/02/2564')).toBeNull();
    expect(parseThaiDate('31 เมษายน 2565')).toBeNull();
    expect(parseThaiDate('17/02/65')).toBeNull();
    expect(parseThaiDate('17 กุมภา 2565')).toBeNull();
    expect(normalizeCell('31/02/2565', { date: true })).toBe('31/02/2565');
    // Not a date column: the text stays as typed.
    expect(normalizeCell('17/02/2565')).toBe('17/02/2565');
  });

  it('turns Thai digits to Arabic, no-break and repeated spaces to one space, trims every line', () => {
    expect(normalizeCell('\u00a0 ๒๐,๙๖๐\u200b ')).toBe('20,960');
    expect(normalizeCell('  นาย\u00a0\u00a0สมชาย   ใจดี ')).toBe('นาย สมชาย ใจดี');
    expect(normalizeCell('\r\n๑. เรื่อง ก  \r\n  ๒. เรื่อง ข\r\n')).toBe('1. เรื่อง ก\n2. เรื่อง ข');
  });

  it('maps headers whatever their spacing, line breaks and case; ignores unknown ones; refuses one column given twice', () => {
    expect(mapColumns(['ที่', 'ชื่อ-สกุล', 'ระดับวิทยฐานะ\nที่เสนอขอ', 'เงินเดือน*', 'หมายเหตุ'], spec.columns, ['name', 'rankRequested', 'salary']))
      .toEqual({ name: 'ชื่อ-สกุล', rankRequested: 'ระดับวิทยฐานะ\nที่เสนอขอ', salary: 'เงินเดือน*' });
    let error: unknown;
    try { mapColumns(['ชื่อ - สกุล', 'Name'], spec.columns, []); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(InputFileError);
    expect(error).toMatchObject({ code: 'duplicate_columns', details: ['ชื่อ - สกุล', 'Name'] });
  });
});

describe('province generator', () => {
  const records = (seed: number, rows = 300) => [...applicantRecords({ province: 'แพร่', rows, seed })];

  it('is deterministic by seed and keeps its values in the stated ranges', () => {
    const a = records(7);
    expect(records(7)).toEqual(a);
    expect(records(8)).not.toEqual(a);
    expect(a.map((r) => r.no)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    for (const r of a) {
      expect(r.age).toBeGreaterThanOrEqual(30);
      expect(r.age).toBeLessThanOrEqual(59);
      expect(r.salary).toMatch(/^\d{5}(\.\d\d)?$/);
      expect(Number(r.salary)).toBeGreaterThanOrEqual(24_000);
      expect(Number(r.salary)).toBeLessThanOrEqual(69_040);
      expect(r.authority).toMatch(/^(อบจ\.แพร่|ทม\.แพร่|ทต\.|อบต\.)/);
      const works = r.works.split('\n');
      expect(works.length).toBeLessThanOrEqual(3);
      if (works.length > 1) expect(works.map((w) => w.slice(0, 3))).toEqual(works.map((_, i) => `${i + 1}. `));
    }
    // Rows go authority by authority, as a province compiles its list.
    const order = a.map((r) => r.authority).filter((x, i, all) => i === 0 || all[i - 1] !== x);
    expect(new Set(order).size).toBe(order.length);
  });

  it('writes a CSV and an XLSX that read back to the same cells, Thai intact across exceljs chunk boundaries', async () => {
    const rows = records(11, 3000);
    const csvPath = join(dir, 'gen.csv');
    const xlsxPath = join(dir, 'gen.xlsx');
    await writeCsv(csvPath, THAI_HEADERS, rows);
    await writeXlsx(xlsxPath, ENGLISH_HEADERS, rows);
    expect(readFileSync(csvPath).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const fromCsv = await collect((await readRows({ path: csvPath })).rows);
    const xlsx = await readRows({ path: xlsxPath });
    expect(xlsx.headers).toEqual(ENGLISH_HEADERS);
    const fromXlsx = await collect(xlsx.rows);
    expect(fromCsv).toHaveLength(3000);
    // A salary typed 47270.00 in the CSV is the number 47270 in the workbook.
    const cellsOf = (r: SheetRow, headers: string[]) => headers.map((h, i) => (i === 6 ? String(Number(r.cells[h])) : normalizeCell(r.cells[h]!)));
    const mismatched = fromXlsx.filter((r, i) => JSON.stringify(cellsOf(r, ENGLISH_HEADERS)) !== JSON.stringify(cellsOf(fromCsv[i]!, THAI_HEADERS)));
    expect(mismatched.slice(0, 2)).toEqual([]);
    expect(fromXlsx.some((r) => Object.values(r.cells).some((c) => c.includes('\ufffd')))).toBe(false);
    expect(fromCsv.map((r) => normalizeCell(r.cells['เรื่อง/วิชา/ชั้นเรียน']!))).toEqual(rows.map((r) => r.works));
  });

  it('ships examples/batch: the same 30 applicants as CSV UTF-8 with a BOM and as XLSX', async () => {
    const base = new URL('../examples/batch/', import.meta.url).pathname;
    const csvRows = await collect((await readRows({ path: join(base, 'applicants-chainat.csv') })).rows);
    const xlsxRows = await collect((await readRows({ path: join(base, 'applicants-chainat.xlsx') })).rows);
    expect(readFileSync(join(base, 'applicants-chainat.csv')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csvRows).toHaveLength(30);
    const norm = (r: SheetRow) => Object.fromEntries(Object.entries(r.cells).map(([k, v]) => [k, k === 'เงินเดือน' ? String(Number(v)) : normalizeCell(v)]));
    expect(xlsxRows.map(norm)).toEqual(csvRows.map(norm));
    expect(csvRows.every((r) => r.cells['จังหวัด'] === 'ชัยนาท')).toBe(true);
  });
});

describe('header matching and footer rows (issue 17)', () => {
  it('compares headers by letters and digits only, and looks them up again without a column number or a unit in brackets', async () => {
    const { headerKeys, footerReason } = await import('../src/input/index.js');
    expect(new Set(['ชื่อ – สกุล', 'ชื่อ—สกุล', 'ชื่อ‐สกุล', 'ชื่อ - สกุล', 'ชื่อ สกุล', 'ชื่อ\nสกุล', 'ชื่อ/สกุล'].map(normalizeHeader))).toEqual(new Set(['ชื่อสกุล']));
    expect(normalizeHeader('อปท.')).toBe(normalizeHeader('อปท'));
    expect(normalizeHeader('Rank  Requested*')).toBe('rankrequested');
    expect(normalizeHeader('คะแนนครั้งที่ ๑')).toBe('คะแนนครั้งที่1');
    expect(headerKeys('เงินเดือน (บาท)')).toEqual(['เงินเดือนบาท', 'เงินเดือน']);
    expect(headerKeys('(2) จังหวัด')).toEqual(['2จังหวัด', 'จังหวัด']);
    expect(headerKeys('(1)')).toEqual(['1']);
    // Footer rows: told by their words or by having only numbers and no name; a person's row is never one.
    expect(footerReason(['', 'รวม 300 ราย', ''], undefined)?.en).toContain('totals row');
    expect(footerReason(['รวมทั้งสิ้น', '', '12,000'], undefined)?.en).toContain('totals row');
    expect(footerReason(['', '', '211,320', '45'], undefined)?.en).toContain('only numbers');
    expect(footerReason(['ลงชื่อ ................ ผู้รายงาน'], undefined)?.en).toContain('footer');
    expect(footerReason(['เทศบาลเมืองชัยนาท'], undefined)?.en).toContain('heading');
    expect(footerReason(['ชัยนาท', 'นายรวม ใจดี', '35220'], 'นายรวม ใจดี')).toBeUndefined();
    expect(footerReason(['', '', '35220'], 'นายก')).toBeUndefined();
  });
});
