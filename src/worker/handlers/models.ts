// Model requests: a family's self-description on the current clip
// (no weights allocated), and a one-step training check that reports tensor counts, so the page
// (and the e2e test) can see that a family trains on the worker's backend without leaking.

import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../lib/random';
import { isFamilyId } from '../../models/family-info';
import { clipWith, findPreset } from '../../models/registry';
import type { ClipSpec } from '../../models/types';
import { buildSeeded, lossGradTensors, probeBatch, probeTensors } from '../../training/probe';
import type { DescribeArgs, TrainStepCheckArgs, TrainStepCheckResult } from '../model-protocol';
import type { Handlers } from '../protocol';

function presetClip(args: DescribeArgs | TrainStepCheckArgs) {
  if (!isFamilyId(args.family)) throw new Error(`Unknown model family "${args.family}".`);
  // The worker never trusts the page: an unknown preset is refused, not replaced.
  const { family, preset } = findPreset(`${args.family}:${args.preset ?? 'tiny'}`);
  for (const [k, v] of Object.entries({
    frames: args.numFrames,
    size: args.size,
    classes: args.numClasses,
  }))
    if (v !== undefined && !(Number.isInteger(v) && v >= 1))
      throw new Error(`The clip's ${k} must be a whole number ≥ 1, got ${v}.`);
  const clip: ClipSpec = clipWith(preset.clip, {
    numFrames: args.numFrames,
    height: args.size,
    width: args.size,
    numClasses: args.numClasses,
  });
  return { family, preset, clip };
}

export const modelHandlers: Pick<Handlers, 'describe' | 'train-step-check'> = {
  async describe(args) {
    const { family, preset, clip } = presetClip(args);
    return family.describe(preset.config, clip);
  },

  async 'train-step-check'(args) {
    const numTensorsBefore = tf.memory().numTensors;
    const step = await oneTrainingStep(args);
    return { ...step, numTensorsBefore, numTensorsAfter: tf.memory().numTensors };
  },
};

/** Builds the preset, takes one Adam step on a random batch, and disposes everything it made. */
async function oneTrainingStep(
  args: TrainStepCheckArgs,
): Promise<Omit<TrainStepCheckResult, 'numTensorsBefore' | 'numTensorsAfter'>> {
  const { family, preset, clip } = presetClip(args);
  if (!(Number.isInteger(args.batch) && args.batch >= 1 && args.batch <= 64))
    throw new Error(`Batch must be a whole number from 1 to 64, got ${args.batch}.`);
  const seed = args.seed ?? 1;
  // Seeded weights and batch (training/probe.ts): the same check gives the same answer.
  const built = buildSeeded(family, preset.config, clip, deriveSeed(seed, 'init'));
  const optimizer = tf.train.adam(1e-3);
  let batch: { xs: tf.Tensor[]; y: tf.Tensor } | null = null;
  let loss: tf.Scalar | null = null;
  let grads: tf.NamedTensorMap = {};
  try {
    batch = probeTensors(probeBatch(built, clip, args.batch, deriveSeed(seed, 'batch')));
    const { xs, y } = batch;
    const weights = built.model.trainableWeights;
    // variableGrads + applyGradients (= optimizer.minimize) so the gradients can be inspected:
    // tfjs 4.22's silent WebGPU bugs show up as all-zero gradients (shared/TFJS-NOTES.md).
    const maxAbs = (g: tf.Tensor | undefined) => {
      if (!g) return Promise.resolve(0);
      const m = tf.tidy(() => g.abs().max());
      return m.data().then((d) => (m.dispose(), d[0]));
    };
    const step = async (): Promise<{ loss: number; gradMax: number[] }> => {
      const vg = lossGradTensors(built.model, xs, y);
      loss = vg.loss;
      grads = vg.grads;
      const gradList = vg.vars.map((v) => grads[v.name] as tf.Tensor | undefined); // undefined: the loss does not depend on it
      optimizer.applyGradients(Object.keys(grads).map((name) => ({ name, tensor: grads[name] })));
      const [l, ...gradMax] = await Promise.all([loss.data().then((d) => d[0]), ...gradList.map(maxAbs)]);
      tf.dispose([loss, ...Object.values(grads)]);
      loss = null;
      grads = {};
      return { loss: l, gradMax };
    };
    const t0 = performance.now();
    const first = await step();
    const lossValue = first.loss;
    const ms = performance.now() - t0;
    // A gradient may be exactly zero at initialisation by design: behind a BatchNorm whose
    // scale starts at 0 (SlowFast's residual blocks, PySlowFast's ZERO_INIT_FINAL_BN), nothing
    // upstream gets a gradient until that scale moves. So a weight is flagged only if its
    // gradient is zero again after one update.
    let zero = first.gradMax.map((m) => !(m > 0));
    if (zero.some(Boolean)) {
      const second = await step();
      zero = zero.map((z, i) => z && !(second.gradMax[i] > 0));
    }
    if (!Number.isFinite(lossValue)) throw new Error(`${family.id}: the loss of one training step is ${lossValue}.`);
    const trainableParams = weights.reduce((a, w) => a + w.shape.reduce((p: number, d) => p * (d ?? 1), 1), 0);
    return {
      family: family.id,
      loss: lossValue,
      ms: Math.round(ms),
      trainableParams,
      zeroGradWeights: weights.filter((_, i) => zero[i]).map((w) => w.originalName),
      backend: tf.getBackend(),
    };
  } finally {
    tf.dispose([...(batch ? [...batch.xs, batch.y] : []), ...(loss ? [loss] : []), ...Object.values(grads)]);
    optimizer.dispose();
    built.model.dispose();
  }
}
