// What every custom tfjs layer here needs: tfjs hands `call` and `computeOutputShape` either one
// tensor (shape) or a list of them; our layers all take one.

import type * as tf from '@tensorflow/tfjs';

export const one = (x: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(x) ? x[0] : x);
export const oneShape = (s: tf.Shape | tf.Shape[]): tf.Shape =>
  Array.isArray(s[0]) ? (s[0] as tf.Shape) : (s as tf.Shape);

export function assertRank(shape: readonly (number | null)[], rank: number, who: string): void {
  if (shape.length !== rank)
    throw new Error(`${who} expects a rank-${rank} input, got shape [${shape.join(', ')}].`);
}
