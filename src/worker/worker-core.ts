// The app worker's handler table (one module per group under handlers/) and its message loop
// (rpc.ts), independent of how messages arrive: a real module Worker (app.worker.ts) or, as a
// last resort, the page's main thread (runtime/worker-client.ts).

import { createCore, type Post } from './rpc';
import type { HandlerContext, Handlers, WorkerEvent } from './protocol';
import { sessionHandlers } from './handlers/session';
import { clipHandlers } from './handlers/clips';
import { flowHandlers } from './handlers/flow';
import { trainHandlers } from './handlers/train';
import { modelHandlers } from './handlers/models';
import { parityHandlers } from './handlers/parity';
import { exportHandlers } from './handlers/export';

const handlers: Handlers = {
  ...sessionHandlers,
  ...clipHandlers,
  ...flowHandlers,
  ...trainHandlers,
  ...modelHandlers,
  ...parityHandlers,
  ...exportHandlers,
};

export const createWorkerCore = (post: Post<WorkerEvent>, thread: HandlerContext['thread']) => createCore(handlers, post, thread);
