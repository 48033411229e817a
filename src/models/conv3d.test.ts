// The conv3d family on the CPU backend: tiny builds give [N, K] with no NaN, one step lowers the
// loss, nothing leaks, describe() agrees with countParams() on several configs, and the paper
// presets match torchvision / the C3D paper to the parameter.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { mulberry32, withMathRandom } from '../lib/random';
import { conv3d } from './conv3d';
import { midplanes } from './blocks/video-resnet';
import type { Conv3dConfig } from './presets/conv3d';
import type { ClipSpec } from './types';

const tiny = conv3d.presets.tiny;

function randomClips(n: number, clip: ClipSpec, seed: number): tf.Tensor5D {
  const rng = mulberry32(seed);
  const size = n * clip.numFrames * clip.height * clip.width * clip.channels;
  return tf.tensor5d(Float32Array.from({ length: size }, () => rng()), [n, clip.numFrames, clip.height, clip.width, clip.channels]);
}

function checkCounts(config: Conv3dConfig, clip: ClipSpec): void {
  const d = conv3d.describe(config, clip);
  const { model } = withMathRandom(mulberry32(1), () => conv3d.build(config, clip));
  try {
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
    expect(d.totals.trainableParams, `${config.variant} trainable on ${JSON.stringify(clip)}`).toBe(trainable);
    expect(d.totals.trainableParams + d.totals.nonTrainableParams).toBe(model.countParams());
    expect(d.layers.at(-1)!.outputShape).toEqual([clip.numClasses]);
    expect(model.outputs[0].shape.slice(1)).toEqual([clip.numClasses]);
    // Row by row, the described output shape is the built layer's (BN is folded around: use its unfold).
    for (const row of d.layers) {
      const layer = model.getLayer(row.kind === 'batchnorm' ? `${row.name}.unfold` : row.name);
      expect((layer.outputShape as number[]).slice(1), row.name).toEqual(row.outputShape);
    }
  } finally {
    model.dispose();
  }
}

describe('conv3d family', () => {
  for (const name of ['tiny', 'r3d_tiny', 'mc3_tiny', 'r2plus1d_tiny']) {
    it(`${name}: [N, K] without NaN, one step lowers the loss, no leaks`, () => {
      const p = conv3d.presets[name];
      const { model } = withMathRandom(mulberry32(7), () => conv3d.build(p.config, p.clip));
      const x = randomClips(2, p.clip, 3);
      const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), p.clip.numClasses);
      const opt = tf.train.adam(0.01);
      try {
        const before = tf.memory().numTensors;
        const out = model.predict(x) as tf.Tensor;
        expect(out.shape).toEqual([2, p.clip.numClasses]);
        const vals = out.dataSync();
        expect(vals.every(Number.isFinite)).toBe(true);
        out.dispose();
        expect(tf.memory().numTensors).toBe(before);

        const lossOf = () => tf.tidy(() => tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor).mean().dataSync()[0]);
        const l0 = lossOf();
        const afterFirst = tf.memory().numTensors;
        for (let i = 0; i < 3; i++) {
          const loss = opt.minimize(() => tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor).mean() as tf.Scalar, true);
          loss?.dispose();
        }
        // Adam creates its slot variables on the first step; after that, a step leaks nothing.
        const steady = tf.memory().numTensors;
        opt.minimize(() => tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: true }) as tf.Tensor).mean() as tf.Scalar, true)?.dispose();
        expect(tf.memory().numTensors).toBe(steady);
        expect(afterFirst).toBe(before);
        expect(lossOf()).toBeLessThan(l0);
      } finally {
        tf.dispose([x, y]);
        opt.dispose();
        model.dispose();
      }
    });
  }

  it('describe() totals equal countParams() on several configs (odd sizes, other k_t)', () => {
    const odd: ClipSpec = { numFrames: 5, height: 19, width: 23, channels: 3, numClasses: 3 };
    const d = conv3d.defaultConfig;
    checkCounts(d, odd);
    checkCounts({ ...d, kernelT: 5, kernel: 1, batchNorm: false, head: 'flatten', fc: [7], dropout: 0.2 }, { ...odd, numFrames: 6 });
    checkCounts({ ...d, kernelT: 1, stages: [{ filters: 5, convs: 2, pool: [2, 3, 3] }] }, { numFrames: 7, height: 17, width: 17, channels: 1, numClasses: 2 });
    for (const variant of ['r3d', 'mc3', 'r2plus1d'] as const) checkCounts({ ...d, variant, stemWidth: 6, widths: [6, 10, 12], blocks: [1, 2, 1] }, odd);
  });

  it('paper presets match their references to the parameter, with torchvision-published GFLOPS', () => {
    const expectPreset = (name: string, trainable: number, gmacs: number | null) => {
      const p = conv3d.presets[name];
      expect(p.paper).toBe(true);
      const d = conv3d.describe(p.config, p.clip);
      expect(d.totals.trainableParams, name).toBe(trainable);
      if (gmacs !== null) expect(Math.abs(d.totals.macs / 1e9 - gmacs), `${name} GMACs ${d.totals.macs / 1e9}`).toBeLessThan(0.001);
      return d;
    };
    // torchvision.models.video weights meta: num_params and _ops (GFLOPS, counted as MACs).
    const r3d = expectPreset('r3d_18', 33_371_472, 40.697);
    expectPreset('mc3_18', 11_695_440, 43.343);
    const r21 = expectPreset('r2plus1d_18', 31_505_325, 40.519);
    // BN running mean + var: r3d_18 has 2·(64 + 4·2·64·… ) = 9,600 buffers.
    expect(r3d.totals.nonTrainableParams).toBe(9_600);
    expect(r3d.layers.at(-1)!.outputShape).toEqual([400]);
    expect(r21.extras.map((e) => e.value).join(' ')).toContain('= 144 channels');
    // C3D: conv1a 5,248 + conv2a 221,312 + conv3a/b 884,992 + 1,769,728 + conv4a/b 3,539,456 +
    // 7,078,400 + conv5a/b 2·7,078,400 + fc6 33,558,528 + fc7 16,781,312 + fc8 (487) 1,995,239.
    const c3d = expectPreset('c3d', 79_991_015, null);
    expect(c3d.layers.filter((r) => r.kind === 'conv3d')).toHaveLength(8);
    expect(c3d.layers.filter((r) => r.kind === 'pool')).toHaveLength(5);
    expect(c3d.layers.find((r) => r.name === 'flatten')!.outputShape).toEqual([8192]);
    expect(c3d.layers.find((r) => r.name === 'fc6')!.trainableParams).toBe(8192 * 4096 + 4096);
  });

  it('explains the filter arithmetic: 81 vs 27 weights for a 3×3×3 filter on RGB', () => {
    const d = conv3d.describe(tiny.config, tiny.clip);
    const filt = d.extras.find((e) => e.label.startsWith('Weights per filter'))!;
    expect(filt.value).toContain('3×3×3×3 = 81');
    expect(filt.value).toContain('3×3×3 = 27');
    expect(filt.value).toContain('(3.0×)');
    expect(d.layers.filter((r) => r.temporal).length).toBeGreaterThan(0);
  });

  it('torchvision midplanes formula', () => {
    expect(midplanes(64, 64)).toBe(144);
    expect(midplanes(64, 128)).toBe(230);
    expect(midplanes(128, 128)).toBe(288);
  });

  it('says what is wrong with a bad config', () => {
    expect(() => conv3d.describe({ ...tiny.config, stages: [] }, tiny.clip)).toThrow(/at least one stage/);
    expect(() => conv3d.describe({ ...tiny.config, stages: [{ filters: 4, convs: 1, pool: [4, 2, 2] }] }, { ...tiny.clip, numFrames: 2 })).not.toThrow();
    expect(() => conv3d.describe({ ...tiny.config, variant: 'r3d', widths: [8], blocks: [1, 1] }, tiny.clip)).toThrow(/widths/);
    expect(() => conv3d.describe(tiny.config, { ...tiny.clip, numClasses: 1 })).toThrow(/2 classes/);
  });
});
