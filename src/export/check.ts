// check.json: a small seeded input in PyTorch layout (N, C, T, H, W) per model input and the
// tfjs model's output for it in eval mode (class probabilities: the model ends in a softmax), so
// model.py + weights.safetensors can be checked against the browser's numbers; and describe's
// parameter counts, which PyTorch's must equal (paper-scale code-only exports carry only those).

import * as tf from '@tensorflow/tfjs';
import { mulberry32, uniform } from '../lib/random';
import type { Description } from '../models/types';
import { permute } from './layout';
import type { TorchProgram } from './torch-net';

/** Clips in check.json's batch. */
export const CHECK_BATCH = 2;

export interface CheckJson {
  model: string;
  /** Where `logits` were computed: tfjs on this backend, eval mode. */
  backend: string;
  weights: string | null;
  /** What `logits` holds: the model's output, softmax probabilities. */
  output: 'softmax probabilities';
  tolerance: { relative: number };
  inputs: { name: string; shape: number[]; data: number[] }[];
  /** [N][K]; null for a code-only export. */
  logits: number[][] | null;
  params: { trainable: number; nonTrainable: number };
}

/** Value range of each input kind in the check (frames are pixels in [0, 1]). */
const RANGE: Record<string, [number, number]> = { frames: [0, 1], flow: [-2, 2], 'frame-diff': [-1, 1] };

export async function checkJson(o: { model: tf.LayersModel | null; program: TorchProgram; description: Description; seed: number; label: string; backend: string; weightsFrom: string }): Promise<CheckJson> {
  const params = { trainable: o.description.totals.trainableParams, nonTrainable: o.description.totals.nonTrainableParams };
  const base = { model: o.label, backend: o.backend, output: 'softmax probabilities' as const, tolerance: { relative: 1e-4 }, params };
  if (!o.model) return { ...base, weights: null, inputs: [], logits: null };
  const rng = mulberry32(o.seed);
  const inputs = o.program.inputs.map((i) => {
    const [lo, hi] = RANGE[i.kind] ?? [0, 1];
    const tfShape = [CHECK_BATCH, ...i.tfShape]; // [N, T, H, W, C]
    const values = Float32Array.from({ length: tfShape.reduce((a, b) => a * b, 1) }, () => uniform(rng, lo, hi));
    return { name: i.name, tfShape, values };
  });
  const model = o.model;
  const y = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.tfShape));
    return model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
  });
  // array(), not arraySync(): a synchronous read gives zeros on tfjs's WebGPU backend.
  const logits = (await y.array().finally(() => y.dispose())) as number[][];
  return {
    ...base,
    weights: o.weightsFrom,
    inputs: inputs.map((i) => ({ name: i.name, shape: [CHECK_BATCH, i.tfShape[4], ...i.tfShape.slice(1, 4)], data: Array.from(permute(i.values, i.tfShape, [0, 4, 1, 2, 3])) })),
    logits,
  };
}
