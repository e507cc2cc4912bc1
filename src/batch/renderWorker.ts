import { parentPort } from 'node:worker_threads';
import { readFile, rename, stat } from 'node:fs/promises';
import { renderFormToFile } from '../service.js';
import { batchSpecOf, rowsOf } from './groupRows.js';
import { ValidationError } from '../validation.js';
import type { WorkerMessage, WorkerTask } from './pool.js';

/**
 * One render thread of the batch pool: renders one group's document at a
 * time from the rows the job spilled to disk, and writes it to disk itself,
 * so neither rows nor file bytes cross threads.
 * For a merged PDF it reports its page count after layout and waits for the
 * number of pages before it, so numbering continues across documents.
 */
const port = parentPort;
if (!port) throw new Error('renderWorker runs as a worker thread');

const waiting = new Map<number, (pagesBefore: number) => void>();
const post = (m: WorkerMessage) => port.postMessage(m);

port.on('message', (msg: WorkerTask | { kind: 'pagesBefore'; id: number; pagesBefore: number }) => {
  if (msg.kind === 'pagesBefore') {
    waiting.get(msg.id)?.(msg.pagesBefore);
    waiting.delete(msg.id);
    return;
  }
  void run(msg);
});

async function run(task: WorkerTask): Promise<void> {
  let pages = 0;
  try {
    // Written beside the target and renamed: a part on disk is always whole.
    await renderFormToFile(task.formId, await groupData(task), task.format, `${task.outPath}.part`, {
      pagesBefore: async (count) => {
        pages = count;
        if (!task.continuous) return 0;
        post({ kind: 'pages', id: task.id, pages: count });
        return new Promise<number>((resolve) => waiting.set(task.id, resolve));
      },
    });
    await rename(`${task.outPath}.part`, task.outPath);
    const bytes = (await stat(task.outPath)).size;
    post({ kind: 'done', id: task.id, pages, bytes });
  } catch (e) {
    if (e instanceof ValidationError) post({ kind: 'invalid', id: task.id, errors: e.errors });
    else post({ kind: 'failed', id: task.id, message: e instanceof Error ? e.message : String(e) });
  }
}

/** The document's data: its rows through the form's batch interface (which may refuse a group whose sums disagree). */
async function groupData(task: WorkerTask): Promise<unknown> {
  return batchSpecOf(task.formId).toData(rowsOf(await readFile(task.rowsFile, 'utf8')) as never[], task.shared);
}
