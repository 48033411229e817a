// Our WebGPU kernels against tfjs's stock ones on whole models: the same seeded batch through a
// family's `tiny` preset, loss and every weight's gradient computed once with the stock kernels
// and once with ours, compared weight by weight. Kernel-level checks test the shapes someone
// thought of; this one tests the shapes, transposes and fusions the models actually produce.
// Runs in the worker on 'webgpu' (src/bench/bench-handlers.ts, e2e/conv3d-kernel.spec.ts).

import * as tf from '@tensorflow/tfjs';
import type { FamilyId } from '../models/family-info';
import { activeKernels, useKernels, type KernelChoice, type KernelImpl } from '../webgpu/kernels';
import { mulberry32, withMathRandom } from '../lib/random';
import { buildBenchModel } from './workloads';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

export interface ModelKernelCheck {
  model: string;
  lossStock: number;
  lossFast: number;
  weights: number;
  /** Max over weights of max|g_ours − g_stock| / max|g_stock|, and the same for the loss. */
  maxRelError: number;
  /** The three weights that differ most. */
  worst: { weight: string; relError: number }[];
  /** Which groups ran ours in the 'fast' pass. */
  fast: KernelChoice;
  /** WebGPU validation/internal errors raised during our pass (a shader that fails to compile runs nothing). */
  gpuErrors: string[];
}

interface Pass {
  loss: number;
  grads: Float32Array[];
}

/** Loss and gradients of one batch (dropout masks drawn from a fixed seed, no weight update). */
async function lossAndGrads(m: ReturnType<typeof buildBenchModel>, seed: number): Promise<Pass> {
  const vars = m.built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const input = m.xs.length === 1 ? m.xs[0] : m.xs;
  const { value, grads } = withMathRandom(mulberry32(seed), () =>
    tf.variableGrads(() => tf.metrics.categoricalCrossentropy(m.y, m.built.model.apply(input, { training: true }) as tf.Tensor).mean() as tf.Scalar, vars),
  );
  const tensors = [value, ...vars.map((v) => grads[v.name])];
  try {
    const data = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
    return { loss: data[0][0], grads: data.slice(1) };
  } finally {
    tf.dispose(tensors);
  }
}

function relError(ours: Float32Array, ref: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  if (!Number.isFinite(diff)) return Infinity;
  return scale > 0 ? diff / scale : diff;
}

/** Compare `fast` (default: every group ours) against all-stock on one of `family`'s presets (default tiny). */
export async function checkModelKernels(family: FamilyId, fast: KernelImpl | Partial<KernelChoice> = 'fast', preset = 'tiny', seed = 3): Promise<ModelKernelCheck> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`The model kernel check needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
  const before = activeKernels();
  const m = withMathRandom(mulberry32(seed), () => buildBenchModel(family, preset, 4, seed));
  try {
    useKernels('stock');
    const stock = await lossAndGrads(m, seed);
    useKernels(fast);
    const fastChoice = activeKernels();
    const device = (tf.backend() as WebGPUBackend).device;
    device.pushErrorScope('validation');
    device.pushErrorScope('internal');
    const ours = await lossAndGrads(m, seed);
    const gpuErrors = (await Promise.all([device.popErrorScope(), device.popErrorScope()])).filter((e) => e !== null).map((e) => e.message);
    const names = m.built.model.trainableWeights.map((w) => w.name);
    const perWeight = names.map((weight, i) => ({ weight, relError: relError(ours.grads[i], stock.grads[i]) }));
    const lossErr = Math.abs(ours.loss - stock.loss) / Math.max(Math.abs(stock.loss), 1e-12);
    const worst = [...perWeight].sort((a, b) => b.relError - a.relError).slice(0, 3);
    return {
      model: m.name,
      lossStock: stock.loss,
      lossFast: ours.loss,
      weights: names.length,
      maxRelError: Math.max(lossErr, ...perWeight.map((w) => w.relError)),
      worst,
      fast: fastChoice,
      gpuErrors,
    };
  } finally {
    useKernels(before);
    m.dispose();
  }
}
