import { describe, expect, it } from 'vitest';
import { augmenter, shiftClip } from './augment';
import { mulberry32 } from '../lib/random';

/** A clip [T, H, W, 1] whose pixel value encodes (t, y, x). */
const clip = (t: number, h: number, w: number) => Float32Array.from({ length: t * h * w }, (_, i) => i);

describe('training augmentation', () => {
  it('shift moves every frame by the same (dy, dx), repeating edge pixels', () => {
    const [T, H, W] = [2, 3, 4];
    const buf = clip(T, H, W);
    shiftClip(buf, 0, T, H, W, 1, 1, -1);
    const at = (t: number, y: number, x: number) => buf[(t * H + y) * W + x];
    const orig = (t: number, y: number, x: number) => (t * H + y) * W + x;
    for (let t = 0; t < T; t++)
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) expect(at(t, y, x)).toBe(orig(t, Math.max(0, y - 1), Math.min(W - 1, x + 1)));
  });
  it('a zero shift and other clips in the buffer are left alone', () => {
    const buf = clip(2, 4, 4);
    const before = buf.slice();
    shiftClip(buf, 0, 1, 4, 4, 1, 0, 0);
    expect(buf).toEqual(before);
    shiftClip(buf, 16, 1, 4, 4, 1, 2, 2); // the second frame only, as a clip of T = 1
    expect(buf.subarray(0, 16)).toEqual(before.subarray(0, 16));
  });
  it("the augmenter draws from the loop's seeded stream: same seed, same shifts", () => {
    const run = (seed: number) => {
      const buf = new Float32Array(4 * 16 * 16 * 3).map((_, i) => i % 97);
      augmenter('shift', 4, 16, 16, mulberry32(seed))!(buf, 0);
      return buf;
    };
    expect(run(3)).toEqual(run(3));
    expect(augmenter('none', 4, 16, 16, mulberry32(1))).toBeUndefined();
  });
});
