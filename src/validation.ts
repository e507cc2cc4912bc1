import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { toArabicDigits } from './thai/numerals.js';
import { parseThaiDate } from './input/normalize.js';

/**
 * Errors a clerk can act on: the field's path and a message in Thai with
 * English alongside. Never a stack trace or a library's own wording alone.
 */
export interface FieldError {
  path: string;
  th: string;
  en: string;
}

/** Input that cannot be used, with every field's problem. Forms throw it from compute() too. */
export class ValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.en}`).join('; '));
  }
}

function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '') || '(root)';
}

function describe(issue: z.core.$ZodIssue): { th: string; en: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const got = receivedOf(issue);
      if (got === 'undefined') return REQUIRED;
      return wrongType([issue.expected], got);
    }
    case 'too_small':
      if (issue.origin === 'string') return { th: 'ต้องกรอกข้อมูลนี้ (ห้ามเว้นว่าง)', en: `must not be empty (at least ${issue.minimum} characters)` };
      if (issue.origin === 'array') return { th: `ต้องมีอย่างน้อย ${issue.minimum} รายการ`, en: `needs at least ${issue.minimum} items` };
      return { th: `ต้องไม่น้อยกว่า ${issue.minimum}`, en: `must be at least ${issue.minimum}` };
    case 'too_big':
      if (issue.origin === 'string') return { th: `ยาวเกิน ${issue.maximum} ตัวอักษร`, en: `longer than ${issue.maximum} characters` };
      if (issue.origin === 'array') return { th: `มีได้ไม่เกิน ${issue.maximum} รายการ`, en: `at most ${issue.maximum} items` };
      return { th: `ต้องไม่เกิน ${issue.maximum}`, en: `must be at most ${issue.maximum}` };
    case 'invalid_value':
      return { th: `ค่าไม่ถูกต้อง ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: ${issue.values.join(', ')}`, en: `must be one of: ${issue.values.join(', ')}` };
    case 'unrecognized_keys': {
      // Named up to a few: an object of a hundred thousand unknown keys must not make an answer as long.
      const shown = issue.keys.slice(0, MAX_NAMED_KEYS).map((k) => k.length > 60 ? `${k.slice(0, 60)}…` : k).join(', ');
      const more = issue.keys.length - MAX_NAMED_KEYS;
      return more > 0
        ? { th: `มีช่องข้อมูลที่ไม่รู้จัก: ${shown} และอีก ${more} ช่อง`, en: `unknown field(s): ${shown} and ${more} more` }
        : { th: `มีช่องข้อมูลที่ไม่รู้จัก: ${shown}`, en: `unknown field(s): ${shown}` };
    }
    case 'invalid_union': {
      // Every branch refused the value's type: nothing given is "required", a value of another type names the types taken.
      const typed = issue.errors.length > 0 && issue.errors.every((b) => b.some((i) => i.code === 'invalid_type' && i.path.length === 0));
      if (typed) {
        const got = issue.errors.map((b) => receivedOf(b.find((i) => i.code === 'invalid_type' && i.path.length === 0)!)).find((r) => r !== undefined);
        if (got === 'undefined') return REQUIRED;
        const expected = [...new Set(issue.errors.flatMap((b) => b.flatMap((i) => (i.code === 'invalid_type' && i.path.length === 0 ? [i.expected] : []))))];
        return wrongType(expected, got);
      }
      return { th: 'รูปแบบข้อมูลไม่ถูกต้อง', en: 'does not match any accepted form' };
    }
    case 'invalid_format':
      if (issue.format === 'regex' && /date/i.test(issue.message)) return dateMessage();
      return { th: `รูปแบบไม่ถูกต้อง (${issue.format})`, en: `invalid format (${issue.format})` };
    case 'custom': {
      const [th, en] = issue.message.split(' / ');
      return { th: th ?? issue.message, en: en ?? issue.message };
    }
    default:
      return { th: 'ข้อมูลไม่ถูกต้อง', en: issue.message };
  }
}

const REQUIRED = { th: 'ต้องกรอกข้อมูลนี้', en: 'this field is required' };

/** The type of the value a type check refused (`undefined` when nothing was given): from the issue's input, or zod's own message. */
function receivedOf(issue: z.core.$ZodIssue): string | undefined {
  if ('input' in issue) {
    const input = (issue as { input?: unknown }).input;
    return input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
  }
  return /received (\w+)/.exec(issue.message)?.[1];
}

/** A value of the wrong type: what was expected and what came, in Thai and English. */
function wrongType(expected: string[], got: string | undefined): { th: string; en: string } {
  const th = `ชนิดข้อมูลไม่ถูกต้อง: ต้องเป็น${expected.map(thaiType).join(' หรือ ')}${got ? ` ไม่ใช่${thaiType(got)}` : ''}`;
  const en = `wrong type: expected ${expected.join(' or ')}${got ? `, received ${got}` : ''}`;
  // A number sent as text ("2565", "๒๕๖๕"): say how to write it.
  if (expected.includes('number') && got === 'string') {
    return { th: `${th} (ใส่ตัวเลขโดยไม่มีเครื่องหมายคำพูด เช่น 2565)`, en: `${en} (write the number without quotes, e.g. 2565)` };
  }
  return { th, en };
}

/** Unknown keys named in one message; the rest are counted. */
const MAX_NAMED_KEYS = 10;

function thaiType(t: string): string {
  return ({
    string: 'ข้อความ', number: 'ตัวเลข', int: 'จำนวนเต็ม', boolean: 'ใช่/ไม่ใช่ (true/false)', array: 'รายการ', object: 'กลุ่มข้อมูล', null: 'ค่าว่าง (null)', bigint: 'ตัวเลข',
  } as Record<string, string>)[t] ?? t;
}

const dateMessage = () => ({ th: 'วันที่ไม่ถูกต้อง ใช้รูปแบบ ปปปป-ดด-วว เช่น 2565-02-17 หรือ 17/02/2565 หรือ 17 ก.พ. 2565', en: 'invalid date: use YYYY-MM-DD, e.g. 2022-02-17, or 17/02/2565 or 17 ก.พ. 2565 (a year of 2400 or more is read as Buddhist era)' });

/**
 * A union refused by the one branch of the right type (a list of 21 works,
 * not a text) as that branch's own issues, so the message names its limit
 * rather than "does not match any accepted form".
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const typed = issue.errors.filter((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
  return typed.length === 1 ? typed[0]!.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) : [issue];
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap(unionBranch).map((issue) => {
    // A form's own "ไทย / English" words; for a type check only when the schema gave them for a value it saw
    // (`error: (issue) => issue.input === undefined ? undefined : '…'`): zod's own words for nothing given say "received undefined".
    const custom = issue.code === 'custom' || (issue.message.includes(' / ') && (issue.code !== 'invalid_type' || !/received \w+$/.test(issue.message)));
    const text = custom ? (() => { const [th, en] = issue.message.split(' / '); return { th: th!, en: en ?? th! }; })() : describe(issue);
    return { path: pathOf(issue.path), ...text };
  });
}

/** The longest text a date field takes: a date with spaces around it, never a paragraph. */
export const DATE_MAX_LENGTH = 40;

/** An ISO calendar date; a year of 2400 or more is taken as Buddhist era and converted. */
export const IsoDate = z.string().max(DATE_MAX_LENGTH, `วันที่ยาวเกิน ${DATE_MAX_LENGTH} ตัวอักษร ใช้รูปแบบ ปปปป-ดด-วว เช่น 2565-02-17 / a date is at most ${DATE_MAX_LENGTH} characters: use YYYY-MM-DD, e.g. 2022-02-17`).transform((value, ctx) => {
  // Digits may be Thai (๒๕๖๕-๐๒-๑๗), and a date may be written as Thai offices write it (17/02/2565, 17 ก.พ. 2565).
  const text = toArabicDigits(value).trim();
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text) ?? (/^\d+$/.test(text) ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(parseThaiDate(text.replace(/\s+/g, ' ')) ?? ''));
  if (m) {
    let year = Number(m[1]);
    if (year >= 2400) year -= 543;
    const month = Number(m[2]);
    const day = Number(m[3]);
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
  }
  const msg = dateMessage();
  ctx.addIssue({ code: 'custom', message: `${msg.th} / ${msg.en}` });
  return z.NEVER;
});

/**
 * A year as a whole number: a JSON number, or text of four Arabic or Thai
 * digits (`"2565"`, `"๒๕๖๕"`, as a form field sends what a clerk typed),
 * within `min`..`max`.
 */
export function yearNumber(min: number, max: number) {
  const message = `ปีต้องเป็นตัวเลข ${min}-${max} เช่น 2565 / the year must be a number from ${min} to ${max}, e.g. 2565`;
  return z.union([z.number().int(message).min(min, message).max(max, message), z.string().max(12, message)]).transform((value, ctx) => {
    if (typeof value === 'number') return value;
    const text = toArabicDigits(value).trim();
    const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
    if (!(year >= min && year <= max)) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return year;
  });
}

/** Non-empty text, trimmed. */
export const Required = z.string().trim().min(1);

/**
 * The most digits a decimal field takes: 15 before the point (999 million
 * million, past any amount of baht or score) and, unless the field says how
 * many decimals it allows, 6 after it. A value past them is refused before
 * anything parses or prints it: a salary of 160,000 digits once took the PDF
 * renderer 22 s.
 */
export const DECIMAL_LIMITS = { integerDigits: 15, fractionDigits: 6 } as const;

/** The longest text a decimal field takes: the digits, their separators, a unit and spaces around them. */
const DECIMAL_MAX_LENGTH = 64;

/**
 * A non-negative decimal as people write it: a JSON number or a string with
 * Arabic or Thai digits and thousands separators (`35,220.50`, `๓๕,๒๒๐`),
 * optionally followed by its unit (`บาท`). It stays decimal text (separators
 * and unit removed) so no binary float ever holds money or a score; each form
 * formats it. `message` is the form's own "ไทย / English" wording; a value
 * with more digits than DECIMAL_LIMITS (or `places`) allow gets a message
 * naming the limit.
 */
export function decimalText(options: { message: string; places?: number; max?: Decimal.Value; unit?: string }) {
  const { integerDigits } = DECIMAL_LIMITS;
  const fractionDigits = options.places ?? DECIMAL_LIMITS.fractionDigits;
  const shape = new RegExp(`^\\d+(\\.\\d${options.places === undefined ? '+' : `{1,${options.places}}`})?$`);
  const th = `ตัวเลขยาวเกินกำหนด: ไม่เกิน ${integerDigits} หลักก่อนจุดทศนิยม และไม่เกิน ${fractionDigits} หลักหลังจุด`;
  const en = `too many digits: at most ${integerDigits} before the decimal point and ${fractionDigits} after it`;
  // Aborting: a refinement of the object around it (a percentage compared with 100) must never see text that failed here.
  const text = z.string().max(DECIMAL_MAX_LENGTH, { message: `${th} (ยาวเกิน ${DECIMAL_MAX_LENGTH} ตัวอักษร) / ${en} (longer than ${DECIMAL_MAX_LENGTH} characters)`, abort: true });
  // A negative JSON number gets the form's own message, as a negative string does.
  const number = z.number().min(0, options.message).max(10 ** integerDigits - 1, `${th} / ${en}`);
  return z.union([text, number]).transform((value, ctx) => {
    let text = toArabicDigits(String(value)).replace(/[,\s]/g, '');
    if (options.unit && text.endsWith(options.unit)) text = text.slice(0, -options.unit.length);
    // `35,220.-` and `35,220.00.-`: the dash Thai documents put after a whole amount.
    text = text.replace(/(\d)\.?-$/, '$1');
    const parts = /^(\d+)(?:\.(\d+))?$/.exec(text);
    // Leading zeros are no digits of the value; too many decimals where the field names its places is the form's message.
    if (parts && (parts[1]!.replace(/^0+/, '').length > integerDigits || (options.places === undefined && (parts[2]?.length ?? 0) > fractionDigits))) {
      ctx.addIssue({ code: 'custom', message: `${th} / ${en}` });
      return z.NEVER;
    }
    if (!shape.test(text) || (options.max !== undefined && new Decimal(text).greaterThan(options.max))) {
      ctx.addIssue({ code: 'custom', message: options.message });
      return z.NEVER;
    }
    return text;
  });
}

/**
 * A whole number or a word as JSON gives it (a number) or a sheet's cell does
 * (its text): the text at most `maxLength` characters, the number within
 * `min`..`max`, either refused with the field's own `message`. The caller's
 * transform reads the value; this only bounds it, so no field takes a text
 * of any length or a number of any size.
 */
export function numberOrText(range: { min: number; max: number; maxLength?: number }, message: string) {
  return z.union([z.string().max(range.maxLength ?? 20, message), z.number().min(range.min, message).max(range.max, message)]);
}

/**
 * A whole number as JSON gives it or as a clerk types it (`๒๕๖๕`, ` 2565 `,
 * `1,200`): Thai digits, spaces and thousands commas read, then held to
 * `min`..`max`; anything else refused with the field's own `message`.
 */
export function wholeNumber(range: { min: number; max: number }, message: string) {
  // The number first: the upload page builds a field from a union's first branch, and sends a number.
  return z.union([z.number().min(range.min, message).max(range.max, message), z.string().max(20, message)]).transform((value, ctx) => {
    const text = toArabicDigits(String(value)).replace(/[,\s]/g, '');
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < range.min || n > range.max) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
}
