import { ValidationError, type FieldError } from '../validation.js';
import { UnknownFormError } from '../forms/registry.js';
import { UnknownFontError } from '../fonts/registry.js';
import { InputFileError, type InputFileErrorCode } from '../input/errors.js';

/**
 * Errors cross from a render thread to the main thread as plain data (a
 * structured clone keeps no class), and are made into their classes again on
 * this side, so the HTTP layer answers a thread's ValidationError exactly as
 * it would its own. Anything not listed arrives as a plain Error: an internal
 * failure, logged, never shown to the client.
 */
export type WireError =
  | { type: 'validation'; errors: FieldError[] }
  | { type: 'unknown_form'; formId: string }
  | { type: 'unknown_font'; font: string; available: string[] }
  | { type: 'input_file'; code: InputFileErrorCode; th: string; en: string; details: string[] }
  | { type: 'request'; status: number; code: string; th: string; en: string; fields?: FieldError[]; line?: number }
  | { type: 'internal'; message: string; stack?: string };

/**
 * A refusal with its own HTTP status (413 for a merge past its size, 415 for
 * a file of the wrong type): what a task found wrong with its request, beyond
 * field errors.
 */
export class RequestError extends Error {
  constructor(readonly status: number, readonly code: string, readonly th: string, readonly en: string, readonly fields?: FieldError[], readonly line?: number) {
    super(en);
  }
}

export function toWire(e: unknown): WireError {
  if (e instanceof ValidationError) return { type: 'validation', errors: e.errors };
  if (e instanceof UnknownFormError) return { type: 'unknown_form', formId: e.formId };
  if (e instanceof UnknownFontError) return { type: 'unknown_font', font: e.font, available: e.available };
  if (e instanceof InputFileError) return { type: 'input_file', code: e.code, th: e.th, en: e.en, details: e.details };
  if (e instanceof RequestError) return { type: 'request', status: e.status, code: e.code, th: e.th, en: e.en, fields: e.fields, line: e.line };
  return { type: 'internal', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}

export function fromWire(w: WireError): Error {
  switch (w.type) {
    case 'validation': return new ValidationError(w.errors);
    case 'unknown_form': return new UnknownFormError(w.formId);
    case 'unknown_font': return new UnknownFontError(w.font, w.available);
    case 'input_file': return new InputFileError(w.code, w.th, w.en, w.details);
    case 'request': return new RequestError(w.status, w.code, w.th, w.en, w.fields, w.line);
    case 'internal': {
      const e = new Error(w.message);
      if (w.stack) e.stack = w.stack;
      return e;
    }
  }
}

/** A task that ran past its deadline: its thread was stopped (and is replaced). */
export class TaskTimeoutError extends Error {
  constructor(readonly limitMs: number) { super(`the task ran longer than ${limitMs} ms: its render thread was stopped`); }
}

/** A task whose thread ran out of its heap (SARABAN_WORKER_HEAP_MB): the input needs more memory than one document may take. */
export class TaskMemoryError extends Error {
  constructor(readonly limitMb: number) { super(`the task needed more than ${limitMb} MB: its render thread was stopped`); }
}

/** The pool was closed (the service is stopping): the task did not run, or did not finish. */
export class PoolClosedError extends Error {
  constructor() { super('render pool closed'); }
}
