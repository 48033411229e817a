// Optical flow requests: the flow view's fields, colours and mean motion for a stored clip (the
// flow benchmark row is the bench worker's, src/bench/). Flow itself comes from the worker's one
// flow store (flow/flow-store.ts), shared with two-stream training and inference: each frame
// pair is computed once, whichever of them asks first.
//
// The view measures at a working size chosen from the sampled frames (flow/working-size.ts: the
// frames themselves up to 160 × 120 pixels, averaged down by a whole factor above that), and its
// mean motion weights each pixel by how well its motion is determined (flow/mean-flow.ts), so
// flat regions and lone edges (the aperture problem) do not pull it off the true motion.

import * as tf from '@tensorflow/tfjs';
import { downsampleField, flowToRgba, maxMagnitude } from '../../flow/flow-color';
import { flowStore, type RgbFrames } from '../../flow/flow-store';
import { meanFlowPxPerS } from '../../flow/mean-flow';
import { downsampleFrames, workingFactor } from '../../flow/working-size';
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
    // Every consecutive pair of the frames at the working size: [T − 1, H', W', 2] and confidence [T − 1, H', W'].
    const factor = workingFactor(frames.height, frames.width);
    const working = downsampleFrames(rgbOf(frames), factor);
    const from = Array.from({ length: t - 1 }, (_, i) => i);
    const { flow, confidence, computed, computeMs } = await flowStore.flows(working, { from, to: from.map((i) => i + 1) }, config);
    const cf = { flow, confidence, numPairs: t - 1, height: working.height, width: working.width, factor };
    const mean = meanFlowPxPerS(cf, frames);

    const shrink = Math.max(1, Math.ceil(Math.max(cf.height, cf.width) / displaySize));
    const h = Math.max(1, Math.floor(cf.height / shrink));
    const w = Math.max(1, Math.floor(cf.width / shrink));
    const per = cf.height * cf.width * 2;
    const flows = new Float32Array(cf.numPairs * h * w * 2);
    for (let p = 0; p < cf.numPairs; p++) flows.set(downsampleField(cf.flow.subarray(p * per, (p + 1) * per), cf.height, cf.width, 2, shrink).data, p * h * w * 2);
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
      determinedFraction: mean.determinedFraction,
      enoughTexture: mean.enoughTexture,
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

/** Forget the flow of a clip's stored frames, at their own size and at the flow view's working size (the clip was removed from the worker). Returns the bytes freed. */
export function forgetFlowOf(f: StoredFrames): number {
  const rgb = rgbOf(f);
  const factor = workingFactor(f.height, f.width);
  return flowStore.forget(rgb) + (factor > 1 ? flowStore.forget(downsampleFrames(rgb, factor)) : 0);
}
