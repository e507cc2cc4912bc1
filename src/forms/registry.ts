import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../fonts/registry.js';
import type { DocumentModel, RenderOptions } from '../model/document.js';
import { compileTemplate, useBuiltinPartials, type CompiledTemplate } from '../templates/engine.js';
import { sniffImage } from '../render/emblem.js';
import { fieldErrors, type FieldError } from '../validation.js';
import type { FormDefinition } from './types.js';
import type { RequestOptions } from './shared.js';
import { externalLetter } from './external-letter/index.js';
import { memo } from './memo/index.js';
import { stampedLetter } from './stamped-letter/index.js';
import { announcement } from './announcement/index.js';
import { order } from './order/index.js';

export const TEMPLATES_DIR = process.env.SARABAN_TEMPLATES_DIR ?? join(PROJECT_ROOT, 'templates');

const forms = new Map<string, FormDefinition>(
  ([externalLetter, memo, stampedLetter, announcement, order] as unknown as FormDefinition[]).map((f) => [f.id, f]),
);

export function listForms(): FormDefinition[] {
  return [...forms.values()];
}

export function getForm(id: string): FormDefinition | undefined {
  return forms.get(id);
}

export class ValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.en}`).join('; '));
  }
}

const compiled = new Map<string, CompiledTemplate>();
useBuiltinPartials(join(TEMPLATES_DIR, 'partials'));
function templateOf(form: FormDefinition): CompiledTemplate {
  let t = compiled.get(form.template);
  if (!t) {
    t = compileTemplate(readFileSync(join(TEMPLATES_DIR, form.template), 'utf8'), form.template);
    compiled.set(form.template, t);
  }
  return t;
}

export interface BuiltDocument {
  /** Validated: render it with renderModel, without parsing it again. */
  model: DocumentModel;
  options: RenderOptions;
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

/** Validates a form's data and builds its document model. Throws ValidationError with field paths. */
export function buildDocument(form: FormDefinition, input: unknown): BuiltDocument {
  const parsed = form.schema.safeParse(input);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
  const data = parsed.data as Record<string, unknown> & { options?: RequestOptions };
  const view = { ...data, ...(form.view?.(data) ?? {}) };
  const model = templateOf(form)(view);
  const opts = data.options;
  return {
    model: { ...model, numerals: opts?.numerals ?? 'thai', ...(opts?.align ? { align: opts.align } : {}) },
    options: renderOptions(opts),
  };
}

/** The JSON Schema of a form's input, for integrators and the upload page. */
export function inputJsonSchema(form: FormDefinition): unknown {
  return z.toJSONSchema(form.schema, { io: 'input', unrepresentable: 'any' });
}
