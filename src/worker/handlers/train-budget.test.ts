// The worker never trusts the page: dataset-make and train-start check the one memory budget
// (training/budget.ts) before anything is built, so a setting over it is refused fast, with the
// knob to lower, leaving tfjs's memory and the worker's datasets as they were; paper-scale presets
// are refused with the reason; train-budget answers with the same function. The real model zoo
// (describe() allocates nothing), on tfjs's CPU backend.
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { putFrames } from '../clip-store';
import type { HandlerContext } from '../protocol';
import type { DatasetArgs } from '../train-protocol';
import { bytesOf } from '../../training/budget';
import { resetTrainHandlers, trainHandlers as h } from './train';

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };
const TRAIN = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 4, epochs: 1, seed: 1 };
const SMALL: DatasetArgs = {
  kind: 'synthetic',
  task: 'order-direction',
  seed: 1,
  numFrames: 4,
  size: 16,
  trainPerClass: 4,
  valPerClass: 2,
};
/** The link ?family=conv3d&frames=128&size=256: 2 classes × (48 + 16) clips of 128 × 256 × 256 × 3 floats, 12 GiB. */
const HUGE: DatasetArgs = {
  kind: 'synthetic',
  task: 'order-direction',
  seed: 1,
  numFrames: 128,
  size: 256,
};

afterEach(() => resetTrainHandlers());

/** Run `f`, expecting a refusal matching `pattern`; returns how long it took, asserting tfjs's memory and the worker's datasets did not change. */
async function refusedUntouched(f: () => Promise<unknown>, pattern: RegExp): Promise<number> {
  const before = tf.memory();
  const kept = await h['train-memory']({}, ctx);
  const t0 = performance.now();
  await expect(f()).rejects.toThrow(pattern);
  const ms = performance.now() - t0;
  const after = tf.memory();
  expect([after.numTensors, after.numBytes]).toEqual([before.numTensors, before.numBytes]);
  const now = await h['train-memory']({}, ctx);
  expect([now.datasetBytes, now.runsWithModels]).toEqual([kept.datasetBytes, kept.runsWithModels]);
  return ms;
}

describe('the worker checks the budget before it builds', () => {
  it('dataset-make refuses the 12 GiB synthetic dataset at once, naming the frame size and the frames that fit', async () => {
    const ms = await refusedUntouched(
      () => h['dataset-make'](HUGE, ctx),
      /Will not fit: this setting needs about 12\.0 GiB \(dataset 12\.0 GiB\).*To fit, lower the frame size to 72, or the frames \(T\) to 10\./,
    );
    expect(ms).toBeLessThan(1000); // nothing was generated
    // The values it names do fit, and build.
    const ok = await h['dataset-make'](
      { ...HUGE, numFrames: 10, trainPerClass: 2, valPerClass: 1 },
      ctx,
    );
    expect(ok.numFrames).toBe(10);
  });

  it('dataset-make refuses values the page never sends, in words', async () => {
    await refusedUntouched(
      () => h['dataset-make']({ ...SMALL, trainPerClass: 1e9 }, ctx),
      /Will not fit.*lower the training clips per class to \d+/,
    );
    await refusedUntouched(
      () => h['dataset-make']({ ...SMALL, numFrames: 2.5 }, ctx),
      /frames \(T\) as a whole number/,
    );
    await refusedUntouched(
      () => h['dataset-make']({ ...SMALL, task: 'juggling' as never }, ctx),
      /no synthetic task “juggling”/,
    );
  });

  it('train-start refuses a paper-scale preset, saying it is for the arithmetic, before building it', async () => {
    const ds = await h['dataset-make'](SMALL, ctx);
    await refusedUntouched(
      () =>
        h['train-start'](
          {
            runId: 'paper',
            datasetId: ds.datasetId,
            family: 'conv3d',
            preset: 'r3d_18',
            train: TRAIN,
          },
          ctx,
        ),
      /r3d_18 is a reference preset of the 3D convolution family, described for the arithmetic, too big to train in a browser: pick tiny/,
    );
    await expect(
      h['train-budget'](
        { family: 'conv3d', preset: 'r3d_18', dataset: SMALL, batchSize: 4, optimizer: 'adam' },
        ctx,
      ),
    ).rejects.toThrow(/reference preset/);
  });

  it('train-start refuses a model over the budget before building it, naming the batch size that fits', async () => {
    const args: DatasetArgs = {
      ...SMALL,
      numFrames: 32,
      size: 128,
      trainPerClass: 1,
      valPerClass: 1,
    };
    const ds = await h['dataset-make'](args, ctx);
    const ms = await refusedUntouched(
      () =>
        h['train-start'](
          {
            runId: 'big',
            datasetId: ds.datasetId,
            family: 'conv3d',
            train: { ...TRAIN, batchSize: 256 },
          },
          ctx,
        ),
      /Will not fit: .*To fit, lower the batch size to (\d+)/,
    );
    expect(ms).toBeLessThan(1000);
    // train-budget says the same, with the same function, before the page asks for anything.
    const b = await h['train-budget'](
      { family: 'conv3d', dataset: args, batchSize: 256, optimizer: 'adam' },
      ctx,
    );
    expect(b.fits).toBe(false);
    const n = Number(/lower the batch size to (\d+)/.exec(b.refusal!)![1]);
    expect(
      (
        await h['train-budget'](
          { family: 'conv3d', dataset: args, batchSize: n, optimizer: 'adam' },
          ctx,
        )
      ).fits,
    ).toBe(true);
    expect(
      (
        await h['train-budget'](
          { family: 'conv3d', dataset: args, batchSize: n + 1, optimizer: 'adam' },
          ctx,
        )
      ).fits,
    ).toBe(false);
  });

  it('train-budget covers the dataset and the model; two-stream adds its flow inputs', async () => {
    const b = await h['train-budget'](
      { family: 'conv3d', dataset: SMALL, batchSize: 4, optimizer: 'adam' },
      ctx,
    );
    expect(b.fits).toBe(true);
    expect(bytesOf(b, 'dataset')).toBe(2 * (4 + 2) * 4 * 16 * 16 * 3 * 4);
    expect(bytesOf(b, 'weights')).toBeGreaterThan(0);
    expect(bytesOf(b, 'flow inputs')).toBe(0);
    const two = await h['train-budget'](
      { family: 'two-stream', dataset: SMALL, batchSize: 4, optimizer: 'adam' },
      ctx,
    );
    expect(bytesOf(two, 'flow inputs')).toBe(2 * (4 + 2) * 3 * 16 * 16 * 2 * 4); // 12 clips × L = T − 1 = 3 flows
    expect(bytesOf(two, 'inputs')).toBe(4 * (4 * 16 * 16 * 3 + 3 * 16 * 16 * 2) * 4);
  });

  it('own clips: the dataset costs the stored frames it reads', async () => {
    for (let i = 0; i < 4; i++)
      putFrames({
        clipId: `b${i}`,
        numFrames: 6,
        height: 8,
        width: 8,
        rgba: new Uint8ClampedArray(6 * 8 * 8 * 4),
        timesS: [0, 1, 2, 3, 4, 5],
        nativeWidth: 8,
        nativeHeight: 8,
      });
    const own: DatasetArgs = {
      kind: 'own',
      classes: [
        { name: 'a', clipIds: ['b0', 'b1'] },
        { name: 'b', clipIds: ['b2', 'b3'] },
      ],
      seed: 1,
      numFrames: 4,
      size: 16,
      sampling: { strategy: 'uniform', chunks: 1 },
    };
    const b = await h['train-budget'](
      { family: 'single-frame', dataset: own, batchSize: 2, optimizer: 'sgd' },
      ctx,
    );
    expect(bytesOf(b, 'dataset')).toBe(4 * 6 * 8 * 8 * 4);
    expect(bytesOf(b, 'optimizer')).toBe(0);
    await expect(
      h['train-budget'](
        {
          family: 'single-frame',
          dataset: { ...own, classes: [{ name: 'a', clipIds: ['b0', 'never'] }] },
          batchSize: 2,
          optimizer: 'sgd',
        },
        ctx,
      ),
    ).rejects.toThrow(/No frames for clip never/);
  });
});
