import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchSpecOf, rowLine } from './groupRows.js';
import { validatedRows } from './rows.js';
import { MAX_REPORTED_BAD_ROWS, MAX_REPORTED_SKIPPED_ROWS, type BadRow, type BatchOptions, type SkippedRow } from './jobs.js';
import { maxRows } from '../input/read.js';
import { fileErrors } from '../input/errors.js';

/** Rows wait on disk per group; at most this many wait in memory. */
const SPILL_ROWS = 2000;
/** Rows between two progress events. */
const EVENT_EVERY_ROWS = 500;

/** One group's rows on disk: the render thread that draws its document reads them back. */
export interface Group { key: string; file: string; rows: number }

/** Reads a batch file's rows into group files in `work` (a render thread's task; see runJob). */
export interface SpillTask {
  kind: 'spill';
  id: number;
  formId: string;
  input: string;
  filename: string;
  sheet?: string;
  groupBy: BatchOptions['groupBy'];
  /** The clerk's own mapping of keys to headers. */
  columns?: BatchOptions['columns'];
  work: string;
}

/** Where the reading stands; `closed`: a group whose rows have all been read, as far as a sorted file tells. */
export interface SpillEvent {
  rows: number;
  groups: number;
  badRowCount: number;
  /** Bad rows found since the last event (only the first MAX_REPORTED_BAD_ROWS are ever sent). */
  badRows: BadRow[];
  /** Totals and footer rows skipped since the last event (only the first MAX_REPORTED_SKIPPED_ROWS are ever sent). */
  skippedRows?: SkippedRow[];
  closed?: Group;
}

export interface SpillResult { groups: Group[]; sorted: boolean }

/**
 * Reads and validates the rows (bad rows are reported and left out) and
 * appends each group's rows to its file. A group is announced as soon as the
 * next row belongs to another one, so its document can be rendered while the
 * file is still being read (the last one comes with the result); in an unsorted file a group can come back, and
 * `sorted: false` tells the job to render every group again at the end.
 */
export async function spillRows(task: SpillTask, emit: (e: SpillEvent) => void): Promise<SpillResult> {
  const spec = batchSpecOf(task.formId);
  const key = task.groupBy === 'none' ? undefined : spec.groupKeys[task.groupBy];
  const groups = new Map<string, Group & { pending: string[] }>();
  let rows = 0;
  let badRowCount = 0;
  let badRows: BadRow[] = [];
  let skippedCount = 0;
  let skippedRows: SkippedRow[] = [];
  const event = (closed?: Group) => {
    emit({ rows, groups: groups.size, badRowCount, badRows, skippedRows, closed });
    badRows = [];
    skippedRows = [];
  };
  let pending = 0;
  const write = (g: Group & { pending: string[] }) => {
    if (g.pending.length) appendFileSync(g.file, g.pending.join(''));
    g.pending = [];
  };
  const flush = () => {
    for (const g of groups.values()) write(g);
    pending = 0;
  };
  let current: (Group & { pending: string[] }) | undefined;
  const closed = new Set<string>();
  let sorted = true;
  /** The rows of `current` have all been read, unless its key comes back. */
  const close = () => {
    if (!current || !sorted) return;
    closed.add(current.key);
    write(current);
    event({ key: current.key, file: current.file, rows: current.rows });
  };
  const limit = maxRows();
  // A bad row names its group by the key the job groups by (the local authority unless told).
  const groupKey = key ?? spec.groupKeys.authority ?? spec.groupKeys.province;
  for await (const r of validatedRows(task.input, task.filename, spec, task.sheet, task.columns, groupKey)) {
    // A totals or footer row is no data: reported once, neither counted as a row nor as a bad one.
    if (!r.ok && r.skipped) {
      if (++skippedCount <= MAX_REPORTED_SKIPPED_ROWS) skippedRows.push(r.skipped);
      continue;
    }
    // Past the limit the job fails as a whole (its work directory is cleared): no partial result from a cut file.
    if (rows >= limit) throw fileErrors.tooManyRows(limit);
    rows++;
    if (!r.ok) {
      badRowCount++;
      for (const e of r.errors) if (badRowCount <= MAX_REPORTED_BAD_ROWS) badRows.push(e);
    } else {
      const name = key ? String(r.value[key] ?? '') : '';
      let g = groups.get(name);
      if (!g) {
        g = { key: name, file: join(task.work, `rows-${groups.size}.ndjson`), rows: 0, pending: [] };
        groups.set(name, g);
      }
      if (g !== current) {
        close();
        if (closed.has(name)) sorted = false;
        current = g;
      }
      g.rows++;
      g.pending.push(rowLine(r.value));
      if (++pending >= SPILL_ROWS) flush();
    }
    if (rows % EVENT_EVERY_ROWS === 0) event();
  }
  // The last group is not announced: the job renders it once this task has returned, so on
  // this thread (the pool hands out the thread freed last), not by growing a second thread's heap.
  flush();
  event();
  return { groups: [...groups.values()].map(({ key: k, file, rows: n }) => ({ key: k, file, rows: n })), sorted };
}
