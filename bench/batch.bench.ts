/**
 * npm run bench (part): a province's applicant file through the whole batch
 * pipeline (CSV parsing, row validation, grouping by local authority,
 * rendering in the worker pool, merging into one PDF numbered continuously),
 * next to one naive pdfmake call on the same rows in the same run. Every case
 * runs in a fresh plain-node child (bench/batch-case.mjs) on the compiled build
 * (`npm run bench:batch` builds it first), so each peak RSS is its own and
 * carries no TypeScript loader.
 *
 * The two-instance case (issue 19) runs the largest file through the queue
 * several instances share (REDIS_URL, BullMQ) against a throwaway
 * redis-server: one instance through Redis, then two (the second a worker only,
 * in a process of its own), in alternation with the embedded pool. On a 2-core
 * machine the point is the queue's cost, not a speed-up.
 *
 *   BENCH_BATCH_SIZES=10000,20000  BENCH_BATCH_RUNS=3  BENCH_COVERS=2000
 *   BENCH_SHARED=0 (no Redis cases)  BENCH_SHARED_ROUNDS=2
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicantRecords, writeCsv, THAI_HEADERS } from '../scripts/generate-province.js';
import { startRedis } from '../test/helpers/redis.js';

const SIZES = (process.env.BENCH_BATCH_SIZES ?? '10000,20000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_BATCH_RUNS ?? 3);
const COVERS = Number(process.env.BENCH_COVERS ?? 2000);
const SHARED = process.env.BENCH_SHARED !== '0';
const SHARED_ROUNDS = Number(process.env.BENCH_SHARED_ROUNDS ?? 2);

/** `firstMs`: the job that started the pool, in a fresh process, as a one-off CLI run sees it (batch cases only); `warmUpMs`: the service's start-up warm-up. */
interface CaseResult { ms: number; firstMs?: number; warmUpMs?: number; pages: number; rows: number; maxRssMb: number }

/**
 * The service's low-memory setting (README, "Memory"): one render thread, its
 * heap let grow to 1.6 times its live data instead of 2, and every thread's
 * young generation at two 4 MB halves: a node option (it also overrides
 * SARABAN_WORKER_YOUNG_MB), because a process cannot set its own main
 * thread's once started.
 */
const LOW_MEMORY = { nodeOptions: ['--max-semi-space-size=4'], env: { SARABAN_WORKERS: '1', SARABAN_HEAP_GROWING_PERCENT: '60' } };

/** Runs one case in a fresh plain-node process (bench/batch-case.mjs) and reads its one-line JSON result. */
function child(args: string[], setting: { nodeOptions: string[]; env: Record<string, string> } = { nodeOptions: [], env: {} }): CaseResult {
  const out = execFileSync(process.execPath, [...setting.nodeOptions, new URL('./batch-case.mjs', import.meta.url).pathname, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    env: { ...process.env, ...setting.env },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

/** What a child printed: its log lines and, last, its result. */
interface ChildOutput { lines: Record<string, unknown>[]; result: Record<string, unknown> }

/** Starts bench/batch-case.mjs with `args` in the background; `ready()` resolves at its first line that has `ready`. */
function backgroundChild(args: string[]): { ready: () => Promise<void>; done: Promise<ChildOutput>; pid: number } {
  const proc = spawn(process.execPath, [new URL('./batch-case.mjs', import.meta.url).pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { onReady = resolve; });
  const output = createInterface({ input: proc.stdout });
  output.on('line', (text) => {
    if (!text) return;
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    if (line.ready) onReady();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', resolve));
  // Every line read before the result is taken: the output ends after the process does.
  const done = Promise.all([exited, once(output, 'close')]).then(([code]) => {
    if (code !== 0) throw new Error(`bench/batch-case.mjs ${args[0]} exited ${code}`);
    return { lines, result: lines[lines.length - 1]! };
  });
  const whenReady = () => Promise.race([ready, done.then(() => { throw new Error(`${args[0]} ended before it was ready`); })]);
  return { ready: whenReady, done, pid: proc.pid! };
}

/**
 * The largest file's jobs through the shared queue: submitted by one
 * instance, taken by any; `instances` 2 adds a worker-only instance. Each
 * instance warms its threads up first, as the service does at start, then
 * runs one unmeasured job (the first file). The peak RSS is the largest of the
 * instances'; `ranBy` counts the jobs each ran, those first ones included.
 */
async function sharedCase(formId: string, groupBy: string, files: string[], instances: 1 | 2): Promise<CaseResult & { ranBy: number[] }> {
  const redis = await startRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'saraban-bench-shared-'));
  try {
    const worker = instances === 2 ? backgroundChild(['shared-worker', redis.url, dataDir]) : undefined;
    await worker?.ready();
    const submitter = backgroundChild(['shared', redis.url, dataDir, String(instances), formId, groupBy, ...files]);
    const own = await submitter.done;
    let other: ChildOutput | undefined;
    if (worker) {
      process.kill(worker.pid, 'SIGTERM');
      other = await worker.done;
    }
    const started = (out: ChildOutput | undefined) => out?.lines.filter((l) => l.msg === 'batch job started').length ?? 0;
    const r = own.result as unknown as CaseResult;
    return { ...r, maxRssMb: Math.max(r.maxRssMb, Number(other?.result.maxRssMb ?? 0)), ranBy: worker ? [started(own), started(other)] : [started(own)] };
  } finally {
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

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
    const r = child(['batch', 'applicant-summary', 'authority', ...files.get(n)!]);
    batch.set(n, r);
    report(`applicant-summary, ${n} rows -> one merged PDF (by local authority)`, r);
  }
  const largest = Math.max(...SIZES);
  report(`applicant-summary, ${largest} rows -> one merged PDF, low-memory setting (one render thread, see README)`, child(['batch', 'applicant-summary', 'authority', ...files.get(largest)!], LOW_MEMORY));
  // The service warms its render threads when it starts (src/batch/warmUp.ts): its first job is neither cold nor warm.
  const started = child(['started', 'applicant-summary', 'authority', files.get(largest)![0]!]);
  report(`applicant-summary, ${largest} rows: the first job of a service, after its start-up warm-up (${(started.warmUpMs! / 1000).toFixed(2)} s)`, { ...started, firstMs: undefined });
  report(`naive: one pdfmake table call, ${largest} rows (once)`, child(['naive', files.get(largest)![0]!]));
  // A whole province as one list (one document: pdfmake's whole-document state is what grows here), one warm run.
  report(`applicant-summary, ${largest} rows -> one document, no grouping (one warm run)`, child(['batch', 'applicant-summary', 'none', ...files.get(largest)!.slice(0, 2)]));
  report(`submission-cover, ${COVERS} applicants -> ${COVERS * 3} cover sheets, one merged PDF`, child(['batch', 'submission-cover', 'authority', ...files.get(COVERS)!]));
  if (SHARED) {
    // The shared machine's speed drifts over minutes: the embedded pool and the queue are measured in alternation,
    // ROUNDS times, and the queue's overhead is the median of the differences within a round.
    console.log(`through the shared queue (Redis, BullMQ): ${SHARED_ROUNDS} rounds of embedded / one instance / two instances, each case as above`);
    const rounds: { embedded: CaseResult; one: CaseResult & { ranBy: number[] }; two: CaseResult & { ranBy: number[] } }[] = [];
    for (let round = 0; round < SHARED_ROUNDS; round++) {
      rounds.push({
        embedded: child(['batch', 'applicant-summary', 'authority', ...files.get(largest)!]),
        one: await sharedCase('applicant-summary', 'authority', files.get(largest)!, 1),
        two: await sharedCase('applicant-summary', 'authority', files.get(largest)!, 2),
      });
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const overhead = (of: 'one' | 'two') => {
      const ms = mid(rounds.map((r) => r[of].ms - r.embedded.ms));
      const share = mid(rounds.map((r) => r[of].ms / r.embedded.ms - 1));
      const sign = ms >= 0 ? '+' : '-';
      return `queue overhead ${sign}${(Math.abs(ms) / 1000).toFixed(2)} s (${sign}${Math.abs(share * 100).toFixed(1)}%)`;
    };
    const summary = (of: 'embedded' | 'one' | 'two'): CaseResult => ({
      ms: mid(rounds.map((r) => r[of].ms)), firstMs: mid(rounds.map((r) => r[of].firstMs ?? 0)),
      pages: rounds[0]![of].pages, rows: rounds[0]![of].rows, maxRssMb: Math.max(...rounds.map((r) => r[of].maxRssMb)),
    });
    const ranBy = (of: 'one' | 'two') => rounds.map((r) => r[of].ranBy.join('+')).join(', ');
    report(`applicant-summary, ${largest} rows, embedded pool (alternating with the two below)`, summary('embedded'));
    report(`  the same through Redis, one instance: ${overhead('one')}`, summary('one'));
    report(`  the same through Redis, two instances (jobs run by each, per round: ${ranBy('two')}; peak of either): ${overhead('two')}`, summary('two'));
  }
  if (batch.has(10000) && batch.has(20000)) {
    console.log(`time(20k) / time(10k) = ${(batch.get(20000)!.ms / batch.get(10000)!.ms).toFixed(2)}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
