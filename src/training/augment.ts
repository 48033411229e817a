// Training-time augmentation of one clip in a CPU batch buffer. Pure array maths, no tfjs.
//
//   shift: the whole clip [T, H, W, 3] moves by one random (dy, dx) ∈ [−m, m]², the same for every
//          frame (so motion and order are untouched), edges repeated. It stops a model from
//          memorising *where* an object is in its few training clips (CNN + RNN flattens its
//          final map, a weight per position), so it has to learn what moves how.

import { randInt, type Rng } from '../lib/random';

export const AUGMENTS = ['none', 'shift'] as const;
export type Augment = (typeof AUGMENTS)[number];

/** Most pixels `shift` moves a clip, as a fraction of its side (1/8: 2 px on 16 × 16). */
export const SHIFT_FRACTION = 1 / 8;

/**
 * Shift the clip [T, H, W, C] at `offset` of `buf` in place by (dy, dx), repeating edge pixels.
 * A pixel at (y, x) takes the value that was at (y − dy, x − dx).
 */
export function shiftClip(buf: Float32Array, offset: number, t: number, h: number, w: number, c: number, dy: number, dx: number): void {
  if (dy === 0 && dx === 0) return;
  const frame = new Float32Array(h * w * c);
  for (let f = 0; f < t; f++) {
    const base = offset + f * h * w * c;
    frame.set(buf.subarray(base, base + h * w * c));
    for (let y = 0; y < h; y++) {
      const sy = Math.min(h - 1, Math.max(0, y - dy));
      for (let x = 0; x < w; x++) {
        const sx = Math.min(w - 1, Math.max(0, x - dx));
        const to = base + (y * w + x) * c;
        const from = (sy * w + sx) * c;
        for (let k = 0; k < c; k++) buf[to + k] = frame[from + k];
      }
    }
  }
}

/** The augmentation `kind` as a batch-buffer transform over clips [T, H, W, 3], drawing from `rng`. */
export function augmenter(kind: Augment, t: number, h: number, w: number, rng: Rng): ((buf: Float32Array, offset: number) => void) | undefined {
  if (kind === 'none') return undefined;
  const m = Math.max(1, Math.round(Math.min(h, w) * SHIFT_FRACTION));
  return (buf, offset) => shiftClip(buf, offset, t, h, w, 3, randInt(rng, -m, m), randInt(rng, -m, m));
}
