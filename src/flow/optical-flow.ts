// Dense optical flow between video frames: pyramidal Lucas–Kanade with iterative warping.
//
// Lucas & Kanade, "An iterative image registration technique with an application to stereo
// vision" (IJCAI 1981); coarse-to-fine as in Bouguet, "Pyramidal implementation of the Lucas
// Kanade feature tracker" (Intel, 2000), here computed densely: every pixel solves its own 2×2
// system over a Gaussian window. Derivative filters are Farid & Simoncelli's 5-tap pair
// ("Differentiation of discrete multidimensional signals", IEEE TIP 2004).
//
// Data flow (N frame pairs at once, all tensors rank ≤ 4, so every tfjs backend agrees):
//
//   frames [T, H, W, C] ──gray──▶ [T, H, W, 1] ──pairs──▶ I0, I1 [N=T-1, H, W, 1]
//        │
//        ▼  Gaussian pyramid: blur (binomial 5-tap) + 2×2 average pool, `levels` levels
//   I0ℓ, I1ℓ [N, H/2ℓ, W/2ℓ, 1]           coarsest first, flow u starts at 0
//        │
//        ▼  per level, `iterations` times:
//   warp [I1, ∂x I1, ∂y I1] by u (bilinear, gather) ─▶ e = I1(x+u) − I0(x), ∇I = ½(∇I0 + ∇I1(x+u))
//   window sums (Gaussian σ = windowSigma) of [Ix², IxIy, Iy², Ix·e, Iy·e]  [N, h, w, 5]
//   (G + λ·1) Δu = −b per pixel (closed-form 2×2), |Δu| clamped, u ← u + Δu
//        │
//        ▼  upsample u to the next finer level (×2, bilinear, exact pixel-centre mapping)
//   flow [N, H, W, 2]  (dx, dy) in working-size pixels: I1(x + u(x)) ≈ I0(x)
//
// Beside the flow, `minEigenvalue` gives each pixel's confidence [N, H, W, 1]: the smaller
// eigenvalue of the same windowed structure tensor, which is ≈ 0 where the motion is not
// determined (flat regions, and straight edges, where only the motion across the edge is seen:
// the aperture problem). The flow store keeps it with the flow; the mean-motion readout weights by it.
//
// Everything is plain tfjs ops (conv2d, depthwiseConv2d, avgPool, mirrorPad, gather, elementwise),
// so it runs on cpu, webgl and webgpu; no rank-5 pad/broadcast, no addN (see TFJS-NOTES.md).
// On webgpu the same method runs as a few fused programs per level and iteration instead
// (fused-flow.ts, ~75 dispatches for 16 frames instead of ~1,900); this op path stays the
// reference the fused one is checked against (bench, e2e) and the path on every other backend.

import * as tf from '@tensorflow/tfjs';
import { fusedFlow, fusedFlowCovers, fusedFlowOfFrames, type FusedFlowPlan } from './fused-flow';

export interface FlowConfig {
  /** Pyramid levels including the full-size one (default 4: 112 → 56 → 28 → 14). Capped so the
   *  coarsest level keeps at least `minCoarseSize` pixels on its short side. */
  levels: number;
  /** Smallest short side of the coarsest level, px (default 12). */
  minCoarseSize: number;
  /** Warp-and-solve iterations per level (default 5). */
  iterations: number;
  /** σ of the Gaussian Lucas–Kanade window, px at every level (default 2; taps = 2·⌈2σ⌉+1). */
  windowSigma: number;
  /** σ of the pre-smoothing of each level before differentiation, px (default 1; 0 = off). */
  preBlurSigma: number;
  /** Tikhonov term λ added to the structure tensor's diagonal, for flat regions (default 1e-5;
   *  intensities are in [0, 1]). */
  regularization: number;
  /** Largest update per iteration, px at the current level (default 1): keeps ill-posed pixels
   *  (flat areas, occlusions) from jumping. */
  maxStep: number;
}

export const DEFAULT_FLOW_CONFIG: FlowConfig = {
  levels: 4,
  minCoarseSize: 12,
  iterations: 5,
  windowSigma: 2,
  preBlurSigma: 1,
  regularization: 1e-5,
  maxStep: 1,
};

// Farid & Simoncelli 5-tap prefilter p and derivative d (d taps ordered so that conv gives +∂/∂x).
const FS_P = [0.037659, 0.249153, 0.426375, 0.249153, 0.037659];
const FS_D = [-0.109604, -0.276691, 0, 0.276691, 0.109604];
const BINOMIAL5 = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/** Normalised 1-D Gaussian taps of radius ⌈2σ⌉. */
export function gaussianTaps(sigma: number): number[] {
  if (sigma <= 0) return [1];
  const r = Math.max(1, Math.ceil(2 * sigma));
  const taps = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / sum);
}

/** How many pyramid levels a frame of h × w gets under `config`. */
export function pyramidLevels(h: number, w: number, config: Pick<FlowConfig, 'levels' | 'minCoarseSize'>): number {
  let levels = 1;
  let side = Math.min(h, w);
  while (levels < config.levels && Math.floor(side / 2) >= config.minCoarseSize) {
    side = Math.floor(side / 2);
    levels++;
  }
  return levels;
}

/**
 * Separable filter of every channel of x with a 1-D kernel along y then x, reflect-padded so
 * borders see no fake edges. `kx`/`ky` may differ (derivatives).
 */
function separable(x: tf.Tensor4D, ky: number[], kx: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const c = x.shape[3];
    let y = x;
    if (ky.length > 1) {
      const r = (ky.length - 1) / 2;
      const k = tf.tensor4d(ky.flatMap((v) => Array<number>(c).fill(v)), [ky.length, 1, c, 1]);
      // Reflect padding needs pad < size; fall back to edge-free symmetric for tiny sizes.
      const mode = r < x.shape[1] ? 'reflect' : 'symmetric';
      y = tf.depthwiseConv2d(tf.mirrorPad(y, [[0, 0], [r, r], [0, 0], [0, 0]], mode), k, 1, 'valid');
    }
    if (kx.length > 1) {
      const r = (kx.length - 1) / 2;
      const k = tf.tensor4d(kx.flatMap((v) => Array<number>(c).fill(v)), [1, kx.length, c, 1]);
      const mode = r < x.shape[2] ? 'reflect' : 'symmetric';
      y = tf.depthwiseConv2d(tf.mirrorPad(y, [[0, 0], [0, 0], [r, r], [0, 0]], mode), k, 1, 'valid');
    }
    return y;
  });
}

/** [N, h, w, 1] → [N, h, w, 2]: (∂x, ∂y) with the Farid–Simoncelli 5-tap pair. */
function gradients(img: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.concat([separable(img, FS_P, FS_D), separable(img, FS_D, FS_P)], 3));
}

/** Half-size level: binomial blur, then 2×2 average (pixel i of the result centres on 2i + ½). */
function downsample(img: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.avgPool(separable(img, BINOMIAL5, BINOMIAL5), 2, 2, 'valid'));
}

/** Pixel-centre coordinate grids [1, h, w] (x and y). */
function grids(h: number, w: number): [tf.Tensor3D, tf.Tensor3D] {
  const gx = tf.tidy(() => tf.range(0, w, 1, 'float32').reshape([1, 1, w]).tile([1, h, 1]) as tf.Tensor3D);
  const gy = tf.tidy(() => tf.range(0, h, 1, 'float32').reshape([1, h, 1]).tile([1, 1, w]) as tf.Tensor3D);
  return [gx, gy];
}

/**
 * Bilinear sampling of img [N, H, W, C] at per-pixel coordinates xs, ys [N, h, w] (pixel units,
 * pixel centres at integers), clamped to the border. Returns [N, h, w, C].
 * Built from four gathers on the flattened image: GatherV2 exists on every backend.
 */
export function sampleBilinear(img: tf.Tensor4D, xs: tf.Tensor3D, ys: tf.Tensor3D): tf.Tensor4D {
  const [n, hIn, wIn, c] = img.shape;
  if (hIn < 2 || wIn < 2) throw new Error(`sampleBilinear needs an image of at least 2×2 pixels, got ${hIn}×${wIn}.`);
  const [, h, w] = xs.shape;
  return tf.tidy(() => {
    const xc = tf.clipByValue(xs, 0, wIn - 1);
    const yc = tf.clipByValue(ys, 0, hIn - 1);
    // Top-left neighbour, kept one pixel inside so its right/bottom neighbours exist.
    const x0 = tf.minimum(tf.floor(xc), wIn - 2);
    const y0 = tf.minimum(tf.floor(yc), hIn - 2);
    const fx = tf.sub(xc, x0).expandDims(3); // [N, h, w, 1]
    const fy = tf.sub(yc, y0).expandDims(3);
    const base = tf.range(0, n, 1, 'int32').mul(tf.scalar(hIn * wIn, 'int32')).reshape([n, 1, 1]);
    const i00 = tf.add(base, tf.add(tf.mul(y0.toInt(), tf.scalar(wIn, 'int32')), x0.toInt())) as tf.Tensor3D;
    const flat = img.reshape([n * hIn * wIn, c]); // [N, H, W, C] → [N·H·W, C]
    const at = (offset: number) => tf.gather(flat, offset === 0 ? i00 : tf.add(i00, tf.scalar(offset, 'int32'))) as tf.Tensor4D; // [N, h, w, C]
    const v00 = at(0);
    const v01 = at(1);
    const v10 = at(wIn);
    const v11 = at(wIn + 1);
    const top = tf.add(v00, tf.mul(fx, tf.sub(v01, v00)));
    const bottom = tf.add(v10, tf.mul(fx, tf.sub(v11, v10)));
    return tf.add(top, tf.mul(fy, tf.sub(bottom, top))).reshape([n, h, w, c]) as tf.Tensor4D;
  });
}

/** Upsample a level's flow [N, h, w, 2] to [N, H, W, 2] (finer level) and double it. */
function upsampleFlow(flow: tf.Tensor4D, hOut: number, wOut: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [gx, gy] = grids(hOut, wOut);
    const n = flow.shape[0];
    // Fine pixel x sits at (x − ½)/2 on the coarse grid (coarse i centres on fine 2i + ½).
    const xs = gx.sub(0.5).div(2).tile([n, 1, 1]) as tf.Tensor3D;
    const ys = gy.sub(0.5).div(2).tile([n, 1, 1]) as tf.Tensor3D;
    return sampleBilinear(flow, xs, ys).mul(2);
  });
}

/** One pyramid level: refine `flow` [N, h, w, 2] by iterative warping. Consumes nothing. */
function refineLevel(i0: tf.Tensor4D, i1: tf.Tensor4D, flow: tf.Tensor4D, cfg: FlowConfig): tf.Tensor4D {
  const [n, h, w] = i0.shape;
  const window = gaussianTaps(cfg.windowSigma);
  const pre = gaussianTaps(cfg.preBlurSigma);
  // Per-level constants: smoothed images, I0's gradients, I1 with its gradients as one 3-channel
  // image so each iteration warps them with a single set of gathers.
  const [s0, g0, stack1, gx, gy] = tf.tidy(() => {
    const a = separable(i0, pre, pre);
    const b = separable(i1, pre, pre);
    const [x, y] = grids(h, w);
    return [a, gradients(a), tf.concat([b, gradients(b)], 3), x.tile([n, 1, 1]), y.tile([n, 1, 1])] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor3D, tf.Tensor3D];
  });
  let u = flow.clone();
  try {
    for (let it = 0; it < cfg.iterations; it++) {
      const next = tf.tidy(() => {
        const [ux, uy] = tf.split(u, 2, 3).map((t) => t.squeeze([3]) as tf.Tensor3D); // [N, h, w]
        const xs = tf.add<tf.Tensor3D>(gx, ux);
        const ys = tf.add<tf.Tensor3D>(gy, uy);
        const warped = sampleBilinear(stack1, xs, ys); // [N, h, w, 3]: I1, ∂x I1, ∂y I1 at x + u
        const [i1w, g1w] = tf.split(warped, [1, 2], 3);
        // Pixels whose match falls outside I1 say nothing about the motion.
        const inside = tf
          .logicalAnd(tf.logicalAnd(tf.greaterEqual(xs, 0), tf.lessEqual(xs, w - 1)), tf.logicalAnd(tf.greaterEqual(ys, 0), tf.lessEqual(ys, h - 1)))
          .toFloat()
          .expandDims(3);
        const e = tf.mul(tf.sub(i1w, s0), inside); // [N, h, w, 1]
        const g = tf.mul(tf.add(g0, g1w), 0.5); // [N, h, w, 2]
        const [ix, iy] = tf.split(g, 2, 3);
        const products = tf.concat([tf.mul(ix, ix), tf.mul(ix, iy), tf.mul(iy, iy), tf.mul(ix, e), tf.mul(iy, e)], 3); // [N, h, w, 5]
        const sums = separable(products as tf.Tensor4D, window, window);
        const [a, b, c, p, q] = tf.split(sums, 5, 3);
        const aa = tf.add(a, cfg.regularization);
        const cc = tf.add(c, cfg.regularization);
        const det = tf.sub(tf.mul(aa, cc), tf.mul(b, b));
        // (G + λ) Δu = −[p, q]  ⇒  Δu = −[c·p − b·q, a·q − b·p] / det
        const du = tf.div(tf.sub(tf.mul(b, q), tf.mul(cc, p)), det);
        const dv = tf.div(tf.sub(tf.mul(b, p), tf.mul(aa, q)), det);
        const step = tf.clipByValue(tf.concat([du, dv], 3), -cfg.maxStep, cfg.maxStep);
        return tf.add(u, step) as tf.Tensor4D;
      });
      u.dispose();
      u = next;
    }
    return u;
  } finally {
    tf.dispose([s0, g0, stack1, gx, gy]);
  }
}

/** 'fused': the fused WebGPU programs wherever they run (webgpu, levels big enough), else the op path; 'ops': always the op path. */
export type FlowImpl = 'fused' | 'ops';
let preferredImpl: FlowImpl = 'fused';

/** Choose the flow implementation (the app keeps 'fused'; the bench and checks compare both). */
export function selectFlowImpl(impl: FlowImpl): void {
  if (impl !== 'fused' && impl !== 'ops') throw new Error(`Flow implementation must be 'fused' or 'ops', got ${String(impl)}.`);
  preferredImpl = impl;
}

export const selectedFlowImpl = (): FlowImpl => preferredImpl;

/** The fused path's plan for frames of h × w under cfg, or null where the op path runs. */
function fusedPlan(h: number, w: number, cfg: FlowConfig): FusedFlowPlan | null {
  if (preferredImpl !== 'fused' || tf.getBackend() !== 'webgpu') return null;
  const plan: FusedFlowPlan = {
    levels: pyramidLevels(h, w, cfg),
    iterations: cfg.iterations,
    preTaps: gaussianTaps(cfg.preBlurSigma),
    windowTaps: gaussianTaps(cfg.windowSigma),
    binomialTaps: BINOMIAL5,
    prefilterTaps: FS_P,
    derivativeTaps: FS_D,
    regularization: cfg.regularization,
    maxStep: cfg.maxStep,
  };
  return fusedFlowCovers(h, w, plan) ? plan : null;
}

/** Which implementation flowBetween would run now for frames of h × w (checks config like flowBetween). */
export function flowImplFor(h: number, w: number, config: Partial<FlowConfig> = {}): FlowImpl {
  const cfg: FlowConfig = { ...DEFAULT_FLOW_CONFIG, ...config };
  checkConfig(cfg);
  return fusedPlan(h, w, cfg) ? 'fused' : 'ops';
}

function checkConfig(cfg: FlowConfig): void {
  if (!(Number.isInteger(cfg.levels) && cfg.levels >= 1)) throw new Error(`Flow levels must be a whole number ≥ 1, got ${cfg.levels}.`);
  if (!(Number.isInteger(cfg.iterations) && cfg.iterations >= 1)) throw new Error(`Flow iterations must be a whole number ≥ 1, got ${cfg.iterations}.`);
  if (!(cfg.windowSigma > 0)) throw new Error(`Flow window σ must be > 0, got ${cfg.windowSigma}.`);
  if (!(cfg.preBlurSigma >= 0)) throw new Error(`Flow pre-blur σ must be ≥ 0, got ${cfg.preBlurSigma}.`);
  if (!(cfg.regularization > 0)) throw new Error(`Flow regularization must be > 0, got ${cfg.regularization}.`);
  if (!(cfg.maxStep > 0)) throw new Error(`Flow max step must be > 0, got ${cfg.maxStep}.`);
}

/** The checked config for a pair batch i0, i1 (both [N, H, W, 1]). */
function checkPairs(i0: tf.Tensor4D, i1: tf.Tensor4D, config: Partial<FlowConfig>): FlowConfig {
  const cfg: FlowConfig = { ...DEFAULT_FLOW_CONFIG, ...config };
  checkConfig(cfg);
  const [, h, w, c] = i0.shape;
  if (c !== 1) throw new Error(`flowBetween wants grayscale [N, H, W, 1] images, got ${c} channels.`);
  if (i1.shape.join() !== i0.shape.join()) throw new Error(`flowBetween: image shapes differ, [${i0.shape}] vs [${i1.shape}].`);
  if (h < 4 || w < 4) throw new Error(`Optical flow needs frames of at least 4×4 pixels, got ${h}×${w}.`);
  return cfg;
}

/**
 * Dense flow from each I0[n] to I1[n]: both [N, H, W, 1] grayscale in [0, 1].
 * Returns [N, H, W, 2] = (dx, dy) in pixels, such that I1(x + flow(x)) ≈ I0(x).
 * On webgpu this runs the fused programs (selectFlowImpl('ops') forces the op path).
 * Inputs are not disposed; the caller owns the result.
 */
export function flowBetween(i0: tf.Tensor4D, i1: tf.Tensor4D, config: Partial<FlowConfig> = {}): tf.Tensor4D {
  const cfg = checkPairs(i0, i1, config);
  const plan = fusedPlan(i0.shape[1], i0.shape[2], cfg);
  if (plan) return fusedFlow(i0, i1, plan, false).flow;
  return opsFlowBetween(i0, i1, cfg);
}

/** The tfjs-op path of flowBetween (cfg checked). */
function opsFlowBetween(i0: tf.Tensor4D, i1: tf.Tensor4D, cfg: FlowConfig): tf.Tensor4D {
  const [n, h, w] = i0.shape;
  const levels = pyramidLevels(h, w, cfg);

  // Gaussian pyramids, finest first.
  const p0: tf.Tensor4D[] = [i0.toFloat()];
  const p1: tf.Tensor4D[] = [i1.toFloat()];
  let flow: tf.Tensor4D | null = null;
  try {
    for (let l = 1; l < levels; l++) {
      p0.push(downsample(p0[l - 1]));
      p1.push(downsample(p1[l - 1]));
    }
    for (let l = levels - 1; l >= 0; l--) {
      const [, hl, wl] = p0[l].shape;
      const start: tf.Tensor4D = flow === null ? tf.zeros([n, hl, wl, 2]) : upsampleFlow(flow, hl, wl);
      flow?.dispose();
      flow = null;
      try {
        flow = refineLevel(p0[l], p1[l], start, cfg);
      } finally {
        start.dispose();
      }
    }
    return flow as unknown as tf.Tensor4D;
  } catch (e) {
    (flow as tf.Tensor | null)?.dispose();
    throw e;
  } finally {
    tf.dispose([...p0, ...p1]);
  }
}

/** RGB(A) frames [T, H, W, C≥3] (any scale; bytes are divided by 255 when `maxValue` is 255) → luma [T, H, W, 1] in [0, 1]. */
export function toGray(frames: tf.Tensor4D, maxValue = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const c = frames.shape[3];
    const x = frames.toFloat().div(maxValue);
    if (c === 1) return x as tf.Tensor4D;
    if (c < 3) throw new Error(`toGray wants 1, 3 or 4 channels, got ${c}.`);
    const rgb = c === 3 ? x : x.slice([0, 0, 0, 0], [-1, -1, -1, 3]);
    // ITU-R BT.601 luma, as a 1×1 convolution: [T, H, W, 3] → [T, H, W, 1]
    return tf.conv2d(rgb as tf.Tensor4D, tf.tensor4d([0.299, 0.587, 0.114], [1, 1, 3, 1]), 1, 'valid');
  });
}

/** Which frame pairs to compute: flow from frame `from[p]` to frame `to[p]`. */
export interface FramePairs {
  from: readonly number[];
  to: readonly number[];
}

/**
 * How well each pixel's motion is determined: the smaller eigenvalue of the local structure
 * tensor G = Σ_window [Ix², IxIy; IxIy, Iy²] of img [N, H, W, 1] → [N, H, W, 1], with the same
 * pre-blur, derivative filters and Gaussian window as the Lucas–Kanade solve (so it is the
 * conditioning of the 2×2 system each pixel solves; window taps sum to 1, so G is a weighted
 * mean, in intensity² per px²). Flat pixels have both eigenvalues ≈ 0; a pixel on a straight edge
 * has one large and one ≈ 0 (only the motion across the edge is seen: the aperture problem);
 * corners and texture have both large. Shi & Tomasi, "Good features to track" (CVPR 1994).
 */
export function minEigenvalue(img: tf.Tensor4D, config: Partial<FlowConfig> = {}): tf.Tensor4D {
  const cfg: FlowConfig = { ...DEFAULT_FLOW_CONFIG, ...config };
  checkConfig(cfg);
  return tf.tidy(() => {
    const window = gaussianTaps(cfg.windowSigma);
    const pre = gaussianTaps(cfg.preBlurSigma);
    const [ix, iy] = tf.split(gradients(separable(img.toFloat() as tf.Tensor4D, pre, pre)), 2, 3); // [N, H, W, 1] each
    const sums = separable(tf.concat([tf.mul(ix, ix), tf.mul(ix, iy), tf.mul(iy, iy)], 3) as tf.Tensor4D, window, window); // [N, H, W, 3]
    const [a, b, c] = tf.split(sums, 3, 3);
    // λmin = (a + c)/2 − √(((a − c)/2)² + b²), ≥ 0 up to rounding
    const half = tf.mul(tf.sub(a, c), 0.5);
    const root = tf.sqrt(tf.add(tf.mul(half, half), tf.mul(b, b)));
    return tf.relu(tf.sub(tf.mul(tf.add(a, c), 0.5), root)) as tf.Tensor4D;
  });
}

/**
 * The fused path from frames where it runs (webgpu, frames big enough, channels toGray takes), with
 * the same checks as the op path; null where the op path runs.
 */
function fusedOfFrames(frames: tf.Tensor4D, config: Partial<FlowConfig>, maxValue: number, pairs: FramePairs | undefined, withConfidence: boolean) {
  const [, h, w, c] = frames.shape;
  const cfg: FlowConfig = { ...DEFAULT_FLOW_CONFIG, ...config };
  checkConfig(cfg);
  const { from, to } = pairIndices(frames, pairs);
  if (h < 4 || w < 4) throw new Error(`Optical flow needs frames of at least 4×4 pixels, got ${h}×${w}.`);
  const plan = fusedPlan(h, w, cfg);
  if (!plan || ![1, 3, 4].includes(c)) return null;
  return fusedFlowOfFrames(frames, from, to, maxValue, plan, withConfidence);
}

/** The checked pair indices of frames [F, …]: consecutive frames by default. */
function pairIndices(frames: tf.Tensor4D, pairs?: FramePairs): { from: readonly number[]; to: readonly number[] } {
  const t = frames.shape[0];
  if (!pairs && t < 2) throw new Error(`Optical flow needs at least 2 frames, got ${t}.`);
  const from = pairs?.from ?? Array.from({ length: t - 1 }, (_, i) => i);
  const to = pairs?.to ?? Array.from({ length: t - 1 }, (_, i) => i + 1);
  if (from.length !== to.length || from.length === 0) throw new Error(`Optical flow needs one or more frame pairs, got ${from.length} first and ${to.length} second frames.`);
  const outside = [...from, ...to].find((i) => !(Number.isInteger(i) && i >= 0 && i < t));
  if (outside !== undefined) throw new Error(`Frame pair index ${outside} is not one of the ${t} frames.`);
  return { from, to };
}

/** Frames [F, H, W, C] → the pairs' first and second frames as grey [P, H, W, 1] each (checked). */
function grayPairs(frames: tf.Tensor4D, maxValue: number, pairs?: FramePairs): [tf.Tensor4D, tf.Tensor4D] {
  const { from, to } = pairIndices(frames, pairs);
  // [F, H, W, C] → grey [F, H, W, 1] → the pairs' first and second frames, [P, H, W, 1] each
  return tf.tidy(() => {
    const gray = toGray(frames, maxValue);
    return [tf.gather(gray, tf.tensor1d(from as number[], 'int32')), tf.gather(gray, tf.tensor1d(to as number[], 'int32'))] as [tf.Tensor4D, tf.Tensor4D];
  });
}

/**
 * The one frames-to-flow path: frames [F, H, W, C] (any channels toGray takes) → flow [P, H, W, 2]
 * for P frame pairs, all in one batch. The pairs default to consecutive frames (P = F − 1); any
 * pairs may be given (the flow store computes only the pairs it has not seen). `maxValue` is 255
 * for bytes, 1 for [0, 1] floats. The caller owns the result.
 */
export function flowOfFrames(frames: tf.Tensor4D, config: Partial<FlowConfig> = {}, maxValue = 1, pairs?: FramePairs): tf.Tensor4D {
  const fused = fusedOfFrames(frames, config, maxValue, pairs, false);
  if (fused) return fused.flow;
  const [i0, i1] = grayPairs(frames, maxValue, pairs);
  try {
    return flowBetween(i0, i1, config);
  } finally {
    tf.dispose([i0, i1]);
  }
}

/** Flow [P, H, W, 2] as flowOfFrames gives it, and each pixel's confidence [P, H, W, 1] (minEigenvalue of the pair's first frame). The caller owns both. */
export function flowAndConfidenceOfFrames(frames: tf.Tensor4D, config: Partial<FlowConfig> = {}, maxValue = 1, pairs?: FramePairs): { flow: tf.Tensor4D; confidence: tf.Tensor4D } {
  const fused = fusedOfFrames(frames, config, maxValue, pairs, true);
  if (fused) return { flow: fused.flow, confidence: fused.confidence! };
  const [i0, i1] = grayPairs(frames, maxValue, pairs);
  try {
    const flow = opsFlowBetween(i0, i1, checkPairs(i0, i1, config));
    try {
      return { flow, confidence: minEigenvalue(i0, config) };
    } catch (e) {
      flow.dispose();
      throw e;
    }
  } finally {
    tf.dispose([i0, i1]);
  }
}
