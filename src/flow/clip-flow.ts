// Optical flow of the clips kept in the worker's clip store: computed once per sampled clip and
// flow configuration, cached beside the frames, read by the flow view (`flow` request) and by
// the two-stream family's motion stream (`clipFlowInput`).
//
//   StoredFrames rgba [T, H, W, 4] ──luma (JS)──▶ [T, H, W, 1] ──flowBetween──▶ [T−1, H, W, 2]
//        cached as a Float32Array (no tensors held), keyed by the StoredFrames object itself:
//        re-sampling a clip stores a new object, so its stale flow is simply never found again.
//
// Units: flow is in working-size pixels per frame pair. The clip's mean motion is reported in
// native-resolution pixels per second: the pair's mean flow, divided by the pair's time gap,
// times the resize factor. Frames are a centre crop that keeps the aspect ratio (the short side
// resized, data/sampling.ts centreCrop), so one factor serves both axes: min(nW / W, nH / H).

import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FLOW_CONFIG, flowBetween, type FlowConfig } from './optical-flow';
import { flowWindowStart } from './flow-input';
import type { StoredFrames } from '../worker/clip-store';

export interface ClipFlow {
  /** [P = T−1, H, W, 2], working-size pixels per pair, I1(x + flow) ≈ I0(x). */
  flow: Float32Array;
  numPairs: number;
  height: number;
  width: number;
  computeMs: number;
  backend: string;
}

const cache = new WeakMap<StoredFrames, Map<string, { promise: Promise<ClipFlow>; done: boolean }>>();

function configKey(config: Partial<FlowConfig>): string {
  const full: FlowConfig = { ...DEFAULT_FLOW_CONFIG, ...config };
  return (Object.keys(DEFAULT_FLOW_CONFIG) as (keyof FlowConfig)[]).map((k) => `${k}=${full[k]}`).join('&');
}

/** RGBA bytes [T, H, W, 4] → luma in [0, 1] [T, H, W] (BT.601, as optical-flow.ts's toGray). */
export function lumaOf(f: StoredFrames): Float32Array {
  const n = f.numFrames * f.height * f.width;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (0.299 * f.rgba[4 * i] + 0.587 * f.rgba[4 * i + 1] + 0.114 * f.rgba[4 * i + 2]) / 255;
  return out;
}

async function computeClipFlow(f: StoredFrames, config: Partial<FlowConfig>): Promise<ClipFlow> {
  const { numFrames: t, height: h, width: w } = f;
  if (t < 2) throw new Error(`Clip ${f.clipId} has ${t} sampled frame; optical flow needs at least 2.`);
  const t0 = performance.now();
  const [i0, i1] = tf.tidy(() => {
    const gray = tf.tensor4d(lumaOf(f), [t, h, w, 1]);
    return [gray.slice([0, 0, 0, 0], [t - 1, h, w, 1]), gray.slice([1, 0, 0, 0], [t - 1, h, w, 1])] as [tf.Tensor4D, tf.Tensor4D];
  });
  let flowT: tf.Tensor4D | null = null;
  try {
    flowT = flowBetween(i0, i1, config);
    const flow = (await flowT.data()) as Float32Array;
    return { flow, numPairs: t - 1, height: h, width: w, computeMs: Math.round(performance.now() - t0), backend: tf.getBackend() };
  } finally {
    tf.dispose([i0, i1]);
    flowT?.dispose();
  }
}

/** The clip's flow, computed on first use and cached with its frames. */
export function clipFlow(f: StoredFrames, config: Partial<FlowConfig> = {}): Promise<ClipFlow> {
  let byConfig = cache.get(f);
  if (!byConfig) cache.set(f, (byConfig = new Map()));
  const key = configKey(config);
  const hit = byConfig.get(key);
  if (hit) return hit.promise;
  const entry = { promise: computeClipFlow(f, config), done: false };
  byConfig.set(key, entry);
  entry.promise.then(
    () => (entry.done = true),
    () => byConfig.delete(key), // a failure is not cached: the next request tries again
  );
  return entry.promise;
}

/** Is this clip's flow (for `config`) already computed? */
export function hasClipFlow(f: StoredFrames, config: Partial<FlowConfig> = {}): boolean {
  return cache.get(f)?.get(configKey(config))?.done === true;
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
export function meanFlowPxPerS(cf: ClipFlow, f: Pick<StoredFrames, 'timesS' | 'nativeWidth' | 'nativeHeight' | 'width' | 'height'>, borderFraction = 0.1): MeanFlow {
  const { height: h, width: w, numPairs } = cf;
  const by = Math.min(Math.floor(h * borderFraction), Math.floor((h - 1) / 2));
  const bx = Math.min(Math.floor(w * borderFraction), Math.floor((w - 1) / 2));
  // Centre crop, aspect kept: the crop is min(nW / W, nH / H) native pixels per working pixel on both axes.
  const sx = Math.min(f.nativeWidth / f.width, f.nativeHeight / f.height);
  const sy = sx;
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
    const dt = f.timesS[p + 1] - f.timesS[p];
    if (!(dt > 0)) {
      perPair.push(NaN, NaN);
      continue;
    }
    const vx = ((ax / n) * sx) / dt;
    const vy = ((ay / n) * sy) / dt;
    perPair.push(vx, vy);
    sumX += vx;
    sumY += vy;
    valid++;
  }
  if (valid === 0) throw new Error('The sampled frames share one timestamp: motion per second is undefined. Sample frames at different times.');
  return { dxPxPerS: sumX / valid, dyPxPerS: sumY / valid, perPair };
}

/**
 * The two-stream 'flow' input for one stored clip: [1, L, H, W, 2] (a centred window of L
 * consecutive flows, working-size pixels times `scale`), from the cached flow.
 */
export async function clipFlowInput(f: StoredFrames, numFlows = f.numFrames - 1, scale = 1, config: Partial<FlowConfig> = {}): Promise<tf.Tensor5D> {
  const cf = await clipFlow(f, config);
  if (!(Number.isInteger(numFlows) && numFlows >= 1 && numFlows <= cf.numPairs)) throw new Error(`Clip ${f.clipId} has ${cf.numPairs} flows; cannot stack L = ${numFlows}.`);
  const start = flowWindowStart(f.numFrames, numFlows);
  const per = cf.height * cf.width * 2;
  const window = cf.flow.slice(start * per, (start + numFlows) * per);
  // Scaled in JS: no rank-5 broadcast on the GPU (TFJS-NOTES).
  if (scale !== 1) for (let i = 0; i < window.length; i++) window[i] *= scale;
  return tf.tensor5d(window, [1, numFlows, cf.height, cf.width, 2]);
}
