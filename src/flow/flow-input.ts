// The two-stream family's motion input: stacks of L optical flows per clip.
//
// Simonyan & Zisserman, "Two-stream convolutional networks for action recognition in videos"
// (NeurIPS 2014): the temporal stream sees L consecutive flow fields, (dx, dy) per pixel, i.e.
// 2·L input channels. Here the model's 'flow' input kind is [N, L, H, W, 2] (types.ts).
//
//   frames [N, T, H, W, C] ──gray──▶ [N·T, H, W, 1] ──pairs──▶ I0, I1 [N·(T−1), H, W, 1]
//        ──flowBetween──▶ [N·(T−1), H, W, 2] ──window of L──▶ [N, L, H, W, 2]
//
// All pairs of all clips go through one batched flowBetween call. Only reshapes and rank-3/4
// slices touch the rank-5 tensors, so nothing here hits the rank-5 WebGPU bugs in TFJS-NOTES.

import * as tf from '@tensorflow/tfjs';
import { flowBetween, toGray, type FlowConfig } from './optical-flow';

export interface FlowInputOptions {
  /** Flows per clip L (default T − 1: all of them). Taken as a centred window of consecutive pairs. */
  numFlows?: number;
  /** Multiply the flow (working-size pixels) by this, e.g. to bring it near unit scale (default 1). */
  scale?: number;
  /** 255 for byte frames, 1 for frames in [0, 1] (default 1). */
  maxValue?: number;
  config?: Partial<FlowConfig>;
}

/** First flow index of a centred window of L flows among T − 1. */
export function flowWindowStart(numFrames: number, numFlows: number): number {
  return Math.floor((numFrames - 1 - numFlows) / 2);
}

/** Clips [N, T, H, W, C] → the two-stream 'flow' input [N, L, H, W, 2]. The caller owns the result. */
export function flowInput(frames: tf.Tensor5D, options: FlowInputOptions = {}): tf.Tensor5D {
  const [n, t, h, w, c] = frames.shape;
  if (t < 2) throw new Error(`The flow input needs clips of at least 2 frames, got T = ${t}.`);
  const numFlows = options.numFlows ?? t - 1;
  if (!(Number.isInteger(numFlows) && numFlows >= 1 && numFlows <= t - 1)) throw new Error(`A clip of ${t} frames has ${t - 1} flows; cannot stack L = ${numFlows}.`);
  const start = flowWindowStart(t, numFlows);
  const scale = options.scale ?? 1;
  // Only the frames the window needs: pairs start … start + L.
  const [i0, i1] = tf.tidy(() => {
    const gray = toGray(frames.reshape([n * t, h, w, c]) as tf.Tensor4D, options.maxValue ?? 1); // [N, T, H, W, C] → [N·T, H, W, 1]
    const byClip = gray.reshape([n, t, h * w]); // [N·T, H, W, 1] → [N, T, H·W]
    const a = byClip.slice([0, start, 0], [n, numFlows, h * w]).reshape([n * numFlows, h, w, 1]); // [N, L, H·W] → [N·L, H, W, 1]
    const b = byClip.slice([0, start + 1, 0], [n, numFlows, h * w]).reshape([n * numFlows, h, w, 1]);
    return [a as tf.Tensor4D, b as tf.Tensor4D];
  });
  try {
    const flow = flowBetween(i0, i1, options.config);
    try {
      return tf.tidy(() => (scale === 1 ? flow : flow.mul(scale)).reshape([n, numFlows, h, w, 2]) as tf.Tensor5D); // [N·L, H, W, 2] → [N, L, H, W, 2]
    } finally {
      flow.dispose();
    }
  } finally {
    tf.dispose([i0, i1]);
  }
}
