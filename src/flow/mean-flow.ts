// A clip's mean motion from its flow fields, for the flow view's readout.
//
// Not every pixel's flow is a measurement. On a flat region nothing visibly moves, and on a
// straight edge only the motion across the edge is visible (the aperture problem): Lucas–Kanade
// reports the normal flow there, so on a horizontal pan a 45° edge says "half right, half down"
// and a flat wall says "still". Averaging all pixels equally therefore reports the wrong motion
// on ordinary footage (flat regions, vertical and slanted edges). The mean here weights each
// pixel by its confidence, the smaller eigenvalue λmin of its structure tensor (optical-flow.ts
// minEigenvalue): pixels with λmin below `minEigenvalue` (flat, or edge-only) count for nothing,
// the rest in proportion to λmin (corners and texture, where both components are seen). When too
// few pixels are determined the clip has too little texture to measure, and no mean is given.
//
// Units: flow is in working-size pixels per frame pair. The mean is reported in native-resolution
// pixels per second: the pair's mean flow, divided by the pair's time gap, times the resize
// factor. Frames are a centre crop that keeps the aspect ratio (the short side resized,
// data/sampling.ts centreCrop), so one factor serves both axes: min(nW / W, nH / H) native pixels
// per sampled pixel, times `factor` sampled pixels per working pixel (flow/working-size.ts).

export interface ClipFlowFields {
  /** [P, H, W, 2], working-size pixels per pair. */
  flow: Float32Array;
  /** [P, H, W]: λmin of each pixel's structure tensor (intensity² per px², intensities in [0, 1]). */
  confidence: Float32Array;
  numPairs: number; // P
  height: number; // H (working)
  width: number; // W (working)
  /** Sampled pixels per working pixel (a whole number; 1 when flow ran on the sampled frames). */
  factor: number;
}

/** What the mean needs to know of the sampled clip: its frame times, its sampled and its native size. */
export interface SampledClipTiming {
  /** Time of each sampled frame in the source clip, seconds ([P + 1]). */
  timesS: readonly number[];
  /** Size of the sampled frames. */
  width: number;
  height: number;
  nativeWidth: number;
  nativeHeight: number;
}

export interface MeanFlowOptions {
  /** Margin left out on every side, as a fraction of the size (content entering or leaving the frame has no true match). */
  borderFraction: number;
  /** λmin at or above which a pixel's motion counts as determined (default 1e-4: an RMS gradient of 0.01 per pixel, about 2.5 grey levels, in the weaker direction). */
  minEigenvalue: number;
  /** Share of the interior's pixels that must be determined to report a mean (default 1%). */
  minDeterminedFraction: number;
}

export const DEFAULT_MEAN_FLOW_OPTIONS: MeanFlowOptions = { borderFraction: 0.1, minEigenvalue: 1e-4, minDeterminedFraction: 0.01 };

export interface MeanFlow {
  /** Confidence-weighted mean over pairs, native pixels per second; null when the clip has too little texture. */
  dxPxPerS: number | null;
  dyPxPerS: number | null;
  /** Per pair [P, 2] (dx, dy), native pixels per second (NaN where the pair's time gap is 0 or none of its pixels is determined). */
  perPair: number[];
  /** Share of the interior's pixels, over all pairs, whose motion is determined (λmin ≥ the threshold). */
  determinedFraction: number;
  /** Enough pixels are determined to report a mean. */
  enoughTexture: boolean;
}

/**
 * Mean motion of a clip in native pixels per second: each pair's confidence-weighted mean flow
 * over the interior, divided by the pair's time gap and scaled to native size, averaged over the
 * pairs that have determined pixels.
 */
export function meanFlowPxPerS(cf: ClipFlowFields, clip: SampledClipTiming, options: Partial<MeanFlowOptions> = {}): MeanFlow {
  const opt: MeanFlowOptions = { ...DEFAULT_MEAN_FLOW_OPTIONS, ...options };
  const { height: h, width: w, numPairs } = cf;
  if (cf.flow.length !== numPairs * h * w * 2 || cf.confidence.length !== numPairs * h * w) throw new Error(`Mean flow: ${cf.flow.length} flow and ${cf.confidence.length} confidence values are not ${numPairs} fields of ${h}×${w}.`);
  const by = Math.min(Math.floor(h * opt.borderFraction), Math.floor((h - 1) / 2));
  const bx = Math.min(Math.floor(w * opt.borderFraction), Math.floor((w - 1) / 2));
  const scale = Math.min(clip.nativeWidth / clip.width, clip.nativeHeight / clip.height) * cf.factor;
  const perPair: number[] = [];
  let sumX = 0;
  let sumY = 0;
  let valid = 0;
  let timed = 0;
  let determined = 0;
  let interior = 0;
  for (let p = 0; p < numPairs; p++) {
    let ax = 0;
    let ay = 0;
    let weight = 0;
    for (let y = by; y < h - by; y++)
      for (let x = bx; x < w - bx; x++) {
        const j = (p * h + y) * w + x;
        const c = cf.confidence[j];
        interior++;
        if (!(c >= opt.minEigenvalue)) continue;
        determined++;
        ax += c * cf.flow[2 * j];
        ay += c * cf.flow[2 * j + 1];
        weight += c;
      }
    const dt = clip.timesS[p + 1] - clip.timesS[p];
    if (dt > 0) timed++;
    if (!(dt > 0) || weight === 0) {
      perPair.push(NaN, NaN);
      continue;
    }
    const vx = ((ax / weight) * scale) / dt;
    const vy = ((ay / weight) * scale) / dt;
    perPair.push(vx, vy);
    sumX += vx;
    sumY += vy;
    valid++;
  }
  if (timed === 0) throw new Error('The sampled frames share one timestamp: motion per second is undefined. Sample frames at different times.');
  const determinedFraction = interior > 0 ? determined / interior : 0;
  const enoughTexture = valid > 0 && determinedFraction >= opt.minDeterminedFraction;
  return {
    dxPxPerS: enoughTexture ? sumX / valid : null,
    dyPxPerS: enoughTexture ? sumY / valid : null,
    perPair,
    determinedFraction,
    enoughTexture,
  };
}
