// I3D inflation on the CPU backend: on a clip of one repeated frame, the inflated 3D model's
// output equals the 2D model's output on that frame (1e-5), nothing leaks, and the inflated model
// really mixes time once the frames differ.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32, withMathRandom } from '../lib/random';
import { TemporalGather } from './blocks/time-layers';
import { FramePad2d, inflate2dTo3d } from './i3d-inflate';
import { FAMILIES } from './registry';

const H = 12;
const W = 10;
const C = 3;

/** A small 2D CNN with every layer kind the inflater handles: padding, strided/valid/same convs, BN, residual add, pools. */
function build2d(head: 'gap' | 'flatten'): tf.LayersModel {
  const inp = tf.input({ shape: [H, W, C] });
  let x = tf.layers.zeroPadding2d({ padding: 1 }).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'valid', useBias: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ epsilon: 1e-5 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  const a = tf.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const b = tf.layers.conv2d({ filters: 8, kernelSize: 1 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'tanh' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.averagePooling2d({ poolSize: [1, 2], strides: [1, 1], padding: 'same' }).apply(x) as tf.SymbolicTensor;
  x = head === 'gap' ? (tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor) : (tf.layers.flatten().apply(x) as tf.SymbolicTensor);
  x = tf.layers.dropout({ rate: 0.3 }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: inp, outputs: out });
  // Non-trivial batch-norm statistics, as after training.
  for (const l of model.layers) {
    if (l.getClassName() !== 'BatchNormalization') continue;
    const rng = mulberry32(5);
    const r = (lo: number, hi: number) => tf.tensor1d(Array.from({ length: 6 }, () => lo + (hi - lo) * rng()));
    const vals = [r(0.5, 1.5), r(-0.3, 0.3), r(-0.2, 0.2), r(0.5, 2)];
    l.setWeights(vals);
    tf.dispose(vals);
  }
  return model;
}

function randomFrames(n: number, seed: number): tf.Tensor4D {
  const rng = mulberry32(seed);
  return tf.tensor4d(Float32Array.from({ length: n * H * W * C }, () => rng()), [n, H, W, C]);
}

describe('I3D inflation', () => {
  for (const head of ['gap', 'flatten'] as const) {
    it(`on a boring clip (one frame repeated) the 3D model equals the 2D model (${head} head)`, () => {
      const m2 = withMathRandom(mulberry32(11), () => build2d(head));
      const frames = randomFrames(2, 3);
      const before = tf.memory().numTensors;
      const m3 = inflate2dTo3d(m2, { numFrames: 5 });
      try {
        expect(m3.inputs[0].shape).toEqual([null, 5, H, W, C]);
        expect(m3.layers.some((l) => l.getClassName() === 'Conv3D')).toBe(true);
        // Same trainable parameters plus the temporal extents: a 3×3 kernel became 3×3×3, 5×5 → 5×5×5.
        const conv3 = m3.layers.filter((l) => l.getClassName() === 'Conv3D').map((l) => l.getWeights()[0].shape);
        expect(conv3).toEqual([
          [3, 3, 3, 3, 6],
          [5, 5, 5, 6, 8],
          [1, 1, 1, 6, 8],
          [3, 3, 3, 8, 8],
        ]);

        const y2 = m2.predict(frames) as tf.Tensor;
        const clip = tf.tidy(() => frames.expandDims(1).tile([1, 5, 1, 1, 1])); // [N, H, W, C] → [N, 5, H, W, C], one frame repeated
        const inner = tf.memory().numTensors;
        const y3 = m3.predict(clip) as tf.Tensor;
        expect(y3.shape).toEqual([2, 5]);
        const diff = tf.tidy(() => y3.sub(y2).abs().max().dataSync()[0]);
        expect(diff).toBeLessThan(1e-5);
        y3.dispose();
        expect(tf.memory().numTensors).toBe(inner); // predict leaks nothing

        // Frames that differ give a different answer: the inflated model mixes time.
        const moving = tf.tidy(() => tf.concat([clip.slice([0, 0], [2, 2]), clip.slice([0, 2], [2, 3]).reverse(2)], 1));
        const y3m = m3.predict(moving) as tf.Tensor;
        expect(tf.tidy(() => y3m.sub(y2).abs().max().dataSync()[0])).toBeGreaterThan(1e-4);
        tf.dispose([y2, clip, moving, y3m]);
      } finally {
        m3.dispose();
      }
      // Inflation itself leaves no tensor behind but the 3D model's weights (now disposed).
      expect(tf.memory().numTensors).toBe(before);
      frames.dispose();
      m2.dispose();
    });
  }

  // The single-frame family (clip in, PickFrames → 2D trunk → fc): its frame-picking layers pass
  // through, so the inflated model sees every frame. Runs once the zoo registers the family.
  it.skipIf(!FAMILIES['single-frame'])('inflates the single-frame family’s trained-style model exactly', () => {
    const fam = FAMILIES['single-frame']!;
    for (const name of Object.keys(fam.presets).filter((n) => !fam.presets[n].paper)) {
      const p = fam.presets[name];
      const clip = { ...p.clip, numFrames: 3 };
      const { model } = withMathRandom(mulberry32(3), () => fam.build(p.config, clip));
      const m3 = inflate2dTo3d(model);
      try {
        const diff = tf.tidy(() => {
          const frame = tf.randomUniform([2, 1, clip.height, clip.width, clip.channels], 0, 1, 'float32', 9);
          const boring = frame.tile([1, 3, 1, 1, 1]); // [N, 1, H, W, C] → [N, 3, H, W, C]
          return (m3.predict(boring) as tf.Tensor).sub(model.predict(boring) as tf.Tensor).abs().max().dataSync()[0];
        });
        expect(diff, name).toBeLessThan(1e-5);
        expect(m3.layers.some((l) => l.getClassName() === 'Conv3D')).toBe(true);
      } finally {
        m3.dispose();
        model.dispose();
      }
    }
  });

  it('a training step through the inflated model has gradients for every weight and leaks nothing', () => {
    const m2 = withMathRandom(mulberry32(2), () => build2d('gap'));
    const m3 = inflate2dTo3d(m2, { numFrames: 3, temporalKernel: () => 3 });
    const x = tf.randomUniform([2, 3, H, W, C]);
    const y = tf.oneHot(tf.tensor1d([1, 3], 'int32'), 5);
    try {
      const vars = m3.trainableWeights.map((w) => w.read() as tf.Variable);
      const before = tf.memory().numTensors;
      const { value, grads } = tf.variableGrads(() => tf.metrics.categoricalCrossentropy(y, m3.apply(x, { training: true }) as tf.Tensor).mean() as tf.Scalar, vars);
      for (const v of vars) expect(tf.tidy(() => grads[v.name].abs().max().dataSync()[0]), v.name).toBeGreaterThan(0);
      tf.dispose([value, ...Object.values(grads)]);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      tf.dispose([x, y]);
      m3.dispose();
      m2.dispose();
    }
  });

  it('passes the single-frame family’s clip layers through and refuses what it cannot inflate', () => {
    const inp = tf.input({ shape: [H, W, C] });
    const bad = tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2 }).apply(inp) as tf.SymbolicTensor;
    const m = tf.model({ inputs: inp, outputs: bad });
    expect(() => inflate2dTo3d(m)).toThrow(/dilated/);
    const even = tf.model({ inputs: inp, outputs: tf.layers.conv2d({ filters: 2, kernelSize: 2 }).apply(inp) as tf.SymbolicTensor });
    expect(() => inflate2dTo3d(even)).toThrow(/odd/);
    expect(() => inflate2dTo3d(even, { temporalKernel: () => 1 })).not.toThrow();
    m.dispose();
    even.dispose();
  });

  it('helper layers: replicate-pad time by gather, pad every frame', () => {
    const x = tf.tensor5d(Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i), [1, 3, 2, 2, 2]);
    const g = new TemporalGather({ indices: [0, 0, 1, 2, 2] }).apply(x) as tf.Tensor;
    expect(g.shape).toEqual([1, 5, 2, 2, 2]);
    expect(Array.from(g.dataSync().slice(0, 16))).toEqual([...Array.from({ length: 8 }, (_, i) => i), ...Array.from({ length: 8 }, (_, i) => i)]);
    const p = new FramePad2d({ padding: [[1, 0], [0, 2]] }).apply(x) as tf.Tensor;
    expect(p.shape).toEqual([1, 3, 3, 4, 2]);
    expect(tf.tidy(() => p.sum().dataSync()[0])).toBe(tf.tidy(() => x.sum().dataSync()[0]));
    tf.dispose([x, g, p]);
  });
});
