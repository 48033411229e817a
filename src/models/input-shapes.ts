// The shape of each input a model takes for a given clip, in the order of its InputKind list
// (types.ts), without N. Pure: the tests make fake batches for any family from it, and the
// worker's train-step check builds random batches with it.

import type { ClipSpec, InputKind } from './types';

export interface InputShapeOptions {
  /** L, the number of stacked flow fields a 'flow' input holds (default T − 1: every pair). */
  flowLength?: number;
}

export function inputShape(kind: InputKind, clip: ClipSpec, opts: InputShapeOptions = {}): number[] {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  switch (kind) {
    case 'frames':
      return [t, h, w, c];
    case 'frame-diff':
      if (t < 2) throw new Error(`Frame differences need at least 2 frames, got T = ${t}.`);
      return [t - 1, h, w, c];
    case 'flow': {
      const l = opts.flowLength ?? t - 1;
      if (!(l >= 1 && l <= t - 1)) throw new Error(`A flow stack of L = ${l} fields needs L from 1 to T − 1 = ${t - 1}.`);
      return [l, h, w, 2];
    }
  }
}

export const modelInputShapes = (kinds: readonly InputKind[], clip: ClipSpec, opts: InputShapeOptions = {}): number[][] => kinds.map((k) => inputShape(k, clip, opts));
