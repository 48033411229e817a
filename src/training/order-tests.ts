// Temporal-order tests: the validation clips with their frames shuffled, reversed, or frozen
// (one frame repeated), so the user sees whether a model uses order. A model that ignores time
// scores the same on all four; a model that reads direction drops to chance on shuffled and
// frozen clips, and flips its answer on reversed ones for an order-only task.
//
// Pure maths on one clip's frames [T, H, W, C] as a flat Float32Array, in place.

import { permutation, type Rng } from '../lib/random';

export const ORDER_TESTS = ['normal', 'shuffled', 'reversed', 'frozen'] as const;
export type OrderTest = (typeof ORDER_TESTS)[number];

/** A permutation of 0 … T−1 that is not the identity (for T ≥ 2). */
export function shuffledOrder(numFrames: number, rng: Rng): number[] {
  if (numFrames < 2) return [0];
  for (;;) {
    const p = permutation(numFrames, rng);
    if (p.some((v, i) => v !== i)) return p;
  }
}

/** The frame order each test shows: out frame t = in frame order[t]. */
export function orderFor(test: OrderTest, numFrames: number, rng: Rng): number[] {
  const ids = Array.from({ length: numFrames }, (_, i) => i);
  switch (test) {
    case 'normal':
      return ids;
    case 'shuffled':
      return shuffledOrder(numFrames, rng);
    case 'reversed':
      return ids.reverse();
    case 'frozen':
      return ids.map(() => Math.floor((numFrames - 1) / 2)); // the middle frame, T times
  }
}

/** Rearrange one clip's frames in place: clip [T, frameSize] → clip[order[t]] for each t. */
export function reorderFrames(clip: Float32Array, offset: number, numFrames: number, frameSize: number, order: readonly number[]): void {
  if (order.length !== numFrames) throw new Error(`Frame order of length ${order.length} for a clip of ${numFrames} frames.`);
  const copy = clip.slice(offset, offset + numFrames * frameSize);
  for (let t = 0; t < numFrames; t++) clip.set(copy.subarray(order[t] * frameSize, (order[t] + 1) * frameSize), offset + t * frameSize);
}
