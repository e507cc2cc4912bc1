/**
 * npm run bench:load: the built service under load. Builds (npm run build),
 * starts `node dist/src/server.js` in a child process on a free port with a
 * scratch data folder, warms it up, then sends one-page letters
 * (examples/external-letter/minimal.json) as PDF from autocannon at
 * concurrency 16, and prints requests/s, p50/p99 latency, errors (non-2xx and
 * socket errors) and the server's RSS after the warm-up and at the end.
 *
 *   BENCH_LOAD_SECONDS=30 BENCH_LOAD_WARMUP=15 BENCH_LOAD_CONNECTIONS=16 BENCH_LOAD_SKIP_BUILD=1
 *
 * Targets: >= 150 letters/s, 0 errors, end RSS within 10 % of the warmed-up RSS.
 * Exits 1 when a target is missed (the figures are printed either way).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
// 15 s: long enough for the heap to reach its working size, so "RSS after warm-up" is the steady state.
const WARMUP = Number(process.env.BENCH_LOAD_WARMUP ?? 15);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 16);
const TARGET_RPS = 150;
const RSS_GROWTH = 0.1;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The child's resident set size in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not answer /healthz within 30 s');
}

function load(url: string, body: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/api/v1/render/external-letter?format=pdf`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

async function main(): Promise<void> {
  if (!process.env.BENCH_LOAD_SKIP_BUILD) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const dataDir = mkdtempSync(join(tmpdir(), 'saraban-load-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'server.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), SARABAN_DATA_DIR: dataDir, SARABAN_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitReady(url, child);
    const body = readFileSync(join(ROOT, 'examples', 'external-letter', 'minimal.json'), 'utf8');
    await load(url, body, WARMUP);
    const rssWarm = rssMb(child.pid!);
    // Sampled during the run: a plateau is heap sizing, a steady climb is a leak.
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMb(child.pid!)), 5000);
    const result = await load(url, body, SECONDS);
    clearInterval(sampler);
    const rssEnd = rssMb(child.pid!);

    const errors = result.non2xx + result.errors + result.timeouts;
    const growth = (rssEnd - rssWarm) / rssWarm;
    const [load1, load5] = loadavg();
    console.log(`load benchmark: one-page letter PDF, ${CONNECTIONS} connections, ${SECONDS} s after a ${WARMUP} s warm-up`);
    console.log(`  requests/s   ${result.requests.average.toFixed(1)} (total ${result.requests.total})`);
    console.log(`  latency      p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    console.log(`  errors       ${errors} (non-2xx ${result.non2xx}, socket errors ${result.errors}, timeouts ${result.timeouts})`);
    console.log(`  server RSS   ${rssWarm.toFixed(0)} MB after warm-up, ${rssEnd.toFixed(0)} MB at the end (${(growth * 100).toFixed(1)} %); every 5 s: ${samples.map((m) => m.toFixed(0)).join(', ')} MB`);
    if (samples.length >= 6) {
      const third = Math.floor(samples.length / 3);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const first = median(samples.slice(0, third));
      const last = median(samples.slice(-third));
      console.log(`  RSS drift    median of the first third ${first.toFixed(0)} MB, of the last third ${last.toFixed(0)} MB (${(((last - first) / first) * 100).toFixed(1)} %): a leak climbs, GC saw-teeth do not`);
    }
    console.log(`  machine      load average ${load1!.toFixed(2)} (1 min), ${load5!.toFixed(2)} (5 min)`);
    const missed = [
      result.requests.average < TARGET_RPS ? `requests/s below ${TARGET_RPS}` : '',
      errors > 0 ? 'errors' : '',
      growth > RSS_GROWTH ? `RSS grew more than ${RSS_GROWTH * 100} %` : '',
    ].filter(Boolean);
    console.log(missed.length ? `  MISSED: ${missed.join(', ')}` : '  all targets met');
    process.exitCode = missed.length ? 1 : 0;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
