import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { modelHandlers } from './models';
import type { HandlerContext } from '../protocol';

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };

describe('model-zoo requests', () => {
  it('describes a preset on the clip the page asks for, allocating nothing', async () => {
    const before = tf.memory().numTensors;
    const d = await modelHandlers.describe({ family: 'late-fusion', numFrames: 6, size: 40, numClasses: 5 }, ctx);
    expect(d.clip).toMatchObject({ numFrames: 6, height: 40, width: 40, numClasses: 5 });
    expect(d.layers.at(-1)?.outputShape).toEqual([5]);
    expect(tf.memory().numTensors).toBe(before);
    const r18 = await modelHandlers.describe({ family: 'single-frame', preset: 'resnet18' }, ctx);
    expect(r18.totals.trainableParams).toBe(11_689_512);
  });

  it('explains unbuilt families, unknown presets and bad sizes', async () => {
    await expect(modelHandlers.describe({ family: 'single-frame', preset: 'nope' }, ctx)).rejects.toThrow(/no preset "nope"/);
    await expect(modelHandlers.describe({ family: 'single-frame', size: 0 }, ctx)).rejects.toThrow(/size must be a whole number/);
    // @ts-expect-error an id outside the union, as a stale page might send
    await expect(modelHandlers.describe({ family: 'rnn' }, ctx)).rejects.toThrow(/Unknown model family "rnn"/);
  });

  it('train-step-check: one step, a finite loss, the same tensor count before and after', async () => {
    const r = await modelHandlers['train-step-check']({ family: 'cnn-rnn', batch: 2, numFrames: 4, size: 16 }, ctx);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.numTensorsAfter).toBe(r.numTensorsBefore);
    expect(r.backend).toBe('cpu');
    expect(r.zeroGradWeights).toEqual([]);
    await expect(modelHandlers['train-step-check']({ family: 'cnn-rnn', batch: 0 }, ctx)).rejects.toThrow(/Batch must be/);
    expect(tf.memory().numTensors).toBe(r.numTensorsBefore);
  });
});
