import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { pino, type Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { fontRegistry } from '../fonts/registry.js';
import type { Job } from '../batch/jobs.js';
import { ValidationError } from '../validation.js';
import { DATA_DIR } from '../settings.js';
import { errorBody } from './errors.js';

/**
 * What an operator needs around the API: request ids, JSON logs, Prometheus
 * metrics, a readiness check and optional API keys. Everything here is
 * configured by environment variables (see the README's configuration table)
 * and can be overridden per app by createApp's options, for tests.
 */

// ---------------------------------------------------------------- request ids and logs

const requestScope = new AsyncLocalStorage<{ reqId: string }>();
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The id of the request being served, if any (the logger adds it to every line). */
export const currentRequestId = (): string | undefined => requestScope.getStore()?.reqId;

/** Under vitest the logs are silent unless SARABAN_LOG_LEVEL asks otherwise: test output stays readable. */
const defaultLevel = process.env.SARABAN_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');

/** Where log lines go: stdout (synchronous for files and pipes, so no line is lost at exit). */
let writeLine = (line: string): void => { process.stdout.write(line); };

/** Sends log lines elsewhere (tests read them); returns the function that restores stdout. */
export function redirectLogs(write: (line: string) => void): () => void {
  const previous = writeLine;
  writeLine = write;
  return () => { writeLine = previous; };
}

/**
 * JSON lines on stdout. Every line written while a request is served carries
 * its `reqId`, wherever in the code it is written (AsyncLocalStorage).
 */
export const logger: Logger = pino({
  level: defaultLevel,
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => {
    const reqId = currentRequestId();
    return reqId ? { reqId } : {};
  },
}, { write: (line: string) => writeLine(line) });

// ---------------------------------------------------------------- metrics

/** Our own registry (not prom-client's global one): two apps in one process do not clash. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const metrics = {
  renders: new Counter({ name: 'saraban_renders_total', help: 'Documents rendered over HTTP, by form, format and outcome (ok, invalid, error, timeout)', labelNames: ['form', 'format', 'outcome'] as const, registers: [metricsRegistry] }),
  renderSeconds: new Histogram({ name: 'saraban_render_duration_seconds', help: 'Time to render one document over HTTP', labelNames: ['form', 'format'] as const, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60], registers: [metricsRegistry] }),
  httpRequests: new Counter({ name: 'saraban_http_requests_total', help: 'HTTP requests by method, route pattern and status (499: the client went away first)', labelNames: ['method', 'route', 'status'] as const, registers: [metricsRegistry] }),
  errors: new Counter({ name: 'saraban_errors_total', help: 'Error responses by error code', labelNames: ['code'] as const, registers: [metricsRegistry] }),
  queueDepth: new Gauge({ name: 'saraban_render_queue_depth', help: 'Render requests waiting for a render slot', registers: [metricsRegistry] }),
  batchRows: new Counter({ name: 'saraban_batch_rows_total', help: 'Rows of finished batch jobs: rendered, invalid (bad rows), skipped (rejected group or failed job)', labelNames: ['form', 'outcome'] as const, registers: [metricsRegistry] }),
  batchJobs: new Counter({ name: 'saraban_batch_jobs_total', help: 'Batch jobs entering each state (queued, running, done, failed)', labelNames: ['form', 'state'] as const, registers: [metricsRegistry] }),
};

/**
 * Called by every BatchManager of the process when a job enters a state (the
 * service has one manager; tests make their own). Rows are counted once, when
 * the job ends.
 */
export function batchJobEntered(job: Job): void {
  metrics.batchJobs.inc({ form: job.formId, state: job.state });
  if (job.state !== 'done' && job.state !== 'failed') return;
  const { rows, rowsDone } = job.progress;
  metrics.batchRows.inc({ form: job.formId, outcome: 'rendered' }, rowsDone);
  metrics.batchRows.inc({ form: job.formId, outcome: 'invalid' }, job.badRowCount);
  metrics.batchRows.inc({ form: job.formId, outcome: 'skipped' }, Math.max(0, rows - rowsDone - job.badRowCount));
}

/** Times one HTTP render and counts its outcome; `timedOut` tells whether the client was already answered 503. */
export async function observeRender<T>(form: string, format: string, render: () => Promise<T>, timedOut: () => boolean): Promise<T> {
  const stop = metrics.renderSeconds.startTimer({ form, format });
  let outcome = 'error';
  try {
    const result = await render();
    outcome = 'ok';
    return result;
  } catch (e) {
    if (e instanceof ValidationError) outcome = 'invalid';
    throw e;
  } finally {
    stop();
    metrics.renders.inc({ form, format, outcome: timedOut() ? 'timeout' : outcome });
  }
}

/** The route pattern of a request (never its raw URL: ids would make a label per request). */
function routeLabel(req: Request, res: Response): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl ?? ''}${route.path}`;
  return res.statusCode < 400 ? '(static)' : '(unmatched)';
}

/**
 * Gives the request an id (the client's X-Request-Id when it is safe to echo,
 * else a new UUID), runs the rest of the request in its scope, and writes one
 * access line and the request metrics when the response is done.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  const reqId = given && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', reqId);
  const started = performance.now();
  const path = req.originalUrl.split('?')[0]!;
  // Error bodies are counted by code wherever they are sent from (routes or the error handler).
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    if (res.statusCode >= 400 && typeof code === 'string') metrics.errors.inc({ code });
    return json(body);
  };
  res.once('close', () => {
    const status = res.writableFinished ? res.statusCode : 499;
    const ms = Math.round((performance.now() - started) * 10) / 10;
    metrics.httpRequests.inc({ method: req.method, route: routeLabel(req, res), status: String(status) });
    requestScope.run({ reqId }, () => logger.info({ method: req.method, path, status, ms }, 'request'));
  });
  requestScope.run({ reqId }, next);
};

// ---------------------------------------------------------------- readiness

export interface ReadinessOptions {
  /** True once the service has begun to shut down. */
  shuttingDown?: () => boolean;
  /** The directory jobs and templates are written to (default: DATA_DIR). */
  dataDir?: string;
}

/** Data folders found not writable, each logged once until it is writable again. */
const unwritableDirs = new Set<string>();

/** Why the service cannot take work now, in Thai and English; undefined when it can. */
export function notReadyReason(options: ReadinessOptions = {}): { th: string; en: string } | undefined {
  if (options.shuttingDown?.()) return { th: 'ระบบกำลังปิดตัว', en: 'the service is shutting down' };
  try {
    fontRegistry().defaultFamily();
  } catch {
    return { th: 'โหลดฟอนต์ไม่ได้', en: 'the fonts could not be loaded' };
  }
  const dir = options.dataDir ?? DATA_DIR;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    // The path goes to the log, once until it is writable again; never into a response.
    if (!unwritableDirs.has(dir)) logger.error({ dataDir: dir, code: (e as NodeJS.ErrnoException).code }, 'the data folder is not writable (SARABAN_DATA_DIR)');
    unwritableDirs.add(dir);
    return { th: 'เขียนไฟล์ลงโฟลเดอร์ข้อมูลไม่ได้', en: 'the data folder is not writable' };
  }
  if (unwritableDirs.delete(dir)) logger.info({ dataDir: dir }, 'the data folder is writable again');
  return undefined;
}

// ---------------------------------------------------------------- API keys

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** The key a request presents: a Bearer token, an X-API-Key header, or the password of HTTP Basic. */
function presentedKey(req: Request): string | undefined {
  const header = req.get('x-api-key');
  if (header) return header;
  const auth = req.get('authorization') ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth);
  if (bearer) return bearer[1]!.trim();
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

export interface ApiKeyOptions {
  /** Accepted keys; none: the API is open. */
  keys: string[];
  /** The upload page and its static files are open to all (the API behind them still needs a key). */
  publicUi: boolean;
}

/** Paths that never need a key: probes of the orchestrator. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);
/** The API, its documentation and metrics; everything else is the upload page and its files (the template guide under /docs/ included). */
// Case-insensitive and with an optional trailing slash, as Express matches routes.
const API_PATH = /^\/(api(\/|$)|openapi\.json\/?$|docs\/?$|metrics\/?$)/i;

/**
 * Asks for one of the keys on every route except the probes (and the upload
 * page when it is public). Keys are compared as SHA-256 digests with
 * timingSafeEqual: equal lengths, no early exit on the first differing byte.
 * A 401 carries `WWW-Authenticate: Basic` so a browser prompts for the key
 * once and then sends it with every request of the page.
 */
export function apiKeyGuard(options: ApiKeyOptions): RequestHandler {
  const digests = options.keys.map(digest);
  return (req: Request, res: Response, next: NextFunction) => {
    if (digests.length === 0 || OPEN_PATHS.has(req.path)) { next(); return; }
    if (options.publicUi && !API_PATH.test(req.path)) { next(); return; }
    const key = presentedKey(req);
    if (key !== undefined) {
      const d = digest(key);
      let ok = false;
      for (const k of digests) ok = timingSafeEqual(d, k) || ok;
      if (ok) { next(); return; }
    }
    res.status(401).setHeader('WWW-Authenticate', 'Basic realm="Saraban", charset="UTF-8"')
      .json(errorBody('unauthorized', 'ต้องใช้คีย์ API: ส่งในหัว Authorization: Bearer <คีย์> หรือ X-API-Key', 'an API key is required: send Authorization: Bearer <key> or X-API-Key'));
  };
}

// ---------------------------------------------------------------- wiring

export const apiKeysFromEnv = (): string[] => (process.env.SARABAN_API_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean);
export const publicUiFromEnv = (): boolean => process.env.SARABAN_PUBLIC_UI === 'true';

export interface OperationsOptions extends ReadinessOptions {
  apiKeys?: string[];
  publicUi?: boolean;
}

/** Request ids, access log, API keys, /readyz and /metrics, installed before every other route. */
export function installOperations(app: Express, options: OperationsOptions = {}): void {
  app.use(requestContext);
  app.use(apiKeyGuard({ keys: options.apiKeys ?? apiKeysFromEnv(), publicUi: options.publicUi ?? publicUiFromEnv() }));
  app.get('/readyz', (_req, res) => {
    const reason = notReadyReason(options);
    if (reason) { res.status(503).json({ status: 'not_ready', ...errorBody('not_ready', reason.th, reason.en) }); return; }
    res.json({ status: 'ready' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}
