import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * A throwaway redis-server (the Debian package .ci/run installs) on a free
 * port of 127.0.0.1, nothing written to disk: the scale-out test and the
 * two-instance batch bench run their instances against it.
 */
export interface RedisServer {
  url: string;
  stop: () => Promise<void>;
}

/** A port nothing listens on now (redis-server cannot be asked for one: its --port 0 turns TCP off). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Ready to accept connections')) resolve();
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out.slice(-1000)}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
