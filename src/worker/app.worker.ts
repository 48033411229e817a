/// <reference lib="webworker" />
// The app's module Web Worker that owns every tensor. All logic is in worker-core.ts.
import { createWorkerCore } from './worker-core';
import type { ToWorker } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const onMessage = createWorkerCore((msg, transfer) => scope.postMessage(msg, transfer ?? []), 'worker');
scope.onmessage = (e: MessageEvent<ToWorker>) => void onMessage(e.data);
