import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulberry32 } from '../lib/random';
import { orderFor, reorderFrames, shuffledOrder } from './order-tests';

/** A clip whose frame t is filled with the value t (frameSize values each). */
function ramp(T: number, frameSize: number): Float32Array {
  return Float32Array.from({ length: T * frameSize }, (_, i) => Math.floor(i / frameSize));
}
const frameValues = (clip: Float32Array, T: number, frameSize: number) => Array.from({ length: T }, (_, t) => clip[t * frameSize]);

describe('temporal-order transforms', () => {
  it('reversed, frozen and normal do what they say', () => {
    const T = 5;
    const clip = ramp(T, 4);
    reorderFrames(clip, 0, T, 4, orderFor('reversed', T, mulberry32(1)));
    expect(frameValues(clip, T, 4)).toEqual([4, 3, 2, 1, 0]);
    const frozen = ramp(T, 4);
    reorderFrames(frozen, 0, T, 4, orderFor('frozen', T, mulberry32(1)));
    expect(frameValues(frozen, T, 4)).toEqual([2, 2, 2, 2, 2]);
    const normal = ramp(T, 4);
    reorderFrames(normal, 0, T, 4, orderFor('normal', T, mulberry32(1)));
    expect(normal).toEqual(ramp(T, 4));
  });

  it('shuffled is a permutation that keeps every frame and is never the identity', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 16 }), fc.integer(), (T, seed) => {
        const p = shuffledOrder(T, mulberry32(seed));
        expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: T }, (_, i) => i));
        expect(p.some((v, i) => v !== i)).toBe(true);
        const clip = ramp(T, 3);
        reorderFrames(clip, 0, T, 3, p);
        expect(frameValues(clip, T, 3)).toEqual(p);
        // Whole frames move together: every value of frame t equals its frame index.
        for (let t = 0; t < T; t++) expect(new Set(clip.subarray(t * 3, t * 3 + 3)).size).toBe(1);
      }),
    );
  });

  it('works at an offset inside a batch buffer without touching neighbours', () => {
    const buf = new Float32Array(2 * 3 * 2).fill(-1);
    buf.set(ramp(3, 2), 6);
    reorderFrames(buf, 6, 3, 2, [2, 1, 0]);
    expect([...buf]).toEqual([-1, -1, -1, -1, -1, -1, 2, 2, 1, 1, 0, 0]);
  });
});
