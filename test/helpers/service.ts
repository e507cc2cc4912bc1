import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built service (`node dist/src/server.js`) in a child process, as an
 * office runs it: what a request does to it is seen from outside, in its
 * answers, its log, its memory and whether it is still alive.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds dist/ once per test file. Type errors elsewhere do not stop tsc from writing it; a missing server does. */
export function buildService(): void {
  try { execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' }); } catch { /* checked below */ }
  if (!existsSync(join(ROOT, 'dist/src/server.js'))) throw new Error('npm run build did not write dist/src/server.js');
}

export interface Service {
  proc: ChildProcess;
  url: string;
  port: number;
  /** Every JSON line the service logged so far. */
  lines: Record<string, unknown>[];
  /** Everything it wrote to stderr. */
  stderr: () => string;
  alive: () => boolean;
  exited: Promise<number | null>;
  rssMb: () => number;
  stop: () => Promise<void>;
}

export async function startService(env: Record<string, string>): Promise<Service> {
  const proc = spawn('node', ['dist/src/server.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', SARABAN_LOG_LEVEL: 'info', SARABAN_WARM_UP: '0', VITEST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  let err = '';
  let listening: ((port: number) => void) | undefined;
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const text of parts.filter(Boolean)) {
      let line: Record<string, unknown>;
      try { line = JSON.parse(text) as Record<string, unknown>; } catch { line = { raw: text }; }
      lines.push(line);
      if (line.msg === 'saraban listening') listening?.(line.port as number);
    }
  });
  proc.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const port = await Promise.race([
    new Promise<number>((resolve) => { listening = resolve; }),
    exited.then((code) => { throw new Error(`the service exited (${code}) before listening: ${JSON.stringify(lines.slice(-3))} ${err.slice(-2000)}`); }),
  ]);
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  return {
    proc, port, url: `http://127.0.0.1:${port}`, lines, alive, exited,
    stderr: () => err,
    rssMb: () => {
      const line = readFileSync(`/proc/${proc.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
      return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
    },
    stop: async () => {
      if (!alive()) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Runs `attack` while asking /healthz every 100 ms, and returns the attack's
 * result with the slowest /healthz answer seen (a health check that got no
 * answer counts as Infinity).
 */
export async function whileWatchingHealth<T>(service: Service, attack: () => Promise<T>): Promise<{ result: T; slowestHealthMs: number; healthChecks: number }> {
  let slowest = 0;
  let checks = 0;
  const failures: string[] = [];
  let done = false;
  const watch = (async () => {
    while (!done) {
      const started = performance.now();
      try {
        const res = await fetch(`${service.url}/healthz`, { signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
        slowest = Math.max(slowest, res.ok ? performance.now() - started : Infinity);
      } catch (e) {
        slowest = Infinity;
        failures.push(e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e));
      }
      checks++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  let result: T;
  try {
    result = await attack();
  } finally {
    done = true;
    // The check in flight when the attack ended counts too: a refusal faster than one check still has one.
    await watch;
  }
  if (failures.length) console.warn(`/healthz failed ${failures.length} times: ${failures[0]}`);
  return { result, slowestHealthMs: slowest, healthChecks: checks };
}

export interface Answer { status: number; ms: number; json: Record<string, unknown> | undefined; bytes: number; contentType: string }

/** A request with a deadline of its own: an answer that never comes fails the test instead of hanging it. */
export async function ask(url: string, init: RequestInit & { deadlineMs?: number } = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.deadlineMs ?? 60_000) });
  const body = Buffer.from(await res.arrayBuffer());
  const contentType = res.headers.get('content-type') ?? '';
  let json: Record<string, unknown> | undefined;
  if (contentType.includes('json')) json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return { status: res.status, ms: performance.now() - started, json, bytes: body.length, contentType };
}

export const postJson = (url: string, body: unknown, deadlineMs?: number): Promise<Answer> =>
  ask(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), deadlineMs });
