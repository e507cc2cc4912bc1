import { availableParallelism } from 'node:os';
import type { Express, Request, RequestHandler, Response } from 'express';
import { errorBody } from './errors.js';
import { metrics } from './ops.js';
import { intSetting } from '../settings.js';
import type { RenderPool, TaskInput, TaskResults } from '../batch/pool.js';

export interface RenderQueueOptions {
  /** Renders at once (SARABAN_RENDER_CONCURRENCY, default: the number of cores). */
  concurrency: number;
  /** Requests waiting for a slot (SARABAN_RENDER_QUEUE, default 64); past that: 503 busy. */
  maxWaiting: number;
  /** A render's thread is stopped after this long and the request answers 503 render_timeout (SARABAN_RENDER_TIMEOUT_MS, default 30000). */
  timeoutMs: number;
}

export function renderQueueOptionsFromEnv(): RenderQueueOptions {
  return {
    concurrency: intSetting('SARABAN_RENDER_CONCURRENCY', availableParallelism(), 1),
    maxWaiting: intSetting('SARABAN_RENDER_QUEUE', 64, 0),
    timeoutMs: intSetting('SARABAN_RENDER_TIMEOUT_MS', 30_000, 1),
  };
}

/**
 * Bounds the work the service takes on: a few renders at once, a bounded line
 * behind them, a fast 503 past that (so a load balancer or the client retries
 * elsewhere or later instead of piling up requests that would time out
 * anyway). A slot is held until the response has been sent or the client has
 * gone away; a request whose client leaves while it waits leaves the line.
 *
 * The work itself runs on the render threads (`run`), whose deadline stops a
 * render past the time limit: the thread is replaced, the slot freed, and the
 * client answered 503 render_timeout on time.
 */
export class RenderQueue {
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(readonly options: RenderQueueOptions, readonly pool: RenderPool) {}

  /** Runs a request's task on a render thread, ahead of batch documents, under the time limit (or `deadlineMs`). */
  run<T extends TaskInput>(task: T, deadlineMs = this.options.timeoutMs): Promise<TaskResults[T['kind']]> {
    return this.pool.run(task, { deadlineMs, interactive: true });
  }

  get active(): number { return this.running; }
  get waiting(): number { return this.line.length; }

  /** The middleware that holds a slot for the rest of the request. */
  slot(): RequestHandler {
    return (_req, res, next) => {
      const start = () => this.start(res, () => next());
      if (this.running < this.options.concurrency) { start(); return; }
      if (this.line.length >= this.options.maxWaiting) {
        res.status(503).setHeader('Retry-After', '1')
          .json(errorBody('busy', 'ระบบกำลังทำเอกสารอื่นเต็มกำลัง กรุณาลองใหม่อีกครั้งในอีกสักครู่', 'the service is busy: try again in a moment'));
        return;
      }
      this.line.push(start);
      metrics.queueDepth.inc();
      res.once('close', () => this.leaveLine(start));
    };
  }

  private leaveLine(entry: () => void): void {
    const i = this.line.indexOf(entry);
    if (i < 0) return;
    this.line.splice(i, 1);
    metrics.queueDepth.dec();
  }

  private start(res: Response, next: () => void): void {
    this.running++;
    res.once('close', () => {
      this.running--;
      const waiter = this.line.shift();
      if (waiter) { metrics.queueDepth.dec(); waiter(); }
    });
    next();
  }
}

const queues = new WeakMap<Express | Request['app'], RenderQueue>();

/** Gives an app its render queue; the routes find it with renderSlot(). */
export function setRenderQueue(app: Express, queue: RenderQueue): void {
  queues.set(app, queue);
}

/**
 * Holds a render slot of the app's queue for the rest of the request. Routers
 * mounted by other modules use it without being handed the queue; a router
 * used without createApp (no queue) passes straight through.
 */
export function renderSlot<P = Record<string, string>>(): RequestHandler<P> {
  const perQueue = new WeakMap<RenderQueue, RequestHandler>();
  return (req, res, next) => {
    const queue = queues.get(req.app);
    if (!queue) { next(); return; }
    let handler = perQueue.get(queue);
    if (!handler) perQueue.set(queue, (handler = queue.slot()));
    return handler(req as unknown as Request, res, next);
  };
}

/** The app's render queue, for a route that runs a task on the render threads. */
export function renderQueueOf(req: Request): RenderQueue {
  const queue = queues.get(req.app);
  if (!queue) throw new Error('no render queue: the router runs outside createApp');
  return queue;
}
