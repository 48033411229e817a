// The worker keeps its synthetic datasets within the working budget: before it builds a new one,
// it drops datasets no live run uses, oldest first, until the kept ones and the new one fit. The
// working budget is made small here (worker/budget-check.ts deviceLimits, replaced).
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { HandlerContext } from '../protocol';
import type { DatasetArgs } from '../train-protocol';

let totalBytes = 700_000;
vi.mock('../budget-check', async (original) => ({
  ...(await original<typeof import('../budget-check')>()),
  deviceLimits: () => ({
    backend: 'cpu',
    maxBindingBytes: null,
    totalBytes,
    source: 'a test budget',
  }),
}));

const { resetTrainHandlers, trainHandlers: h } = await import('./train');

const ctx: HandlerContext = { emit: () => {}, thread: 'worker' };
/** 2 classes × (4 + 2) clips of 8 × 16 × 16 × 3 floats: 294,912 bytes. */
const data = (seed: number): DatasetArgs => ({
  kind: 'synthetic',
  task: 'order-direction',
  seed,
  numFrames: 8,
  size: 16,
  trainPerClass: 4,
  valPerClass: 2,
});
const BYTES = 12 * 8 * 16 * 16 * 3 * 4;

afterAll(() => resetTrainHandlers());

const kept = async (datasetId: string) =>
  h['dataset-preview']({ datasetId, perClass: 1 }, ctx).then(
    () => true,
    () => false,
  );

describe('datasets kept within the working budget', () => {
  it('drops the oldest unused datasets to make room; a live run keeps its own', async () => {
    const a = await h['dataset-make'](data(1), ctx);
    const b = await h['dataset-make'](data(2), ctx); // 2 × 294,912 ≤ 700,000: both kept
    expect((await h['train-memory']({}, ctx)).datasetBytes).toBe(2 * BYTES);
    const c = await h['dataset-make'](data(3), ctx); // 3 × 294,912 > 700,000: a goes
    expect([await kept(a.datasetId), await kept(b.datasetId), await kept(c.datasetId)]).toEqual([
      false,
      true,
      true,
    ]);
    expect((await h['train-memory']({}, ctx)).datasetBytes).toBe(2 * BYTES);

    // A run on b: b stays, c (unused) goes for d.
    totalBytes = 2 ** 30;
    await h['train-start'](
      {
        runId: 'on-b',
        datasetId: b.datasetId,
        family: 'single-frame',
        train: { optimizer: 'sgd', learningRate: 0.01, batchSize: 2, epochs: 1, seed: 1 },
        mode: 'idle',
      },
      ctx,
    );
    totalBytes = 700_000;
    const d = await h['dataset-make'](data(4), ctx);
    expect([await kept(b.datasetId), await kept(c.datasetId), await kept(d.datasetId)]).toEqual([
      true,
      false,
      true,
    ]);
    expect((await h['train-memory']({}, ctx)).datasetBytes).toBe(2 * BYTES);
  });
});
