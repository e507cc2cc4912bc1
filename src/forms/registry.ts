import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../fonts/registry.js';
import { DocumentModel, type RenderOptions } from '../model/document.js';
import { compileTemplate, useBuiltinPartials, type CompiledTemplate } from '../templates/engine.js';
import { sniffImage } from '../render/emblem.js';
import { fieldErrors, ValidationError } from '../validation.js';
import type { FormDefinition } from './types.js';
import type { RequestOptions } from './shared.js';
import { CATALOG } from './catalog.js';

export const TEMPLATES_DIR = process.env.SARABAN_TEMPLATES_DIR ?? join(PROJECT_ROOT, 'templates');

const forms = new Map<string, FormDefinition>(CATALOG.map((f) => [f.id, f]));

export function listForms(): FormDefinition[] {
  return [...forms.values()];
}

export function getForm(id: string): FormDefinition | undefined {
  return forms.get(id);
}

/** Whether a form ships with the service (its id cannot be taken or removed at run time). */
export const isShippedForm = (id: string): boolean => CATALOG.some((f) => f.id === id);

/** Adds a form at run time (a user's uploaded template). A shipped form's id cannot be taken. */
let version = 0;

/** Changes whenever a form is added, replaced or removed: what is derived from the whole list (the API document) is kept until then. */
export const formsVersion = (): number => version;

export function registerForm(form: FormDefinition): void {
  if (isShippedForm(form.id)) throw new Error(`form id ${form.id} is taken by a shipped form`);
  forms.set(form.id, form);
  version++;
}

/** Removes a form added at run time; a shipped form stays. Whether one was removed. */
export function unregisterForm(id: string): boolean {
  if (isShippedForm(id)) return false;
  version++;
  return forms.delete(id);
}

export { ValidationError };

export class UnknownFormError extends Error {
  constructor(readonly formId: string) {
    super(`unknown form: ${formId}`);
  }
}

const compiled = new Map<string, CompiledTemplate>();
useBuiltinPartials(join(TEMPLATES_DIR, 'partials'));
function templateOf(file: string): CompiledTemplate {
  let t = compiled.get(file);
  if (!t) {
    t = compileTemplate(readFileSync(join(TEMPLATES_DIR, file), 'utf8'), file);
    compiled.set(file, t);
  }
  return t;
}

export interface BuiltDocument {
  /** Validated: render it with renderModel, without parsing it again. */
  model: DocumentModel;
  options: RenderOptions;
  /** What the form computes (undefined for a form that does not), as its document prints it. */
  computed?: unknown;
}

function renderOptions(opts: RequestOptions | undefined): RenderOptions {
  if (!opts?.emblem) return { font: opts?.font };
  const data = Buffer.from(opts.emblem.data, 'base64');
  const type = sniffImage(data);
  if (!type) {
    throw new ValidationError([{ path: 'options.emblem.data', th: 'ภาพตราต้องเป็นไฟล์ PNG, JPEG หรือ SVG ที่เข้ารหัส base64', en: 'the emblem must be a base64 PNG, JPEG or SVG image' }]);
  }
  return { font: opts.font, emblem: { data, type } };
}

type FormData = Record<string, unknown> & { options?: RequestOptions };

function validate(form: FormDefinition, input: unknown): FormData {
  const parsed = form.schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  return parsed.data as FormData;
}

/**
 * Validates a form's data and returns what it computes (scores, totals,
 * checks), the same values its rendered document prints. Throws
 * ValidationError with field paths.
 */
export function computeForm(form: FormDefinition, input: unknown): unknown {
  const data = validate(form, input);
  return form.compute ? form.compute(data) : {};
}

function modelOf(form: FormDefinition, data: FormData, computed: unknown): DocumentModel {
  if (form.build) return DocumentModel.parse(form.build(data, computed));
  if (!form.template) throw new Error(`form ${form.id} has neither a template nor a builder`);
  const view = { ...data, computed, ...(form.view?.(data, computed) ?? {}) };
  return templateOf(form.template)(view);
}

/** Validates a form's data and builds its document model. Throws ValidationError with field paths. */
export function buildDocument(form: FormDefinition, input: unknown): BuiltDocument {
  const data = validate(form, input);
  const computed = form.compute ? form.compute(data) : undefined;
  const model = modelOf(form, data, computed);
  const opts = data.options;
  return {
    model: { ...model, numerals: opts?.numerals ?? 'thai', ...(opts?.align ? { align: opts.align } : {}) },
    options: renderOptions(opts),
    computed,
  };
}

const jsonSchemas = new WeakMap<FormDefinition, unknown>();

/** The JSON Schema of a form's input, for integrators and the upload page. */
export function inputJsonSchema(form: FormDefinition): unknown {
  // Once per form: the upload page asks for every form's schema on each visit.
  let schema = jsonSchemas.get(form);
  if (!schema) jsonSchemas.set(form, (schema = z.toJSONSchema(form.schema, { io: 'input', unrepresentable: 'any' })));
  return schema;
}
