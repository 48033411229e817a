/// <reference lib="webworker" />
// The benchmark page's module Web Worker (bench.html): the app's tfjs core plus the bench and
// kernel-check requests. All logic is in bench-core.ts.
import { createBenchCore } from './bench-core';
import type { ToBenchWorker } from './bench-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const onMessage = createBenchCore((msg, transfer) => scope.postMessage(msg, transfer ?? []), 'worker');
scope.onmessage = (e: MessageEvent<ToBenchWorker>) => void onMessage(e.data);
