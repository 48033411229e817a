// tf.profile's kernel list summed per kernel name: where a step's (or a flow's) time goes.
// Used by the benchmark's per-family profile (src/bench/workloads.ts) and the flow benchmark
// (src/bench/flow-bench.ts).

import type * as tf from '@tensorflow/tfjs';

export interface KernelTime {
  name: string;
  calls: number;
  /** Summed kernel time: GPU timestamps where the backend has them, else wall time. */
  ms: number;
}

/** Calls and summed time per kernel name, slowest first (ties: most calls first). */
export function kernelTimes(info: Awaited<ReturnType<typeof tf.profile>>): KernelTime[] {
  const byName = new Map<string, KernelTime>();
  for (const k of info.kernels) {
    const a = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    a.calls++;
    a.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, a);
  }
  return [...byName.values()].sort((x, y) => y.ms - x.ms || y.calls - x.calls);
}
