// The worker's message loop, independent of how messages arrive: a real module Worker
// (app.worker.ts) or, as a last resort, the page's main thread (worker-client.ts).

import { errorText } from '../lib/errors';
import type { FromWorker, HandlerContext, Handlers, ToWorker } from './protocol';
import { sessionHandlers } from './handlers/session';
import { clipHandlers } from './handlers/clips';
import { benchHandlers } from '../bench/bench-handlers';
import { flowHandlers } from './handlers/flow';
import { trainHandlers } from './handlers/train';
import { modelHandlers } from './handlers/models';
import { parityHandlers } from './handlers/parity';

const handlers: Handlers = {
  ...sessionHandlers,
  ...clipHandlers,
  ...benchHandlers,
  ...flowHandlers,
  ...trainHandlers,
  ...modelHandlers,
  ...parityHandlers,
};

export function createWorkerCore(post: (msg: FromWorker, transfer?: Transferable[]) => void, thread: HandlerContext['thread']) {
  const ctx: HandlerContext = { emit: (event) => post({ kind: 'event', event }), thread };
  return async function onMessage(msg: ToWorker): Promise<void> {
    const handler = handlers[msg.name] as (args: unknown, ctx: HandlerContext) => Promise<unknown>;
    try {
      const result = await handler(msg.args, ctx);
      post({ kind: 'reply', id: msg.id, ok: true, result }, transferablesOf(result));
    } catch (e) {
      post({ kind: 'reply', id: msg.id, ok: false, error: errorText(e) });
    }
  };
}

/** Typed-array buffers found at the top level of a result, to transfer instead of copy. */
function transferablesOf(result: unknown): Transferable[] {
  if (!result || typeof result !== 'object') return [];
  const out: Transferable[] = [];
  for (const v of Object.values(result)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.push(v.buffer);
  return out;
}
