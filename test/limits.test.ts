import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, deflateRawSync, deflateSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { Inflate, strToU8, zipSync } from 'fflate';
import { computeForm, getForm, inputJsonSchema, listForms } from '../src/forms/registry.js';
import { PROJECT_ROOT } from '../src/fonts/registry.js';
import { ValidationError, type FieldError } from '../src/validation.js';
import { NumberInputError } from '../src/arith/decimal.js';
import { formatNumber } from '../src/thai/number.js';
import { bahtText, thaiNumberText } from '../src/thai/baht.js';
import { readRows, InputFileError } from '../src/input/index.js';
import { verifyZip, ZipGuardError } from '../src/input/zipGuard.js';
import { checkEmblem, emblemProblem, prepareEmblem } from '../src/render/emblem.js';
import { DocxTemplateError, fillDocx, fillXml, mergeBudget, placeholdersOf, readDocx } from '../src/docxmerge/merge.js';

/**
 * Input limits at the edges (issue 15, "no request can stop the service"):
 * every field, number and file is bounded before any work proportional to
 * its size is done, and each refusal names the field and the limit.
 */

// ---------------------------------------------------------------- schemas

type Schema = { [key: string]: unknown };

/** A pattern that by itself bounds a string: anchored at both ends, with no unbounded repetition. */
const boundingPattern = (pattern: unknown) => typeof pattern === 'string' && pattern.startsWith('^') && pattern.endsWith('$') && !/[*+]|\{\d+,\}/.test(pattern.replace(/\\./g, ''));

/**
 * Where a form's JSON Schema lets an input grow without bound: a string
 * without maxLength (or an enum, const or bounding pattern), a number without
 * both ends, an array without maxItems, a record without a bound on its keys,
 * or a value of any type. Follows $ref, recursive ones once.
 */
function unbounded(root: Schema): string[] {
  const found: string[] = [];
  const seen = new Set<Schema>();
  const resolve = (ref: string): Schema => {
    if (ref === '#') return root;
    const name = /^#\/\$defs\/(.+)$/.exec(ref)?.[1];
    const target = name === undefined ? undefined : (root.$defs as Record<string, Schema> | undefined)?.[name];
    if (!target) throw new Error(`unresolved $ref ${ref}`);
    return target;
  };
  const walk = (s: Schema | boolean | undefined, path: string): void => {
    if (s === undefined || s === false) return;
    if (s === true) { found.push(`${path}: any value`); return; }
    if (seen.has(s)) return;
    seen.add(s);
    if (typeof s.$ref === 'string') walk(resolve(s.$ref), path);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const sub of (s[key] as Schema[] | undefined) ?? []) walk(sub, path);
    const types = s.type === undefined ? [] : ([] as string[]).concat(s.type as string | string[]);
    const fixed = s.enum !== undefined || s.const !== undefined;
    if (types.length === 0 && !fixed && !s.$ref && !s.anyOf && !s.oneOf && !s.allOf) found.push(`${path}: any value (${JSON.stringify(s).slice(0, 80)})`);
    if (fixed) return;
    if (types.includes('string') && s.maxLength === undefined && !boundingPattern(s.pattern)) found.push(`${path}: string without maxLength`);
    if ((types.includes('number') || types.includes('integer'))
      && ((s.maximum === undefined && s.exclusiveMaximum === undefined) || (s.minimum === undefined && s.exclusiveMinimum === undefined))) {
      found.push(`${path}: number without minimum and maximum`);
    }
    if (types.includes('array')) {
      if (s.maxItems === undefined && !(s.prefixItems && s.items === false)) found.push(`${path}: array without maxItems`);
      walk(s.items as Schema | undefined, `${path}[]`);
      (s.prefixItems as Schema[] | undefined)?.forEach((item, i) => walk(item, `${path}[${i}]`));
    }
    if (types.includes('object')) {
      for (const [key, value] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) walk(value, `${path}.${key}`);
      const extra = s.additionalProperties;
      // Absent: zod drops unknown keys unread. false: refused. A schema: a record, whose keys must be bounded too.
      if (extra === true || (typeof extra === 'object' && extra !== null)) {
        const names = s.propertyNames as Schema | undefined;
        const fewKeys = s.maxProperties !== undefined || names?.enum !== undefined || names?.const !== undefined;
        if (!fewKeys) found.push(`${path}: record without maxProperties or a fixed set of keys`);
        if (names?.enum === undefined && names?.maxLength === undefined) found.push(`${path}: record keys without maxLength`);
        walk(extra as Schema | boolean, `${path}.*`);
      }
    }
  };
  walk(root, '');
  return found;
}

describe('form schemas', () => {
  it('bound every string, number, array and record of every form', () => {
    const gaps = listForms().flatMap((form) => unbounded(inputJsonSchema(form) as Schema).map((gap) => `${form.id}${gap}`));
    expect(gaps).toEqual([]);
  });

  it('find a gap in a schema that leaves one (the walker itself)', () => {
    const schema: Schema = {
      type: 'object',
      properties: {
        ok: { type: 'string', maxLength: 5 },
        code: { type: 'string', pattern: '^\\d{1,7}$' },
        free: { type: 'string', pattern: '^\\d+$' },
        n: { type: 'number', minimum: 0 },
        list: { type: 'array', items: { $ref: '#/$defs/Node' } },
        rates: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
      },
      $defs: { Node: { type: 'object', properties: { children: { type: 'array', maxItems: 3, items: { $ref: '#/$defs/Node' } } } } },
    };
    expect(unbounded(schema)).toEqual([
      '.free: string without maxLength',
      '.n: number without minimum and maximum',
      '.list: array without maxItems',
      '.rates: record without maxProperties or a fixed set of keys',
      '.rates: record keys without maxLength',
    ]);
  });

  it('still accept every shipped example', () => {
    const examples = join(PROJECT_ROOT, 'examples');
    const refused: string[] = [];
    for (const id of readdirSync(examples)) {
      const form = getForm(id);
      if (!form) continue;
      for (const file of readdirSync(join(examples, id)).filter((f) => f.endsWith('.json') && f !== 'shared.json')) {
        const parsed = form.schema.safeParse(JSON.parse(readFileSync(join(examples, id, file), 'utf8')));
        if (!parsed.success) refused.push(`${id}/${file}: ${parsed.error.message.slice(0, 300)}`);
      }
    }
    expect(refused).toEqual([]);
  });
});

// ---------------------------------------------------------------- helpers

/** Runs `fn` and checks it returned or threw within `ms`: a bound on the work a hostile input costs. */
function fast<T>(fn: () => T, ms = 1000): T {
  const start = performance.now();
  try {
    return fn();
  } finally {
    expect(performance.now() - start, 'took too long').toBeLessThan(ms);
  }
}
async function fastAsync<T>(fn: () => Promise<T>, ms = 1000): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    expect(performance.now() - start, 'took too long').toBeLessThan(ms);
  }
}

/** The error `fn` throws (failing when it throws none). */
function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (error) { return error; }
  throw new Error('expected a refusal');
}
async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try { await promise; } catch (error) { return error; }
  throw new Error('expected a refusal');
}

/** The field errors of a refused value, the refusal checked to be a ValidationError. */
function fieldErrorsOf(fn: () => unknown): FieldError[] {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).errors;
}

/** Runs with environment settings changed, restoring them after. */
async function withEnv<T>(settings: Record<string, string>, fn: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(settings).map((k) => [k, process.env[k]]));
  Object.assign(process.env, settings);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

const example = (form: string, file: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, 'examples', form, file), 'utf8')) as Record<string, unknown>;
const compute = (formId: string, data: unknown) => computeForm(getForm(formId)!, data);

// ---------------------------------------------------------------- form fields

describe('decimal fields', () => {
  const summary = example('applicant-summary', 'kanchanaburi-april-2558.json');
  const withSalary = (salary: unknown) => {
    const applicants = structuredClone(summary.applicants) as Record<string, unknown>[];
    applicants[0]!.salary = salary;
    return { ...summary, applicants };
  };

  it('refuse a salary of 160,000 digits at once, naming the field and the limit', () => {
    const errors = fast(() => fieldErrorsOf(() => compute('applicant-summary', withSalary('9'.repeat(160_000)))), 200);
    expect(errors).toEqual([expect.objectContaining({ path: 'applicants[0].salary', en: expect.stringContaining('at most 15 before the decimal point') })]);
    expect(errors[0]!.th).toContain('15 หลัก');
  });

  it('take 15 digits before the point and refuse 16, leading zeros not counted', () => {
    expect(() => compute('applicant-summary', withSalary('999,999,999,999,999'))).not.toThrow();
    expect(() => compute('applicant-summary', withSalary('0000999999999999999.50'))).not.toThrow();
    expect(() => compute('applicant-summary', withSalary(999_999_999_999_999))).not.toThrow();
    for (const salary of ['1000000000000000', 1e15]) {
      expect(fieldErrorsOf(() => compute('applicant-summary', withSalary(salary)))[0]!.en).toContain('at most 15 before the decimal point');
    }
    // Past the text length no digit is read; a negative number keeps the form's own message.
    expect(fieldErrorsOf(() => compute('applicant-summary', withSalary('1'.repeat(65))))[0]!.en).toContain('longer than 64 characters');
    expect(fieldErrorsOf(() => compute('applicant-summary', withSalary(-5)))[0]!.en).toContain('salary must be a number');
  });

  it('take 6 decimals where a field names no places, and refuse 7', () => {
    const evaluation = example('esa-director-evaluation', 'expert-round1-2565.json');
    const withSalary6 = (salary: string) => ({ ...evaluation, evaluee: { ...(evaluation.evaluee as object), salary } });
    expect(() => compute('esa-director-evaluation', withSalary6('69040.123456'))).not.toThrow();
    expect(fieldErrorsOf(() => compute('esa-director-evaluation', withSalary6('69040.1234567')))).toEqual([
      expect.objectContaining({ path: 'evaluee.salary', en: expect.stringContaining('and 6 after it') }),
    ]);
  });
});

describe('other fields', () => {
  const summary = example('applicant-summary', 'kanchanaburi-april-2558.json');
  const withApplicant = (fields: Record<string, unknown>) => {
    const applicants = structuredClone(summary.applicants) as Record<string, unknown>[];
    Object.assign(applicants[0]!, fields);
    return { ...summary, applicants };
  };

  it('bound a date at 40 characters', () => {
    expect(() => compute('applicant-summary', { ...summary, date: '2565-02-17'.padStart(25).padEnd(40) })).not.toThrow();
    const errors = fast(() => fieldErrorsOf(() => compute('applicant-summary', { ...summary, date: '2565-02-17' + ' '.repeat(1_000_000) })));
    expect(errors).toEqual([expect.objectContaining({ path: 'date', en: expect.stringContaining('at most 40 characters') })]);
  });

  it('bound the works of an applicant, as a list and as one text', () => {
    const works = Array.from({ length: 20 }, (_, i) => `ผลงานที่ ${i + 1}`);
    expect(() => compute('applicant-summary', withApplicant({ works }))).not.toThrow();
    expect(fieldErrorsOf(() => compute('applicant-summary', withApplicant({ works: [...works, 'เกิน'] })))).toEqual([
      expect.objectContaining({ path: 'applicants[0].works', en: expect.stringContaining('at most 20 works') }),
    ]);
    const errors = fast(() => fieldErrorsOf(() => compute('applicant-summary', withApplicant({ works: Array(1_000_000).fill('ก') }))));
    expect(errors[0]!.en).toContain('at most 20 works');
    expect(fieldErrorsOf(() => compute('applicant-summary', withApplicant({ works: 'ก'.repeat(30_000) })))[0]!.en).toContain('at most 1000 characters');
  });

  it('name a few of 100,000 unknown keys, not all of them', () => {
    const fees = example('applicant-fees', 'kanchanaburi-april-2558.json');
    const rates = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`rank${i}`, '1000']));
    const errors = fieldErrorsOf(() => compute('applicant-fees', { ...fees, rates }));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('rates');
    expect(errors[0]!.en).toContain('rank9 and 99990 more');
    expect(errors[0]!.en.length + errors[0]!.th.length).toBeLessThan(500);
  });
});

// ---------------------------------------------------------------- number helpers

describe('formatNumber and bahtText', () => {
  const refusal = (fn: () => unknown) => {
    const error = thrown(fn);
    expect(error).toBeInstanceOf(NumberInputError);
    expect(error).toBeInstanceOf(ValidationError);
    return (error as NumberInputError).errors[0]!;
  };

  it('refuse an exponent of 900 million at once, before a digit is written', () => {
    const error = fast(() => refusal(() => formatNumber('1e900000000')), 100);
    expect(error).toEqual({ path: '(template)', th: expect.stringContaining('21 หลัก'), en: expect.stringContaining('at most 21 digits before the decimal point') });
    expect(fast(() => refusal(() => bahtText('1e900000000')), 100).en).toContain('at most 21 digits');
    expect(fast(() => refusal(() => formatNumber('-1e900000000')), 100).en).toContain('at most 21 digits');
  });

  it('refuse 999,999,999 decimals, and a value of a billion decimals of its own', () => {
    expect(fast(() => refusal(() => formatNumber(1, { decimals: 999_999_999 })), 100).en).toBe('decimals must be 0 to 10 (got "999999999")');
    expect(fast(() => refusal(() => formatNumber('1e-900000000')), 100).en).toContain('more than 20 decimals');
    // Asked for two decimals, a tiny value prints as zero: no digit of it is written.
    expect(formatNumber('1e-900000000', { decimals: 2 })).toBe('๐.๐๐');
  });

  it('take the limits themselves and refuse one past them', () => {
    expect(formatNumber('9'.repeat(21), { numerals: 'arabic' })).toBe('999,999,999,999,999,999,999');
    expect(refusal(() => formatNumber('1' + '0'.repeat(21))).en).toContain('at most 21 digits');
    expect(formatNumber('1.5', { decimals: 10, numerals: 'arabic' })).toBe('1.5000000000');
    for (const decimals of [11, -1, 1.5, Number.NaN]) expect(refusal(() => formatNumber(1, { decimals })).en).toContain('decimals must be 0 to 10');
    expect(formatNumber(`0.${'1'.repeat(20)}`, { numerals: 'arabic' })).toBe(`0.${'1'.repeat(20)}`);
    expect(refusal(() => formatNumber('1'.repeat(101))).en).toContain('longer than 100 characters');
    for (const value of ['Infinity', 'NaN', 'สิบ', '']) expect(refusal(() => formatNumber(value)).en).toContain('is not a number');
    expect(bahtText('1' + '0'.repeat(20))).toBe('หนึ่งร้อยล้านล้านล้านบาทถ้วน');
    expect(refusal(() => bahtText('-0.50')).en).toBe('baht text of a negative amount');
  });

  it('name the field the caller gives', () => {
    expect(refusal(() => formatNumber('1e30', { path: 'rows[2].amount' })).path).toBe('rows[2].amount');
    expect(refusal(() => bahtText('1e30', { path: 'amount' })).path).toBe('amount');
  });

  it('group thousands and read millions in one pass over the digits', () => {
    expect(formatNumber('123456789012345678901.25', { numerals: 'arabic' })).toBe('123,456,789,012,345,678,901.25');
    expect(formatNumber('-1234', { numerals: 'arabic' })).toBe('-1,234');
    expect(formatNumber('123', { numerals: 'arabic' })).toBe('123');
    expect(thaiNumberText(10n ** 12n)).toBe('หนึ่งล้านล้าน');
    expect(thaiNumberText(2_000_001n)).toBe('สองล้านเอ็ด');
    expect(thaiNumberText(21_000_011_000_000n)).toBe('ยี่สิบเอ็ดล้านสิบเอ็ดล้าน');
    const huge = fast(() => thaiNumberText(10n ** 60_000n + 1n));
    expect(huge.startsWith('หนึ่งล้าน')).toBe(true);
    expect(huge.endsWith('ล้านเอ็ด')).toBe(true);
  });
});

// ---------------------------------------------------------------- mail merge

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const docxOf = (body: string) => zipSync({
  '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
  'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`),
});
const paragraph = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;

describe('mail merge', () => {
  it('answers {{formatNumber amount}} of "1e900000000" with an error naming the row field and the limit', () => {
    const { errors } = fast(() => fillXml(paragraph('{{formatNumber amount}} and {{bahtText amount}}'), { amount: '1e900000000' }, 'rows[2]'), 200);
    expect(errors).toEqual([
      { path: 'rows[2].amount', th: expect.stringContaining('21 หลัก'), en: '{{formatNumber amount}}: the number "1e900000000" is too large: at most 21 digits before the decimal point' },
      { path: 'rows[2].amount', th: expect.stringContaining('21 หลัก'), en: '{{bahtText amount}}: the number "1e900000000" is too large: at most 21 digits before the decimal point' },
    ]);
    const error = fast(() => thrown(() => fillDocx(readDocx(docxOf(paragraph('{{formatNumber amount 999999999}}'))), { amount: '5' }, 'data[0]')), 200);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([expect.objectContaining({ path: 'data[0].amount', en: expect.stringContaining('decimals must be 0 to 10') })]);
  });

  it('quotes a long value short in its error', () => {
    const { errors } = fillXml(paragraph('{{thaiDate d}}'), { d: 'x'.repeat(30_000) }, 'rows[2]');
    expect(errors[0]!.en.length).toBeLessThan(100);
  });

  it('reads templates built to make its patterns backtrack in time linear in their size', () => {
    // "{{" and a run of spaces: the old placeholder pattern took 6 minutes on 10,000.
    expect(fast(() => fillXml(paragraph(`{{${' '.repeat(1_000_000)}x`), {})).found).toBe(0);
    // Tags never closed: read to the end at each one, they were quadratic.
    expect(fast(() => fillXml(`<w:body>${'<w:p <w:t '.repeat(200_000)}</w:body>`, {})).found).toBe(0);
    // Many runs and many placeholders in one paragraph.
    const runs = Array.from({ length: 20_000 }, (_, i) => `<w:r><w:t>{{a}}${i}</w:t></w:r>`).join('');
    const filled = fast(() => fillXml(`<w:p>${runs}</w:p>`, { a: 'ก' }));
    expect(filled.found).toBe(20_000);
    expect(filled.xml).toContain('<w:t xml:space="preserve">ก19999</w:t>');
    // A character reference past Unicode stays as written.
    expect(placeholdersOf(readDocx(docxOf(paragraph('&#99999999; {{name}}'))))).toEqual(['name']);
  });

  it('checks rows x template size against SARABAN_MERGE_MAX_BYTES before filling, and gives each document its share', async () => {
    await withEnv({ SARABAN_MERGE_MAX_BYTES: String(1_000_000) }, () => {
      expect(mergeBudget(400_000, 2)).toBe(500_000);
      const error = thrown(() => mergeBudget(400_000, 3));
      expect(error).toBeInstanceOf(DocxTemplateError);
      expect(error).toMatchObject({ status: 413, code: 'merge_too_large' });
      expect((error as DocxTemplateError).message).toBe('3 rows x a template of 0.4 MB unpacked is more than 1 MB, the most one merge writes (SARABAN_MERGE_MAX_BYTES): split the data into merges of at most 2 rows');
    });
  });

  it('stops filling a document whose values would grow it past its share', () => {
    const parts = readDocx(docxOf(paragraph('{{x}}'.repeat(1000))));
    const error = fast(() => thrown(() => fillDocx(parts, { x: 'ก'.repeat(100_000) }, 'rows[3]', { maxBytes: 1_000_000 })), 500);
    expect(error).toBeInstanceOf(DocxTemplateError);
    expect(error).toMatchObject({ status: 413, code: 'merge_too_large' });
    expect((error as Error).message).toContain('the filled document of rows[3] would be larger than 1 MB');
    expect(() => fillDocx(parts, { x: 'ก'.repeat(100) }, 'rows[3]', { maxBytes: 1_000_000 })).not.toThrow();
  });
});

// ---------------------------------------------------------------- CSV

async function readAll(data: Buffer): Promise<{ row: number; cells: Record<string, string> }[]> {
  const sheet = await readRows({ data });
  const rows = [];
  for await (const row of sheet.rows) rows.push(row);
  return rows;
}

async function fileRefusal(promise: Promise<unknown>): Promise<InputFileError> {
  const error = await rejected(promise);
  expect(error).toBeInstanceOf(InputFileError);
  return error as InputFileError;
}

describe('CSV limits', () => {
  it('refuses a quoted cell of 10 million quotes at its first megabyte, naming the row and the limit', async () => {
    const data = Buffer.from(`name,note\nก,"${'""'.repeat(5_000_000)}"\n`);
    const error = await fastAsync(() => fileRefusal(readAll(data)));
    expect(error.code).toBe('row_too_long');
    expect(error.en).toBe('row 2 of the CSV file is longer than 1,048,576 characters (SARABAN_CSV_MAX_LINE_CHARS): perhaps a quote " without its pair');
  });

  it('refuses a quote never closed, and a line of 10 million characters without a quote, as fast', async () => {
    let error = await fastAsync(() => fileRefusal(readAll(Buffer.from(`name,note\nก,"${'x'.repeat(10_000_000)}\n`))));
    expect(error.code).toBe('row_too_long');
    error = await fastAsync(() => fileRefusal(readAll(Buffer.from(`name,note\nก,${'x'.repeat(10_000_000)}\n`))));
    expect(error.code).toBe('row_too_long');
  });

  it('takes a cell of 32,767 characters, Excel\'s own limit, and refuses one more, naming the row and column', async () => {
    const rows = await readAll(Buffer.from(`name,note\nก,"${'ข'.repeat(32_767)}"\n`));
    expect(rows[0]!.cells.note).toHaveLength(32_767);
    const error = await fileRefusal(readAll(Buffer.from(`name,note\nก,ข\nค,"${'ข'.repeat(32_768)}"\n`)));
    expect(error.code).toBe('cell_too_long');
    expect(error.en).toBe('row 3, column 2: a cell longer than 32,767 characters, the most one cell may hold (SARABAN_MAX_CELL_CHARS)');
    expect(error.th).toContain('แถวที่ 3 คอลัมน์ที่ 2');
  });

  it('holds a line to SARABAN_CSV_MAX_LINE_CHARS, its line break not counted, in both parsers', async () => {
    await withEnv({ SARABAN_CSV_MAX_LINE_CHARS: '1000' }, async () => {
      const line = (n: number) => `ก,${'x'.repeat(n - 2)}`;
      expect(await readAll(Buffer.from(`a,b\r\n${line(1000)}\r\n`))).toHaveLength(1);
      expect((await fileRefusal(readAll(Buffer.from(`a,b\r\n${line(1001)}\r\n`)))).code).toBe('row_too_long');
      // Line ends that change: csv-parse reads this file (a carriage return joins its cell), with max_record_size.
      const error = await fileRefusal(readAll(Buffer.from(`a,b\n${line(500)}\r\n${line(3000)}\r\n`)));
      expect(error.code).toBe('row_too_long');
      expect(error.en).toContain('row 3 of the CSV file is longer than 1,000 characters');
    });
  });

  it('refuses a header of more than 1,000 columns before reading a row under it', async () => {
    const header = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    expect(await readAll(Buffer.from(`${header(1000)}\nx\n`))).toHaveLength(1);
    // 16,384 names over 20,000 rows of one cell took 42 s, each row read into 16,384 cells.
    const error = await fastAsync(() => fileRefusal(readAll(Buffer.from(`${header(16_384)}\n${'a\n'.repeat(20_000)}`))));
    expect(error.code).toBe('too_many_columns');
    expect(error.en).toBe('row 1 spans 16,384 columns, more than the 1,000 a header may have (SARABAN_MAX_COLUMNS)');
    // Trailing empty cells are no columns; a name past column 1,000 is.
    expect(await readAll(Buffer.from(`a,b${','.repeat(1_000_000)}\nx,y\n`))).toEqual([{ row: 2, cells: { a: 'x', b: 'y' } }]);
    expect((await fileRefusal(readAll(Buffer.from(`a${','.repeat(1000)}b\nx\n`)))).code).toBe('too_many_columns');
  });
});

// ---------------------------------------------------------------- XLSX

/** A little-endian record: [offset, width in bytes, value] for each field set, zeros elsewhere. */
function record(size: number, fields: [number, 2 | 4, number][]): Buffer {
  const out = Buffer.alloc(size);
  for (const [at, width, value] of fields) if (width === 2) out.writeUInt16LE(value, at); else out.writeUInt32LE(value, at);
  return out;
}

/** A ZIP written entry by entry, with the size each entry declares (local header and directory) given apart from its data. */
function zipOf(entries: { name: string; packed: Uint8Array; method: 0 | 8; declared: number }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = record(30, [[0, 4, 0x04034b50], [4, 2, 20], [8, 2, e.method], [18, 4, e.packed.length], [22, 4, e.declared], [26, 2, name.length]]);
    const dir = record(46, [[0, 4, 0x02014b50], [4, 2, 20], [6, 2, 20], [10, 2, e.method], [20, 4, e.packed.length], [24, 4, e.declared], [28, 2, name.length], [42, 4, offset]]);
    locals.push(local, name, Buffer.from(e.packed));
    central.push(dir, name);
    offset += 30 + name.length + e.packed.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = record(22, [[0, 4, 0x06054b50], [8, 2, entries.length], [10, 2, entries.length], [12, 4, dirBytes.length], [16, 4, offset]]);
  return Buffer.concat([...locals, dirBytes, end]);
}

/**
 * Raw deflate of `megabytes` MB of spaces in about 1 KB a megabyte: one
 * megabyte's blocks, ended byte-aligned by a sync flush, repeated (every
 * back-reference reads spaces whichever copy it is in), then a final empty block.
 */
function spacesDeflated(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20, 0x20), { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array<Buffer>(megabytes).fill(block), deflateRawSync(Buffer.alloc(0))]);
}

const deflated = (text: string) => ({ packed: deflateRawSync(Buffer.from(text)), method: 8 as const, declared: Buffer.byteLength(text) });
const workbookParts = [
  { name: 'xl/_rels/workbook.xml.rels', ...deflated('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
  { name: 'xl/workbook.xml', ...deflated('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>') },
  { name: 'xl/worksheets/sheet1.xml', ...deflated('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>') },
];

describe('XLSX limits', () => {
  it('refuses a workbook whose sharedStrings.xml declares 100 KB and inflates to 300 MB, having inflated about 100 KB', async () => {
    const bomb = spacesDeflated(300);
    // The bomb is real: inflated for the test, in slices, counted and dropped.
    let inflated = 0;
    const count = new Inflate((chunk) => { inflated += chunk.length; });
    for (let i = 0; i < bomb.length; i += 65_536) count.push(bomb.subarray(i, i + 65_536), i + 65_536 >= bomb.length);
    expect(inflated).toBe(300 * 2 ** 20);

    const data = zipOf([...workbookParts, { name: 'xl/sharedStrings.xml', packed: bomb, method: 8, declared: 100_000 }]);
    const rss = process.memoryUsage().rss;
    const error = await fastAsync(() => fileRefusal(readRows({ data }, { filename: 'bomb.xlsx' })), 500);
    expect(error.code).toBe('zip_too_large');
    expect(error.en).toBe('a ZIP entry unpacks to more than its declared size: refused');
    expect(process.memoryUsage().rss - rss).toBeLessThan(100 * 2 ** 20);
  });

  it('refuses a bomb of honest sizes past a lowered SARABAN_ZIP_MAX_UNPACKED_BYTES from its directory', async () => {
    await withEnv({ SARABAN_ZIP_MAX_UNPACKED_BYTES: String(50 * 2 ** 20), SARABAN_ZIP_MAX_RATIO: '100000' }, async () => {
      const data = zipOf([...workbookParts, { name: 'xl/sharedStrings.xml', packed: spacesDeflated(64), method: 8, declared: 64 * 2 ** 20 }]);
      const error = await fastAsync(() => fileRefusal(readRows({ data })), 200);
      expect(error.code).toBe('zip_too_large');
      expect(error.en).toBe('the ZIP file would unpack to more than 50 MB');
    });
  });

  it('verifyZip inflates each entry to its declared size exactly, no further', () => {
    // Under 1 MiB, where the directory's ratio check does not look.
    const packed = deflateRawSync(Buffer.alloc(1_000_000, 0x20));
    const ok = zipOf([{ name: 'a.xml', packed, method: 8, declared: 1_000_000 }]);
    expect(verifyZip(ok).map((e) => [e.name, e.size])).toEqual([['a.xml', 1_000_000]]);
    const over = zipOf([{ name: 'a.xml', packed, method: 8, declared: 999_999 }]);
    expect(thrown(() => verifyZip(over))).toMatchObject({ reason: 'too_large' });
    const short = zipOf([{ name: 'a.xml', packed, method: 8, declared: 1_000_001 }]);
    expect(thrown(() => verifyZip(short))).toMatchObject({ reason: 'damaged' });
    // Entries not wanted are not inflated.
    expect(verifyZip(over, undefined, (name) => name !== 'a.xml')).toEqual([]);
    expect(thrown(() => verifyZip(over))).toBeInstanceOf(ZipGuardError);
  });

  it('leaves no temporary file behind when the reading stops early', async () => {
    const ours = () => readdirSync(tmpdir()).filter((f) => f.startsWith(`tmp-${process.pid}-`)).length;
    // exceljs writes the sheets before sharedStrings.xml: its reader spools such sheets to temporary files.
    const workbook = new ExcelJS.Workbook();
    for (const name of ['first', 'second', 'third']) {
      const sheet = workbook.addWorksheet(name);
      sheet.addRow(['ชื่อ', 'หมายเหตุ']);
      for (let i = 0; i < 50; i++) sheet.addRow([`คนที่ ${i}`, 'ข้อความ']);
    }
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = ours();
    const sheet = await readRows({ data }, { sheet: 'second' });
    for await (const row of sheet.rows) { expect(row.cells['ชื่อ']).toBe('คนที่ 0'); break; }
    await sheet.close();
    await expect(fileRefusal(readRows({ data }, { sheet: 'none' }))).resolves.toMatchObject({ code: 'sheet_not_found' });
    expect(ours()).toBe(before);
  });

  it('refuses a workbook cell longer than SARABAN_MAX_CELL_CHARS', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('s').addRows([['ชื่อ', 'หมายเหตุ'], ['ก', 'ข'.repeat(40_000)]]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer());
    const error = await fileRefusal(readAll(data));
    expect(error.code).toBe('cell_too_long');
    expect(error.en).toContain('row 2, column 2');
  });
});

// ---------------------------------------------------------------- emblem

/** A PNG's signature and IHDR claiming a size (CRC not computed: nothing here decodes it), then `idat` and IEND. */
function pngHeader(width: number, height: number, options: { interlaced?: boolean; idat?: Buffer } = {}): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // depth
  ihdr[9] = 6; // RGBA
  ihdr[12] = options.interlaced ? 1 : 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr),
    ...(options.idat ? [chunk('IDAT', options.idat)] : []), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG's start and a baseline frame header (SOF0) claiming a size. */
function jpegHeader(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

describe('emblem images', () => {
  const memo = example('memo', 'budget-request.json');
  const withEmblem = (data: Buffer) => ({ ...memo, options: { ...(memo.options as object), emblem: { data: data.toString('base64') } } });

  it('refuses a PNG claiming 16000 x 16000 from its header, on options.emblem.data, before any decode', () => {
    const errors = fast(() => fieldErrorsOf(() => compute('memo', withEmblem(pngHeader(16_000, 16_000)))), 200);
    expect(errors).toEqual([{
      path: 'options.emblem.data',
      th: expect.stringContaining('SARABAN_IMAGE_MAX_PIXELS'),
      en: 'the emblem is 16000 x 16000 pixels (256 MP), more than the limit of 4 MP (SARABAN_IMAGE_MAX_PIXELS): scale it down, e.g. to 2000 x 2000',
    }]);
    // Whatever path reaches the decoder, it refuses first.
    expect(fieldErrorsOf(() => prepareEmblem({ type: 'png', data: pngHeader(16_000, 16_000) }))[0]!.path).toBe('options.emblem.data');
  });

  it('takes 2000 x 2000 and refuses 2001 x 2000, in PNG, JPEG and SVG', () => {
    expect(emblemProblem({ type: 'png', data: pngHeader(2000, 2000) })).toBeUndefined();
    expect(emblemProblem({ type: 'png', data: pngHeader(2001, 2000) })?.en).toContain('2001 x 2000 pixels');
    expect(emblemProblem({ type: 'jpeg', data: jpegHeader(2000, 2000) })).toBeUndefined();
    expect(emblemProblem({ type: 'jpeg', data: jpegHeader(10_000, 10_000) })?.en).toContain('10000 x 10000 pixels (100 MP)');
    const svg = (w: number, h: number) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="1" height="1"/></svg>`);
    expect(emblemProblem({ type: 'svg', data: svg(2000, 2000) })).toBeUndefined();
    expect(emblemProblem({ type: 'svg', data: svg(5000, 5000) })?.en).toContain('5000 x 5000 pixels');
  });

  it('reads its limit from SARABAN_IMAGE_MAX_PIXELS', async () => {
    await withEnv({ SARABAN_IMAGE_MAX_PIXELS: '25000000' }, () => {
      expect(emblemProblem({ type: 'png', data: pngHeader(5000, 5000) })).toBeUndefined();
      expect(() => checkEmblem({ type: 'png', data: pngHeader(5001, 5000) }, 'emblem')).toThrow(ValidationError);
    });
  });

  it('refuses an interlaced PNG whose data unpacks past its size (pngjs inflates those without a limit)', () => {
    const bomb = deflateSync(Buffer.alloc(64 * 2 ** 20));
    const errors = fast(() => fieldErrorsOf(() => compute('memo', withEmblem(pngHeader(10, 10, { interlaced: true, idat: bomb })))), 500);
    expect(errors).toEqual([expect.objectContaining({ path: 'options.emblem.data', en: 'the emblem PNG holds more image data than its size needs: refused' })]);
    // 10 x 10 RGBA in Adam7's seven passes: 420 bytes with the filter bytes; one more is refused.
    expect(emblemProblem({ type: 'png', data: pngHeader(10, 10, { interlaced: true, idat: deflateSync(Buffer.alloc(420)) }) })).toBeUndefined();
    expect(emblemProblem({ type: 'png', data: pngHeader(10, 10, { interlaced: true, idat: deflateSync(Buffer.alloc(421)) }) })).toBeDefined();
  });
});
