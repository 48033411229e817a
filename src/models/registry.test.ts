// Registry-wide tests (timm style): every registered family, including those added later, is
// built, run, trained one step and described here. Node, tfjs CPU backend.

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { clipWith, findPreset, registeredFamilies } from './registry';
import { modelInputShapes } from './input-shapes';
import type { BuiltModel, ClipSpec, FamilyDef, InputKind } from './types';
import { mulberry32, withMathRandom } from '../lib/random';
import { RESNET18_TRUNK, type Trunk2dConfig } from './presets/trunk-2d';
import { singleFrame } from './single-frame';
import { lateFusion } from './late-fusion';
import { earlyFusion } from './early-fusion';
import { cnnRnn } from './cnn-rnn';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFamily = FamilyDef<any>;
const N = 3;
/** Small enough that one plain gradient step must go downhill for every family (0.01 already overshoots the tiny transformer). */
const LR = 1e-3;

/** Fake inputs for a built model, deterministic, in its input order. */
function fakeInputs(built: BuiltModel, clip: ClipSpec, seed: number): tf.Tensor[] {
  const flowIdx = built.inputs.indexOf('flow');
  const flowLength = flowIdx >= 0 ? (built.model.inputs[flowIdx].shape[1] ?? undefined) : undefined;
  const shapes = modelInputShapes(built.inputs, clip, { flowLength });
  built.model.inputs.forEach((inp, i) => expect(inp.shape.slice(1), `input ${i} (${built.inputs[i]})`).toEqual(shapes[i]));
  return shapes.map((s, i) => tf.randomUniform([N, ...s], built.inputs[i] === ('frames' satisfies InputKind) ? 0 : -1, 1, 'float32', seed + i));
}

const feed = (xs: tf.Tensor[]) => (xs.length === 1 ? xs[0] : xs);

function buildSeeded(fam: AnyFamily, config: unknown, clip: ClipSpec): BuiltModel {
  return withMathRandom(mulberry32(7), () => fam.build(config, clip));
}

function totalsOf(fam: AnyFamily, config: unknown, clip: ClipSpec) {
  const d = fam.describe(config, clip);
  return d.totals.trainableParams + d.totals.nonTrainableParams;
}

const families = registeredFamilies();

describe('the model zoo registry', () => {
  it('has families, and findPreset resolves ids and preset names', () => {
    expect(families.length).toBeGreaterThan(0);
    for (const fam of families) {
      expect(fam.presets.tiny, `${fam.id} has a tiny preset`).toBeDefined();
      expect(findPreset(fam.id).name).toBe('tiny');
      for (const name of Object.keys(fam.presets)) expect(findPreset(`${fam.id}:${name}`).family.id).toBe(fam.id);
    }
    expect(findPreset('resnet18').family.id).toBe('single-frame');
    expect(() => findPreset('nope')).toThrow(/Unknown family or preset "nope"/);
  });
});

describe.each(families.map((f) => [f.id, f] as const))('%s', (_id, fam) => {
  const tiny = fam.presets.tiny;

  it('tiny preset: [N, classes], no NaN, no tensor leak on predict; one SGD step lowers the loss and leaks nothing', () => {
    const start = tf.memory().numTensors;
    const built = buildSeeded(fam, tiny.config, tiny.clip);
    try {
      const xs = fakeInputs(built, tiny.clip, 1);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: N }, (_, i) => i % tiny.clip.numClasses), 'int32'), tiny.clip.numClasses));
      try {
        const before = tf.memory().numTensors;
        const y = built.model.predict(feed(xs)) as tf.Tensor;
        expect(y.shape).toEqual([N, tiny.clip.numClasses]);
        const vals = y.dataSync();
        expect(vals.every(Number.isFinite)).toBe(true);
        y.dispose();
        expect(tf.memory().numTensors, 'tensors after predict').toBe(before);

        // Same dropout masks for the loss before and after the step (seeded Math.random).
        const lossOf = () => withMathRandom(mulberry32(3), () => tf.tidy(() => tf.metrics.categoricalCrossentropy(ys, built.model.apply(feed(xs), { training: true }) as tf.Tensor).mean().dataSync()[0]));
        const opt = tf.train.sgd(LR);
        const vars = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
        const cost = withMathRandom(mulberry32(3), () =>
          opt.minimize(() => tf.metrics.categoricalCrossentropy(ys, built.model.apply(feed(xs), { training: true }) as tf.Tensor).mean() as tf.Scalar, true, vars),
        );
        const l0 = cost?.dataSync()[0] ?? NaN; // the loss before the step (same batch, same dropout masks)
        expect(Number.isFinite(l0)).toBe(true);
        cost?.dispose();
        opt.dispose();
        expect(tf.memory().numTensors, 'tensors after a training step').toBe(before);
        const l1 = lossOf();
        expect(Number.isFinite(l1)).toBe(true);
        expect(l1, `loss ${l0} → ${l1}`).toBeLessThan(l0);
      } finally {
        tf.dispose([...xs, ys]);
      }
    } finally {
      built.model.dispose();
    }
    expect(tf.memory().numTensors, 'tensors after disposing the model').toBe(start);
  });

  it('describe() totals equal countParams() on every trainable preset and other clip sizes', () => {
    for (const [name, preset] of Object.entries(fam.presets)) {
      if (preset.paper) continue;
      // Variants that keep every family's divisibility rules (patch sizes, SlowFast's α, flow
      // stacks of L ≤ T − 1): twice the frames, twice the size, other class counts.
      const c = preset.clip;
      const clips = [c, clipWith(c, { numFrames: 2 * c.numFrames, numClasses: 3 }), clipWith(c, { height: 2 * c.height, width: 2 * c.width, numClasses: 7 })];
      for (const clip of clips) {
        const built = fam.build(preset.config, clip);
        try {
          expect(totalsOf(fam, preset.config, clip), `${fam.id}:${name} on ${clip.numFrames}×${clip.height}×${clip.width}, K=${clip.numClasses}`).toBe(built.model.countParams());
          const nonTrainable = built.model.nonTrainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((p, d) => p * d, 1), 0);
          expect(fam.describe(preset.config, clip).totals.nonTrainableParams).toBe(nonTrainable);
          expect(fam.describe(preset.config, clip).layers.at(-1)?.outputShape).toEqual([clip.numClasses]);
        } finally {
          built.model.dispose();
        }
      }
    }
  });

  it('describes its paper presets without allocating anything', () => {
    const mem = tf.memory();
    for (const preset of Object.values(fam.presets)) {
      const d = fam.describe(preset.config, preset.clip);
      expect(d.totals.trainableParams).toBeGreaterThan(0);
      expect(Number.isFinite(d.totals.macs)).toBe(true);
      expect(d.layers.length).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(mem.numTensors);
    expect(tf.memory().numBytes).toBe(mem.numBytes);
  });
});

// Several configs per 2D family beyond the presets: each trunk kind, with and without BN, etc.
const tinyResNet: Trunk2dConfig = { kind: 'resnet', stemWidth: 4, stageWidths: [4, 8], blocksPerStage: [1, 2] };
const plain5: Trunk2dConfig = { kind: 'conv-stack', widths: [5, 6, 7], kernel: 5, batchNorm: false, pool: 'avg' };
const clip2d: ClipSpec = { numFrames: 5, height: 32, width: 28, channels: 3, numClasses: 3 };
const configs2d: [AnyFamily, unknown][] = [
  [singleFrame, { trunk: tinyResNet, dropout: 0.2, averageAtInference: true }],
  [singleFrame, { trunk: plain5, dropout: 0, averageAtInference: false }],
  [lateFusion, { trunk: tinyResNet, fusion: 'max', dropout: 0 }],
  [lateFusion, { trunk: plain5, fusion: 'mean', dropout: 0.5 }],
  [earlyFusion, { trunk: tinyResNet, dropout: 0 }],
  [earlyFusion, { trunk: plain5, dropout: 0 }],
  [cnnRnn, { trunk: tinyResNet, cell: 'gru', units: 5, readout: 'last', dropout: 0 }],
  [cnnRnn, { trunk: plain5, cell: 'lstm', units: 9, readout: 'mean', dropout: 0 }],
];

describe('2D families on more configs', () => {
  it.each(configs2d.map(([f, c], i) => [`${f.id} #${i}`, f, c] as const))('%s: describe() totals equal countParams()', (_n, fam, config) => {
    const built = fam.build(config, clip2d);
    try {
      expect(totalsOf(fam, config, clip2d)).toBe(built.model.countParams());
    } finally {
      built.model.dispose();
    }
  });

  it('single frame: the middle frame alone decides in training; averaging uses every frame at inference', () => {
    const clip: ClipSpec = { numFrames: 4, height: 16, width: 16, channels: 3, numClasses: 3 };
    const cfg = { trunk: { kind: 'conv-stack', widths: [4], kernel: 3, batchNorm: false, pool: 'max' }, dropout: 0, averageAtInference: true };
    const { model } = buildSeeded(singleFrame, cfg, clip);
    tf.tidy(() => {
      const a = tf.randomUniform([1, 4, 16, 16, 3], 0, 1, 'float32', 1);
      // b differs from a everywhere except frame 2 (the middle of 4).
      const frames = tf.unstack(a.squeeze([0]));
      const other = tf.stack(frames.map((f, t) => (t === 2 ? f : f.mul(0.3).add(0.5)))).expandDims(0);
      const trainA = model.apply(a, { training: true }) as tf.Tensor;
      const trainB = model.apply(other, { training: true }) as tf.Tensor;
      expect(Array.from(trainB.dataSync())).toEqual(Array.from(trainA.dataSync()));
      // Averaged inference = mean of each frame's own scores.
      const perFrame = frames.map((f) => model.apply(tf.stack(Array(4).fill(f)).expandDims(0), { training: true }) as tf.Tensor);
      const mean = tf.addN(perFrame).div(4);
      const inferA = model.predict(a) as tf.Tensor;
      const diff = inferA.sub(mean).abs().max().dataSync()[0];
      expect(diff).toBeLessThan(1e-5);
      expect(tf.sub(inferA, trainA).abs().max().dataSync()[0]).toBeGreaterThan(1e-6);
    });
    model.dispose();
  });

  it('late fusion is order-blind; CNN+RNN and early fusion are not', () => {
    const clip: ClipSpec = { numFrames: 4, height: 16, width: 16, channels: 3, numClasses: 3 };
    const trunk: Trunk2dConfig = { kind: 'conv-stack', widths: [4], kernel: 3, batchNorm: false, pool: 'max' };
    const cases: [AnyFamily, unknown, boolean][] = [
      [lateFusion, { trunk, fusion: 'mean', dropout: 0 }, true],
      [lateFusion, { trunk, fusion: 'max', dropout: 0 }, true],
      [earlyFusion, { trunk, dropout: 0 }, false],
      [cnnRnn, { trunk, cell: 'lstm', units: 4, readout: 'last', dropout: 0 }, false],
    ];
    for (const [fam, cfg, blind] of cases) {
      const { model } = buildSeeded(fam, cfg, clip);
      const diff = tf.tidy(() => {
        const x = tf.randomUniform([2, 4, 16, 16, 3], 0, 1, 'float32', 5);
        const rev = tf.reverse(x.reshape([2, 4, 16 * 16 * 3]), 1).reshape([2, 4, 16, 16, 3]);
        return tf.sub(model.predict(x) as tf.Tensor, model.predict(rev) as tf.Tensor).abs().max().dataSync()[0];
      });
      model.dispose();
      if (blind) expect(diff, fam.id).toBeLessThan(1e-5);
      else expect(diff, fam.id).toBeGreaterThan(1e-6);
    }
  });
});

describe('paper presets (exact)', () => {
  it('resnet18: 11,689,512 trainable as torchvision, 9,600 BN buffers, ≈ 1.82 GMACs; the built model agrees', () => {
    const { family, preset } = findPreset('resnet18');
    const d = family.describe(preset.config, preset.clip);
    expect(d.totals.trainableParams).toBe(11_689_512);
    expect(d.totals.nonTrainableParams).toBe(9_600);
    expect(Math.abs(d.totals.macs - 1.814e9)).toBeLessThan(0.005e9);
    expect(d.layers.find((r) => r.name === 'layer4.1.add')?.outputShape).toEqual([7, 7, 512]);
    const built = family.build(preset.config, preset.clip);
    try {
      expect(built.model.countParams()).toBe(11_689_512 + 9_600);
    } finally {
      built.model.dispose();
    }
  });

  it('resnet18 trunk under early fusion takes 3·T input channels', () => {
    const d = earlyFusion.describe({ trunk: RESNET18_TRUNK, dropout: 0 }, { numFrames: 4, height: 112, width: 112, channels: 3, numClasses: 10 });
    const conv1 = d.layers.find((r) => r.name === 'conv1');
    expect(conv1?.trainableParams).toBe(7 * 7 * 12 * 64);
    expect(conv1?.temporal).toBe(true);
  });
});
