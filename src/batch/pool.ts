import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { OutputFormat } from '../render/contentTypes.js';
import type { FieldError } from '../validation.js';
import { intSetting } from '../settings.js';

/** One document of a batch, rendered by a worker straight to `outPath`. */
export interface WorkerTask {
  kind: 'render';
  id: number;
  formId: string;
  /** The document's rows, one JSON object a line, as the job spilled them: the worker builds the data, so a large group never crosses threads. */
  rowsFile: string;
  /** Values every document of the job shares (the round, the signer). */
  shared: Record<string, unknown>;
  format: OutputFormat;
  outPath: string;
  /** Page numbers continue from the documents before (a merged PDF). */
  continuous: boolean;
}

export type WorkerMessage =
  | { kind: 'pages'; id: number; pages: number }
  | { kind: 'done'; id: number; pages: number; bytes: number }
  | { kind: 'invalid'; id: number; errors: FieldError[] }
  | { kind: 'failed'; id: number; message: string };

export type TaskOutcome =
  | { ok: true; pages: number; bytes: number }
  | { ok: false; errors: FieldError[] };

interface Pending {
  task: WorkerTask;
  resolve: (o: TaskOutcome) => void;
  reject: (e: Error) => void;
  onPages?: (pages: number) => void;
}

const workerUrl = new URL(`./renderWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** tsx's ESM API (require.resolve finds its CommonJS build, which cannot register ESM hooks). */
const tsxApi = () => pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;

/**
 * How far V8 lets a heap grow past what survived its last full collection, in
 * percent (0: V8's own rule). By its own rule a heap that allocates as fast as
 * a render thread may grow to four times its live data. On 20,000 rows, in
 * alternating runs: 0 peaked at about 800 MB, 100 at 540 MB and took 0.3-0.5 s
 * (7-10 %) longer, 50 at 500 MB and 20-30 % longer. The flag is process-wide
 * (every thread's heap): it is set when the batch pool is loaded, before any
 * worker starts.
 */
const HEAP_GROWING_PERCENT = intSetting('SARABAN_HEAP_GROWING_PERCENT', 100, 0);
if (HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

/**
 * Whether V8 spreads each young-generation collection over its helper threads
 * (0: each thread collects its own, the default here; 1: V8's default). The
 * pool has a render thread per core, so the helpers only take turns with
 * them: per-thread CPU from /proc over a 20,000-row job, V8's helpers used
 * 2.9-3.2 s with it and 1.6-2.2 s without. bench/batch-case.mjs on 20,000
 * rows, three alternating runs on this 2-core machine: 4.85-5.09 s without,
 * 5.20-5.35 s with, the same peak memory. Process-wide, like the flag above,
 * and read at every collection, so it holds once the pool is loaded.
 */
const PARALLEL_SCAVENGE = intSetting('SARABAN_PARALLEL_SCAVENGE', 0, 0);
if (PARALLEL_SCAVENGE === 0) setFlagsFromString('--no-parallel-scavenge');

export const POOL_SIZE = intSetting('SARABAN_WORKERS', availableParallelism(), 1);

/**
 * The most a render thread's young generation may take, in MB (0: V8's own
 * rule). A render thread allocates fast enough to grow its new space to V8's
 * most, two semi-spaces of 16 MB, mostly garbage between collections; 24
 * halves that (measured with v8.getHeapSpaceStatistics in a worker). On
 * 20,000 rows, three alternating runs each: 24 peaked at 476-490 MB against
 * 511-522 MB, in the same time (5.56-5.98 s against 5.68-5.82 s); 12 took
 * up to 0.6 s longer for no further saving.
 */
const WORKER_YOUNG_MB = intSetting('SARABAN_WORKER_YOUNG_MB', 24, 0);
const resourceLimits = WORKER_YOUNG_MB > 0 ? { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } : {};

/**
 * Worker threads that render batch documents, one document per worker at a
 * time. A task is given to the first idle worker; a worker that dies is
 * replaced and its task fails (the job reports it; nothing half-written stays).
 */
export class RenderPool {
  private idle: Worker[] = [];
  private queue: Pending[] = [];
  private running = new Map<Worker, Pending>();
  private all = new Set<Worker>();
  private closed = false;

  constructor(readonly size = POOL_SIZE) {}

  /**
   * Renders one document. `onPages` hears its page count after layout (for a
   * continuous document), and the caller answers with `setPagesBefore`; see
   * BatchNumbering. Tasks start in the order they are given: give continuous
   * documents in document order.
   */
  render(task: Omit<WorkerTask, 'kind'>, onPages?: (pages: number) => void): Promise<TaskOutcome> {
    if (this.closed) return Promise.reject(new Error('render pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { kind: 'render', ...task }, resolve, reject, onPages });
      this.dispatch();
    });
  }

  /** Tells the worker rendering task `id` how many pages come before its document. */
  setPagesBefore(id: number, pagesBefore: number): void {
    for (const [worker, p] of this.running) {
      if (p.task.id === id) worker.postMessage({ kind: 'pagesBefore', id, pagesBefore });
    }
  }

  /** Render threads started (idle or working). */
  get threads(): number {
    return this.all.size;
  }

  /** Stops every thread; what was queued or being rendered fails. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.queue, ...this.running.values()]) p.reject(new Error('render pool closed'));
    this.queue = [];
    this.running.clear();
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
    this.idle = [];
  }

  private spawn(): Worker {
    // Workers take none of the parent's options: a module loader (tsx) would cost each of them
    // memory and speed, and a V8 option (--max-old-space-size) makes the Worker constructor throw.
    // Under tsx (tests, dev) the worker is TypeScript too: it registers tsx itself before loading it.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`, { eval: true, execArgv: [], resourceLimits })
      : new Worker(workerUrl, { execArgv: [], resourceLimits });
    worker.unref();
    this.all.add(worker);
    worker.on('message', (m: WorkerMessage) => this.onMessage(worker, m));
    worker.on('error', (e) => this.onExit(worker, e));
    worker.on('exit', (code) => { if (this.all.has(worker)) this.onExit(worker, new Error(`render worker exited (${code})`)); });
    return worker;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let worker = this.idle.pop();
      if (!worker && this.all.size < this.size) worker = this.spawn();
      if (!worker) return;
      const p = this.queue.shift()!;
      this.running.set(worker, p);
      worker.ref();
      worker.postMessage(p.task);
    }
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    const p = this.running.get(worker);
    if (!p || p.task.id !== m.id) return;
    if (m.kind === 'pages') { p.onPages?.(m.pages); return; }
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (m.kind === 'done') p.resolve({ ok: true, pages: m.pages, bytes: m.bytes });
    else if (m.kind === 'invalid') p.resolve({ ok: false, errors: m.errors });
    else p.reject(new Error(m.message));
    this.dispatch();
  }

  private onExit(worker: Worker, error: Error): void {
    this.all.delete(worker);
    this.idle = this.idle.filter((w) => w !== worker);
    const p = this.running.get(worker);
    this.running.delete(worker);
    p?.reject(error);
    if (!this.closed) this.dispatch();
  }
}

/**
 * Continuous page numbers across a batch's documents: document i learns the
 * pages before it as soon as documents 0..i-1 have been laid out, so workers
 * wait only for layouts, never for each other's drawing.
 */
export class BatchNumbering {
  private counts: (number | undefined)[] = [];
  private waiting = new Map<number, (before: number) => void>();

  /** Document `index` has `pages` pages (0 for a document that was not rendered). */
  report(index: number, pages: number): void {
    this.counts[index] = pages;
    this.flush();
  }

  /** Resolves with the pages before document `index` once every earlier count is known. */
  pagesBefore(index: number): Promise<number> {
    return new Promise((resolve) => { this.waiting.set(index, resolve); this.flush(); });
  }

  private flush(): void {
    let before = 0;
    for (let i = 0; ; i++) {
      const resolve = this.waiting.get(i);
      if (resolve) { this.waiting.delete(i); resolve(before); }
      const c = this.counts[i];
      if (c === undefined) return;
      before += c;
    }
  }
}
