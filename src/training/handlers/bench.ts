// Benchmark requests: timings taken inside this worker, on the app's own tfjs path.
// Driven by the bench page (src/bench/bench-entry.ts ← scripts/bench.ts) and the e2e kernel test.

import * as tf from '@tensorflow/tfjs';
import { activeConv3DKernels, useConv3DKernels, type Conv3DImpl } from '../../lib/webgpu-conv3d/conv3d-kernels';
import { checkConv3DKernels } from '../../lib/webgpu-conv3d/conv3d-check';
import { benchTraining, buildConv3DStandIn, timeConv3DLayer, traceMemory } from '../../bench/workloads';
import type { Handlers } from '../protocol';

const STANDIN_CLASSES = 4;
const STANDIN_INPUT = [[8, 32, 32, 3]];

function requireWebGPU(what: string): void {
  if (tf.getBackend() !== 'webgpu') throw new Error(`${what} needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
}

function disposeModel(model: tf.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}

/** Run `fn` with the given Conv3D kernels, then restore the ones that were active. */
async function withKernels<T>(impl: Conv3DImpl, fn: () => Promise<T>): Promise<T> {
  const before = activeConv3DKernels();
  useConv3DKernels(impl);
  try {
    return await fn();
  } finally {
    useConv3DKernels(before);
  }
}

export const benchHandlers: Pick<Handlers, 'conv3d-kernels' | 'bench-conv3d-check' | 'bench-conv3d-layer' | 'bench-conv3d-step' | 'bench-train' | 'bench-memory'> = {
  async 'conv3d-kernels'({ impl }) {
    requireWebGPU('Choosing the Conv3D kernels');
    useConv3DKernels(impl);
    return { impl: activeConv3DKernels() };
  },
  async 'bench-conv3d-check'() {
    return checkConv3DKernels();
  },
  async 'bench-conv3d-layer'({ repeats, warmup }) {
    requireWebGPU('The Conv3D layer benchmark');
    const stock = await withKernels('stock', () => timeConv3DLayer(repeats, warmup));
    const fast = await withKernels('fast', () => timeConv3DLayer(repeats, warmup));
    return { stock, fast, speedup: stock.medianMs / fast.medianMs };
  },
  async 'bench-conv3d-step'({ repeats, warmup, batch }) {
    requireWebGPU('The Conv3D training-step benchmark');
    const model = buildConv3DStandIn(STANDIN_CLASSES);
    try {
      const stock = await withKernels('stock', () => benchTraining(model, STANDIN_INPUT, STANDIN_CLASSES, batch, repeats, warmup));
      const fast = await withKernels('fast', () => benchTraining(model, STANDIN_INPUT, STANDIN_CLASSES, batch, repeats, warmup));
      return { model: 'conv3d stand-in (2 × conv3d 3×3×3, 8 × 32 × 32 × 3 clips)', stock, fast, speedup: stock.step.medianMs / fast.step.medianMs };
    } finally {
      disposeModel(model);
    }
  },
  async 'bench-train'({ model: name, repeats, warmup, batch }) {
    if (name !== 'conv3d-standin') throw new Error(`bench-train: unknown model “${name}” (known: conv3d-standin).`);
    const model = buildConv3DStandIn(STANDIN_CLASSES);
    try {
      return { model: 'conv3d stand-in', ...(await benchTraining(model, STANDIN_INPUT, STANDIN_CLASSES, batch, repeats, warmup)) };
    } finally {
      disposeModel(model);
    }
  },
  async 'bench-memory'({ steps, batch }) {
    const model = buildConv3DStandIn(STANDIN_CLASSES);
    try {
      return { model: 'conv3d stand-in', backend: tf.getBackend(), ...(await traceMemory(model, STANDIN_INPUT, STANDIN_CLASSES, batch, steps)) };
    } finally {
      disposeModel(model);
    }
  },
};
