import { getForm } from '../forms/registry.js';
import type { BatchSpec } from '../forms/types.js';

/**
 * What a batch job and its render threads share about a group's rows: the
 * form's batch interface, and the file the job spills each group's rows to
 * (one JSON object a line), which a render thread reads back itself. Light on
 * purpose: every render thread loads it.
 */

export class BatchFailure extends Error {
  constructor(readonly th: string, readonly en: string) { super(en); }
}

/** The batch interface of a form, or a failure a clerk can read. */
export function batchSpecOf(formId: string): BatchSpec {
  const spec = getForm(formId)?.batch;
  if (!spec) throw new BatchFailure(`แบบฟอร์ม "${formId}" ไม่รองรับการทำเป็นชุดจากไฟล์`, `form "${formId}" has no batch mode`);
  return spec;
}

/** One row as a line of a group's rows file. */
export const rowLine = (row: Record<string, unknown>): string => `${JSON.stringify(row)}\n`;

/** A group's rows file read back. */
export const rowsOf = (text: string): Record<string, unknown>[] => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
