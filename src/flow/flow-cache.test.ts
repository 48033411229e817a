import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { flowInput } from './flow-input';
import { FAMILIES } from '../models/registry';
import { syntheticData } from '../training/datasets';
import { FlowCache, framesKey } from './flow-cache';
import { TrainLoop } from '../training/train-loop';

const [T, H, W] = [4, 12, 12];
const per = T * H * W * 3;
const data = () => syntheticData({ task: 'order-direction', seed: 3, numFrames: T, height: H, width: W, trainPerClass: 4, valPerClass: 2 });

function clips(n: number): Float32Array {
  const d = data();
  const buf = new Float32Array(n * per);
  for (let i = 0; i < n; i++) d.train.fill(i, buf, i * per, Math.random);
  return buf;
}

describe('framesKey', () => {
  it('same frames, same key; one changed value or a shorter block, another key', () => {
    const buf = clips(2);
    expect(framesKey(buf, 0, per)).toBe(framesKey(buf.slice(0, per), 0, per));
    expect(framesKey(buf, 0, per)).not.toBe(framesKey(buf, per, per));
    const changed = buf.slice(0, per);
    changed[per - 1] += 1e-6;
    expect(framesKey(changed, 0, per)).not.toBe(framesKey(buf, 0, per));
    expect(framesKey(buf, 0, per - 3)).not.toBe(framesKey(buf, 0, per));
  });
});

describe('FlowCache', () => {
  it('returns what flowInput computes, computes each clip once, and holds no tensors', async () => {
    const buf = clips(3);
    const direct = tf.tidy(() => flowInput(tf.tensor5d(buf, [3, T, H, W, 3]), { numFlows: 2 }));
    const want = await direct.data();
    direct.dispose();
    const cache = new FlowCache(2);
    const before = tf.memory().numTensors;
    const first = await cache.flows(buf, 3, T, H, W);
    for (let i = 0; i < want.length; i++) expect(first[i]).toBeCloseTo(want[i], 5);
    expect(cache.stats).toMatchObject({ entries: 3, hits: 0, misses: 3 });
    // Clip 1 twice and clip 0 again: all hits, same values, in the asked order.
    const again = new Float32Array(3 * per);
    again.set(buf.subarray(per, 2 * per), 0);
    again.set(buf.subarray(per, 2 * per), per);
    again.set(buf.subarray(0, per), 2 * per);
    const second = await cache.flows(again, 3, T, H, W);
    const fp = 2 * H * W * 2;
    expect(Array.from(second.subarray(0, fp))).toEqual(Array.from(first.subarray(fp, 2 * fp)));
    expect(Array.from(second.subarray(fp, 2 * fp))).toEqual(Array.from(first.subarray(fp, 2 * fp)));
    expect(Array.from(second.subarray(2 * fp))).toEqual(Array.from(first.subarray(0, fp)));
    expect(cache.stats).toMatchObject({ entries: 3, hits: 3, misses: 3 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('evicts the least recently used clips beyond its byte budget', async () => {
    const fp = 2 * H * W * 2 * 4; // bytes of one clip's flow
    const cache = new FlowCache(2, 2 * fp);
    const buf = clips(3);
    await cache.flows(buf, 3, T, H, W);
    expect(cache.stats.entries).toBe(2);
    expect(cache.stats.bytes).toBe(2 * fp);
    await cache.flows(buf.subarray(2 * per), 1, T, H, W); // the newest clip is still there
    expect(cache.stats.hits).toBe(1);
  });
});

describe('TrainLoop with a flow input', () => {
  it('two-stream computes each training and validation clip’s flow once over three epochs; tensors stay flat', async () => {
    const d = data();
    const clip = { numFrames: T, height: H, width: W, channels: 3, numClasses: 2 };
    const family = FAMILIES['two-stream']!;
    const config = family.presets.tiny.config;
    const l = new TrainLoop({ build: () => family.build(config, clip), data: d, config: { optimizer: 'adam', learningRate: 0.003, batchSize: 4, epochs: 3, seed: 1 } });
    await l.stepOnce();
    const afterOne = tf.memory().numTensors;
    await l.stepOnce();
    expect(tf.memory().numTensors).toBe(afterOne);
    await l.play();
    expect(l.flowCacheStats).toMatchObject({ misses: d.train.size + d.val.size, entries: d.train.size + d.val.size });
    expect(l.flowCacheStats!.hits).toBe(3 * d.train.size + 3 * d.val.size - d.train.size - d.val.size);
    l.dispose();
  });
});
