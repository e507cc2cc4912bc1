import type { AddressInfo } from 'node:net';
import { createApp } from './http/app.js';
import { fontRegistry } from './fonts/registry.js';
import { BatchManager } from './batch/manager.js';
import { warmUp } from './batch/warmUp.js';
import { logger } from './http/ops.js';
import { intSetting } from './settings.js';

const port = Number(process.env.PORT ?? 3000);
const shutdownTimeoutMs = intSetting('SARABAN_SHUTDOWN_TIMEOUT_MS', 25_000, 0);
/** 1: the batch render threads start and warm up with the service (see warmUp); 0: with the first job. */
const warmUpAtStart = intSetting('SARABAN_WARM_UP', 1, 0) > 0;

// Fonts are read at start-up, not on the first request.
fontRegistry();
// Made at start-up, so a batch job the service was running when it stopped runs again now.
const batch = new BatchManager();
let shuttingDown = false;
const app = createApp({ batch: () => batch, shuttingDown: () => shuttingDown });

let inFlight = 0;
let drained: (() => void) | undefined;
const server = app.listen(port, () => {
  const { port: bound } = server.address() as AddressInfo;
  logger.info({ port: bound, url: `http://localhost:${bound}` }, 'saraban listening');
  if (warmUpAtStart) {
    void warmUp(batch.pool).then((r) => {
      if (shuttingDown) return;
      if (r.ok) logger.info({ ms: Math.round(r.ms), threads: batch.pool.threads }, 'render threads warmed up');
      else logger.warn({ ms: Math.round(r.ms), error: r.error }, 'render thread warm-up failed: the first batch job will be slower');
    });
  }
});
server.on('request', (_req, res) => {
  inFlight++;
  res.once('close', () => { if (--inFlight === 0) drained?.(); });
});

/**
 * Stops taking requests (the load balancer sees /readyz fail and new
 * connections are refused), lets the requests in flight finish up to
 * SARABAN_SHUTDOWN_TIMEOUT_MS, then stops the batch manager: a job still
 * running stays `running` on disk and runs again at the next start.
 */
async function shutdown(signal: string): Promise<void> {
  if (shuttingDown) {
    logger.warn({ signal }, 'second signal: stopping now');
    process.exit(1);
  }
  shuttingDown = true;
  server.close();
  // Logged once the port is closed: whoever reads this line and connects is refused, not reset.
  logger.info({ signal, inFlight }, 'shutting down');
  const finished = inFlight === 0 || await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), shutdownTimeoutMs);
    drained = () => { clearTimeout(timer); resolve(true); };
  });
  if (!finished) {
    logger.warn({ inFlight, timeoutMs: shutdownTimeoutMs }, 'requests still running at the shutdown time limit: closing their connections');
    server.closeAllConnections();
  }
  await batch.close();
  logger.info('stopped');
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => { void shutdown(signal); });
}
