// The benchmark page's script (bench.html, loaded only by `npm run bench` and the e2e tests
// that drive it): starts the bench worker (bench.worker.ts: the app's tfjs core plus the bench
// requests, bench-protocol.ts) through the app's worker client class and exposes
// `window.__clipscopeBench`, whose calls are requests to that worker, so the numbers are the
// app's real path. Page-side measurements (frame sampling, the longest main-thread task while
// the worker trains) happen here.

import { WorkerClient } from '../runtime/worker-client';
import type { BenchEvent, BenchRequestName, BenchRequests } from './bench-protocol';
import type { BackendName } from '../lib/tf-backend';
import { benchSampling, checkCancellation, compareSamplingPaths } from './sampling-bench';

const client = new WorkerClient<BenchRequests, BenchEvent>(
  () => new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'clipscope-bench' }),
  async () => (await import('./bench-core')).createBenchCore,
);
client.startWorker();

type Args<K extends BenchRequestName> = BenchRequests[K]['args'];
type Result<K extends BenchRequestName> = BenchRequests[K]['result'];

/** Longest main-thread task (PerformanceObserver 'longtask', ≥ 50 ms) while `work` runs; 0 if none. */
async function longestTaskDuring<T>(work: () => Promise<T>): Promise<{ result: T; longestTaskMs: number; longTasks: number }> {
  let longest = 0;
  let count = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      longest = Math.max(longest, e.duration);
      count++;
    }
  });
  obs.observe({ type: 'longtask', buffered: false });
  // A frame loop, as the app's charts would run, so a blocked main thread shows up.
  let running = true;
  const tick = () => {
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  try {
    const result = await work();
    await new Promise((r) => setTimeout(r, 100));
    for (const e of obs.takeRecords()) {
      longest = Math.max(longest, e.duration);
      count++;
    }
    return { result, longestTaskMs: longest, longTasks: count };
  } finally {
    running = false;
    obs.disconnect();
  }
}

const api = {
  init: (backend: BackendName | null) => client.request('init', { backend }),
  request: <K extends BenchRequestName>(name: K, args: Args<K>): Promise<Result<K>> => client.request(name, args),
  longestTaskDuring: <K extends BenchRequestName>(name: K, args: Args<K>) => longestTaskDuring(() => client.request(name, args)),
  userAgent: () => navigator.userAgent,
  /** Page-side frame sampling (WebCodecs fast path or seek + seeked + draw), no worker involved: bench/sampling-bench.ts. */
  sampling: benchSampling,
  /** The same plans on the default path and the seek path, compared pixel by pixel (e2e exactness check). */
  samplingPaths: compareSamplingPaths,
  /** A grab cancelled part-way, then a full one (e2e: cancellation leaves the path working). */
  samplingCancel: checkCancellation,
};

declare global {
  interface Window {
    __clipscopeBench?: typeof api;
  }
}
window.__clipscopeBench = api;
