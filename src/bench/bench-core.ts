// The benchmark worker's message loop over its handler table (bench-handlers.ts), on the same
// message loop as the app worker (worker/rpc.ts).
import { createCore, type Post } from '../worker/rpc';
import type { BenchEvent } from './bench-protocol';
import { benchHandlers } from './bench-handlers';

export const createBenchCore = (post: Post<BenchEvent>, thread: 'worker' | 'main') => createCore(benchHandlers, post, thread);
