// Optical flow requests: the flow view's fields, colours and mean motion for a stored clip (the
// flow benchmark row is the bench worker's, src/bench/). Flow itself comes from the worker's one
// flow store (flow/flow-store.ts), shared with two-stream training and inference: each frame
// pair is computed once, whichever of them asks first.

import * as tf from '@tensorflow/tfjs';
import { downsampleField, flowToRgba, maxMagnitude } from '../../flow/flow-color';
import { flowStore, type RgbFrames } from '../../flow/flow-store';
import { meanFlowPxPerS } from '../../flow/mean-flow';
import { framesToFloat } from '../../training/datasets';
import { getFrames, type StoredFrames } from '../clip-store';
import type { Handlers } from '../protocol';

/** Display fields are shrunk by a whole factor until their long side is at most this (default). */
const DEFAULT_DISPLAY_SIZE = 64;

export const flowHandlers: Pick<Handlers, 'flow'> = {
  async flow({ clipId, config = {}, displaySize = DEFAULT_DISPLAY_SIZE }) {
    if (!(displaySize >= 1)) throw new Error(`Flow display size must be ≥ 1 pixel, got ${displaySize}.`);
    const frames = getFrames(clipId);
    const t = frames.numFrames;
    if (t < 2) throw new Error(`Clip ${clipId} has ${t} sampled frame; optical flow needs at least 2.`);
    // Every consecutive pair of the sampled frames: [T − 1, H, W, 2].
    const from = Array.from({ length: t - 1 }, (_, i) => i);
    const { flow, computed, computeMs } = await flowStore.flows(rgbOf(frames), { from, to: from.map((i) => i + 1) }, config);
    const cf = { flow, numPairs: t - 1, height: frames.height, width: frames.width };
    const mean = meanFlowPxPerS(cf, frames);

    const factor = Math.max(1, Math.ceil(Math.max(cf.height, cf.width) / displaySize));
    const h = Math.max(1, Math.floor(cf.height / factor));
    const w = Math.max(1, Math.floor(cf.width / factor));
    const per = cf.height * cf.width * 2;
    const flows = new Float32Array(cf.numPairs * h * w * 2);
    for (let p = 0; p < cf.numPairs; p++) flows.set(downsampleField(cf.flow.subarray(p * per, (p + 1) * per), cf.height, cf.width, 2, factor).data, p * h * w * 2);
    // One brightness scale for the whole clip, so pairs compare; from the display fields, so a
    // few noisy full-size pixels do not darken everything.
    const scale = Math.max(maxMagnitude(flows), 1e-3);
    return {
      clipId,
      numPairs: cf.numPairs,
      height: h,
      width: w,
      workingHeight: cf.height,
      workingWidth: cf.width,
      flows,
      colors: flowToRgba(flows, scale),
      maxMagnitude: scale,
      meanDxPxPerS: mean.dxPxPerS,
      meanDyPxPerS: mean.dyPxPerS,
      pairMeanPxPerS: mean.perPair,
      computeMs,
      backend: tf.getBackend(),
      cached: computed === 0,
    };
  },
};

/** A stored clip's frames as the flow store reads them: RGB floats, the same values training reads. */
function rgbOf(f: StoredFrames): RgbFrames {
  const data = new Float32Array(f.numFrames * f.height * f.width * 3);
  framesToFloat(f, Array.from({ length: f.numFrames }, (_, i) => i), f.height, f.width, data, 0);
  return { data, numFrames: f.numFrames, height: f.height, width: f.width };
}

/** Forget the flow of a clip's stored frames (the clip was removed from the worker). Returns the bytes freed. */
export function forgetFlowOf(f: StoredFrames): number {
  return flowStore.forget(rgbOf(f));
}
