// A clip's mean motion from its flow fields, for the flow view's readout.
//
// Units: flow is in working-size pixels per frame pair. The mean is reported in native-resolution
// pixels per second: the pair's mean flow, divided by the pair's time gap, times the resize
// factor. Frames are a centre crop that keeps the aspect ratio (the short side resized,
// data/sampling.ts centreCrop), so one factor serves both axes: min(nW / W, nH / H).

export interface ClipFlowFields {
  /** [P, H, W, 2], working-size pixels per pair. */
  flow: Float32Array;
  numPairs: number; // P
  height: number; // H
  width: number; // W
}

/** What the mean needs to know of the sampled clip: its frame times and its native size. */
export interface SampledClipTiming {
  /** Time of each sampled frame in the source clip, seconds ([P + 1]). */
  timesS: readonly number[];
  nativeWidth: number;
  nativeHeight: number;
}

export interface MeanFlow {
  /** Mean over pairs, native pixels per second. */
  dxPxPerS: number;
  dyPxPerS: number;
  /** Per pair [P, 2] (dx, dy), native pixels per second (NaN where the pair's time gap is 0). */
  perPair: number[];
}

/**
 * Mean motion of a clip in native pixels per second. Averages each pair's flow over the
 * interior (a `borderFraction` margin on every side is left out: content entering or leaving
 * the frame has no true match), divides by the pair's time gap and scales to native size.
 */
export function meanFlowPxPerS(cf: ClipFlowFields, clip: SampledClipTiming, borderFraction = 0.1): MeanFlow {
  const { height: h, width: w, numPairs } = cf;
  const by = Math.min(Math.floor(h * borderFraction), Math.floor((h - 1) / 2));
  const bx = Math.min(Math.floor(w * borderFraction), Math.floor((w - 1) / 2));
  // Centre crop, aspect kept: the crop is min(nW / W, nH / H) native pixels per working pixel on both axes.
  const scale = Math.min(clip.nativeWidth / w, clip.nativeHeight / h);
  const perPair: number[] = [];
  let sumX = 0;
  let sumY = 0;
  let valid = 0;
  for (let p = 0; p < numPairs; p++) {
    let ax = 0;
    let ay = 0;
    let n = 0;
    for (let y = by; y < h - by; y++)
      for (let x = bx; x < w - bx; x++) {
        const i = ((p * h + y) * w + x) * 2;
        ax += cf.flow[i];
        ay += cf.flow[i + 1];
        n++;
      }
    const dt = clip.timesS[p + 1] - clip.timesS[p];
    if (!(dt > 0)) {
      perPair.push(NaN, NaN);
      continue;
    }
    const vx = ((ax / n) * scale) / dt;
    const vy = ((ay / n) * scale) / dt;
    perPair.push(vx, vy);
    sumX += vx;
    sumY += vy;
    valid++;
  }
  if (valid === 0) throw new Error('The sampled frames share one timestamp: motion per second is undefined. Sample frames at different times.');
  return { dxPxPerS: sumX / valid, dyPxPerS: sumY / valid, perPair };
}
