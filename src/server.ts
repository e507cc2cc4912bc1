import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { createApp } from './http/app.js';
import { fontRegistry } from './fonts/registry.js';
import { BatchManager } from './batch/manager.js';
import { JobStore } from './batch/jobs.js';
import type { JobQueue } from './batch/queue.js';
import { DataDirLockedError } from './batch/dataDir.js';
import { sharedPool } from './batch/pool.js';
import { warmUp } from './batch/warmUp.js';
import { logger } from './http/ops.js';
import { shareConnectionsPerClient } from './http/clientShare.js';
import { intSetting, REDIS_URL } from './settings.js';
import { sheetLimits } from './input/read.js';
import { imageMaxPixels } from './render/emblem.js';
import { mergeMaxBytes } from './docxmerge/merge.js';
import { checkSigningAtStart } from './sign/startup.js';

const port = Number(process.env.PORT ?? 3000);
const shutdownTimeoutMs = intSetting('SARABAN_SHUTDOWN_TIMEOUT_MS', 25_000, 0);
/** 1: the batch render threads start and warm up with the service (see warmUp); 0: with the first job. */
const warmUpAtStart = intSetting('SARABAN_WARM_UP', 1, 0) > 0;
/** A client has this long to send its request's headers (slow-header attacks hold a socket each). */
const headersTimeoutMs = intSetting('SARABAN_HEADERS_TIMEOUT_MS', 20_000, 1);
/** ... and this long for the whole request, body included (a 20 MB upload over a slow office line fits). */
const requestTimeoutMs = intSetting('SARABAN_REQUEST_TIMEOUT_MS', 120_000, 1);
/** Open connections at once; past it new ones are closed at once, so sockets and file descriptors stay bounded. */
const maxConnections = intSetting('SARABAN_MAX_CONNECTIONS', 1000, 1);
/** Of them, what one client address may hold (0: no share; behind a proxy every connection is the proxy's). */
const maxConnectionsPerClient = intSetting('SARABAN_MAX_CONNECTIONS_PER_CLIENT', Math.ceil(maxConnections / 2), 0);

// Fonts are read at start-up, not on the first request.
fontRegistry();
// Limits read per request, read once now so that a malformed value stops the start, not a clerk's request.
sheetLimits();
imageMaxPixels();
mergeMaxBytes();
// A wrong certificate password, an expired certificate or a bad SARABAN_PDF_ARCHIVE stops the start (exit 1), not each request.
checkSigningAtStart(logger);
// One pool of render threads serves requests and batch jobs.
const pool = sharedPool();
// Made at start-up, so a batch job the service was running when it stopped runs again now.
const batch = await startBatch();
let shuttingDown = false;
const app = createApp({ batch: () => batch, shuttingDown: () => shuttingDown, pool });

/**
 * The batch queue: with REDIS_URL, the one all instances share (the data
 * folder unlocked: they all use it); without, this instance's own, or a clear
 * fatal line and exit 1 when another instance owns SARABAN_DATA_DIR.
 */
async function startBatch(): Promise<JobQueue> {
  if (REDIS_URL) {
    logger.info({ redis: REDIS_URL.replace(/\/\/[^@/]*@/, '//***@') }, 'batch jobs shared through redis');
    // Loaded only here: the embedded default neither loads BullMQ nor needs a Redis.
    const { SharedJobQueue } = await import('./batch/sharedQueue.js');
    return new SharedJobQueue(REDIS_URL, new JobStore(undefined, { lock: false }), pool);
  }
  try {
    return new BatchManager(new JobStore(), pool);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    logger.fatal({ owner: e.owner }, e.message);
    process.exit(1);
  }
}

let inFlight = 0;
let drained: (() => void) | undefined;
// Timeouts are checked every second (node's default is 30 s), so a slow client's socket goes on time.
const server = createServer({ headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: 1000 }, app);
server.maxConnections = maxConnections;
shareConnectionsPerClient(server, maxConnectionsPerClient);
server.listen(port, () => {
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
 * SARABAN_SHUTDOWN_TIMEOUT_MS, then stops the batch queue: a job still
 * running stays `running` on disk and runs again at the next start (with
 * REDIS_URL it goes back to the shared queue at once, for any instance).
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
