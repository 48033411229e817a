// The optical flow of optical-flow.ts as a few fused WebGPU programs per level and iteration
// (src/webgpu/flow-programs.ts), for the 'webgpu' backend. Same method, same filters, same
// borders, same order of the pyramid, warps and solves as the tfjs-op path (flowBetween), which
// stays the reference (the bench and e2e compare the two) and the path on every other backend.
//
//   I0, I1 [N, H, W, 1] ──concat──▶ images [2N, H, W] (first frames, then second frames)
//        │  FlowDown × (levels − 1)                     pyramid, finest first
//        ▼  per level, coarsest first:
//   FlowBlur (pre-blur) → FlowGrad                     G [2N, h, w, 3] = (s, ∂x s, ∂y s)
//   u = 0 at the coarsest level, else FlowUp(u)        [N, h, w, 2]
//   `iterations` × { FlowWarp → FlowWinY → FlowSolve }  P [N, h, w, 5] → Q → u + Δu
//   at the finest level, for the confidence: FlowConfY → FlowConfX  [N, H, W] (λmin of the
//   first frame's structure tensor: the op path's minEigenvalue of I0)
//
// So a 16-frame clip at 112² (4 levels, 5 iterations) is ~75 dispatches instead of ~1,900.

import * as tf from '@tensorflow/tfjs';
import { registerFlowKernels, runFlowKernel } from '../webgpu/flow-programs';

/** Everything the fused path needs, resolved by optical-flow.ts from a FlowConfig. */
export interface FusedFlowPlan {
  levels: number;
  iterations: number;
  /** 1-D taps: the pre-blur ([1] = off), the Lucas–Kanade window, the pyramid's binomial, the Farid–Simoncelli pair. */
  preTaps: readonly number[];
  windowTaps: readonly number[];
  binomialTaps: readonly number[];
  prefilterTaps: readonly number[];
  derivativeTaps: readonly number[];
  regularization: number;
  maxStep: number;
}

/** Level sizes, finest first, as the op path's 2×2 average pooling makes them. */
function levelSizes(h: number, w: number, levels: number): [number, number][] {
  const sizes: [number, number][] = [[h, w]];
  for (let l = 1; l < levels; l++) sizes.push([Math.floor(sizes[l - 1][0] / 2), Math.floor(sizes[l - 1][1] / 2)]);
  return sizes;
}

/**
 * Whether the fused programs cover frames of h × w under `plan`: every filter's reach must stay
 * within one reflection at every level (the op path switches to 'symmetric' padding there; the
 * fused path does not, so such tiny levels go to the op path).
 */
export function fusedFlowCovers(h: number, w: number, plan: FusedFlowPlan): boolean {
  const radius = (t: readonly number[]) => (t.length - 1) / 2;
  const reach = Math.max(radius(plan.preTaps), radius(plan.windowTaps), radius(plan.prefilterTaps));
  const sizes = levelSizes(h, w, plan.levels);
  return sizes.every(([hl, wl], l) => {
    const down = l + 1 < plan.levels ? radius(plan.binomialTaps) + 1 : 0; // the 6-tap pyramid filter reaches r + 1
    return Math.min(hl, wl) > Math.max(reach, down, 1);
  });
}

/**
 * Flow [N, H, W, 2] from each I0[n] to I1[n] (grey [N, H, W, 1]) and, when asked, each pixel's
 * confidence [N, H, W, 1]. Needs the 'webgpu' backend and fusedFlowCovers(H, W, plan). Inputs are
 * not disposed; the caller owns the results.
 */
export function fusedFlow(i0: tf.Tensor4D, i1: tf.Tensor4D, plan: FusedFlowPlan, withConfidence: boolean): { flow: tf.Tensor4D; confidence: tf.Tensor4D | null } {
  const [n, h, w] = i0.shape;
  const images = tf.tidy(() => tf.concat([i0.toFloat(), i1.toFloat()], 0).reshape([2 * n, h, w]) as tf.Tensor3D);
  return flowOfImages(images, plan, withConfidence);
}

/**
 * The same from frames [F, H, W, C] (C = 1, 3 or 4, values / maxValue) and checked pair indices:
 * the grey conversion and the pair gathers in one program. The caller owns the results.
 */
export function fusedFlowOfFrames(frames: tf.Tensor4D, from: readonly number[], to: readonly number[], maxValue: number, plan: FusedFlowPlan, withConfidence: boolean): { flow: tf.Tensor4D; confidence: tf.Tensor4D | null } {
  checkBackend(frames.shape[1], frames.shape[2], plan);
  registerFlowKernels();
  const images = tf.tidy(() => {
    const pairs = tf.tensor1d([...from, ...to], 'int32');
    return runFlowKernel('FlowGray', [frames.toFloat(), pairs], { maxValue }) as tf.Tensor3D; // [2P, H, W]
  });
  return flowOfImages(images, plan, withConfidence);
}

function checkBackend(h: number, w: number, plan: FusedFlowPlan): void {
  if (tf.getBackend() !== 'webgpu') throw new Error(`The fused optical flow runs on webgpu only; this backend is ${tf.getBackend()}.`);
  if (!fusedFlowCovers(h, w, plan)) throw new Error(`The fused optical flow does not cover ${h}×${w} frames with ${plan.levels} levels.`);
}

/** images [2N, H, W] (first frames, then second frames; consumed) → flow, confidence. */
function flowOfImages(images: tf.Tensor3D, plan: FusedFlowPlan, withConfidence: boolean): { flow: tf.Tensor4D; confidence: tf.Tensor4D | null } {
  const pyramid: tf.Tensor[] = [images];
  let flow: tf.Tensor | null = null;
  let confidence: tf.Tensor4D | null = null;
  try {
    const [b, h, w] = images.shape;
    const n = b / 2;
    checkBackend(h, w, plan);
    registerFlowKernels();
    const sizes = levelSizes(h, w, plan.levels);
    for (let l = 1; l < plan.levels; l++) pyramid.push(runFlowKernel('FlowDown', [pyramid[l - 1]], { taps: [...plan.binomialTaps] }));
    for (let l = plan.levels - 1; l >= 0; l--) {
      const [hl, wl] = sizes[l];
      const g = tf.tidy(() => {
        const s = plan.preTaps.length > 1 ? runFlowKernel('FlowBlur', [pyramid[l]], { taps: [...plan.preTaps] }) : pyramid[l];
        return runFlowKernel('FlowGrad', [s], { prefilter: [...plan.prefilterTaps], derivative: [...plan.derivativeTaps] }); // [2N, hl, wl, 3]
      });
      try {
        const start: tf.Tensor = flow === null ? tf.zeros([n, hl, wl, 2]) : runFlowKernel('FlowUp', [flow], { height: hl, width: wl });
        flow?.dispose();
        flow = start;
        for (let it = 0; it < plan.iterations; it++) {
          const u: tf.Tensor = flow;
          const next = tf.tidy(() => {
            const p = runFlowKernel('FlowWarp', [g, u]); // [N, hl, wl, 5]
            const q = runFlowKernel('FlowWinY', [p], { taps: [...plan.windowTaps] });
            return runFlowKernel('FlowSolve', [q, u], { taps: [...plan.windowTaps], regularization: plan.regularization, maxStep: plan.maxStep }); // [N, hl, wl, 2]
          });
          u.dispose();
          flow = next;
        }
        if (l === 0 && withConfidence)
          confidence = tf.tidy(() => {
            const q = runFlowKernel('FlowConfY', [g], { taps: [...plan.windowTaps], pairs: n }); // [N, H, W, 3]
            return runFlowKernel('FlowConfX', [q], { taps: [...plan.windowTaps] }).reshape([n, h, w, 1]) as tf.Tensor4D;
          });
      } finally {
        g.dispose();
      }
    }
    return { flow: flow as unknown as tf.Tensor4D, confidence };
  } catch (e) {
    (flow as tf.Tensor | null)?.dispose();
    (confidence as tf.Tensor | null)?.dispose();
    throw e;
  } finally {
    tf.dispose(pyramid);
  }
}
