import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../src/http/app.js';
import { batchJobEntered, metricsRegistry } from '../src/http/ops.js';
import { logsOf } from './helpers/logs.js';
import { BatchManager } from '../src/batch/manager.js';
import { JobStore, type Job } from '../src/batch/jobs.js';
import { RenderPool, type RunOptions, type TaskInput, type TaskResults } from '../src/batch/pool.js';

/**
 * Memo renders held at a gate, or failing with an internal error, on their way to the render
 * threads: what the HTTP layer does around a render, seen without depending on how long one takes.
 */
const hold = { gate: undefined as Promise<void> | undefined, entered: [] as (() => void)[], boom: false };
class GatedPool extends RenderPool {
  override run<T extends TaskInput>(task: T, options: RunOptions): Promise<TaskResults[T['kind']]> {
    if (task.kind === 'form' && task.formId === 'memo') {
      if (hold.boom) return Promise.reject(new Error('secret internals at /srv/saraban/x.ts'));
      const gate = hold.gate;
      if (gate) {
        hold.entered.shift()?.();
        return gate.then(() => super.run(task, options));
      }
    }
    return super.run(task, options);
  }
}
const pool = new GatedPool(1);
afterAll(() => pool.close());

const root = new URL('..', import.meta.url).pathname;
const memo = JSON.parse(readFileSync(join(root, 'examples/memo/budget-request.json'), 'utf8'));
const dataDir = mkdtempSync(join(tmpdir(), 'saraban-ops-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const appWith = (options: AppOptions = {}) => createApp({ dataDir, pool, ...options });

/** A gate for memo renders: `entered()` resolves as each held render reaches it. */
function holdMemoRenders() {
  let open!: () => void;
  hold.gate = new Promise<void>((r) => { open = r; });
  const entered = () => new Promise<void>((r) => hold.entered.push(r));
  return { entered, release: () => { hold.gate = undefined; open(); } };
}

async function metricValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want))
    .filter((v) => !('metricName' in v) || v.metricName === name || v.metricName === `${name}_count`)
    .reduce((sum, v) => sum + v.value, 0);
}

/** Resolves when `check` holds; checked after each turn of the event loop, never on a timer guess. */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition never held');
}

const listen = (app: ReturnType<typeof createApp>) => new Promise<http.Server>((resolve) => { const s = app.listen(0, () => resolve(s)); });

describe('request ids and logs', () => {
  const app = appWith();

  it('echoes a safe X-Request-Id and makes a UUID otherwise', async () => {
    const given = await request(app).get('/healthz').set('X-Request-Id', 'abc.DEF_12-3').expect(200);
    expect(given.headers['x-request-id']).toBe('abc.DEF_12-3');
    for (const bad of ['two words', 'x'.repeat(101), 'caf\u00e9', 'a;b', '../x/y']) {
      const res = await request(app).get('/healthz').set('X-Request-Id', bad).expect(200);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    const a = await request(app).get('/healthz');
    const b = await request(app).get('/healthz');
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('writes one JSON access line per request, with the path without its query', async () => {
    const { lines } = await logsOf(() => request(app).get('/api/v1/forms/memo?secret=1').set('X-Request-Id', 'req-access-1').expect(200));
    const access = lines.filter((l) => l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 30, reqId: 'req-access-1', method: 'GET', path: '/api/v1/forms/memo', status: 200 });
    expect(typeof access[0]!.ms).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('secret=1');
  });

  it('logs an unexpected error with its stack and the request id, and tells the client nothing of it', async () => {
    hold.boom = true;
    try {
      const { result: res, lines } = await logsOf(() => request(app).post('/api/v1/render/memo').set('X-Request-Id', 'req-boom').send(memo).expect(500));
      expect(res.body).toEqual({ error: { code: 'internal', th: expect.stringMatching(/[\u0e00-\u0e7f]/), en: 'internal error' } });
      expect(res.text).not.toContain('secret');
      const error = lines.find((l) => l.msg === 'unexpected error');
      expect(error).toMatchObject({ level: 50, reqId: 'req-boom' });
      expect((error!.err as { stack: string }).stack).toContain('secret internals');
      expect(lines.find((l) => l.msg === 'request')).toMatchObject({ reqId: 'req-boom', status: 500 });
    } finally {
      hold.boom = false;
    }
  });
});

describe('metrics', () => {
  const app = appWith();

  it('counts requests by route pattern, errors by code and renders by form, format and outcome', async () => {
    const route = { method: 'GET', route: '/api/v1/forms/:formId', status: '404' };
    const before = {
      notFound: await metricValue('saraban_http_requests_total', route),
      unknownForm: await metricValue('saraban_errors_total', { code: 'unknown_form' }),
      ok: await metricValue('saraban_renders_total', { form: 'memo', format: 'pdf', outcome: 'ok' }),
      invalid: await metricValue('saraban_renders_total', { form: 'memo', format: 'docx', outcome: 'invalid' }),
      timed: await metricValue('saraban_render_duration_seconds', { form: 'memo', format: 'pdf' }),
    };
    await request(app).get('/api/v1/forms/no-such-form-1').expect(404);
    await request(app).get('/api/v1/forms/no-such-form-2').expect(404);
    await request(app).post('/api/v1/render/memo?format=pdf').send(memo).expect(200);
    await request(app).post('/api/v1/render/memo?format=docx').send({ ...memo, date: 'yesterday' }).expect(400);

    expect(await metricValue('saraban_http_requests_total', route)).toBe(before.notFound + 2);
    expect(await metricValue('saraban_errors_total', { code: 'unknown_form' })).toBe(before.unknownForm + 2);
    expect(await metricValue('saraban_renders_total', { form: 'memo', format: 'pdf', outcome: 'ok' })).toBe(before.ok + 1);
    expect(await metricValue('saraban_renders_total', { form: 'memo', format: 'docx', outcome: 'invalid' })).toBe(before.invalid + 1);
    expect(await metricValue('saraban_render_duration_seconds', { form: 'memo', format: 'pdf' })).toBe(before.timed + 1);

    const text = (await request(app).get('/metrics').expect(200).expect('content-type', /text\/plain/)).text;
    expect(text).toContain('saraban_http_requests_total{method="GET",route="/api/v1/forms/:formId",status="404"}');
    expect(text).toContain('# TYPE saraban_render_duration_seconds histogram');
    expect(text).toContain('# TYPE saraban_render_queue_depth gauge');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    // Raw URLs never become labels.
    expect(text).not.toContain('no-such-form');
  });

  it('counts batch jobs by state and their rows by outcome', async () => {
    const pool = new RenderPool(1);
    const manager = new BatchManager(new JobStore(join(dataDir, 'jobs')), pool);
    const form = 'applicant-summary';
    const count = (state: string) => metricValue('saraban_batch_jobs_total', { form, state });
    const rows = (outcome: string) => metricValue('saraban_batch_rows_total', { form, outcome });
    const before = { queued: await count('queued'), running: await count('running'), done: await count('done'), rendered: await rows('rendered'), invalid: await rows('invalid') };
    const header = 'จังหวัด,อบจ./เทศบาล/อบต.,สำนัก/กอง/โรงเรียน,ชื่อ-สกุล,ตำแหน่ง,เงินเดือน,อายุ,วิทยฐานะที่เสนอขอ,กลุ่มสาระ,เรื่อง/วิชา/ชั้นเรียน';
    const good = (i: number) => `ชัยนาท,เทศบาลเมืองชัยนาท,โรงเรียนเทศบาล 1,นางสาวทดสอบ ลำดับที่${i},ครู,30000,40,ชำนาญการพิเศษ,ภาษาไทย,แผนการจัดการเรียนรู้ ${i}`;
    const csv = [header, good(1), good(2), 'ชัยนาท,เทศบาลเมืองชัยนาท,โรงเรียน,นายผิด เงินเดือน,ครู,สามหมื่น,40,ชำนาญการพิเศษ,ไทย,งาน', good(3)].join('\r\n') + '\r\n';
    try {
      const job = manager.submit(form, Buffer.from(csv), 'a.csv', { groupBy: 'authority', output: 'zip', format: 'pdf' }, { round: { month: 'เมษายน', year: 2558 } });
      const ended = await manager.finished(job.id);
      expect(ended.state).toBe('done');
      expect(await count('queued')).toBe(before.queued + 1);
      expect(await count('running')).toBe(before.running + 1);
      expect(await count('done')).toBe(before.done + 1);
      expect(await rows('rendered')).toBe(before.rendered + 3);
      expect(await rows('invalid')).toBe(before.invalid + 1);
    } finally {
      await manager.close();
    }
  });

  it('counts the rows of a group the arithmetic rejected, and of a failed job, as skipped', async () => {
    const skipped = () => metricValue('saraban_batch_rows_total', { form: 'test-form', outcome: 'skipped' });
    const before = await skipped();
    const job = { formId: 'test-form', state: 'done', progress: { rows: 10, rowsDone: 6, groups: 2, groupsDone: 1, pages: 3 }, badRowCount: 1 } as Job;
    batchJobEntered(job);
    expect(await skipped()).toBe(before + 3);
    batchJobEntered({ ...job, state: 'failed', progress: { ...job.progress, rowsDone: 0 }, badRowCount: 0 });
    expect(await skipped()).toBe(before + 13);
  });
});

describe('readiness', () => {
  it('is ready with fonts and a writable data directory', async () => {
    expect((await request(appWith()).get('/readyz').expect(200)).body).toEqual({ status: 'ready' });
  });

  it('is not ready while shutting down, with the reason in Thai and English; /healthz stays up', async () => {
    const app = appWith({ shuttingDown: () => true });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body).toEqual({ status: 'not_ready', error: { code: 'not_ready', th: 'ระบบกำลังปิดตัว', en: 'the service is shutting down' } });
    await request(app).get('/healthz').expect(200);
  });

  it('is not ready when the data directory cannot be written, saying so without its path (the log has it, once)', async () => {
    const file = join(dataDir, 'a-file');
    writeFileSync(file, '');
    const app = appWith({ dataDir: join(file, 'data') });
    const { result: responses, lines } = await logsOf(async () => [await request(app).get('/readyz').expect(503), await request(app).get('/readyz').expect(503)]);
    for (const res of responses) {
      expect(res.body.error).toEqual({ code: 'not_ready', th: 'เขียนไฟล์ลงโฟลเดอร์ข้อมูลไม่ได้', en: 'the data folder is not writable' });
      expect(res.text).not.toContain(dataDir);
    }
    expect(lines.filter((l) => l.msg === 'the data folder is not writable (SARABAN_DATA_DIR)')).toEqual([expect.objectContaining({ dataDir: join(file, 'data') })]);
  });
});

describe('API keys', () => {
  const app = appWith({ apiKeys: ['key-one', 'k2:with-colon'] });
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('asks for a key on the API, the documentation, the metrics and the upload page', async () => {
    for (const path of ['/api/v1/forms', '/openapi.json', '/docs', '/metrics', '/', '/index.html', '/docs/templates.md', '/no-such-page']) {
      const res = await request(app).get(path).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="Saraban"/);
      expect(res.body.error).toMatchObject({ code: 'unauthorized', th: expect.stringMatching(/[\u0e00-\u0e7f]/), en: expect.stringContaining('API key') });
    }
    await request(app).post('/api/v1/render/memo').send(memo).expect(401);
  });

  it('takes a key as a Bearer token, an X-API-Key header or the password of HTTP Basic', async () => {
    await request(app).get('/api/v1/forms').set('Authorization', 'Bearer key-one').expect(200);
    await request(app).get('/api/v1/forms').set('X-API-Key', 'k2:with-colon').expect(200);
    await request(app).get('/api/v1/forms').set('Authorization', basic('clerk', 'key-one')).expect(200);
    await request(app).get('/metrics').set('Authorization', basic('', 'k2:with-colon')).expect(200);
    await request(app).get('/').set('Authorization', basic('anyone', 'key-one')).expect(200).expect('content-type', /html/);
  });

  it('refuses a wrong key, a key as user name, and a prefix of a key', async () => {
    for (const auth of ['Bearer key-two', 'Bearer key-on', 'Bearer key-one2', basic('key-one', ''), basic('key-one', 'x'), 'Basic !!!', 'key-one']) {
      await request(app).get('/api/v1/forms').set('Authorization', auth).expect(401);
    }
    await request(app).get('/api/v1/forms').set('X-API-Key', '').expect(401);
  });

  it('never asks the probes for a key', async () => {
    await request(app).get('/healthz').expect(200);
    await request(app).get('/readyz').expect(200);
  });

  it('opens the upload page, not the API, with SARABAN_PUBLIC_UI', async () => {
    const open = appWith({ apiKeys: ['key-one'], publicUi: true });
    await request(open).get('/').expect(200).expect('content-type', /html/);
    await request(open).get('/api/v1/forms').expect(401);
    await request(open).get('/metrics').expect(401);
    await request(open).get('/docs').expect(401);
    // The routes match case-insensitively and with a trailing slash: so does the guard.
    for (const path of ['/API/v1/forms', '/Api/V1/Forms/memo', '/metrics/', '/METRICS', '/docs/', '/OpenAPI.json']) await request(open).get(path).expect(401);
    // The template guide the upload page links to is part of the page.
    await request(open).get('/docs/templates.md').expect(200);
  });

  it('leaves everything open without keys', async () => {
    await request(appWith({ apiKeys: [] })).get('/api/v1/forms').expect(200);
  });
});

describe('bounded render queue', () => {
  it('renders one at a time, queues one, and answers 503 busy past that', async () => {
    const server = await listen(appWith({ renderQueue: { concurrency: 1, maxWaiting: 1, timeoutMs: 60_000 } }));
    const gate = holdMemoRenders();
    try {
      const first = gate.entered();
      const a = request(server).post('/api/v1/render/memo').send(memo).then((r) => r);
      await first;
      const depth = await metricValue('saraban_render_queue_depth');
      const b = request(server).post('/api/v1/forms/memo/compute').send(memo).then((r) => r);
      await until(async () => (await metricValue('saraban_render_queue_depth')) === depth + 1);
      // Both slot and line are taken: every render route answers busy at once.
      for (const [path, body] of [['/api/v1/render/memo', memo], ['/api/v1/forms/memo/compute', memo], ['/api/v1/preview/memo', memo]] as const) {
        const busy = await request(server).post(path).send(body).expect(503);
        expect(busy.headers['retry-after']).toBe('1');
        expect(busy.body.error).toMatchObject({ code: 'busy', th: expect.stringMatching(/[\u0e00-\u0e7f]/), en: expect.stringContaining('busy') });
      }
      const merge = await request(server).post('/api/v1/docx-merge').attach('template', Buffer.from('x'), 't.docx').field('data', '{}').expect(503);
      expect(merge.body.error.code).toBe('busy');
      // Other routes are not queued.
      await request(server).get('/api/v1/forms/memo').expect(200);
      gate.release();
      expect((await a).status).toBe(200);
      expect((await b).status).toBe(200);
      expect(await metricValue('saraban_render_queue_depth')).toBe(depth);
      await request(server).post('/api/v1/forms/memo/compute').send(memo).expect(200);
    } finally {
      gate.release();
      server.close();
    }
  });

  it('frees the slot of a client that goes away, and drops a waiting client that goes away', async () => {
    const server = await listen(appWith({ renderQueue: { concurrency: 1, maxWaiting: 1, timeoutMs: 60_000 } }));
    const { port } = server.address() as AddressInfo;
    const gate = holdMemoRenders();
    const post = (path: string) => {
      const req = http.request({ port, path, method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', () => {});
      req.end(JSON.stringify(memo));
      return req;
    };
    try {
      const { lines } = await logsOf(async () => {
        const first = gate.entered();
        const holding = post('/api/v1/render/memo');
        await first;
        const depth = await metricValue('saraban_render_queue_depth');
        const waiting = post('/api/v1/render/memo');
        await until(async () => (await metricValue('saraban_render_queue_depth')) === depth + 1);
        waiting.destroy();
        await until(async () => (await metricValue('saraban_render_queue_depth')) === depth);
        holding.destroy();
        // The render itself is still held at the gate, but its slot is free.
        await request(server).post('/api/v1/forms/memo/compute').send(memo).expect(200);
      });
      expect(lines.filter((l) => l.msg === 'request' && l.status === 499)).toHaveLength(2);
    } finally {
      gate.release();
      server.close();
    }
  });
});

describe('render time limit', () => {
  it('stops a render past its limit, answers 503 render_timeout on time, and the next render gets a fresh thread', async () => {
    const app = appWith({ renderQueue: { concurrency: 1, maxWaiting: 0, timeoutMs: 300 } });
    const timeouts = await metricValue('saraban_renders_total', { form: 'memo', format: 'pdf', outcome: 'timeout' });
    // Paragraphs of one 19,000-letter word: seconds of line breaking, far past 0.3 s.
    const slow = { ...memo, body: Array.from({ length: 7 }, () => 'ก'.repeat(19_000)) };
    const started = performance.now();
    const res = await request(app).post('/api/v1/render/memo').send(slow).expect(503);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(res.body.error).toMatchObject({ code: 'render_timeout', th: expect.stringMatching(/[\u0e00-\u0e7f]/), en: expect.stringContaining('longer than 0.3 s') });
    expect(await metricValue('saraban_renders_total', { form: 'memo', format: 'pdf', outcome: 'timeout' })).toBe(timeouts + 1);
    // No line: without the freed slot this would be 503 busy; the stopped thread has been replaced.
    await request(appWith()).post('/api/v1/forms/memo/compute').send(memo).expect(200);
  });
});

describe('graceful shutdown of the built server', () => {
  let child: ChildProcess | undefined;
  beforeAll(() => {
    // Type errors elsewhere do not stop tsc from writing dist/; a missing server does.
    try { execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' }); } catch { /* see below */ }
    expect(existsSync(join(root, 'dist/src/server.js'))).toBe(true);
  });
  afterAll(() => { if (child && child.exitCode === null) child.kill('SIGKILL'); });

  it('finishes the request in flight, refuses new ones, and exits 0', async () => {
    const proc = spawn('node', ['dist/src/server.js'], { cwd: root, env: { ...process.env, PORT: '0', SARABAN_DATA_DIR: dataDir, SARABAN_LOG_LEVEL: 'info', VITEST: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    const lines: Record<string, unknown>[] = [];
    const waiters: { test: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
    let buffered = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const text of parts.filter(Boolean)) {
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        for (const w of waiters.filter((w) => w.test(line))) { waiters.splice(waiters.indexOf(w), 1); w.resolve(line); }
      }
    });
    const logLine = (test: (l: Record<string, unknown>) => boolean) => new Promise<Record<string, unknown>>((resolve) => {
      const seen = lines.find(test);
      if (seen) resolve(seen); else waiters.push({ test, resolve });
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

    const port = (await logLine((l) => l.msg === 'saraban listening')).port as number;
    // A slow client: the request is in flight while its body is still coming.
    const body = Buffer.from(JSON.stringify(memo));
    const slow = http.request({ port, path: '/api/v1/render/memo', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-request-id': 'slow-1' } });
    const response = new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      slow.on('response', (res) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) })); });
      slow.on('error', reject);
    });
    slow.write(body.subarray(0, 10));
    // The server counts a request once it has parsed its headers: under a loaded test run that can
    // come after another connection's answer, so give it time (the only wait in this test).
    const socket = slow.socket ?? await new Promise<import('node:net').Socket>((resolve) => slow.once('socket', resolve));
    if (socket.connecting) await new Promise((resolve) => socket.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A request on another connection answered after the first one's headers were sent.
    await request(`http://localhost:${port}`).get('/readyz').expect(200);

    proc.kill('SIGTERM');
    expect(await logLine((l) => l.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM', inFlight: 1 });
    // New connections are refused once the server has stopped listening.
    await expect(request(`http://localhost:${port}`).get('/healthz')).rejects.toThrow(/ECONNREFUSED/);
    slow.end(body.subarray(10));
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(answer.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await exited).toBe(0);
    expect(lines.find((l) => l.msg === 'request' && l.reqId === 'slow-1')).toMatchObject({ status: 200, path: '/api/v1/render/memo' });
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped' });
  });
});
