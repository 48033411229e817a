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
import { FAMILY_IDS, isFamilyId } from '../../models/family-info';
import { clipWith, findPreset } from '../../models/registry';
import { deriveSeed } from '../../lib/random';
import { buildSeeded, lossAndGrads, probeBatch, probeTensors, type LossAndGrads, type ProbeBatch } from '../../training/probe';
import type { ParityArgs, ParityResult, ParityVariable } from '../model-protocol';
import type { Handlers } from '../protocol';

/** Loss and gradients of `model` on the batch, on the current backend; the batch's tensors are disposed. */
async function onThisBackend(model: tf.LayersModel, batch: ProbeBatch, dropSeed: number): Promise<LossAndGrads> {
  const { xs, y } = probeTensors(batch);
  try {
    return await lossAndGrads(model, xs, y, dropSeed);
  } finally {
    tf.dispose([...xs, y]);
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

  const buildSeed = deriveSeed(seed, 'parity-build');
  const dropSeed = deriveSeed(seed, 'parity-dropout');
  const build = () => buildSeeded(family, config, clip, buildSeed);

  // ── the backend under test ──
  const gpu = build();
  let weights: { values: Float32Array; shape: number[] }[];
  let onBackend: LossAndGrads;
  let data: ProbeBatch;
  try {
    const ws = gpu.model.getWeights(); // the variables themselves: read before the step moves BN statistics
    weights = await Promise.all(ws.map(async (w) => ({ values: (await w.data()) as Float32Array, shape: w.shape })));
    // One fixed batch, made in JavaScript so both backends see the same numbers (training/probe.ts).
    // (The flow computation has its own tests; here only the model's maths is compared.)
    data = probeBatch(gpu, clip, batch, deriveSeed(seed, 'parity-batch'));
    onBackend = await onThisBackend(gpu.model, data, dropSeed);
  } finally {
    gpu.model.dispose();
  }

  // ── the CPU reference, same weights ──
  let onCpu: LossAndGrads;
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
        onCpu = await onThisBackend(ref.model, data, dropSeed);
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
