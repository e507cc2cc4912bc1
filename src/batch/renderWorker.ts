import { parentPort } from 'node:worker_threads';
import { writeFile, rename } from 'node:fs/promises';
import { renderForm } from '../service.js';
import { ValidationError } from '../validation.js';
import type { WorkerMessage, WorkerTask } from './pool.js';

/**
 * One render thread of the batch pool: renders one group's document at a
 * time and writes it to disk itself, so file bytes never cross threads.
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
    const file = await renderForm(task.formId, task.data, task.format, {
      pagesBefore: async (count) => {
        pages = count;
        if (!task.continuous) return 0;
        post({ kind: 'pages', id: task.id, pages: count });
        return new Promise<number>((resolve) => waiting.set(task.id, resolve));
      },
    });
    // Write beside the target and rename: a part on disk is always whole.
    await writeFile(`${task.outPath}.part`, file.data);
    await rename(`${task.outPath}.part`, task.outPath);
    post({ kind: 'done', id: task.id, pages, bytes: file.data.length });
  } catch (e) {
    if (e instanceof ValidationError) post({ kind: 'invalid', id: task.id, errors: e.errors });
    else post({ kind: 'failed', id: task.id, message: e instanceof Error ? e.message : String(e) });
  }
}
