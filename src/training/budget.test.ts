import { describe, expect, it } from 'vitest';
import { estimateBudget, type DeviceLimits } from './budget';
import type { Description } from '../models/types';

const row = (name: string, elems: number, params = 0) => ({ name, kind: 'conv3d', outputShape: [elems], trainableParams: params, nonTrainableParams: 0, macs: 0, activationBytes: 4 * elems, temporal: false });
const desc: Description = {
  family: 'conv3d',
  variant: 'x',
  clip: { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 2 },
  layers: [row('conv1', 100_000, 1000), row('fc', 2, 500)],
  totals: { trainableParams: 1500, nonTrainableParams: 100, macs: 0, activationBytes: 4 * 100_002 },
  extras: [],
};
const roomy: DeviceLimits = { backend: 'webgpu', maxBindingBytes: 128 * 2 ** 20, totalBytes: 2 ** 30, source: 'test' };

describe('budget check', () => {
  it('adds weights, gradients, Adam moments and activations', () => {
    const b = estimateBudget(desc, { batchSize: 4, optimizer: 'adam' }, roomy);
    expect(b.weightsBytes).toBe(4 * 1600);
    expect(b.gradientBytes).toBe(4 * 1500);
    expect(b.optimizerBytes).toBe(8 * 1500);
    expect(b.activationBytes).toBe(2 * 4 * 100_002 * 4);
    expect(b.inputBytes).toBe(4 * 4 * 8 * 32 * 32 * 3);
    expect(b.totalBytes).toBe(b.weightsBytes + b.gradientBytes + b.optimizerBytes + b.activationBytes + b.inputBytes);
    expect(b.largestTensorLayer).toBe('conv1');
    expect(b.largestTensorBytes).toBe(4 * 100_000 * 4);
    expect(b.fits).toBe(true);
    expect(estimateBudget(desc, { batchSize: 4, optimizer: 'sgd' }, roomy).optimizerBytes).toBe(0);
  });

  it('a tensor over the per-buffer limit names the batch size that fits', () => {
    const b = estimateBudget(desc, { batchSize: 8, optimizer: 'adam' }, { ...roomy, maxBindingBytes: 400_000 * 3 });
    expect(b.fits).toBe(false);
    expect(b.warning).toMatch(/conv1/);
    expect(b.warning).toMatch(/Lower the batch size to 3 or less/);
    const none = estimateBudget(desc, { batchSize: 1, optimizer: 'adam' }, { ...roomy, maxBindingBytes: 1000 });
    expect(none.warning).toMatch(/Lower the frames \(T\) or the frame size: even one clip/);
  });

  it('a total over the budget names the batch size that fits', () => {
    const b = estimateBudget(desc, { batchSize: 64, optimizer: 'adam' }, { ...roomy, totalBytes: 10 * 2 ** 20 });
    expect(b.fits).toBe(false);
    const n = Number(/batch size to (\d+)/.exec(b.warning!)![1]);
    expect(estimateBudget(desc, { batchSize: n, optimizer: 'adam' }, { ...roomy, totalBytes: 10 * 2 ** 20 }).fits).toBe(true);
    expect(estimateBudget(desc, { batchSize: n + 1, optimizer: 'adam' }, { ...roomy, totalBytes: 10 * 2 ** 20 }).fits).toBe(false);
    expect(() => estimateBudget(desc, { batchSize: 0, optimizer: 'adam' }, roomy)).toThrow(/Batch size/);
  });
});
