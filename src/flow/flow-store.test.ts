import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { flowOfFrames, minEigenvalue, toGray } from './optical-flow';
import { contentKey, flowWindowStart, FlowStore, type RgbFrames } from './flow-store';
import { FAMILIES } from '../models/registry';
import { syntheticData } from '../training/datasets';
import { TrainLoop } from '../training/train-loop';

/** Clips [N, T, S, S, 3] of a smooth pattern panning by (vx[n], 0) px per frame, as one frame block (no two clips share a frame). */
function panningClips(speeds: number[], t: number, s: number): RgbFrames {
  const data = new Float32Array(speeds.length * t * s * s * 3);
  speeds.forEach((v, n) => {
    for (let f = 0; f < t; f++)
      for (let y = 0; y < s; y++)
        for (let x = 0; x < s; x++) {
          const u = x - v * (f + 1);
          const g = 0.5 + 0.2 * Math.sin(u / 3.1 + y / 5.3) + 0.2 * Math.cos(u / 4.7 - y / 2.9);
          data.fill(g, (((n * t + f) * s + y) * s + x) * 3, (((n * t + f) * s + y) * s + x) * 3 + 3);
        }
  });
  return { data, numFrames: speeds.length * t, height: s, width: s };
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

const consecutive = (t: number) => ({ from: Array.from({ length: t - 1 }, (_, i) => i), to: Array.from({ length: t - 1 }, (_, i) => i + 1) });

describe('contentKey', () => {
  it('same frames, same key; one changed value or a shorter block, another key', () => {
    const { data } = panningClips([1, 2], 2, 8);
    const per = 8 * 8 * 3;
    expect(contentKey(data, 0, per)).toBe(contentKey(data.slice(0, per), 0, per));
    expect(contentKey(data, 0, per)).not.toBe(contentKey(data, per, per)); // the next frame
    const changed = data.slice(0, per);
    changed[per - 1] += 1e-6;
    expect(contentKey(changed, 0, per)).not.toBe(contentKey(data, 0, per));
    expect(contentKey(data, 0, per - 3)).not.toBe(contentKey(data, 0, per));
  });
});

describe('FlowStore', () => {
  it('returns what flowOfFrames computes (and each first frame’s confidence), computes each pair once, and holds no tensors', async () => {
    const frames = panningClips([1.5], 4, 12);
    const direct = tf.tidy(() => flowOfFrames(tf.tensor4d(frames.data, [4, 12, 12, 3])));
    const want = await direct.data();
    const directConf = tf.tidy(() => minEigenvalue(toGray(tf.tensor4d(frames.data, [4, 12, 12, 3]))));
    const wantConf = await directConf.data(); // [4, 12, 12, 1]: frames 0–2 start the pairs
    tf.dispose([direct, directConf]);
    const store = new FlowStore();
    const before = tf.memory().numTensors;
    const first = await store.flows(frames, consecutive(4));
    expect(first.computed).toBe(3);
    for (let i = 0; i < want.length; i++) expect(first.flow[i]).toBeCloseTo(want[i], 5);
    expect(first.confidence.length).toBe(3 * 12 * 12);
    for (let i = 0; i < first.confidence.length; i++) expect(first.confidence[i]).toBeCloseTo(wantConf[i], 7);
    // Each pair holds its flow (2 floats per pixel) and confidence (1).
    expect(store.stats).toMatchObject({ entries: 3, hits: 0, misses: 3, bytes: 3 * 12 * 12 * (2 + 1) * 4 });
    // Pair 1→2 twice and 0→1 again: all stored, same values, in the asked order; 2→1 is another pair.
    const again = await store.flows(frames, { from: [1, 1, 0], to: [2, 2, 1] });
    const fp = 12 * 12 * 2;
    expect(again.computed).toBe(0);
    expect(Array.from(again.flow.subarray(0, fp))).toEqual(Array.from(first.flow.subarray(fp, 2 * fp)));
    expect(Array.from(again.flow.subarray(fp, 2 * fp))).toEqual(Array.from(first.flow.subarray(fp, 2 * fp)));
    expect(Array.from(again.flow.subarray(2 * fp))).toEqual(Array.from(first.flow.subarray(0, fp)));
    expect(Array.from(again.confidence.subarray(0, 144))).toEqual(Array.from(first.confidence.subarray(144, 288)));
    expect((await store.flows(frames, { from: [2], to: [1] })).computed).toBe(1);
    // Other flow settings are other entries.
    expect((await store.flows(frames, consecutive(4), { levels: 1 })).computed).toBe(3);
    expect(store.stats).toMatchObject({ entries: 7, hits: 3, misses: 7 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keys by content: the same frames in another buffer or at another place find the stored pairs', async () => {
    const store = new FlowStore();
    const a = panningClips([1], 3, 8);
    await store.flows(a, consecutive(3));
    const per = 8 * 8 * 3;
    // The same three frames behind two others, in a new buffer.
    const moved = new Float32Array(5 * per);
    moved.set(panningClips([2], 2, 8).data, 0);
    moved.set(a.data, 2 * per);
    const r = await store.flows({ data: moved, numFrames: 5, height: 8, width: 8 }, { from: [2, 3], to: [3, 4] });
    expect(r.computed).toBe(0);
  });

  it('two calls asking for the same new pairs at once compute them once', async () => {
    const store = new FlowStore();
    const frames = panningClips([1], 3, 8);
    const [a, b] = await Promise.all([store.flows(frames, consecutive(3)), store.flows(frames, consecutive(3))]);
    expect(a.computed + b.computed).toBe(2);
    expect(Array.from(b.flow)).toEqual(Array.from(a.flow));
    expect(store.stats.misses).toBe(2);
  });

  it('stays within its byte bound, evicting the least recently used pairs', async () => {
    const fp = 8 * 8 * (2 + 1) * 4; // bytes of one pair's flow and confidence
    const store = new FlowStore(2 * fp);
    const frames = panningClips([1], 4, 8);
    await store.flows(frames, consecutive(4));
    expect(store.stats).toMatchObject({ entries: 2, bytes: 2 * fp });
    // The newest pairs (1→2, 2→3) are still there; the oldest (0→1) is gone.
    expect((await store.flows(frames, { from: [1, 2], to: [2, 3] })).computed).toBe(0);
    expect((await store.flows(frames, { from: [0], to: [1] })).computed).toBe(1);
    expect(store.stats.bytes).toBeLessThanOrEqual(2 * fp);
  });

  it('forgets the pairs of frames that left the worker', async () => {
    const store = new FlowStore();
    const two = panningClips([1, -1], 3, 8);
    await store.stacks(two, 2, 2);
    const per = 8 * 8 * 3;
    const freed = store.forget({ data: two.data.subarray(0, 3 * per), numFrames: 3, height: 8, width: 8 });
    expect(freed).toBe(2 * 8 * 8 * (2 + 1) * 4);
    expect(store.stats).toMatchObject({ entries: 2, bytes: 2 * 8 * 8 * (2 + 1) * 4 });
    expect((await store.stacks(two, 2, 2)).length).toBe(2 * 2 * 8 * 8 * 2);
    expect(store.stats.misses).toBe(4 + 2);
  });

  it('stacks: clips [N, T, H, W, 3] → two-stream input [N, L, H, W, 2] with each clip’s own motion, without leaks', async () => {
    const S = 48;
    const clips = panningClips([1, -2.5], 5, S);
    const before = tf.memory().numTensors;
    const stack = await new FlowStore().stacks(clips, 2, 3);
    expect(stack.length).toBe(2 * 3 * S * S * 2);
    for (let l = 0; l < 3; l++) {
      expect(interiorMean(stack, l, S, 8, 0)).toBeCloseTo(1, 1);
      expect(interiorMean(stack, 3 + l, S, 8, 0)).toBeCloseTo(-2.5, 1);
      expect(Math.abs(interiorMean(stack, 3 + l, S, 8, 1))).toBeLessThan(0.05);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('centres the window of L flows and rejects impossible L or frames', async () => {
    expect(flowWindowStart(8, 7)).toBe(0);
    expect(flowWindowStart(8, 3)).toBe(2);
    const store = new FlowStore();
    const three = panningClips([1], 3, 8);
    await expect(store.stacks(three, 1, 3)).rejects.toThrow(/3 frames has 2 flows; cannot stack L = 3/);
    await expect(store.flows(three, { from: [0], to: [3] })).rejects.toThrow(/index 3 is not one of the 3 frames/);
    await expect(store.flows({ ...three, numFrames: 4 }, { from: [0], to: [1] })).rejects.toThrow(/not 4 RGB frames/);
  });
});

describe('TrainLoop with a flow input', () => {
  it('two-stream computes each training and validation pair once over three epochs; tensors stay flat', async () => {
    const [T, H, W] = [4, 12, 12];
    const d = syntheticData({ task: 'order-direction', seed: 3, numFrames: T, height: H, width: W, trainPerClass: 4, valPerClass: 2 });
    const clip = { numFrames: T, height: H, width: W, channels: 3, numClasses: 2 };
    const family = FAMILIES['two-stream']!;
    const store = new FlowStore();
    const l = new TrainLoop({ build: () => family.build(family.presets.tiny.config, clip), data: d, flowStore: store, config: { optimizer: 'adam', learningRate: 0.003, batchSize: 4, epochs: 3, seed: 1 } });
    await l.stepOnce();
    const afterOne = tf.memory().numTensors;
    await l.stepOnce();
    expect(tf.memory().numTensors).toBe(afterOne);
    await l.play();
    // Every example's T − 1 pairs at most once (clips may share frames); every later read a hit.
    const reads = 3 * (d.train.size + d.val.size) * (T - 1);
    expect(store.stats.misses).toBeLessThanOrEqual((d.train.size + d.val.size) * (T - 1));
    expect(store.stats.misses).toBe(store.stats.entries);
    expect(store.stats.hits + store.stats.misses).toBe(reads);
    await l.dispose();
  });
});
