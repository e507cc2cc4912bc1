// One measured case of bench/batch.bench.ts, run by plain node on the compiled
// build: a child under tsx would carry its loader (about 40 MB) in every peak.
//   node bench/batch-case.mjs batch <form-id> <group-by> <file.csv>...   (first file warms the pool)
//   node bench/batch-case.mjs started <form-id> <group-by> <file.csv>    (the service's start-up warm-up, then one job)
//   node bench/batch-case.mjs naive <file.csv>
//   node bench/batch-case.mjs shared <redis-url> <data-dir> <instances> <form-id> <group-by> <file.csv>...   (an instance of the shared queue that submits the jobs; the first file warms every instance)
//   node bench/batch-case.mjs shared-worker <redis-url> <data-dir>   (one that only takes jobs, until SIGTERM)
// Prints one line of JSON: { ms, firstMs?, warmUpMs?, pages, rows, maxRssMb } (shared-worker: { maxRssMb } when stopped).
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

/** An instance of the queue shared through Redis (REDIS_URL), its render threads warmed up as the service does at start. */
async function sharedInstance(redisUrl, dataDir) {
  const { SharedJobQueue } = await import(compiled('batch/sharedQueue.js'));
  const { JobStore } = await import(compiled('batch/jobs.js'));
  const { warmUp } = await import(compiled('batch/warmUp.js'));
  const queue = new SharedJobQueue(redisUrl, new JobStore(dataDir, { lock: false }));
  const w = await warmUp(queue.pool);
  if (!w.ok) throw new Error(`warm-up failed: ${w.error}`);
  return queue;
}

/**
 * As batchCase, through the shared queue: each job submitted here, run by
 * whichever instance's worker takes it, and followed as an HTTP client would
 * (its record read from Redis every 20 ms) until it ends. The first file is
 * submitted once per instance at the same time, so that each instance's
 * worker takes one and every instance is as warm as batchCase's one pool.
 */
async function sharedCase(redisUrl, dataDir, instances, formId, groupBy, files) {
  const queue = await sharedInstance(redisUrl, dataDir);
  const shared = formId === 'submission-cover' ? {} : { round: { month: 'เมษายน', year: 2569 } };
  const run = async (file) => {
    const job = await queue.submit(formId, readFileSync(file), 'rows.csv', { groupBy, output: 'pdf', format: 'pdf' }, shared);
    for (;;) {
      const now = await queue.get(job.id);
      if (now.state === 'failed') throw new Error(`job failed: ${JSON.stringify(now.error ?? now.groupErrors.slice(0, 2))}`);
      if (now.state === 'done') return now;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  let t = performance.now();
  await Promise.all(Array.from({ length: instances }, () => run(files[0])));
  const firstMs = performance.now() - t;
  const times = [];
  let last;
  for (const file of files.slice(1)) {
    t = performance.now();
    last = await run(file);
    times.push(performance.now() - t);
  }
  await queue.close();
  return { ms: median(times), firstMs, pages: last.progress.pages, rows: last.progress.rowsDone, maxRssMb: maxRssMb() };
}

/** The other instance: takes jobs until told to stop, then says how much memory it took at most. */
async function sharedWorker(redisUrl, dataDir) {
  const queue = await sharedInstance(redisUrl, dataDir);
  console.log(JSON.stringify({ ready: true }));
  await new Promise((resolve) => process.once('SIGTERM', resolve));
  await queue.close();
  return { maxRssMb: maxRssMb() };
}

const [kind, ...rest] = process.argv.slice(2);
const result = kind === 'naive' ? await naiveCase(rest[0])
  : kind === 'shared' ? await sharedCase(rest[0], rest[1], Number(rest[2]), rest[3], rest[4], rest.slice(5))
  : kind === 'shared-worker' ? await sharedWorker(rest[0], rest[1])
  : await batchCase(rest[0], rest[1], rest.slice(2), kind === 'started');
console.log(JSON.stringify(result));
