import type { z } from 'zod';

/**
 * A form: its input schema, its Handlebars template (under templates/), and
 * the derived values its template needs. Adding a form touches no other form.
 */
export interface FormDefinition<S extends z.ZodObject = z.ZodObject> {
  id: string;
  title: { th: string; en: string };
  schema: S;
  /** File under templates/ that turns the data into the document model. */
  template: string;
  /** Values the template reads besides the data (computed, defaulted). */
  view?: (data: z.infer<S>) => Record<string, unknown>;
}

export function defineForm<S extends z.ZodObject>(form: FormDefinition<S>): FormDefinition<S> {
  return form;
}
