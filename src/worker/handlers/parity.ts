// Gradient parity: does this backend really train this family? tfjs 4.22's GPU backends have
// silent bugs that zero or corrupt results without an exception (shared/TFJS-NOTES.md), so a
// family that "trains" on WebGPU may be learning nothing. This request builds a family's model
// with a fixed seed, computes the loss and EVERY gradient on the current backend for a fixed
// random batch, then does the same on the reference 'cpu' backend with the same weights, batch
// and dropout masks, and reports the per-variable relative error.
//
//   current backend: build(seed) ─▶ read weights ─▶ loss, ∂loss/∂w ─▶ dispose
//   tf.setBackend('cpu'): build(seed) ─▶ setWeights(same) ─▶ loss, ∂loss/∂w ─▶ dispose
//   tf.setBackend(back)  ─▶ compare: max|g − g_cpu| / max(max|g_cpu|, floor) per variable
//
// The batch is made in JavaScript (frames in [0, 1), flow / frame differences in [−1, 1)), and
// dropout masks are drawn by tfjs in JavaScript from Math.random, which runs under the same
// seeded generator on both sides, so both match. Batch-norm layers run in training mode (batch
// statistics), as in a real step. While the CPU half runs, the worker's backend is 'cpu': run
// this when no training is in progress.

import * as tf from '@tensorflow/tfjs';
import { FAMILY_IDS, isFamilyId, type FamilyId } from '../../models/family-info';
import { clipWith, findPreset } from '../../models/registry';
import type { ClipSpec } from '../../models/types';
import { mulberry32, withMathRandom, deriveSeed } from '../../lib/random';
import { modelInputShapes } from '../../models/model-inputs-shape';
import type { Handlers } from '../protocol';

export interface ParityArgs {
  family: FamilyId;
  preset?: string; // default 'tiny'
  batch?: number; // default 2
  /** Shrink the preset's clip (e.g. 4×16×16 where SwiftShader's Conv3D is slow). */
  clip?: Partial<Pick<ClipSpec, 'numFrames' | 'height' | 'width' | 'numClasses'>>;
  seed?: number; // default 1234
  tolerance?: number; // default 1e-3, relative
}

export interface ParityVariable {
  name: string;
  shape: number[];
  /** max |g| on the CPU reference. */
  maxAbs: number;
  /** max |g − g_cpu| / max(max|g_cpu|, floor). */
  relError: number;
  ok: boolean;
}

export interface ParityResult {
  family: FamilyId;
  preset: string;
  backend: string;
  clip: ClipSpec;
  batch: number;
  loss: number;
  cpuLoss: number;
  lossRelError: number;
  /** Relative errors are taken against at least this much |g| (1e-4 of the model's largest gradient). */
  floor: number;
  variables: ParityVariable[];
  /** Names of the variables (and 'loss') outside the tolerance. */
  failing: string[];
  maxRelError: number;
  tolerance: number;
  /** tf.memory().numTensors after the check minus before: 0 unless something leaked. */
  tensorDelta: number;
  ok: boolean;
  ms: number;
}

interface Run {
  loss: number;
  names: string[];
  shapes: number[][];
  grads: Float32Array[];
}

type Batch = { values: Float32Array; shape: number[] }[];

/** Loss and every trainable gradient of `model` on one batch, read back to arrays. */
async function lossAndGrads(model: tf.LayersModel, batch: Batch, labels: number[], numClasses: number, dropSeed: number): Promise<Run> {
  const inputs = batch.map((b) => tf.tensor(b.values, [labels.length, ...b.shape]));
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), numClasses));
  try {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = withMathRandom(mulberry32(dropSeed), () =>
      tf.variableGrads(() => {
        const out = model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tf.Tensor;
        return tf.metrics.categoricalCrossentropy(y, out).mean() as tf.Scalar;
      }, vars),
    );
    try {
      const data = await Promise.all([value.data(), ...vars.map((v) => grads[v.name].data())]);
      return { loss: data[0][0], names: model.trainableWeights.map((w) => w.originalName), shapes: vars.map((v) => v.shape), grads: data.slice(1) as Float32Array[] };
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  } finally {
    tf.dispose([y, ...inputs]);
  }
}

export async function gradientParity(args: ParityArgs): Promise<ParityResult> {
  const t0 = performance.now();
  const { family: famId, preset: presetName = 'tiny', batch = 2, seed = 1234, tolerance = 1e-3 } = args;
  if (!isFamilyId(famId)) throw new Error(`Unknown family “${famId}”. Families: ${FAMILY_IDS.join(', ')}.`);
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`The parity batch must be a whole number ≥ 1, got ${batch}.`);
  const { family, preset } = findPreset(`${famId}:${presetName}`);
  if (preset.paper) throw new Error(`${presetName} is a paper-scale preset; gradient parity runs on small presets such as “tiny”.`);
  const clip = clipWith(preset.clip, args.clip ?? {});
  const config = preset.config;
  const back = tf.getBackend();
  const tensorsBefore = tf.memory().numTensors;

  const labels = Array.from({ length: batch }, (_, i) => i % clip.numClasses);
  const buildSeed = deriveSeed(seed, 'parity-build');
  const dropSeed = deriveSeed(seed, 'parity-dropout');
  const build = () => withMathRandom(mulberry32(buildSeed), () => family.build(config, clip));

  // ── the backend under test ──
  const gpu = build();
  let weights: { values: Float32Array; shape: number[] }[];
  let onBackend: Run;
  let data: Batch;
  try {
    const ws = gpu.model.getWeights(); // the variables themselves: read before the step moves BN statistics
    weights = await Promise.all(ws.map(async (w) => ({ values: (await w.data()) as Float32Array, shape: w.shape })));
    // One fixed batch, made in JavaScript so both backends see the same numbers: frames in [0, 1),
    // flow fields and frame differences in [−1, 1). (The flow computation has its own tests; here
    // only the model's maths is compared.)
    const rng = mulberry32(deriveSeed(seed, 'parity-batch'));
    const flowIdx = gpu.inputs.indexOf('flow');
    const flowLength = flowIdx >= 0 ? (gpu.model.inputs[flowIdx].shape[1] ?? undefined) : undefined;
    data = modelInputShapes(gpu.inputs, clip, { flowLength }).map((shape, i) => {
      const lo = gpu.inputs[i] === 'frames' ? 0 : -1;
      return { shape, values: Float32Array.from({ length: batch * shape.reduce((a, b) => a * b, 1) }, () => lo + (1 - lo) * rng()) };
    });
    onBackend = await lossAndGrads(gpu.model, data, labels, clip.numClasses, dropSeed);
  } finally {
    gpu.model.dispose();
  }

  // ── the CPU reference, same weights ──
  let onCpu: Run;
  if (back === 'cpu') onCpu = onBackend;
  else {
    await tf.setBackend('cpu');
    try {
      const ref = build();
      try {
        const ts = weights.map((w) => tf.tensor(w.values, w.shape));
        try {
          ref.model.setWeights(ts);
        } finally {
          tf.dispose(ts);
        }
        onCpu = await lossAndGrads(ref.model, data, labels, clip.numClasses, dropSeed);
      } finally {
        ref.model.dispose();
      }
    } finally {
      await tf.setBackend(back);
    }
  }

  // ── compare ──
  const maxAbsOf = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const globalMax = onCpu.grads.reduce((m, g) => Math.max(m, maxAbsOf(g)), 0);
  const floor = Math.max(1e-4 * globalMax, 1e-8);
  const variables: ParityVariable[] = onCpu.grads.map((ref, i) => {
    const got = onBackend.grads[i];
    let diff = 0;
    for (let j = 0; j < ref.length; j++) {
      const d = Math.abs(got[j] - ref[j]);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    }
    const maxAbs = maxAbsOf(ref);
    const relError = diff / Math.max(maxAbs, floor);
    return { name: onCpu.names[i], shape: onCpu.shapes[i], maxAbs, relError, ok: relError <= tolerance };
  });
  const lossRelError = Math.abs(onBackend.loss - onCpu.loss) / Math.max(Math.abs(onCpu.loss), 1e-8);
  const tensorDelta = tf.memory().numTensors - tensorsBefore;
  const failing = [...(lossRelError <= tolerance ? [] : ['loss']), ...variables.filter((v) => !v.ok).map((v) => v.name), ...(tensorDelta === 0 ? [] : [`${tensorDelta} leaked tensors`])];
  return {
    family: famId,
    preset: presetName,
    backend: back,
    clip,
    batch,
    loss: onBackend.loss,
    cpuLoss: onCpu.loss,
    lossRelError: Number.isNaN(lossRelError) ? Infinity : lossRelError,
    floor,
    variables,
    failing,
    maxRelError: Math.max(lossRelError, ...variables.map((v) => v.relError)),
    tolerance,
    tensorDelta,
    ok: failing.length === 0 && globalMax > 0,
    ms: Math.round(performance.now() - t0),
  };
}

export const parityHandlers: Pick<Handlers, 'gradient-parity'> = {
  async 'gradient-parity'(args) {
    return gradientParity(args);
  },
};
