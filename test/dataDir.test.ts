import { afterAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { createApp } from '../src/http/app.js';
import { BatchManager, type BatchManagerOptions } from '../src/batch/manager.js';
import { JobStore, type Job } from '../src/batch/jobs.js';
import { DataDirLockedError } from '../src/batch/dataDir.js';
import { RenderPool, type TaskOutcome } from '../src/batch/pool.js';
import { logsOf } from './helpers/logs.js';
import { flagSetting, numberSetting } from '../src/settings.js';

const root = new URL('..', import.meta.url).pathname;
const base = mkdtempSync(join(tmpdir(), 'saraban-datadir-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(base, `jobs-${++dirs}`);

async function until(test: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A render pool whose documents wait until the test lets them go; `handed`
 * counts every document given to it. Other tasks (reading the file) go to a
 * real pool of one thread, started when first needed.
 */
class HeldPool {
  readonly size = 1;
  handed = 0;
  private real?: RenderPool;
  run(...args: Parameters<RenderPool['run']>) {
    return (this.real ??= new RenderPool(1)).run(...args);
  }
  private held: { outPath: string; resolve: (o: TaskOutcome) => void; reject: (e: Error) => void }[] = [];
  render(task: { outPath: string }): Promise<TaskOutcome> {
    this.handed++;
    return new Promise((resolve, reject) => this.held.push({ outPath: task.outPath, resolve, reject }));
  }
  get waiting(): number { return this.held.length; }
  /** Each held document is rendered (its file written where its folder still is). */
  finishAll(): void {
    for (const h of this.held.splice(0)) {
      try { writeFileSync(h.outPath, '%PDF-1.4 stub'); } catch { /* its job's folder is gone */ }
      h.resolve({ ok: true, pages: 1, bytes: 13 });
    }
  }
  async close(): Promise<void> {
    for (const h of this.held.splice(0)) h.reject(new Error('render pool closed'));
    await this.real?.close();
  }
}
const heldPool = () => new HeldPool() as HeldPool & RenderPool;

interface Service { dir: string; manager: BatchManager; pool: HeldPool & RenderPool; app: Express }

/** A manager on a fresh folder with a held pool, and an app over it, for `fn`; closed after. Returns the folder. */
async function withService(fn: (s: Service) => Promise<void>, options: BatchManagerOptions = {}): Promise<string> {
  const dir = freshDir();
  const pool = heldPool();
  const manager = new BatchManager(new JobStore(dir), pool, options);
  try {
    await fn({ dir, manager, pool, app: createApp({ batch: () => manager }) });
  } finally {
    await manager.close();
  }
  return dir;
}

const OPTIONS = { groupBy: 'authority', output: 'zip', format: 'pdf' } as const;
const SHARED = { round: { month: 'เมษายน', year: 2558 } };
const HEADER = 'จังหวัด,อบจ./เทศบาล/อบต.,สำนัก/กอง/โรงเรียน,ชื่อ-สกุล,ตำแหน่ง,เงินเดือน,อายุ,วิทยฐานะที่เสนอขอ,กลุ่มสาระ,เรื่อง/วิชา/ชั้นเรียน';
/** Applicants of `groups` local authorities, two each, sorted by authority. */
function applicants(groups: number): Buffer {
  const lines = [HEADER];
  for (let g = 1; g <= groups; g++) {
    for (let k = 1; k <= 2; k++) lines.push(`ชัยนาท,เทศบาลตำบลที่ ${g},โรงเรียนเทศบาล 1,นางสาวทดสอบ ลำดับที่${g}${k},ครู,30000,40,ชำนาญการพิเศษ,ภาษาไทย,แผนการจัดการเรียนรู้ ${k}`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/** A job as a finished run leaves it, without rendering anything. */
function finishedJob(store: JobStore, options: { state?: 'done' | 'failed'; finishedAt?: string } = {}): Job {
  const job = store.create('applicant-summary', applicants(1), 'a.csv', OPTIONS, SHARED);
  const data = Buffer.from('PK result of the job');
  if ((options.state ?? 'done') === 'done') {
    writeFileSync(store.resultPath(job), data);
    job.result = { filename: 'r.zip', bytes: data.length, contentType: 'application/zip' };
  } else {
    job.error = { th: 'ไม่สำเร็จ', en: 'failed' };
  }
  Object.assign(job, { state: options.state ?? 'done', startedAt: job.createdAt, finishedAt: options.finishedAt ?? new Date().toISOString() });
  store.save(job);
  return job;
}

/** A pid no process has now: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('one instance owns a data folder', () => {
  it('refuses a second store on the same folder, naming SARABAN_DATA_DIR and the owner pid in Thai and English, until the first closes', () => {
    const dir = freshDir();
    const first = new JobStore(dir);
    const lock = JSON.parse(readFileSync(join(dir, '.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, hostname: hostname() });
    let refused: unknown;
    try { new JobStore(dir); } catch (e) { refused = e; }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    const message = (refused as Error).message;
    expect(message).toContain('SARABAN_DATA_DIR');
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toMatch(/[\u0e00-\u0e7f]/);
    expect(message).toContain('in use by another Saraban instance');
    // A manager on the folder is refused the same way, and starts no render thread.
    expect(() => new BatchManager(new JobStore(dir), heldPool())).toThrow(DataDirLockedError);
    first.close();
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    const second = new JobStore(dir);
    second.close();
  });

  it('gives the folder up on close(): the next manager starts', async () => {
    const dir = freshDir();
    const first = new BatchManager(new JobStore(dir), heldPool());
    expect(() => new BatchManager(new JobStore(dir), heldPool())).toThrow(/SARABAN_DATA_DIR/);
    await first.close();
    const next = new BatchManager(new JobStore(dir), heldPool());
    await next.close();
  });

  it('takes over, with a log line, a lock whose pid is not running on this host, or that no host has refreshed for minutes', async () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const pid = deadPid();
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid, hostname: hostname(), since: new Date().toISOString(), token: 'old' }));
    const { result: store, lines } = await logsOf(() => new JobStore(dir));
    expect(lines.find((l) => l.msg === 'took over a stale data folder lock')).toMatchObject({ reason: `pid ${pid} is not running`, previousOwner: { pid } });
    expect(JSON.parse(readFileSync(join(dir, '.lock'), 'utf8')).pid).toBe(process.pid);
    store.close();

    // Another machine's lock: its pid cannot be checked, only its heartbeat.
    const foreign = JSON.stringify({ pid: 1, hostname: 'another-machine', since: new Date().toISOString(), token: 'theirs' });
    writeFileSync(join(dir, '.lock'), foreign);
    expect(() => new JobStore(dir)).toThrow(/pid 1, another-machine/);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(join(dir, '.lock'), tenMinutesAgo, tenMinutesAgo);
    new JobStore(dir).close();

    // An empty lock (a crash between creating it and writing it) is taken over once it is not new.
    writeFileSync(join(dir, '.lock'), '');
    expect(() => new JobStore(dir)).toThrow(DataDirLockedError);
    utimesSync(join(dir, '.lock'), tenMinutesAgo, tenMinutesAgo);
    new JobStore(dir).close();
  });

  it('refuses while another process holds the folder, and takes it over once that process is killed', async () => {
    const dir = freshDir();
    const jobsModule = pathToFileURL(join(root, 'src/batch/jobs.ts')).href;
    const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      `const { JobStore } = await import(${JSON.stringify(jobsModule)}); new JobStore(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (c: Buffer) => { if (c.toString().includes('locked')) resolve(); });
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      expect(() => new JobStore(dir)).toThrow(`pid ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    // Killed: it could not remove its lock; its pid no longer runs.
    expect(existsSync(join(dir, '.lock'))).toBe(true);
    new JobStore(dir).close();
  });

  it('stops the service at start-up, non-zero, saying why, when another instance owns SARABAN_DATA_DIR', async () => {
    const dataDir = join(base, 'service-data');
    const owner = new JobStore(join(dataDir, 'jobs'));
    try {
      const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: root, env: { ...process.env, PORT: '0', SARABAN_DATA_DIR: dataDir, SARABAN_WARM_UP: '0', SARABAN_LOG_LEVEL: 'info', VITEST: '' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      proc.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
      proc.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
      const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
      expect(code).not.toBe(0);
      expect(output).toContain('SARABAN_DATA_DIR');
      expect(output).toContain(`pid ${process.pid}`);
      expect(output).not.toContain('saraban listening');
    } finally {
      owner.close();
    }
  });

  it('takes no lock with SARABAN_DATA_DIR_SHARED (lock: false), and reads the on/off and fractional settings strictly', () => {
    const dir = freshDir();
    const a = new JobStore(dir, { lock: false });
    const b = new JobStore(dir, { lock: false });
    expect(existsSync(join(dir, '.lock'))).toBe(false);
    a.close();
    b.close();
    process.env.SARABAN_TEST_SETTING = '0.5';
    expect(numberSetting('SARABAN_TEST_SETTING', 72, 0)).toBe(0.5);
    process.env.SARABAN_TEST_SETTING = '-1';
    expect(() => numberSetting('SARABAN_TEST_SETTING', 72, 0)).toThrow(/SARABAN_TEST_SETTING must be a number >= 0/);
    process.env.SARABAN_TEST_SETTING = '1';
    expect(flagSetting('SARABAN_TEST_SETTING', false)).toBe(true);
    process.env.SARABAN_TEST_SETTING = 'maybe';
    expect(() => flagSetting('SARABAN_TEST_SETTING', false)).toThrow(/must be 1 or 0/);
    delete process.env.SARABAN_TEST_SETTING;
  });
});

describe('job records on disk', () => {
  it('writes job.json whole, through a flushed temporary file that does not stay', () => {
    const dir = freshDir();
    const store = new JobStore(dir);
    const job = store.create('applicant-summary', applicants(1), 'a.csv', OPTIONS, SHARED);
    expect(readdirSync(join(dir, job.id)).sort()).toEqual(['input', 'job.json']);
    job.progress.rows = 7;
    store.save(job);
    expect(store.get(job.id)?.progress.rows).toBe(7);
    expect(readdirSync(join(dir, job.id)).sort()).toEqual(['input', 'job.json']);
    store.close();
  });

  it('moves an empty, a cut and a wrong-shaped record to quarantine at start-up, logging each id, and starts with the other jobs', async () => {
    const dir = freshDir();
    const store = new JobStore(dir);
    const good = finishedJob(store);
    const empty = finishedJob(store);
    const cut = finishedJob(store);
    const wrong = finishedJob(store);
    writeFileSync(join(dir, empty.id, 'job.json'), '');
    writeFileSync(join(dir, cut.id, 'job.json'), readFileSync(join(dir, cut.id, 'job.json'), 'utf8').slice(0, 80));
    writeFileSync(join(dir, wrong.id, 'job.json'), JSON.stringify({ ...wrong, state: 'exploded', progress: null }));
    store.close();

    const { result: manager, lines } = await logsOf(() => new BatchManager(new JobStore(dir), heldPool()));
    try {
      const quarantined = lines.filter((l) => l.msg === 'batch job record damaged: moved to quarantine');
      expect(quarantined.map((l) => l.jobId).sort()).toEqual([empty.id, cut.id, wrong.id].sort());
      expect(quarantined.find((l) => l.jobId === empty.id)?.problem).toBe('empty');
      expect(quarantined.find((l) => l.jobId === cut.id)?.problem).toMatch(/not whole JSON/);
      expect(quarantined.find((l) => l.jobId === wrong.id)?.problem).toMatch(/state/);
      expect(readdirSync(join(dir, '.quarantine')).map((n) => n.slice(0, 36)).sort()).toEqual([empty.id, cut.id, wrong.id].sort());

      const app = createApp({ batch: () => manager });
      expect((await request(app).get(`/api/v1/jobs/${good.id}`).expect(200)).body.state).toBe('done');
      for (const id of [empty.id, cut.id, wrong.id]) {
        const res = await request(app).get(`/api/v1/jobs/${id}`).expect(404).expect('content-type', /json/);
        expect(res.body.error.code).toBe('unknown_job');
      }
    } finally {
      await manager.close();
    }
  });
});

describe('results', () => {
  it('answers 410 result_gone in Thai and English for a done job whose result is missing, cut or not a file, and keeps serving', async () => {
    await withService(async ({ dir, manager, app }) => {
      const [missing, cut, folder, whole] = [0, 1, 2, 3].map(() => finishedJob(manager.store));
      rmSync(manager.store.resultPath(missing!));
      writeFileSync(manager.store.resultPath(cut!), 'PK');
      rmSync(manager.store.resultPath(folder!));
      mkdirSync(manager.store.resultPath(folder!));
      for (const job of [missing, cut, folder]) {
        const res = await request(app).get(`/api/v1/jobs/${job!.id}/result`).expect(410).expect('content-type', /json/);
        expect(res.body.error).toMatchObject({ code: 'result_gone', th: expect.stringMatching(/[\u0e00-\u0e7f]/), en: expect.stringContaining('missing or unreadable') });
        expect(JSON.stringify(res.body)).not.toContain(dir);
      }
      await request(app).get('/healthz').expect(200);
      const res = await request(app).get(`/api/v1/jobs/${whole!.id}/result`).expect(200);
      expect(res.headers['content-length']).toBe(String(whole!.result!.bytes));
    });
  });

  it('cuts the download when the result cannot be read to its end, and the service goes on', async () => {
    await withService(async ({ manager, app }) => {
      const job = finishedJob(manager.store);
      manager.openResult = async () => {
        const failing = new PassThrough();
        failing.write('PK');
        setTimeout(() => failing.destroy(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' })), 20);
        return failing as unknown as import('node:fs').ReadStream;
      };
      await expect(request(app).get(`/api/v1/jobs/${job.id}/result`)).rejects.toThrow();
      await request(app).get('/healthz').expect(200);
      await request(app).get(`/api/v1/jobs/${job.id}`).expect(200);
    });
  });
});

describe('DELETE /api/v1/jobs/:id', () => {
  it('removes a done and a failed job with their files (204), and answers 404 after, and for an unknown job', async () => {
    await withService(async ({ dir, manager, app }) => {
      for (const state of ['done', 'failed'] as const) {
        const job = finishedJob(manager.store, { state });
        await request(app).delete(`/api/v1/jobs/${job.id}`).expect(204);
        expect(existsSync(join(dir, job.id))).toBe(false);
        expect(readdirSync(join(dir, '.trash'))).toEqual([]);
        await request(app).get(`/api/v1/jobs/${job.id}`).expect(404);
        await request(app).get(`/api/v1/jobs/${job.id}/result`).expect(404);
        await request(app).delete(`/api/v1/jobs/${job.id}`).expect(404);
      }
      const res = await request(app).delete('/api/v1/jobs/00000000-0000-0000-0000-000000000000').expect(404).expect('content-type', /json/);
      expect(res.body.error.code).toBe('unknown_job');
      await request(app).delete('/api/v1/jobs/..%2F..%2Fetc').expect(404);
    });
  });

  it('takes a queued job out of the queue, and cancels a running one: no more of its documents go to the pool, its folder goes, the next job runs', async () => {
    const dir = await withService(async ({ dir, manager, pool, app }) => {
      // Eight authorities: more documents than the job hands the pool at once (a thread plus two ahead).
      const running = manager.submit('applicant-summary', applicants(8), 'a.csv', OPTIONS, SHARED);
      const queued = manager.submit('applicant-summary', applicants(2), 'b.csv', OPTIONS, SHARED);
      const ended = manager.finished(running.id);
      await until(() => pool.waiting === 3);
      expect(manager.get(running.id)?.state).toBe('running');
      expect(manager.get(queued.id)?.state).toBe('queued');

      await request(app).delete(`/api/v1/jobs/${queued.id}`).expect(204);
      await request(app).get(`/api/v1/jobs/${queued.id}`).expect(404);
      expect(existsSync(join(dir, queued.id))).toBe(false);

      await request(app).delete(`/api/v1/jobs/${running.id}`).expect(204);
      await request(app).get(`/api/v1/jobs/${running.id}`).expect(404);
      expect(existsSync(join(dir, running.id))).toBe(false);
      expect(await ended).toMatchObject({ state: 'failed', error: { code: 'deleted' } });
      // The documents being rendered finish, and are thrown away; no other is handed over.
      pool.finishAll();
      await until(() => readdirSync(join(dir, '.trash')).length === 0);
      expect(pool.handed).toBe(3);

      // The manager goes on with the next job.
      const next = manager.submit('applicant-summary', applicants(1), 'c.csv', OPTIONS, SHARED);
      await until(() => pool.waiting === 1);
      pool.finishAll();
      expect(await manager.finished(next.id)).toMatchObject({ state: 'done', progress: { groupsDone: 1 } });
      await request(app).get(`/api/v1/jobs/${next.id}/result`).expect(200);
    });
    // A restart does not bring the deleted jobs back.
    const restarted = new BatchManager(new JobStore(dir), heldPool());
    expect(readdirSync(dir).filter((n) => !n.startsWith('.'))).toHaveLength(1);
    await restarted.close();
  });
});

describe('expiry', () => {
  it('removes finished jobs past SARABAN_JOB_TTL_HOURS at start-up and on each sweep; a GET then answers 404', async () => {
    const dir = freshDir();
    const store = new JobStore(dir);
    const old = finishedJob(store, { finishedAt: new Date(Date.now() - 73 * 3_600_000).toISOString() });
    const recent = finishedJob(store);
    const failed = finishedJob(store, { state: 'failed' });
    store.close();
    const { result: manager, lines } = await logsOf(() => new BatchManager(new JobStore(dir), heldPool(), { ttlMs: 72 * 3_600_000, sweepMs: 0 }));
    const app = createApp({ batch: () => manager });
    try {
      expect(lines.find((l) => l.msg === 'batch jobs swept')).toMatchObject({ expired: [old.id] });
      const res = await request(app).get(`/api/v1/jobs/${old.id}`).expect(404);
      expect(res.body.error).toMatchObject({ code: 'unknown_job', en: expect.stringContaining('kept for 72 hours') });
      await request(app).get(`/api/v1/jobs/${recent.id}`).expect(200);
      // 73 hours on: the others are past it too.
      expect(manager.sweep(Date.now() + 73 * 3_600_000).sort()).toEqual([recent.id, failed.id].sort());
      await request(app).get(`/api/v1/jobs/${recent.id}/result`).expect(404);
      expect(readdirSync(dir).filter((n) => !n.startsWith('.'))).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it('sweeps on its timer with a tiny time to live, and keeps everything with 0', async () => {
    const dir = freshDir();
    const manager = new BatchManager(new JobStore(dir), heldPool(), { ttlMs: 30, sweepMs: 20 });
    const job = finishedJob(manager.store);
    await until(() => !existsSync(join(dir, job.id)));
    expect(manager.get(job.id)).toBeUndefined();
    await manager.close();

    const forever = new BatchManager(new JobStore(dir), heldPool(), { ttlMs: 0, sweepMs: 0 });
    const ancient = finishedJob(forever.store, { finishedAt: '2001-01-01T00:00:00.000Z' });
    expect(forever.sweep(Date.now() + 1e12)).toEqual([]);
    expect(forever.get(ancient.id)?.state).toBe('done');
    await forever.close();
  });

  it('removes temporary files and record-less folders older than an hour, and the trash, and keeps new ones', async () => {
    await withService(async ({ dir, manager }) => {
      const job = finishedJob(manager.store);
      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
      const aged = (path: string) => utimesSync(path, twoHoursAgo, twoHoursAgo);
      const staleFiles = [join(dir, job.id, 'job.json.tmp'), join(dir, job.id, 'result.part'), join(dir, 'upload-1.part')];
      for (const p of staleFiles) { writeFileSync(p, 'x'); aged(p); }
      const freshTmp = join(dir, job.id, 'input.tmp');
      writeFileSync(freshTmp, 'x');
      const orphan = join(dir, '11111111-1111-1111-1111-111111111111');
      mkdirSync(orphan);
      writeFileSync(join(orphan, 'input'), 'cut short');
      aged(orphan);
      const newOrphan = join(dir, '22222222-2222-2222-2222-222222222222');
      mkdirSync(newOrphan);
      mkdirSync(join(dir, '.trash', 'left-over'), { recursive: true });

      manager.sweep();
      for (const p of staleFiles) expect(existsSync(p), p).toBe(false);
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(freshTmp)).toBe(true);
      expect(existsSync(newOrphan)).toBe(true);
      expect(readdirSync(join(dir, '.trash'))).toEqual([]);
      expect(manager.get(job.id)?.state).toBe('done');
    }, { ttlMs: 0, sweepMs: 0 });
  });
});
