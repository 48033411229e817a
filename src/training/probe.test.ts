// Probe batches and the loss-and-gradients read-back: the same seed gives the same batch (frames
// in [0, 1), flow in [−1, 1), labels i mod classes) and the same weights; lossAndGrads returns
// one gradient per trainable weight, zeros where the loss does not depend on a weight, and
// leaves no tensor behind.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getFamily } from '../models/registry';
import { buildSeeded, lossAndGrads, probeBatch, probeTensors } from './probe';

describe('probe batches', () => {
  it('two-stream: one seeded batch per input, in range, reproducible', () => {
    const fam = getFamily('two-stream');
    const { config, clip } = fam.presets.tiny;
    const built = buildSeeded(fam, config, clip, 7);
    try {
      const a = probeBatch(built, clip, 3, 11);
      const b = probeBatch(built, clip, 3, 11);
      const c = probeBatch(built, clip, 3, 12);
      expect(a.inputs.map((x) => x.shape)).toEqual(built.model.inputs.map((inp) => [3, ...inp.shape.slice(1)]));
      expect(a.labels).toEqual([0, 1, 2].map((i) => i % clip.numClasses));
      expect(a.inputs[0].values).toEqual(b.inputs[0].values);
      expect(a.inputs[0].values).not.toEqual(c.inputs[0].values);
      built.inputs.forEach((kind, i) => {
        const v = a.inputs[i].values;
        const lo = kind === 'frames' ? 0 : -1;
        expect(Math.min(...v)).toBeGreaterThanOrEqual(lo);
        expect(Math.max(...v)).toBeLessThan(1);
        if (kind !== 'frames') expect(Math.min(...v)).toBeLessThan(0);
      });
    } finally {
      built.model.dispose();
    }
  });

  it('lossAndGrads: the same seed, the same numbers; a weight off the loss path gets zeros; no leaks', async () => {
    const fam = getFamily('late-fusion');
    const { config, clip } = fam.presets.tiny;
    const before = tf.memory().numTensors;
    const runOnce = async () => {
      const built = buildSeeded(fam, config, clip, 3);
      const { xs, y } = probeTensors(probeBatch(built, clip, 2, 5));
      try {
        return await lossAndGrads(built.model, xs, y, 9);
      } finally {
        tf.dispose([...xs, y]);
        built.model.dispose();
      }
    };
    const r1 = await runOnce();
    const r2 = await runOnce();
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(r1.loss)).toBe(true);
    expect(r1.loss).toBe(r2.loss);
    expect(r1.grads.length).toBe(r1.names.length);
    r1.grads.forEach((g, i) => {
      expect(g.length).toBe(r1.shapes[i].reduce((a, b) => a * b, 1));
      expect(g).toEqual(r2.grads[i]);
    });

    // A layer whose weight the output does not use: its gradient reads back as zeros of its size.
    class Idle extends tf.layers.Layer {
      static className = 'ProbeTestIdle';
      build(): void {
        this.addWeight('idle', [5], 'float32', tf.initializers.ones());
        this.built = true;
      }
      call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return Array.isArray(inputs) ? inputs[0] : inputs;
      }
    }
    const x = tf.input({ shape: [3] });
    const idle = new Idle({ name: 'idle' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, activation: 'softmax', name: 'used' }).apply(idle) as tf.SymbolicTensor });
    const xs = [tf.ones([2, 3])];
    const y = tf.tensor2d([[1, 0], [0, 1]]);
    try {
      const r = await lossAndGrads(model, xs, y);
      expect(r.names).toHaveLength(3); // idle, used kernel, used bias
      const i = r.shapes.findIndex((s) => s.length === 1 && s[0] === 5);
      expect(r.grads[i]).toEqual(new Float32Array(5));
      expect(r.grads.filter((_, j) => j !== i).every((g) => g.some((v) => v !== 0))).toBe(true);
    } finally {
      tf.dispose([...xs, y]);
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a batch that cannot be made leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const bad = { inputs: [{ values: new Float32Array(4), shape: [4] }, { values: new Float32Array(3), shape: [4] }], labels: [0], numClasses: 2 };
    expect(() => probeTensors(bad as unknown as Parameters<typeof probeTensors>[0])).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});
