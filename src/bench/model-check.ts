// Our WebGPU kernels against tfjs's stock ones on whole models: the same seeded batch through a
// family's `tiny` preset, loss and every weight's gradient computed once with the stock kernels
// and once with ours, compared weight by weight. Kernel-level checks test the shapes someone
// thought of; this one tests the shapes, transposes and fusions the models actually produce.
// Runs in the worker on 'webgpu' (src/bench/bench-handlers.ts, e2e/conv3d-kernel.spec.ts).

import * as tf from '@tensorflow/tfjs';
import type { FamilyId } from '../models/family-info';
import { activeKernels, selectKernels, type KernelChoice, type KernelImpl } from '../webgpu/kernels';
import { lossAndGrads } from '../training/probe';
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
  const m = buildBenchModel(family, preset, 4, seed);
  try {
    selectKernels('stock');
    const stock = await lossAndGrads(m.built.model, m.xs, m.y, seed);
    selectKernels(fast);
    const fastChoice = activeKernels();
    const device = (tf.backend() as WebGPUBackend).device;
    device.pushErrorScope('validation');
    device.pushErrorScope('internal');
    const ours = await lossAndGrads(m.built.model, m.xs, m.y, seed);
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
    selectKernels(before);
    m.dispose();
  }
}
