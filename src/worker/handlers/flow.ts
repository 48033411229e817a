// Optical flow requests: the flow view's fields, colours and mean motion for a stored clip, and
// the flow benchmark row. Flow itself is computed once per sampled clip (clip-flow.ts).

import { benchFlow } from '../../bench/flow-bench';
import { downsampleField, flowToRgba, maxMagnitude } from '../../flow/flow-color';
import { clipFlow, hasClipFlow, meanFlowPxPerS } from '../../flow/clip-flow';
import { getFrames } from '../clip-store';
import type { Handlers } from '../protocol';

/** Display fields are shrunk by a whole factor until their long side is at most this (default). */
const DEFAULT_DISPLAY_SIZE = 64;

export const flowHandlers: Pick<Handlers, 'flow' | 'flow-bench'> = {
  async flow({ clipId, config = {}, displaySize = DEFAULT_DISPLAY_SIZE }) {
    if (!(displaySize >= 1)) throw new Error(`Flow display size must be ≥ 1 pixel, got ${displaySize}.`);
    const frames = getFrames(clipId);
    const wasCached = hasClipFlow(frames, config);
    const cf = await clipFlow(frames, config);
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
      computeMs: cf.computeMs,
      backend: cf.backend,
      cached: wasCached,
    };
  },
  async 'flow-bench'(args) {
    return benchFlow(args);
  },
};
