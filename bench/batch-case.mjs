// One measured case of bench/batch.bench.ts, run by plain node on the compiled
// build: a child under tsx would carry its loader (about 40 MB) in every peak.
//   node bench/batch-case.mjs batch <form-id> <group-by> <file.csv>...   (first file warms the pool)
//   node bench/batch-case.mjs started <form-id> <group-by> <file.csv>    (the service's start-up warm-up, then one job)
//   node bench/batch-case.mjs naive <file.csv>
// Prints one line of JSON: { ms, firstMs?, warmUpMs?, pages, rows, maxRssMb }.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const compiled = (path) => new URL(`../dist/src/${path}`, import.meta.url).href;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

/**
 * One job per file in one process: the first warms the pool (worker start-up,
 * compiled code), the others are measured. Each file is another seed of the
 * same province, so a measured job meets names it has not seen, as a warm
 * service meets the next office's file.
 */
async function batchCase(formId, groupBy, files, started = false) {
  const { BatchManager } = await import(compiled('batch/manager.js'));
  const { JobStore } = await import(compiled('batch/jobs.js'));
  const shared = formId === 'submission-cover' ? {} : { round: { month: 'เมษายน', year: 2569 } };
  const dir = mkdtempSync(join(tmpdir(), 'saraban-bench-jobs-'));
  const manager = new BatchManager(new JobStore(dir));
  let warmUpMs;
  if (started) {
    // As src/server.ts does when it starts.
    const { warmUp } = await import(compiled('batch/warmUp.js'));
    const w = await warmUp(manager.pool);
    if (!w.ok) throw new Error(`warm-up failed: ${w.error}`);
    warmUpMs = w.ms;
  }
  const times = [];
  let firstMs = 0;
  let last;
  for (const [i, file] of files.entries()) {
    let input = readFileSync(file);
    const t = performance.now();
    const job = manager.submit(formId, input, 'rows.csv', { groupBy, output: 'pdf', format: 'pdf' }, shared);
    // Not held during the job: the service's upload buffer goes once the job is queued (its input waits on disk).
    input = undefined;
    last = await manager.finished(job.id);
    if (i > 0) times.push(performance.now() - t);
    else firstMs = performance.now() - t;
    if (last.state !== 'done') throw new Error(`job failed: ${JSON.stringify(last.error ?? last.groupErrors.slice(0, 2))}`);
  }
  await manager.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms: started ? firstMs : median(times), firstMs, warmUpMs, pages: last.progress.pages, rows: last.progress.rowsDone, maxRssMb: maxRssMb() };
}

/** The naive way: the file's rows (its header first) as one pdfmake table, pdfmake's own layout, one call. */
async function naiveCase(file) {
  const require = createRequire(import.meta.url);
  const { FONTS_DIR } = await import(compiled('fonts/registry.js'));
  const { parse } = require('csv-parse/sync');
  const pdfmake = require('pdfmake');
  pdfmake.setFonts({ Sarabun: { normal: `${FONTS_DIR}/Sarabun-Regular.ttf`, bold: `${FONTS_DIR}/Sarabun-Bold.ttf`, italics: `${FONTS_DIR}/Sarabun-Italic.ttf`, bolditalics: `${FONTS_DIR}/Sarabun-BoldItalic.ttf` } });
  const body = parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true });
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
  return { ms, pages, rows: body.length - 1, maxRssMb: maxRssMb() };
}

const [kind, ...rest] = process.argv.slice(2);
const result = kind === 'naive' ? await naiveCase(rest[0]) : await batchCase(rest[0], rest[1], rest.slice(2), kind === 'started');
console.log(JSON.stringify(result));
