import { SHARE_ENV, Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { OutputFormat } from '../render/contentTypes.js';
import type { FieldError } from '../validation.js';
import { intSetting } from '../settings.js';
import type { TemplateUpload } from '../usertemplates/index.js';
import type { MergeResult, MergeTask } from '../docxmerge/task.js';
import type { SpillResult, SpillTask } from './spill.js';
import type { ColumnsPreview } from './rows.js';
import { fromWire, PoolClosedError, RequestError, TaskMemoryError, TaskTimeoutError, type WireError } from './taskErrors.js';

/** One document of a batch, rendered by a worker straight to `outPath`. */
export interface BatchRenderTask {
  kind: 'render';
  id: number;
  formId: string;
  /** The document's rows, one JSON object a line, as the job spilled them: the worker builds the data, so a large group never crosses threads. */
  rowsFile: string;
  /** Values every document of the job shares (the round, the signer). */
  shared: Record<string, unknown>;
  format: OutputFormat;
  outPath: string;
}

export type TaskOutcome =
  | { ok: true; pages: number; bytes: number }
  | { ok: false; errors: FieldError[] };

/** One document of a request: its bytes come back (transferred, not copied). */
export interface FormTask { kind: 'form'; id: number; formId: string; input: unknown; format: OutputFormat; userTemplate?: TemplateUpload }
/** A form's computed values. */
export interface ComputeTask { kind: 'compute'; id: number; formId: string; input: unknown; userTemplate?: TemplateUpload }
/** Reads a batch file's header and checks its columns (throws InputFileError). */
export interface ColumnsTask { kind: 'columns'; id: number; formId: string; path: string; filename: string; sheet?: string; columns?: Record<string, string> }
/** Reads a batch file's header row and the best-guess mapping of the form's columns (throws InputFileError for an unreadable file). */
export interface HeadersTask { kind: 'headers'; id: number; formId: string; path: string; filename: string; sheet?: string }
/** Files packed as one ZIP. */
export interface ZipTask { kind: 'zip'; id: number; files: { name: string; data: Uint8Array }[]; level: 0 | 6 }

/** An uploaded template checked (its rules, its schema's patterns, a compile): compiling costs more than the template's size. */
export interface TemplateTask { kind: 'template'; id: number; upload: TemplateUpload }

export type PoolTask = BatchRenderTask | FormTask | ComputeTask | ColumnsTask | HeadersTask | ZipTask | MergeTask | SpillTask | TemplateTask;
/** A task as a caller gives it: the pool numbers it unless it has its own id (a batch document's index). */
export type TaskInput = PoolTask extends infer T ? T extends PoolTask ? Omit<T, 'id'> & { id?: number } : never : never;

/** What each kind of task resolves with. */
export interface TaskResults {
  render: TaskOutcome;
  form: { data: Uint8Array; pages?: number };
  compute: unknown;
  columns: null;
  headers: ColumnsPreview;
  zip: Uint8Array;
  merge: MergeResult;
  spill: SpillResult;
  template: null;
}

export type WorkerMessage =
  | { kind: 'event'; id: number; event: unknown }
  | { kind: 'ok'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: WireError };

export interface RunOptions {
  /** The task's thread is stopped this long after the task starts on it (TaskTimeoutError). */
  deadlineMs: number;
  /** Interactive tasks (a request waiting for its answer) go before batch documents. */
  interactive?: boolean;
  /** Hears what a long task reports while it runs (a file being read). */
  onEvent?: (event: unknown) => void;
  /** A short batch task a request may wait behind (the start-up warm-up): no spare thread is started past it. */
  short?: boolean;
}

interface Pending {
  task: PoolTask;
  options: RunOptions;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
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

/**
 * The most a render thread's heap may hold, in MB: a task that needs more
 * (a hostile template doubling its output, a list of millions of cells) stops
 * its own thread with an out-of-memory error instead of the service. A
 * 20,000-row list rendered as one document peaks near 300 MB of it.
 */
export const WORKER_HEAP_MB = intSetting('SARABAN_WORKER_HEAP_MB', 768, 64);

/** A batch document's deadline: one long list may take minutes on a slow machine, never hours. */
export const BATCH_TASK_TIMEOUT_MS = intSetting('SARABAN_BATCH_TASK_TIMEOUT_MS', 600_000, 1);


/**
 * The render threads: every render, computation, file parse, mail merge and
 * template run of the service happens on one of them, never on the thread
 * that answers requests. Each task runs under a deadline that stops its
 * thread (TaskTimeoutError) and a heap cap (TaskMemoryError); a thread that
 * dies or is stopped is replaced, and only its own task fails. Tasks of
 * waiting requests go before batch documents, and may start one thread more
 * than `size` when batch documents hold every thread (a long list must not
 * keep a one-page letter waiting past its time limit); a thread takes one
 * task at a time.
 */
export class RenderPool {
  private idle: Worker[] = [];
  private interactive: Pending[] = [];
  private batch: Pending[] = [];
  private running = new Map<Worker, Pending>();
  private all = new Set<Worker>();
  private closed = false;
  private nextId = 1;

  private readonly resourceLimits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb?: number };

  constructor(readonly size = POOL_SIZE, private readonly heapMb = WORKER_HEAP_MB) {
    this.resourceLimits = { maxOldGenerationSizeMb: heapMb, ...(WORKER_YOUNG_MB > 0 ? { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } : {}) };
  }

  /** Runs a task on a render thread; its errors arrive as their own classes (see taskErrors). */
  run<T extends TaskInput>(task: T, options: RunOptions): Promise<TaskResults[T['kind']]> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    return new Promise((resolve, reject) => {
      const full = { ...task, id: task.id ?? this.nextId++ } as unknown as PoolTask;
      (options.interactive ? this.interactive : this.batch).push({ task: full, options, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Renders one batch document to its file. */
  render(task: Omit<BatchRenderTask, 'kind'>, options: Omit<RunOptions, 'deadlineMs'> = {}): Promise<TaskOutcome> {
    return this.run({ kind: 'render', ...task }, { deadlineMs: BATCH_TASK_TIMEOUT_MS, ...options });
  }

  /** Render threads started (idle or working). */
  get threads(): number {
    return this.all.size;
  }

  /** Tasks waiting for a thread. */
  get waiting(): number {
    return this.interactive.length + this.batch.length;
  }

  /** Stops every thread; what was queued or being rendered fails. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.interactive, ...this.batch, ...this.running.values()]) {
      clearTimeout(p.timer);
      p.reject(new PoolClosedError());
    }
    this.interactive = [];
    this.batch = [];
    this.running.clear();
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
    this.idle = [];
  }

  private spawn(): Worker {
    // Threads share the process environment, so a setting read per call (SARABAN_MAX_ROWS) applies in them too.
    // Workers take none of the parent's options: a module loader (tsx) would cost each of them
    // memory and speed, and a V8 option (--max-old-space-size) makes the Worker constructor throw.
    // Under tsx (tests, dev) the worker is TypeScript too: it registers tsx itself before loading it.
    const worker = workerUrl.pathname.endsWith('.ts')
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`, { eval: true, execArgv: [], resourceLimits: this.resourceLimits, env: SHARE_ENV })
      : new Worker(workerUrl, { execArgv: [], resourceLimits: this.resourceLimits, env: SHARE_ENV });
    worker.unref();
    this.all.add(worker);
    worker.on('message', (m: WorkerMessage) => this.onMessage(worker, m));
    worker.on('error', (e: Error & { code?: string }) => this.onExit(worker, e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new TaskMemoryError(this.heapMb) : e));
    worker.on('exit', (code) => this.onExit(worker, new Error(`render worker exited (${code})`)));
    return worker;
  }

  private dispatch(): void {
    for (;;) {
      const interactive = this.interactive.length > 0;
      // Batch documents take at most `size` threads, so a waiting request always has one to go to.
      if (!interactive && (this.batch.length === 0 || this.runningBatch() >= this.size)) return;
      let worker = this.idle.pop();
      // One spare thread, for requests only, and only while long batch documents hold every thread: requests
      // behind requests (or behind the warm-up) wait, so the pool does not grow by a thread's memory under load.
      if (!worker && this.all.size < this.size + (interactive && this.runningBatch(true) >= this.size ? 1 : 0)) worker = this.spawn();
      if (!worker) return;
      const p = (interactive ? this.interactive : this.batch).shift()!;
      try {
        worker.postMessage(p.task);
      } catch (e) {
        // Data the structured clone cannot copy (nested past the stack's depth): the task's own fault, the thread is untouched.
        this.idle.push(worker);
        p.reject(new RequestError(400, 'too_deep', 'ข้อมูลซ้อนกันลึกเกินไป ตรวจรูปแบบข้อมูล', `the data cannot be passed to a render thread (${e instanceof Error ? e.message : String(e)}): it is nested too deeply`));
        continue;
      }
      this.running.set(worker, p);
      worker.ref();
      p.timer = setTimeout(() => this.stop(worker, new TaskTimeoutError(p.options.deadlineMs)), p.options.deadlineMs);
    }
  }

  private runningBatch(longOnly = false): number {
    let n = 0;
    for (const p of this.running.values()) if (!p.options.interactive && !(longOnly && p.options.short)) n++;
    return n;
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    const p = this.running.get(worker);
    if (!p || p.task.id !== m.id) return;
    if (m.kind === 'event') { p.options.onEvent?.(m.event); return; }
    clearTimeout(p.timer);
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (m.kind === 'ok') p.resolve(m.value);
    else p.reject(fromWire(m.error));
    this.dispatch();
  }

  /** Stops a thread whose task ran past its deadline; its task fails with `error`, a fresh thread takes its place. */
  private stop(worker: Worker, error: Error): void {
    this.onExit(worker, error);
    void worker.terminate();
  }

  private onExit(worker: Worker, error: Error): void {
    // A thread ends once: the first of its error, exit or stop decides what its task hears.
    if (!this.all.delete(worker)) return;
    this.idle = this.idle.filter((w) => w !== worker);
    const p = this.running.get(worker);
    this.running.delete(worker);
    if (p) { clearTimeout(p.timer); p.reject(error); }
    if (!this.closed) this.dispatch();
  }
}

let shared: RenderPool | undefined;

/** The service's render threads: one pool for requests and batch jobs. */
export function sharedPool(): RenderPool {
  return (shared ??= new RenderPool());
}
