// A lost GPU device, as the loop sees it (worker/device-loss.ts drives these calls): the run
// ends cleanly mid-epoch, its model is freed, and recover() rebuilds it from the weights kept
// after the last epoch, paused there, from where it trains to the end; a finished run keeps its
// final weights and status. No tensor leaks.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { syntheticData } from './datasets';
import { TrainLoop, type LoopStatus, type TrainConfig } from './train-loop';
import { tinyAverage } from '../test/test-models';

const CLIP = { numFrames: 4, height: 12, width: 12, channels: 3, numClasses: 2 };
const data = () => syntheticData({ task: 'order-direction', seed: 3, numFrames: 4, height: 12, width: 12, trainPerClass: 8, valPerClass: 4 });
const CONFIG: TrainConfig = { optimizer: 'adam', learningRate: 0.01, batchSize: 4, epochs: 3, seed: 5 };

const weightsOf = (l: TrainLoop) => Promise.all(l.model.getWeights().map(async (w) => Array.from(await w.data())));

describe('TrainLoop after a lost GPU device', () => {
  it('ends the run, rebuilds it from the weights of its last epoch, and trains on to the end', async () => {
    const before = tf.memory().numTensors;
    const statuses: [LoopStatus, string | null][] = [];
    let afterEpoch1: number[][] = [];
    let batches = 0;
    let lost: Promise<void> | null = null;
    const l: TrainLoop = new TrainLoop({
      build: () => tinyAverage(CLIP),
      data: data(),
      config: CONFIG,
      callbacks: {
        onStatus: (s, m) => statuses.push([s, m]),
        onEpoch: (e) => {
          if (e.epoch === 1) void weightsOf(l).then((w) => (afterEpoch1 = w));
        },
        onBatch: () => {
          // Two batches into the second epoch, the device goes.
          if (++batches === 6) lost = l.loseDevice('The GPU device was lost (test)');
        },
      },
    });
    await l.play();
    await lost;
    expect(l.status).toBe('error');
    expect(l.error).toBe('The GPU device was lost (test)');
    expect(batches).toBe(6); // the batch in flight was the last

    l.recover('rebuilt from epoch 1');
    expect(l.status).toBe('paused');
    expect(statuses.slice(-2)).toEqual([
      ['error', 'The GPU device was lost (test)'],
      ['paused', 'rebuilt from epoch 1'],
    ]);
    expect(l.epochsDone).toBe(1);
    expect(l.stepsDone).toBe(6); // steps go on counting: the curve's x stays monotonic
    expect(await weightsOf(l)).toEqual(afterEpoch1);

    await l.play();
    expect(l.status).toBe('done');
    expect(l.epochsDone).toBe(3);
    expect(batches).toBe(6 + 8);
    expect(l.stepsDone).toBe(6 + 8);
    await l.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a step the lost device broke is named for what it was, and the run goes on after recovery', async () => {
    const before = tf.memory().numTensors;
    const d = data();
    const fill = d.train.fill.bind(d.train);
    let fills = 0;
    // The third step fails the way a read-back on a lost device does (4 examples per step).
    d.train.fill = (...a: Parameters<typeof fill>) => {
      if (++fills === 9) throw new Error("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.");
      return fill(...a);
    };
    const statuses: [LoopStatus, string | null][] = [];
    const l = new TrainLoop({ build: () => tinyAverage(CLIP), data: d, config: CONFIG, callbacks: { onStatus: (s, m) => statuses.push([s, m]) } });
    await l.play();
    expect(l.status).toBe('error');
    expect(l.error).toMatch(/^Training stopped: .*Buffer was unmapped/);
    await l.loseDevice('The GPU device was lost (test)');
    expect(statuses.at(-1)).toEqual(['error', 'The GPU device was lost (test)']);
    l.recover('rebuilt');
    expect(l.status).toBe('paused');
    expect(l.epochsDone).toBe(0);
    await l.play();
    expect(l.status).toBe('done');
    await l.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a finished run keeps its status and its final weights', async () => {
    const before = tf.memory().numTensors;
    const l = new TrainLoop({ build: () => tinyAverage(CLIP), data: data(), config: { ...CONFIG, epochs: 1 } });
    await l.play();
    const final = await weightsOf(l);
    const probs = await l.predictSet(data().val);
    await l.loseDevice('The GPU device was lost (test)');
    expect(l.status).toBe('done');
    l.recover('rebuilt');
    expect(l.status).toBe('done');
    expect(await weightsOf(l)).toEqual(final);
    expect(await l.predictSet(data().val)).toEqual(probs);
    await l.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
