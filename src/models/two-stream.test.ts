// Two-stream family (RGB + motion, and the SlowFast variant): tiny builds on the CPU backend give
// [N, classes] probabilities, train, and do not leak; describe() matches countParams() on several
// configs; the slowfast_r50 preset matches PySlowFast's SLOWFAST_4x16_R50.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { ClipSpec } from './types';
import { DEFAULT_TWO_STREAM, SLOWFAST_TINY, TWO_STREAM_PRESETS, type TwoStreamConfig } from './presets/two-stream';
import { slowFrameIndices } from './slowfast';
import { buildTwoStream, describeTwoStream } from './two-stream';

/** Random inputs of the shapes the model declares (frames, flow or frame-diff). */
function randomInputs(model: tf.LayersModel, n: number): tf.Tensor[] {
  return model.inputs.map((inp, i) => tf.randomUniform([n, ...(inp.shape.slice(1) as number[])], -1, 1, 'float32', 11 + i));
}

function oneStep(model: tf.LayersModel, xs: tf.Tensor[], ys: tf.Tensor, lr: number): [number, number] {
  const opt = tf.train.sgd(lr);
  const arg = xs.length === 1 ? xs[0] : xs;
  // Inference-mode loss before and after (BN uses the same running statistics both times).
  const evalLoss = () => tf.tidy(() => tf.metrics.categoricalCrossentropy(ys, model.apply(arg) as tf.Tensor).mean().dataSync()[0]);
  const before = evalLoss();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  // Step on the same loss the curve shows (inference mode), so a correct gradient must lower it.
  opt.minimize(() => tf.metrics.categoricalCrossentropy(ys, model.apply(arg) as tf.Tensor).mean() as tf.Scalar, false, vars);
  const after = evalLoss();
  opt.dispose();
  return [before, after];
}

describe('two-stream family', () => {
  for (const name of ['tiny', 'tiny_diff', 'tiny_learned', 'tiny_slowfast']) {
    it(`${name}: [N, classes] probabilities, no NaN, one step lowers the loss, no tensor leak`, () => {
      const p = TWO_STREAM_PRESETS[name];
      const { model, inputs } = buildTwoStream(p.config, p.clip);
      expect(inputs.length).toBe(model.inputs.length);
      const xs = randomInputs(model, 2);
      const ys = tf.oneHot(tf.tensor1d([0, 1], 'int32'), p.clip.numClasses);
      const before = tf.memory().numTensors;
      const out = model.predict(xs.length === 1 ? xs[0] : xs) as tf.Tensor;
      expect(out.shape).toEqual([2, p.clip.numClasses]);
      const v = out.dataSync();
      expect(v.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < 2; i++) expect(v[2 * i] + v[2 * i + 1]).toBeCloseTo(1, 5);
      out.dispose();
      expect(tf.memory().numTensors).toBe(before);
      // A training-mode step also updates BN running statistics in place: no new tensors either.
      const opt = tf.train.sgd(1e-3);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      opt.minimize(() => tf.metrics.categoricalCrossentropy(ys, model.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as tf.Tensor).mean() as tf.Scalar, false, vars);
      opt.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const [l0, l1] = oneStep(model, xs, ys, 1e-2);
      expect(l1).toBeLessThan(l0);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([...xs, ys]);
      model.dispose();
    });
  }

  const clip: ClipSpec = { numFrames: 8, height: 16, width: 16, channels: 3, numClasses: 5 };
  const configs: TwoStreamConfig[] = [
    DEFAULT_TWO_STREAM,
    { ...DEFAULT_TWO_STREAM, motion: 'frame-diff', widths: [4, 6, 8], kernelSize: 5 },
    { ...DEFAULT_TWO_STREAM, rgb: 'all', fusion: 'learned', numFlows: 3 },
    { ...DEFAULT_TWO_STREAM, numFlows: 1, fusion: 'learned' },
    SLOWFAST_TINY,
    { ...SLOWFAST_TINY, alpha: 2, betaInv: 2, blocks: [2, 1, 1], slowTemporal: [1, 3, 3], fastTemporal: [3, 3, 1], spatialStrides: [1, 2, 2], stemPool: false },
    { ...SLOWFAST_TINY, alpha: 8, fusionKernel: 5, stemTemporal: [1, 5] },
    { ...SLOWFAST_TINY, alpha: 3 }, // 8 frames: the slow pathway gets ⌈8/3⌉ = 3
  ];
  for (const cfg of configs) {
    it(`describe() totals == countParams(): ${JSON.stringify(cfg).slice(0, 120)}`, () => {
      const d = describeTwoStream(cfg, clip);
      const { model } = buildTwoStream(cfg, clip);
      const nonTrainable = model.nonTrainableWeights.reduce((a, w) => a + w.shape.reduce<number>((x, y) => x * (y as number), 1), 0);
      expect(d.totals.trainableParams + d.totals.nonTrainableParams).toBe(model.countParams());
      expect(d.totals.nonTrainableParams).toBe(nonTrainable);
      expect(d.layers[d.layers.length - 1].outputShape).toEqual([clip.numClasses]);
      model.dispose();
    });
  }

  it('SlowFast output shapes per pathway match the built model', () => {
    const d = describeTwoStream(SLOWFAST_TINY, clip);
    const { model } = buildTwoStream(SLOWFAST_TINY, clip);
    for (const name of ['slow.stem', 'fast.stem', 'fuse1.conv', 'slow.res3.0.c', 'fast.res3.0.c']) {
      expect(model.getLayer(name).outputShape.slice(1)).toEqual(d.layers.find((r) => r.name === name)?.outputShape);
    }
    model.dispose();
  });

  it('slowfast_r50: PySlowFast SLOWFAST_4x16_R50 has 34,480,216 parameters and 36.1 GMACs at 256²', () => {
    const p = TWO_STREAM_PRESETS.slowfast_r50;
    const d = describeTwoStream(p.config, p.clip);
    expect(d.totals.trainableParams).toBe(34_480_216);
    expect(d.totals.nonTrainableParams).toBe(60_688);
    expect(d.variant).toBe('slowfast');
    // slow res5 out: 4 × 7 × 7 × 2048, fast: 32 × 7 × 7 × 256; head on 2304 features.
    expect(d.layers.find((r) => r.name === 'slow.res5.2.c')?.outputShape).toEqual([4, 7, 7, 2048]);
    expect(d.layers.find((r) => r.name === 'fast.res5.2.c')?.outputShape).toEqual([32, 7, 7, 256]);
    expect(d.layers.find((r) => r.name === 'head')?.trainableParams).toBe(2304 * 400 + 400);
    const at256 = describeTwoStream(p.config, { ...p.clip, height: 256, width: 256 });
    expect(Math.round(at256.totals.macs / 1e8) / 10).toBe(36.1);
  });

  it('slow frames follow linspace(0, T−1, T/α) as PySlowFast samples them', () => {
    expect(slowFrameIndices(32, 8)).toEqual([0, 10, 20, 31]);
    expect(slowFrameIndices(8, 4)).toEqual([0, 7]);
    expect(slowFrameIndices(6, 4)).toEqual([0, 5]); // ⌈6/4⌉ = 2 = the lateral conv's output length
  });

  it('motion input: flow is [L, H, W, 2], frame-diff is [T−1, H, W, C]; L is capped at the T − 1 flows a clip has; a bad L is a clear error', () => {
    const { model, inputs } = buildTwoStream(DEFAULT_TWO_STREAM, clip);
    expect(inputs).toEqual(['frames', 'flow']);
    expect(model.inputs[1].shape).toEqual([null, 7, 16, 16, 2]); // numFlows 0: every pair, T − 1
    model.dispose();
    const diff = buildTwoStream({ ...DEFAULT_TWO_STREAM, motion: 'frame-diff' }, clip);
    expect(diff.inputs).toEqual(['frames', 'frame-diff']);
    expect(diff.model.inputs[1].shape).toEqual([null, 7, 16, 16, 3]);
    diff.model.dispose();
    const capped = buildTwoStream({ ...DEFAULT_TWO_STREAM, numFlows: 10 }, clip);
    expect(capped.model.inputs[1].shape).toEqual([null, 7, 16, 16, 2]);
    capped.model.dispose();
    expect(() => describeTwoStream({ ...DEFAULT_TWO_STREAM, numFlows: -1 }, clip)).toThrow(/whole number ≥ 1 \(or 0 for all\), got -1/);
  });

  it('stacks flows as Simonyan & Zisserman: channel 2·l + c is flow l, component c', () => {
    const { model } = buildTwoStream({ ...DEFAULT_TWO_STREAM, numFlows: 4 }, { ...clip, height: 4, width: 4 });
    const stack = model.getLayer('motion.stack');
    const x = tf.tensor5d(Array.from({ length: 4 * 4 * 4 * 2 }, (_, i) => i), [1, 4, 4, 4, 2]);
    const y = stack.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 4, 4, 8]);
    // pixel (1, 2): flow l, component c sits at ((l·16 + 1·4 + 2)·2 + c)
    const px = y.slice([0, 1, 2, 0], [1, 1, 1, 8]).dataSync();
    expect(Array.from(px)).toEqual([0, 1, 2, 3].flatMap((l) => [0, 1].map((c) => (l * 16 + 6) * 2 + c)));
    tf.dispose([x, y]);
    model.dispose();
  });
});
