// Probes of a model on a seeded random batch: the one way the worker's checks (the one-step
// training check, gradient parity) and the benchmarks (src/bench/) make a batch, build a model
// with reproducible weights, and take the loss and every weight's gradient.
//
//   seed ─▶ buildSeeded: family.build under a seeded Math.random (tfjs's initialisers draw from it)
//   seed ─▶ probeBatch:  one plain-array batch per model input, labels i mod classes
//   probeTensors(batch) ─▶ xs, y ─▶ lossGradTensors / lossAndGrads (dropout masks seeded too)
//
// The batch is made in JavaScript, not by a backend, so every backend sees the same numbers:
// frames in [0, 1), flow fields and frame differences in [−1, 1).

import * as tf from '@tensorflow/tfjs';
import { mulberry32, withMathRandom } from '../lib/random';
import { modelInputShapes } from '../models/input-shapes';
import type { BuiltModel, ClipSpec, FamilyDef } from '../models/types';

/** A family's model with weights drawn from `seed`: the same seed gives the same weights on any backend. */
export function buildSeeded<C>(family: FamilyDef<C>, config: C, clip: ClipSpec, seed: number): BuiltModel {
  return withMathRandom(mulberry32(seed), () => family.build(config, clip));
}

/** One input of a probe batch: `values` in row-major order, `shape` = [N, …the input's shape]. */
interface ProbeInput {
  values: Float32Array;
  shape: number[];
}

export interface ProbeBatch {
  /** In the order of the model's input kinds. */
  inputs: ProbeInput[];
  /** Class of each clip: i mod numClasses. */
  labels: number[];
  numClasses: number;
}

/** A seeded random batch of `batch` clips for a built model on `clip` (the flow stack length is read off the model). */
export function probeBatch(built: BuiltModel, clip: ClipSpec, batch: number, seed: number): ProbeBatch {
  const rng = mulberry32(seed);
  const flowIdx = built.inputs.indexOf('flow');
  const flowLength = flowIdx >= 0 ? (built.model.inputs[flowIdx].shape[1] ?? undefined) : undefined;
  const inputs = modelInputShapes(built.inputs, clip, { flowLength }).map((shape, i) => {
    const lo = built.inputs[i] === 'frames' ? 0 : -1;
    const size = batch * shape.reduce((a, b) => a * b, 1);
    return { shape: [batch, ...shape], values: Float32Array.from({ length: size }, () => lo + (1 - lo) * rng()) };
  });
  return { inputs, labels: Array.from({ length: batch }, (_, i) => i % clip.numClasses), numClasses: clip.numClasses };
}

/** The batch as tensors on the current backend: xs (one per input) and one-hot y [N, classes]. The caller disposes them. */
export function probeTensors(p: ProbeBatch): { xs: tf.Tensor[]; y: tf.Tensor2D } {
  const xs: tf.Tensor[] = [];
  try {
    for (const b of p.inputs) xs.push(tf.tensor(b.values, b.shape)); // throws on a shape/values mismatch
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(p.labels, 'int32'), p.numClasses) as tf.Tensor2D);
    return { xs, y };
  } catch (e) {
    tf.dispose(xs); // nothing made before the failure is left behind
    throw e;
  }
}

/**
 * The mean cross-entropy of one batch and its gradient for every trainable weight, in training
 * mode (dropout on, batch-norm batch statistics), as tensors the caller disposes. A weight the
 * loss does not depend on has no entry in `grads`. Dropout masks are drawn from Math.random:
 * under `dropSeed` when given, so two runs (or two backends) draw the same masks.
 */
export function lossGradTensors(model: tf.LayersModel, xs: tf.Tensor[], y: tf.Tensor, dropSeed?: number): { loss: tf.Scalar; grads: tf.NamedTensorMap; vars: tf.Variable[] } {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const input = xs.length === 1 ? xs[0] : xs;
  const f = () => tf.metrics.categoricalCrossentropy(y, model.apply(input, { training: true }) as tf.Tensor).mean() as tf.Scalar;
  const { value, grads } = dropSeed === undefined ? tf.variableGrads(f, vars) : withMathRandom(mulberry32(dropSeed), () => tf.variableGrads(f, vars));
  return { loss: value, grads, vars };
}

export interface LossAndGrads {
  loss: number;
  /** Per trainable weight, in model order: its name (originalName), shape and gradient (zeros where the loss does not depend on it). */
  names: string[];
  shapes: number[][];
  grads: Float32Array[];
}

/** lossGradTensors, read back to arrays; every tensor it made is disposed. */
export async function lossAndGrads(model: tf.LayersModel, xs: tf.Tensor[], y: tf.Tensor, dropSeed?: number): Promise<LossAndGrads> {
  const { loss, grads, vars } = lossGradTensors(model, xs, y, dropSeed);
  try {
    const data = await Promise.all([loss.data(), ...vars.map((v) => (grads[v.name] ? grads[v.name].data() : Promise.resolve(new Float32Array(v.size))))]);
    return { loss: data[0][0], names: model.trainableWeights.map((w) => w.originalName), shapes: vars.map((v) => v.shape), grads: data.slice(1) as Float32Array[] };
  } finally {
    tf.dispose([loss, ...Object.values(grads)]);
  }
}
