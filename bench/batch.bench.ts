/**
 * npm run bench (part): a province's applicant file through the whole batch
 * pipeline (CSV parsing, row validation, grouping by local authority,
 * rendering in the worker pool, merging into one PDF numbered continuously),
 * next to one naive pdfmake call on the same rows in the same run. Every case
 * runs in a fresh child process, so each peak RSS is its own. It measures the
 * compiled build (`npm run bench:batch` builds it first).
 *
 *   BENCH_BATCH_SIZES=10000,20000  BENCH_BATCH_RUNS=3  BENCH_COVERS=2000
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { applicantRecords, writeCsv, THAI_HEADERS } from '../scripts/generate-province.js';

const SIZES = (process.env.BENCH_BATCH_SIZES ?? '10000,20000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 3);
const COVERS = Number(process.env.BENCH_COVERS ?? 2000);

/** `firstMs`: the job that started the pool, in a fresh process, as a one-off CLI run sees it (batch cases only). */
interface CaseResult { ms: number; firstMs?: number; pages: number; rows: number; maxRssMb: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs this file as a child in `case` mode and reads its one-line JSON result. */
function child(args: string[]): CaseResult {
  const out = execFileSync(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

// ---- child side -------------------------------------------------------------

const compiled = (path: string) => new URL(`../dist/src/${path}`, import.meta.url).href;

/**
 * Runs one job per file in one process: the first warms the pool (worker
 * start-up, compiled code), the others are measured. Each file is another
 * seed of the same province, so a measured job meets names it has not seen,
 * as a warm service meets the next office's file.
 */
async function runBatchCase(formId: string, files: string[], shared: Record<string, unknown>, groupBy: 'authority' | 'none'): Promise<void> {
  // The compiled service, as `npm start` and the CLI run it (workers under tsx would compile TypeScript too).
  const { BatchManager } = await import(compiled('batch/manager.js')) as typeof import('../src/batch/manager.js');
  const { JobStore } = await import(compiled('batch/jobs.js')) as typeof import('../src/batch/jobs.js');
  const dir = mkdtempSync(join(tmpdir(), 'saraban-bench-jobs-'));
  const manager = new BatchManager(new JobStore(dir));
  const times: number[] = [];
  let firstMs = 0;
  let last;
  for (const [i, file] of files.entries()) {
    const input = readFileSync(file);
    const t = performance.now();
    const job = manager.submit(formId, input, 'rows.csv', { groupBy, output: 'pdf', format: 'pdf' }, shared);
    last = await manager.finished(job.id);
    if (i > 0) times.push(performance.now() - t);
    else firstMs = performance.now() - t;
    if (last.state !== 'done') throw new Error(`job failed: ${JSON.stringify(last.error ?? last.groupErrors.slice(0, 2))}`);
  }
  await manager.close();
  rmSync(dir, { recursive: true, force: true });
  const result: CaseResult = { ms: median(times), firstMs, pages: last!.progress.pages, rows: last!.progress.rowsDone, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  console.log(JSON.stringify(result));
}

/** The naive way: the same rows as one pdfmake table, pdfmake's own layout, one call. */
async function runNaiveCase(rows: number): Promise<void> {
  const require = createRequire(import.meta.url);
  const { FONTS_DIR } = await import('../src/fonts/registry.js');
  const pdfmake = require('pdfmake') as { setFonts(f: unknown): void; createPdf(d: unknown): { getBuffer(): Promise<Buffer> } };
  pdfmake.setFonts({ Sarabun: { normal: `${FONTS_DIR}/Sarabun-Regular.ttf`, bold: `${FONTS_DIR}/Sarabun-Bold.ttf`, italics: `${FONTS_DIR}/Sarabun-Italic.ttf`, bolditalics: `${FONTS_DIR}/Sarabun-BoldItalic.ttf` } });
  const body: string[][] = [THAI_HEADERS];
  for (const r of applicantRecords({ province: 'ชัยนาท', rows, seed: 1 })) {
    body.push([String(r.no), r.province, r.authority, r.unit, r.name, r.position, r.salary, String(r.age), r.rankRequested, r.subjectGroup, r.works]);
  }
  const t = performance.now();
  const warn = console.warn;
  console.warn = () => {};
  const pdf = await pdfmake.createPdf({
    pageSize: 'A4', pageOrientation: 'landscape', pageMargins: [40, 50, 40, 40],
    defaultStyle: { font: 'Sarabun', fontSize: 14 * 0.645 },
    content: [{ table: { headerRows: 1, widths: [20, 45, 70, 80, 90, 50, 45, 25, 60, 60, '*'], body } }],
  }).getBuffer();
  console.warn = warn;
  const ms = performance.now() - t;
  const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
  console.log(JSON.stringify({ ms, pages, rows, maxRssMb: process.resourceUsage().maxRSS / 1024 } satisfies CaseResult));
}

// ---- parent side ------------------------------------------------------------

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'saraban-bench-'));
  // Per size: one file to warm the pool, then one per measured run (seeds 1..RUNS+1).
  const files = new Map<number, string[]>();
  for (const n of new Set([...SIZES, COVERS])) {
    const list: string[] = [];
    for (let seed = 1; seed <= RUNS + 1; seed++) {
      const file = join(dir, `applicants-${n}-${seed}.csv`);
      await writeCsv(file, THAI_HEADERS, applicantRecords({ province: 'ชัยนาท', rows: n, seed }));
      list.push(file);
    }
    files.set(n, list);
  }
  const lines: string[] = [];
  const report = (name: string, r: CaseResult) => {
    const first = r.firstMs === undefined ? '' : `${(r.firstMs / 1000).toFixed(2)} s`;
    const line = `${(r.ms / 1000).toFixed(2).padStart(7)} s  ${first.padStart(8)}  ${String(r.pages).padStart(6)}  ${String(r.rows).padStart(6)}  ${r.maxRssMb.toFixed(0).padStart(6)} MB  ${name}`;
    lines.push(line);
    console.log(line);
  };
  console.log(`batch: median of ${RUNS} warm runs per case, each on a file not seen before (fresh process per case), node ${process.version}`);
  console.log('   wall     first   pages    rows  peak RSS  case');
  console.log('  (wall: median of the warm runs; first: the job that started the pool in a fresh process, as one CLI run)');
  const batch = new Map<number, CaseResult>();
  for (const n of SIZES) {
    const r = child(['case', 'batch', 'applicant-summary', 'authority', ...files.get(n)!]);
    batch.set(n, r);
    report(`applicant-summary, ${n} rows -> one merged PDF (by local authority)`, r);
  }
  const largest = Math.max(...SIZES);
  report(`naive: one pdfmake table call, ${largest} rows (once)`, child(['case', 'naive', String(largest)]));
  report(`submission-cover, ${COVERS} applicants -> ${COVERS * 3} cover sheets, one merged PDF`, child(['case', 'batch', 'submission-cover', 'authority', ...files.get(COVERS)!]));
  if (batch.has(10000) && batch.has(20000)) {
    console.log(`time(20k) / time(10k) = ${(batch.get(20000)!.ms / batch.get(10000)!.ms).toFixed(2)}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

const [mode, kind, ...rest] = process.argv.slice(2);
if (mode === 'case' && kind === 'batch') {
  const [formId, groupBy, ...caseFiles] = rest;
  const shared = formId === 'submission-cover' ? {} : { round: { month: 'เมษายน', year: 2569 } };
  await runBatchCase(formId!, caseFiles, shared, groupBy as 'authority');
} else if (mode === 'case' && kind === 'naive') {
  await runNaiveCase(Number(rest[0]));
} else {
  await main();
}
