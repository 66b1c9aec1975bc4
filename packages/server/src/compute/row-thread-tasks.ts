/** Runs inside an engine helper thread: answers the tasks its pool posts, one at a time. */
import type { MessagePort } from 'node:worker_threads';
import { runRowTask } from '@centroid/engine';
import type { RowTaskMessage, RowTaskReply } from './row-threads.ts';

export function serveRowTasks(port: MessagePort, signal: Int32Array): void {
  port.on('message', (message: RowTaskMessage) => {
    let reply: RowTaskReply;
    try {
      reply = { id: message.id, ok: true, result: runRowTask(message.task, message.args) };
    } catch (error) {
      reply = { id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    port.postMessage(reply);
    // Wakes the calling thread, blocked in Atomics.wait until this reply is there.
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
}
