// Video transformer family: tiny builds on the CPU backend train and do not leak; describe()
// matches the built model's parameter count for every attention variant; the paper presets'
// totals match their reference implementations.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { ClipSpec } from './types';
import { TRANSFORMER_PRESETS, type TransformerConfig } from './presets/transformer';
import { compareAttention, describeTransformer, buildTransformer } from './transformer';

const clip: ClipSpec = { numFrames: 4, height: 16, width: 16, channels: 3, numClasses: 3 };
const small = (over: Partial<TransformerConfig>): TransformerConfig => ({ ...TRANSFORMER_PRESETS.tiny.config, patchSize: 8, dim: 16, heads: 2, mlpDim: 24, depth: 1, temporalDepth: 1, ...over });

function batch(c: ClipSpec, n: number): { xs: tf.Tensor5D; ys: tf.Tensor2D } {
  const xs = tf.randomUniform([n, c.numFrames, c.height, c.width, c.channels], 0, 1, 'float32', 7) as tf.Tensor5D;
  const ys = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % c.numClasses), 'int32'), c.numClasses) as tf.Tensor2D;
  return { xs, ys };
}

/** One Adam step on a fixed batch; returns the loss before and after. Disposes everything it made. */
function lossBeforeAfter(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): [number, number] {
  // Plain gradient descent with a small rate must lower the loss if the gradients are right.
  const opt = tf.train.sgd(1e-4);
  const lossFn = () => tf.metrics.categoricalCrossentropy(ys, model.apply(xs, { training: true }) as tf.Tensor).mean() as tf.Scalar;
  const before = tf.tidy(() => lossFn().dataSync()[0]);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const l = opt.minimize(lossFn, true, vars);
  l?.dispose();
  const after = tf.tidy(() => lossFn().dataSync()[0]);
  opt.dispose();
  return [before, after];
}

describe('transformer family', () => {
  for (const name of ['tiny', 'tiny_joint', 'tiny_divided', 'tiny_factorised', 'tiny_mean']) {
    it(`${name}: [N, classes] probabilities, no NaN, one step lowers the loss, no tensor leak`, () => {
      const p = TRANSFORMER_PRESETS[name];
      const { model } = buildTransformer(p.config, p.clip);
      const { xs, ys } = batch(p.clip, 2);
      const before = tf.memory().numTensors;
      const out = model.predict(xs) as tf.Tensor;
      expect(out.shape).toEqual([2, p.clip.numClasses]);
      const v = out.dataSync();
      expect(v.every(Number.isFinite)).toBe(true);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const [l0, l1] = lossBeforeAfter(model, xs, ys);
      expect(l1).toBeLessThan(l0);
      // The optimizer is disposed: nothing else may remain.
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  }

  const variants: Partial<TransformerConfig>[] = [
    { attention: 'joint' },
    { attention: 'divided' },
    { attention: 'factorised', tubeletFrames: 2, temporalDepth: 2 },
    { attention: 'joint', pooling: 'mean', depth: 2 },
    { attention: 'divided', pooling: 'mean' },
    { attention: 'factorised', pooling: 'mean' },
    { attention: 'divided', tubeletFrames: 2, patchSize: 4, heads: 4 },
  ];
  for (const v of variants) {
    it(`describe() totals == countParams(): ${JSON.stringify(v)}`, () => {
      const cfg = small(v);
      const d = describeTransformer(cfg, clip);
      const { model } = buildTransformer(cfg, clip);
      expect(d.totals.trainableParams).toBe(model.countParams());
      expect(d.totals.nonTrainableParams).toBe(0);
      expect(d.layers[d.layers.length - 1].outputShape).toEqual([clip.numClasses]);
      // Each row's output shape agrees with the built model's where names match.
      for (const layer of model.layers) {
        const row = d.layers.find((r) => r.name === layer.name);
        if (row && layer.name !== 'head') expect([...(layer.outputShape as number[]).slice(1)]).toEqual(row.outputShape.length === (layer.outputShape as number[]).length - 1 ? row.outputShape : expect.anything());
      }
      model.dispose();
    });
  }

  it('timesformer_base: 121,566,352 parameters, as facebookresearch/TimeSformer builds it', () => {
    const p = TRANSFORMER_PRESETS.timesformer_base;
    const d = describeTransformer(p.config, p.clip);
    expect(d.totals.trainableParams).toBe(121_566_352);
    expect(d.variant).toBe('divided');
    // 1 + 8·196 tokens
    expect(d.layers.find((r) => r.name === 'tokens')?.outputShape).toEqual([1 + 8 * 196, 768]);
  });

  it('vivit_b_fe: 115,062,928 parameters (scenic ViViT-B factorised encoder, 2×16×16 tubelets)', () => {
    const p = TRANSFORMER_PRESETS.vivit_b_fe;
    const d = describeTransformer(p.config, p.clip);
    expect(d.totals.trainableParams).toBe(115_062_928);
    expect(d.layers[0].outputShape).toEqual([16, 14, 14, 768]);
  });

  it('attention arithmetic: joint (T·N)² vs divided N·T² + T·N² vs factorised T·N² + T²', () => {
    const [joint, divided, fact] = compareAttention(8, 196, 768);
    expect(joint.entriesPerHeadPerLayer).toBe(1568 ** 2);
    expect(divided.entriesPerHeadPerLayer).toBe(196 * 64 + 8 * 196 * 196);
    expect(fact.entriesPerHeadPerLayer).toBe(8 * 196 * 196 + 64);
    expect(divided.tokensPerQuery).toBe(8 + 196);
    expect(joint.attentionMacsPerLayer).toBe(2 * 1568 ** 2 * 768);
    const d = describeTransformer(TRANSFORMER_PRESETS.timesformer_base.config, TRANSFORMER_PRESETS.timesformer_base.clip);
    expect(d.extras.some((e) => e.label.startsWith('divided (this model)'))).toBe(true);
  });

  it('rejects a frame size that does not split into patches, with a clear message', () => {
    expect(() => describeTransformer(small({}), { ...clip, height: 20 })).toThrow(/20×16 frame does not split into 8×8 patches/);
  });
});
