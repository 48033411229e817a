// The pure planning helpers of our WebGPU reduction and pooling kernels.
import { describe, expect, it } from 'vitest';
import { planReduce, reduceView } from './reduce';
import { poolGeometry } from './pool';

describe('reduceView', () => {
  it('views contiguous axes as [A, R, B]', () => {
    expect(reduceView([4, 32, 32, 8], [0, 1, 2])).toEqual({ A: 1, R: 4096, B: 8 });
    expect(reduceView([256, 4, 17], [-1])).toEqual({ A: 1024, R: 17, B: 1 });
    expect(reduceView([2, 3, 5, 7], [1, 2])).toEqual({ A: 2, R: 15, B: 7 });
  });
  it('refuses non-contiguous or empty axes', () => {
    expect(reduceView([3, 4, 5, 6], [0, 2])).toBeNull();
    expect(reduceView([3, 4], [])).toBeNull();
  });
});

describe('planReduce', () => {
  it('splits a long reduction with few outputs into chunks that cover R', () => {
    const p = planReduce(1, 4096, 8);
    expect(p.twoPass).toBe(true);
    expect(Math.ceil(4096 / p.chunk) * p.chunk).toBeGreaterThanOrEqual(4096);
  });
  it('keeps one pass when there are enough outputs', () => {
    expect(planReduce(1024, 17, 1)).toEqual({ chunk: 17, twoPass: false });
  });
});

describe('poolGeometry', () => {
  it('treats a 2D pool as depth 1 and reads same padding', () => {
    const g = poolGeometry([2, 9, 7, 5], { filterSize: 3, strides: 2, pad: 'same' })!;
    expect(g).toMatchObject({
      inD: 1,
      outD: 1,
      outH: 5,
      outW: 4,
      filter: [1, 3, 3],
      strides: [1, 2, 2],
    });
    expect(g.pads[1]).toBe(1);
  });
  it('reads 3D pools', () => {
    const g = poolGeometry([2, 3, 6, 6, 4], {
      filterSize: [1, 2, 2],
      strides: [1, 2, 2],
      pad: 'valid',
    })!;
    expect(g).toMatchObject({ outD: 3, outH: 3, outW: 3, filter: [1, 2, 2] });
  });
});
