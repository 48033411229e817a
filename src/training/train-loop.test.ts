import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { syntheticData } from './datasets';
import { nextStatus, TrainLoop, type LoopStatus, type TrainConfig } from './train-loop';
import { tinyAverage, tinyConv3d } from '../test/test-models';

const CLIP = { numFrames: 4, height: 12, width: 12, channels: 3, numClasses: 2 };
const data = () => syntheticData({ task: 'order-direction', seed: 3, numFrames: 4, height: 12, width: 12, trainPerClass: 8, valPerClass: 4 });
const CONFIG: TrainConfig = { optimizer: 'adam', learningRate: 0.01, batchSize: 4, epochs: 3, seed: 5 };

function loop(config: Partial<TrainConfig> = {}, build = tinyConv3d) {
  const losses: number[] = [];
  const statuses: LoopStatus[] = [];
  const epochs: number[] = [];
  const l = new TrainLoop({
    build: () => build(CLIP),
    data: data(),
    config: { ...CONFIG, ...config },
    callbacks: { onBatch: (b) => losses.push(b.loss), onStatus: (s) => statuses.push(s), onEpoch: (e) => epochs.push(e.valAcc) },
  });
  return { l, losses, statuses, epochs };
}

describe('loop state machine', () => {
  it('transition table', () => {
    expect(nextStatus('idle', 'play')).toBe('training');
    expect(nextStatus('idle', 'pause')).toBe('idle');
    expect(nextStatus('training', 'pause')).toBe('paused');
    expect(nextStatus('training', 'step-done')).toBe('paused');
    expect(nextStatus('paused', 'play')).toBe('training');
    expect(nextStatus('paused', 'step')).toBe('training');
    expect(nextStatus('training', 'finish')).toBe('done');
    expect(nextStatus('done', 'play')).toBe('done');
    expect(nextStatus('training', 'fail')).toBe('error');
    expect(nextStatus('error', 'play')).toBe('error');
    for (const s of ['idle', 'training', 'paused', 'done', 'error'] as const) expect(nextStatus(s, 'reset')).toBe('idle');
  });
});

describe('TrainLoop', () => {
  it('step trains exactly one batch and ends paused; play runs to done', async () => {
    const { l, losses, statuses, epochs } = loop();
    expect(l.batchesPerEpoch).toBe(4);
    await l.stepOnce();
    expect(losses).toHaveLength(1);
    expect(l.status).toBe('paused');
    await l.stepOnce();
    expect(losses).toHaveLength(2);
    await l.play();
    expect(l.status).toBe('done');
    expect(losses).toHaveLength(12);
    expect(epochs).toHaveLength(3);
    expect(statuses).toEqual(['training', 'paused', 'training', 'paused', 'training', 'done']);
    await l.dispose();
  });

  it('weight decay adds λ·Σ w² of the kernels to the first loss; augmentation changes the batches, not the tensor count', async () => {
    // The first step's loss is taken before the update, at the seed's initial weights.
    const plain = loop();
    const sumSq = plain.l['model'].trainableWeights.filter((w) => w.shape.length >= 2).reduce((a, w) => a + tf.tidy(() => (w.read() as tf.Tensor).square().sum().dataSync()[0]), 0);
    await plain.l.play();
    await plain.l.dispose();
    const decayed = loop({ weightDecay: 0.01 });
    await decayed.l.stepOnce();
    await decayed.l.dispose();
    expect(sumSq).toBeGreaterThan(0);
    expect(decayed.losses[0] - plain.losses[0]).toBeCloseTo(0.01 * sumSq, 4);
    const before = tf.memory().numTensors;
    const shifted = loop({ augment: 'shift' });
    await shifted.l.play();
    expect(shifted.l.status).toBe('done');
    expect(shifted.losses).toHaveLength(12);
    expect(shifted.losses).not.toEqual(plain.losses);
    await shifted.l.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => loop({ weightDecay: -1 })).toThrow(/Weight decay must be from 0 to 1/);
    expect(() => loop({ augment: 'flip' as never })).toThrow(/Augmentation “flip” is not one of none, shift/);
  });

  it('pause stops after the batch in flight; play resumes where it left off', async () => {
    const { l, losses } = loop();
    const running = l.play();
    await l.pause();
    await running;
    expect(l.status).toBe('paused');
    const after = losses.length;
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThan(12);
    await l.play();
    expect(losses).toHaveLength(12);
    expect(l.status).toBe('done');
    await l.dispose();
  });

  it('reset rebuilds from the seed: the same run again, step for step', async () => {
    const { l, losses } = loop({ epochs: 1 });
    await l.play();
    const first = [...losses];
    await l.reset();
    expect(l.status).toBe('idle');
    expect(l.stepsDone).toBe(0);
    await l.play();
    expect(losses.slice(first.length)).toEqual(first);
    // A second loop with the same seed gives the same numbers too; another seed does not.
    const same = loop({ epochs: 1 });
    await same.l.play();
    expect(same.losses).toEqual(first);
    const other = loop({ epochs: 1, seed: 6 });
    await other.l.play();
    expect(other.losses).not.toEqual(first);
    await Promise.all([l.dispose(), same.l.dispose(), other.l.dispose()]);
  });

  it('reset during training stops after the batch in flight', async () => {
    const { l } = loop();
    const running = l.play();
    await l.reset();
    await running;
    expect(l.status).toBe('idle');
    expect(l.stepsDone).toBe(0);
    await l.dispose();
  });

  it('no tensor leak over several epochs (SGD and Adam); dispose frees everything', async () => {
    const before = tf.memory().numTensors;
    for (const optimizer of ['sgd', 'adam'] as const) {
      const counts: number[] = [];
      const l = new TrainLoop({ build: () => tinyAverage(CLIP), data: data(), config: { ...CONFIG, optimizer, epochs: 4 }, callbacks: { onEpoch: () => counts.push(tf.memory().numTensors) } });
      await l.play();
      expect(counts).toHaveLength(4);
      // Optimizer slots exist from the first step on; nothing grows after that.
      expect(new Set(counts.slice(1)).size).toBe(1);
      expect(counts[0]).toBe(counts[3]);
      await l.predictSet(data().val);
      expect(tf.memory().numTensors).toBe(counts[3]);
      await l.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });

  it('a model whose output does not match the classes is refused with a clear message', () => {
    expect(() => new TrainLoop({ build: () => tinyConv3d({ ...CLIP, numClasses: 3 }), data: data(), config: CONFIG })).toThrow(/outputs 3 classes but the data has 2/);
  });

  it('an error mid-run (e.g. a lost GPU device) ends the run in error with a clear message; reset recovers', async () => {
    const d = data();
    let calls = 0;
    const fill = d.train.fill;
    d.train.fill = (...args) => {
      if (++calls === 6) throw new Error('GPUDevice was lost: Device is lost');
      fill(...args);
    };
    const statuses: LoopStatus[] = [];
    const l = new TrainLoop({ build: () => tinyConv3d(CLIP), data: d, config: CONFIG, callbacks: { onStatus: (s) => statuses.push(s) } });
    await l.play();
    expect(l.status).toBe('error');
    expect(l.error).toMatch(/GPU device was lost/);
    expect(statuses.at(-1)).toBe('error');
    await l.reset();
    expect(l.status).toBe('idle');
    await l.stepOnce();
    expect(l.status).toBe('paused');
    await l.dispose();
  });
});
