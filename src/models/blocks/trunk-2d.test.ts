import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { RESNET18_TRUNK, type Trunk2dConfig } from '../presets/trunk-2d';
import { DescribeNet } from './describe-net';
import { LayersNet } from './layers-net';
import { trunk2d } from './trunk-2d';

/** Build a trunk on [H, W, C] both ways: the tf model and the described rows. */
function both(cfg: Trunk2dConfig, inShape: number[]) {
  const input = tf.input({ shape: inShape });
  const model = tf.model({ inputs: input, outputs: trunk2d(new LayersNet(), input, cfg) });
  const net = new DescribeNet();
  trunk2d(net, inShape, cfg);
  return { model, rows: net.rows };
}

describe('2D blocks: one code path, two views', () => {
  it('every described row has the shape of the tf layer of the same name (resnet18 at 224²)', () => {
    const { model, rows } = both(RESNET18_TRUNK, [224, 224, 3]);
    try {
      expect(rows.length).toBeGreaterThan(40);
      for (const r of rows)
        expect((model.getLayer(r.name).outputShape as number[]).slice(1), r.name).toEqual(
          r.outputShape,
        );
      const paramsOf = (name: string) => model.getLayer(name).countParams();
      for (const r of rows)
        expect(paramsOf(r.name), r.name).toBe(r.trainableParams + r.nonTrainableParams);
    } finally {
      model.dispose();
    }
  });

  it('a per-frame view [T, H, W, C] keeps T and counts MACs for every frame', () => {
    const cfg: Trunk2dConfig = {
      kind: 'conv-stack',
      widths: [4],
      kernel: 3,
      batchNorm: true,
      pool: 'max',
    };
    const one = new DescribeNet();
    trunk2d(one, [16, 16, 3], cfg);
    const many = new DescribeNet();
    trunk2d(many, [5, 16, 16, 3], cfg);
    expect(many.rows[0].outputShape).toEqual([5, 16, 16, 4]);
    expect(many.rows.at(-1)?.outputShape).toEqual([5, 4]);
    expect(many.rows[0].macs).toBe(5 * one.rows[0].macs);
    expect(many.rows[0].trainableParams).toBe(one.rows[0].trainableParams);
  });

  it('pads symmetrically like PyTorch (padding=1, stride 2), not like TF "same"', () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const out = new LayersNet().conv(input, {
      name: 'c',
      filters: 1,
      kernel: 3,
      stride: 2,
      pad: 1,
      bias: false,
    });
    const model = tf.model({ inputs: input, outputs: out });
    const w = tf.ones([3, 3, 1, 1]);
    model.getLayer('c').setWeights([w]);
    w.dispose();
    const y = tf.tidy(() =>
      Array.from((model.predict(tf.ones([1, 4, 4, 1])) as tf.Tensor).dataSync()),
    );
    // PyTorch: windows start at −1 → corners see 2×2 ones. TF 'same' would pad bottom/right only (9 at [0, 0]).
    expect(y).toEqual([4, 6, 6, 9]);
    model.dispose();
  });

  it('degrades to 1×1 maps on tiny inputs, and names bad trunk configs', () => {
    expect(() =>
      trunk2d(new DescribeNet(), [1, 1, 3], {
        kind: 'resnet',
        stemWidth: 4,
        stageWidths: [4],
        blocksPerStage: [1],
      }),
    ).not.toThrow();
    expect(() =>
      trunk2d(new DescribeNet(), [16, 16, 3], {
        kind: 'conv-stack',
        widths: [],
        kernel: 3,
        batchNorm: true,
        pool: 'max',
      }),
    ).toThrow(/at least one stage|whole numbers/);
    expect(() =>
      trunk2d(new DescribeNet(), [16, 16, 3], {
        kind: 'conv-stack',
        widths: [4],
        kernel: 4,
        batchNorm: true,
        pool: 'max',
      }),
    ).toThrow(/odd/);
  });
});
