import { parentPort } from 'node:worker_threads';
import { readFile, rename, stat } from 'node:fs/promises';
import { zipSync } from 'fflate';
import { computeFormValues, renderForm, renderFormToFile } from '../service.js';
import { batchSpecOf, rowsOf } from './groupRows.js';
import { checkColumns, previewColumns } from './rows.js';
import { ValidationError } from '../validation.js';
import { formFromUpload, registerUserTemplate, TemplateUploadError } from '../usertemplates/index.js';
import { runMerge } from '../docxmerge/task.js';
import { spillRows } from './spill.js';
import { RequestError, toWire } from './taskErrors.js';
import type { BatchRenderTask, PoolTask, TaskOutcome, WorkerMessage } from './pool.js';

/**
 * A render thread of the pool (see RenderPool): runs one task at a time and
 * answers with its value or its error as data. A batch document is written
 * to disk here, so neither its rows nor its bytes cross threads; a request's
 * document comes back as bytes moved, not copied, to the main thread.
 */
const port = parentPort;
if (!port) throw new Error('renderWorker runs as a worker thread');

const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

port.on('message', (task: PoolTask) => { void run(task); });

async function run(task: PoolTask): Promise<void> {
  try {
    const [value, transfer] = await perform(task);
    post({ kind: 'ok', id: task.id, value }, transfer);
  } catch (e) {
    post({ kind: 'error', id: task.id, error: toWire(e) });
  }
}

/** Bytes that can be moved to the main thread: a Buffer may be a slice of a shared pool, which must not move. */
function movable(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
  return own ? (data as Uint8Array<ArrayBuffer>) : new Uint8Array(data);
}

async function perform(task: PoolTask): Promise<[unknown, ArrayBuffer[]]> {
  switch (task.kind) {
    case 'render': return [await renderBatchDocument(task), []];
    case 'form': {
      if (task.userTemplate) registerUserTemplate(task.userTemplate);
      let pages: number | undefined;
      const file = await renderForm(task.formId, task.input, task.format, { pagesBefore: async (count) => { pages = count; return 0; } });
      const data = movable(file.data);
      return [{ data, pages }, [data.buffer]];
    }
    case 'compute':
      if (task.userTemplate) registerUserTemplate(task.userTemplate);
      return [computeFormValues(task.formId, task.input), []];
    case 'columns':
      await checkColumns({ path: task.path }, task.filename, batchSpecOf(task.formId), task.sheet, task.columns);
      return [null, []];
    case 'headers':
      return [await previewColumns({ path: task.path }, task.filename, batchSpecOf(task.formId), task.sheet), []];
    case 'zip': {
      const zip = zipSync(Object.fromEntries(task.files.map((f) => [f.name, f.data])), { level: task.level });
      return [zip, [zip.buffer as ArrayBuffer]];
    }
    case 'template':
      try {
        formFromUpload(task.upload);
      } catch (e) {
        if (!(e instanceof TemplateUploadError)) throw e;
        throw new RequestError(e.status, e.code, e.th, e.en, e.field ? [{ path: e.field, th: e.th, en: e.en }] : undefined, e.line);
      }
      return [null, []];
    case 'spill':
      return [await spillRows(task, (event) => post({ kind: 'event', id: task.id, event })), []];
    case 'merge': {
      const result = await runMerge(task);
      return [result, result.docs.map((d) => d.buffer as ArrayBuffer)];
    }
  }
}

/** One group's document of a batch job, written beside its target and renamed: a part on disk is always whole. */
async function renderBatchDocument(task: BatchRenderTask): Promise<TaskOutcome> {
  let pages = 0;
  try {
    const data = batchSpecOf(task.formId).toData(rowsOf(await readFile(task.rowsFile, 'utf8')) as never[], task.shared);
    await renderFormToFile(task.formId, data, task.format, `${task.outPath}.part`, {
      // Each document numbers its own pages from 1, also in a merged PDF; the count is the job's to sum.
      pagesBefore: async (count) => { pages = count; return 0; },
    });
    await rename(`${task.outPath}.part`, task.outPath);
    return { ok: true, pages, bytes: (await stat(task.outPath)).size };
  } catch (e) {
    // A group whose data the form refuses is the job's to report, not a failure of the thread.
    if (e instanceof ValidationError) return { ok: false, errors: e.errors };
    throw e;
  }
}
