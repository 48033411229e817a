import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { flowInput, flowWindowStart } from './flow-input';
import { benchFlow } from '../bench/flow-bench';

/** Clips [N, T, S, S, 3] of a smooth pattern panning by (vx[n], 0) px per frame. */
function panningClips(speeds: number[], t: number, s: number): tf.Tensor5D {
  const data = new Float32Array(speeds.length * t * s * s * 3);
  speeds.forEach((v, n) => {
    for (let f = 0; f < t; f++)
      for (let y = 0; y < s; y++)
        for (let x = 0; x < s; x++) {
          const u = x - v * f;
          const g = 0.5 + 0.2 * Math.sin(u / 3.1 + y / 5.3) + 0.2 * Math.cos(u / 4.7 - y / 2.9);
          data.fill(g, (((n * t + f) * s + y) * s + x) * 3, (((n * t + f) * s + y) * s + x) * 3 + 3);
        }
  });
  return tf.tensor5d(data, [speeds.length, t, s, s, 3]);
}

function interiorMean(flow: Float32Array, index: number, s: number, border: number, channel: 0 | 1): number {
  let sum = 0;
  let n = 0;
  for (let y = border; y < s - border; y++)
    for (let x = border; x < s - border; x++) {
      sum += flow[((index * s + y) * s + x) * 2 + channel];
      n++;
    }
  return sum / n;
}

describe('two-stream flow input', () => {
  it('turns clips [N, T, H, W, 3] into flow stacks [N, L, H, W, 2] with each clip’s own motion, without leaks', () => {
    const S = 48;
    const clips = panningClips([1, -2.5], 5, S);
    const before = tf.memory().numTensors;
    const stack = flowInput(clips, { numFlows: 3, scale: 0.5 });
    expect(stack.shape).toEqual([2, 3, S, S, 2]);
    const data = stack.dataSync() as Float32Array;
    for (let l = 0; l < 3; l++) {
      expect(interiorMean(data, l, S, 8, 0)).toBeCloseTo(0.5 * 1, 1);
      expect(interiorMean(data, 3 + l, S, 8, 0)).toBeCloseTo(0.5 * -2.5, 1);
      expect(Math.abs(interiorMean(data, 3 + l, S, 8, 1))).toBeLessThan(0.05);
    }
    stack.dispose();
    expect(tf.memory().numTensors).toBe(before);
    clips.dispose();
  });

  it('centres the window of L flows and rejects impossible L', () => {
    expect(flowWindowStart(8, 7)).toBe(0);
    expect(flowWindowStart(8, 3)).toBe(2);
    const clips = tf.zeros([1, 3, 8, 8, 3]) as tf.Tensor5D;
    expect(() => flowInput(clips, { numFlows: 3 })).toThrow(/has 2 flows/);
    clips.dispose();
  });

  it('bench function times flow on the current backend', async () => {
    const before = tf.memory().numTensors;
    const r = await benchFlow({ numFrames: 3, size: 32, repeats: 1 });
    expect(r.backend).toBe('cpu');
    expect(r.runsMs.length).toBe(1);
    expect(r.medianMs).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
