import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../fonts/registry.js';
import type { RenderPool } from './pool.js';
import { batchSpecOf, rowLine } from './groupRows.js';
import { validatedRows } from './rows.js';

/** The committed example of an office's export: the rows a warm-up renders. */
const WARM_UP_FILE = join(PROJECT_ROOT, 'examples', 'batch', 'applicants-chainat.csv');
const WARM_UP_FORM = 'applicant-summary';
/** The example's rows this many times over: about 35 pages, a list of one local authority. */
const WARM_UP_REPEAT = 5;
/** Lists each render thread draws. */
const WARM_UP_ROUNDS = 2;

/**
 * Starts every render thread of the pool and has it draw a short list, and
 * reads the example file through the same validation as a job: a fresh
 * thread spends its first second loading modules and fonts, and its first
 * lists run uncompiled code and fill empty word caches. The service does this
 * at start-up, so the first job after a restart does not pay for it.
 * Measured on 10,000 rows (scratch runs, two each): the first job of a fresh
 * process 5.4-5.6 s, after a warm-up 3.9-4.2 s, against 2.8-3.2 s for a later one.
 * Resolves when done; never rejects (a failed warm-up costs only time).
 */
export async function warmUp(pool: RenderPool, scratch = tmpdir()): Promise<{ ok: boolean; ms: number; error?: string }> {
  const start = performance.now();
  const dir = mkdtempSync(join(scratch, 'saraban-warm-up-'));
  try {
    const lines: string[] = [];
    for await (const r of validatedRows(WARM_UP_FILE, 'applicants-chainat.csv', batchSpecOf(WARM_UP_FORM))) {
      if (r.ok) lines.push(rowLine(r.value));
    }
    const rowsFile = join(dir, 'rows.ndjson');
    writeFileSync(rowsFile, Array<string>(WARM_UP_REPEAT).fill(lines.join('')).join(''));
    const shared = { round: { month: 'เมษายน', year: 2569 } };
    // Negative ids: never a job's document.
    const outcomes = await Promise.all(Array.from({ length: pool.size * WARM_UP_ROUNDS }, (_, i) =>
      pool.render({ id: -1 - i, formId: WARM_UP_FORM, rowsFile, shared, format: 'pdf', outPath: join(dir, `${i}.pdf`) }, { short: true })));
    for (const o of outcomes) {
      if (!o.ok) return { ok: false, ms: performance.now() - start, error: o.errors.map((e) => `${e.path}: ${e.en}`).join('; ') };
    }
    return { ok: true, ms: performance.now() - start };
  } catch (e) {
    return { ok: false, ms: performance.now() - start, error: e instanceof Error ? e.message : String(e) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
