import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applicantRecords, writeCsv, THAI_HEADERS } from '../scripts/generate-province.js';
import { ask, buildService, startService, type Service } from './helpers/service.js';
import { pdftotext } from './helpers/pdf.js';
import { startRedis, type RedisServer } from './helpers/redis.js';

/**
 * Issue 19: two instances of the built service share batch jobs through a
 * real Redis (REDIS_URL) and one data folder. A 20,000-row job survives the
 * instance running it being killed: another instance runs it again, to the
 * same text as a single instance gives, and no instance ever serves a partial
 * result. Two jobs go to both instances' workers, and every instance answers
 * the same about a job. redis-server is required (test/setup/tools.ts), never skipped.
 */

const ROWS = 20_000;
/** The lock of a running job: an instance killed in a job's middle frees it after this long. */
const LOCK_MS = 2000;
const shared = JSON.stringify({ round: { month: 'เมษายน', year: 2569 } });

interface PublicJob { id: string; state: string; restarts: number; progress: { rows: number; rowsDone: number; groupsDone: number; pages: number }; result?: { bytes: number }; error?: unknown }

let redis: RedisServer | undefined;
let dir: string;
let dataDir: string;
let csv: string;
/** Shorter jobs, for the cases where what matters is who runs them. */
let small: string;
let medium: string;
const MEDIUM_ROWS = 8000;
const services: Service[] = [];

/** An instance sharing the queue and the data folder. */
async function instance(): Promise<Service> {
  const s = await startService({ SARABAN_DATA_DIR: dataDir, REDIS_URL: redis!.url, SARABAN_QUEUE_LOCK_MS: String(LOCK_MS) });
  services.push(s);
  return s;
}

async function submit(to: Service, file: string): Promise<string> {
  const body = new FormData();
  body.append('shared', shared);
  body.append('groupBy', 'authority');
  body.append('output', 'pdf');
  body.append('file', new Blob([readFileSync(file)]), 'applicants.csv');
  const res = await ask(`${to.url}/api/v1/batch/applicant-summary`, { method: 'POST', body });
  expect(res.status, JSON.stringify(res.json)).toBe(202);
  return res.json!.id as string;
}

const status = async (s: Service, id: string) => (await ask(`${s.url}/api/v1/jobs/${id}`)).json as unknown as PublicJob;

/** The instance whose log says it started the job (the latest start when it ran more than once). */
const runnerOf = (id: string): Service | undefined => services.find((s) => s.alive() && s.lines.some((l) => l.msg === 'batch job started' && l.jobId === id));

/** Submits `file` to `to` and waits until some instance has rendered a document of it; the job's id and that instance. */
async function submitAndWaitTillRunning(to: Service, file: string): Promise<{ id: string; runner: Service }> {
  const id = await submit(to, file);
  await until('the job to be running', async () => {
    const job = await status(to, id);
    return job.state === 'running' && job.progress.groupsDone >= 1 ? job : undefined;
  });
  const runner = runnerOf(id);
  expect(runner).toBeDefined();
  return { id, runner: runner! };
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Asks for the result on every live instance until the job is done: 404 or
 * 409 before, then the whole file (its length the record's, a PDF to its end).
 */
async function resultWhenDone(id: string): Promise<{ pdf: Buffer; job: PublicJob; asked: number }> {
  let asked = 0;
  const end = Date.now() + 90_000;
  for (;;) {
    for (const s of services.filter((x) => x.alive())) {
      let res: Response;
      try {
        res = await fetch(`${s.url}/api/v1/jobs/${id}/result`, { signal: AbortSignal.timeout(30_000) });
      } catch (e) {
        if (!s.alive()) continue;
        throw e;
      }
      asked++;
      if (res.status === 200) {
        const pdf = Buffer.from(await res.arrayBuffer());
        const job = await status(s, id);
        expect(job.state).toBe('done');
        expect(pdf.length).toBe(job.result!.bytes);
        expect(Number(res.headers.get('content-length'))).toBe(pdf.length);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        expect(pdf.subarray(-8).toString('latin1')).toContain('%%EOF');
        return { pdf, job, asked };
      }
      await res.arrayBuffer();
      expect([404, 409], `result answered ${res.status} before the job was done`).toContain(res.status);
    }
    if (Date.now() > end) throw new Error(`job ${id} did not finish`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  buildService();
  dir = mkdtempSync(join(tmpdir(), 'saraban-scaleout-'));
  dataDir = join(dir, 'shared');
  csv = join(dir, 'applicants.csv');
  small = join(dir, 'small.csv');
  medium = join(dir, 'medium.csv');
  await Promise.all([
    startRedis().then((r) => { redis = r; }),
    writeCsv(csv, THAI_HEADERS, applicantRecords({ province: 'ชัยนาท', rows: ROWS, seed: 19 })),
    writeCsv(small, THAI_HEADERS, applicantRecords({ province: 'ชัยนาท', rows: 3000, seed: 7 })),
    writeCsv(medium, THAI_HEADERS, applicantRecords({ province: 'ชัยนาท', rows: MEDIUM_ROWS, seed: 8 })),
  ]);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two instances sharing batch jobs through Redis', () => {
  let text: string;
  let pages: number;

  it(`runs a ${ROWS.toLocaleString('en-US')}-row job again on the other instance when the one running it is killed, with the text of a single-instance run, never serving part of it`, async () => {
    const [a] = await Promise.all([instance(), instance()]);
    const id = await submit(a!, csv);
    // Mid-job: documents rendered, far from all.
    const midway = await until('the job to be halfway', async () => {
      const job = await status(a!, id);
      expect(job.state).not.toBe('failed');
      return job.state === 'running' && job.progress.groupsDone >= 5 ? job : undefined;
    });
    const runner = runnerOf(id)!;
    expect(runner).toBeDefined();
    const survivor = services.find((s) => s !== runner)!;
    runner.proc.kill('SIGKILL');
    await runner.exited;
    expect(midway.progress.pages).toBeGreaterThan(0);
    // A fresh instance joins while the survivor waits for the dead one's lock to run out.
    await instance();
    const { pdf, job, asked } = await resultWhenDone(id);
    expect(asked).toBeGreaterThan(3);
    expect(job.restarts).toBe(1);
    expect(job.progress.rowsDone).toBe(ROWS);
    expect(survivor.lines.some((l) => l.msg === 'batch job stalled (its instance stopped in its middle): queued again') ||
      services.some((s) => s.alive() && s.lines.some((l) => l.msg === 'batch job stalled (its instance stopped in its middle): queued again'))).toBe(true);
    // Every live instance answers the same about it.
    const answers = await Promise.all(services.filter((s) => s.alive()).map((s) => status(s, id)));
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
    text = pdftotext(pdf);
    pages = job.progress.pages;
    // Nothing left of the killed attempt: no work folders, no partial results.
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(join(dataDir, 'jobs', id)).sort()).toEqual(['input', 'job.json', 'result']);
  }, 150_000);

  it('gives the same text as one instance without Redis (the embedded queue)', async () => {
    const single = await startService({ SARABAN_DATA_DIR: join(dir, 'single') });
    services.push(single);
    try {
      const id = await submit(single, csv);
      const job = await until('the single-instance job', async () => {
        const j = await status(single, id);
        return j.state === 'done' || j.state === 'failed' ? j : undefined;
      }, 150_000);
      expect(job.state).toBe('done');
      expect(job.progress.pages).toBe(pages);
      const res = await fetch(`${single.url}/api/v1/jobs/${id}/result`);
      expect(res.status).toBe(200);
      expect(pdftotext(Buffer.from(await res.arrayBuffer()))).toBe(text);
    } finally {
      await single.stop();
      services.splice(services.indexOf(single), 1);
    }
  }, 180_000);

  it('sends two jobs to both instances\' workers, and both instances answer the same about each', async () => {
    const live = services.filter((s) => s.alive());
    expect(live).toHaveLength(2);
    const first = await submit(live[0]!, small);
    const second = await submit(live[0]!, small);
    for (const id of [first, second]) {
      await until(`job ${id}`, async () => {
        const [x, y] = await Promise.all(live.map((s) => status(s, id)));
        expect(x!.id).toBe(id);
        expect(y!.id).toBe(id);
        return x!.state === 'done' && y!.state === 'done' ? true : undefined;
      });
      const [x, y] = await Promise.all(live.map((s) => status(s, id)));
      expect(y).toEqual(x);
    }
    const ranFirst = runnerOf(first);
    const ranSecond = runnerOf(second);
    expect(ranFirst).toBeDefined();
    expect(ranSecond).toBeDefined();
    expect(ranSecond).not.toBe(ranFirst);
    // Deleted through one instance: gone for both.
    expect((await ask(`${live[1]!.url}/api/v1/jobs/${first}`, { method: 'DELETE' })).status).toBe(204);
    for (const s of live) expect((await ask(`${s.url}/api/v1/jobs/${first}`)).status).toBe(404);
    // A running job deleted through the instance not running it: the runner drops its run, keeps nothing, and goes on.
    const { id: running, runner } = await submitAndWaitTillRunning(live[0]!, medium);
    const elsewhere = live.find((s) => s !== runner)!;
    expect((await ask(`${elsewhere.url}/api/v1/jobs/${running}`, { method: 'DELETE' })).status).toBe(204);
    await until('the runner to drop the deleted job', async () => (runner.lines.some((l) => l.msg === 'batch job deleted on another instance: this run is discarded' && l.jobId === running) ? true : undefined));
    for (const s of live) expect((await ask(`${s.url}/api/v1/jobs/${running}`)).status).toBe(404);
    expect(existsSync(join(dataDir, 'jobs', running))).toBe(false);
    expect(runner.lines.some((l) => l.msg === 'batch job ended' && l.jobId === running)).toBe(false);
  }, 120_000);

  it('hands a job back to the queue at once when the instance running it is told to stop (SIGTERM): the other runs it, no stall waited for', async () => {
    const live = services.filter((s) => s.alive());
    expect(live).toHaveLength(2);
    const { id, runner } = await submitAndWaitTillRunning(live[0]!, medium);
    const other = live.find((s) => s !== runner)!;
    runner.proc.kill('SIGTERM');
    // Drained: it stops its run, hands the job back, and exits cleanly, well before the job could have ended.
    expect(await runner.exited).toBe(0);
    expect(runner.lines.some((l) => l.msg === 'batch job handed back to the queue (shutting down)' && l.jobId === id)).toBe(true);
    const job = await until('the job on the other instance', async () => {
      const j = await status(other, id);
      return j.state === 'done' || j.state === 'failed' ? j : undefined;
    }, 60_000);
    expect(job.state).toBe('done');
    expect(job.restarts).toBe(1);
    expect(job.progress.rowsDone).toBe(MEDIUM_ROWS);
    expect(other.lines.some((l) => l.msg === 'batch job started' && l.jobId === id)).toBe(true);
    // Taken from the queue, not found stalled after the lock ran out.
    expect(services.some((s) => s.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('batch job stalled') && l.jobId === id))).toBe(false);
  }, 90_000);

  it('answers 503 queue_unavailable at once while Redis is down, rather than holding the request', async () => {
    const [live] = services.filter((s) => s.alive());
    expect(live).toBeDefined();
    await redis!.stop();
    const body = new FormData();
    body.append('shared', shared);
    body.append('file', new Blob([readFileSync(small)]), 'applicants.csv');
    const submitted = await ask(`${live!.url}/api/v1/batch/applicant-summary`, { method: 'POST', body, deadlineMs: 10_000 });
    expect(submitted.status).toBe(503);
    expect((submitted.json!.error as { code: string }).code).toBe('queue_unavailable');
    const asked = await ask(`${live!.url}/api/v1/jobs/00000000-0000-4000-8000-000000000000`, { deadlineMs: 10_000 });
    expect(asked.status).toBe(503);
    // The rest of the service goes on without Redis.
    expect((await ask(`${live!.url}/healthz`)).status).toBe(200);
  }, 30_000);
});
