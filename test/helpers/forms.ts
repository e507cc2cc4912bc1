import { readFileSync } from 'node:fs';
import { ValidationError } from '../../src/validation.js';
import type { FieldError } from '../../src/validation.js';

/** The field errors `fn` throws; fails the test when it throws none or something else. */
export function validationErrors(fn: () => unknown): FieldError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.errors;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

/** Arabic digits as the PDF prints them. */
export const thai = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0x0e50 + Number(d)));

/** A shipped example's data. */
export const example = (formId: string, file: string) => JSON.parse(readFileSync(new URL(`../../examples/${formId}/${file}`, import.meta.url), 'utf8'));
