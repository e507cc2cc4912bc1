import type { z } from 'zod';
import type { DocumentModelInput } from '../model/document.js';

/**
 * A form: its input schema, the values it computes (scores, sums), and its
 * layout: a Handlebars template under templates/ or a model builder for forms
 * whose tables are easier written in code. Adding a form touches no other form
 * (besides its line in catalog.ts).
 */
export interface FormDefinition<S extends z.ZodObject = z.ZodObject, C = unknown> {
  id: string;
  title: { th: string; en: string };
  schema: S;
  /**
   * The form's arithmetic: scores, totals, bands, checks. Returned as JSON by
   * the compute endpoint and handed to the layout, so both always agree.
   * Throws ValidationError (with field paths) for inconsistent input that the
   * schema alone cannot catch (a sum that does not match, a quota exceeded).
   */
  compute?: (data: z.infer<S>) => C;
  /** File under templates/ that turns the data (and `computed`) into the document model. */
  template?: string;
  /** Values the template reads besides the data (defaulted, formatted). */
  view?: (data: z.infer<S>, computed: C) => Record<string, unknown>;
  /** Builds the document model in code, instead of a template. */
  build?: (data: z.infer<S>, computed: C) => DocumentModelInput;
  /** How rows of a CSV/XLSX file become this form's data, for batch jobs. */
  batch?: BatchSpec;
}

/**
 * A form's batch interface. A file's rows are read into objects keyed by the
 * canonical column keys (headers matched in Thai or English), each validated by
 * `row`; rows are grouped (by province or local authority); each group becomes
 * one document via `toData`.
 */
export interface BatchSpec<R extends z.ZodObject = z.ZodObject> {
  /** One row of the file, keyed by canonical column key. */
  row: R;
  /** Canonical key -> the header names accepted for it (Thai first, then English). */
  columns: Record<string, string[]>;
  /**
   * Canonical keys whose cells are dates: the input layer turns `17/02/2565`,
   * `17 ก.พ. 2565` or an Excel date into ISO `2022-02-17` before `row` sees it.
   */
  dateColumns?: string[];
  /** Canonical keys the rows may be grouped by. */
  groupKeys: { province?: string; authority?: string };
  /** Fields shared by every document of the batch (signer, date, ...), sent beside the file. */
  shared: z.ZodObject;
  /** The form data of one group: its rows (validated) and the shared fields. */
  toData: (rows: z.infer<R>[], shared: Record<string, unknown>) => unknown;
}

export function defineForm<S extends z.ZodObject, C = undefined>(form: FormDefinition<S, C>): FormDefinition<S, C> {
  return form;
}
