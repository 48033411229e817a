// Correctness of our WebGPU Conv3D kernels against tfjs's stock ones, on fresh random inputs.
// Runs on the 'webgpu' backend (the worker's bench handler and the e2e test call it).
//
// For each case (odd sizes, strides, 'same' and 'valid', a dilated forward):
//  - forward y, input gradient dx and filter gradient dW from our kernels vs the stock kernels;
//    error = max|ours − stock| / max|stock| (the max error relative to the output's scale);
//  - every output element written: each of our kernels writes into a buffer pre-filled with NaN;
//  - gradients vs numerical differences: L(x) = Σ conv3d(x, W) ⊙ R is linear in x and in W, so
//    the central difference (L(x + εV) − L(x − εV)) / 2ε along a random direction V equals
//    ⟨dL/dx, V⟩ up to rounding; compared for x and for W.

import * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { activeConv3DKernels, conv3dBackpropFilterFast, conv3dBackpropInputFast, conv3dFast, useConv3DKernels } from './conv3d-kernels';

type Shape5 = [number, number, number, number, number];
type Triple = [number, number, number];

export interface Conv3DCase {
  name: string;
  x: Shape5;
  filter: Shape5;
  strides: Triple;
  pad: 'same' | 'valid';
  dilations: Triple;
}

export const CHECK_CASES: Conv3DCase[] = [
  { name: 'odd, same, RGB input', x: [2, 5, 7, 9, 3], filter: [3, 3, 3, 3, 5], strides: [1, 1, 1], pad: 'same', dilations: [1, 1, 1] },
  { name: 'strides 1×2×2, same', x: [1, 6, 9, 11, 4], filter: [3, 3, 3, 4, 8], strides: [1, 2, 2], pad: 'same', dilations: [1, 1, 1] },
  { name: 'mixed strides, valid, 2×3×1', x: [2, 7, 8, 7, 6], filter: [2, 3, 1, 6, 7], strides: [2, 1, 3], pad: 'valid', dilations: [1, 1, 1] },
  { name: 'stride 2, valid, 16 → 12', x: [1, 4, 13, 10, 16], filter: [3, 3, 3, 16, 12], strides: [2, 2, 2], pad: 'valid', dilations: [1, 1, 1] },
  { name: 'pointwise 1×1×1', x: [3, 3, 5, 5, 1], filter: [1, 1, 1, 1, 3], strides: [1, 1, 1], pad: 'valid', dilations: [1, 1, 1] },
  { name: 'same, 5×5 spatial, stride 2×3', x: [1, 5, 11, 13, 9], filter: [1, 5, 5, 9, 6], strides: [1, 2, 3], pad: 'same', dilations: [1, 1, 1] },
];
/** Forward-only: tfjs has no Conv3D gradient for dilations > 1. */
export const DILATED_CASE: Conv3DCase = { name: 'dilated 1×2×2, valid (forward only)', x: [1, 7, 9, 9, 4], filter: [3, 3, 3, 4, 4], strides: [1, 1, 1], pad: 'valid', dilations: [1, 2, 2] };

export interface Conv3DCaseResult {
  name: string;
  x: number[];
  filter: number[];
  strides: number[];
  pad: string;
  dilations: number[];
  forwardRelError: number;
  inputGradRelError: number | null;
  filterGradRelError: number | null;
  /** All of y, dx and dW fully written (no NaN left from the sentinel fill). */
  allWritten: boolean;
  /** Relative gap between ⟨dL/dx, V⟩ and the central difference (and the same for W). */
  numericalInputGradError: number | null;
  numericalFilterGradError: number | null;
}

export interface Conv3DCheckReport {
  cases: Conv3DCaseResult[];
  maxRelError: number;
  maxNumericalGradError: number;
  allWritten: boolean;
}

function relError(ours: tf.Tensor, stock: tf.Tensor): number {
  return tf.tidy(() => {
    const scale = stock.abs().max().dataSync()[0];
    const diff = ours.sub(stock).abs().max().dataSync()[0];
    return diff / Math.max(scale, 1e-30);
  });
}

/** y, dx, dW of L = Σ conv3d(x, W) ⊙ r with the currently registered kernels. */
function forwardAndGrads(c: Conv3DCase, x: tf.Tensor5D, w: tf.Tensor5D, r: tf.Tensor5D | null): tf.Tensor[] {
  const y = tf.conv3d(x, w, c.strides, c.pad, 'NDHWC', c.dilations);
  if (!r) return [y];
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, c.strides, c.pad).mul(r).sum());
  return [y, ...grads([x, w])];
}

function hasNaN(t: tf.Tensor): boolean {
  return tf.tidy(() => t.isNaN().any().dataSync()[0] === 1);
}

/** Our kernels called directly into NaN-filled outputs: true when nothing is left unwritten. */
function writesEverything(c: Conv3DCase, x: tf.Tensor5D, w: tf.Tensor5D, r: tf.Tensor5D | null): boolean {
  const backend = tf.backend() as WebGPUBackend;
  const outs: tf.Tensor[] = [];
  try {
    const yShape = tf.tidy(() => tf.conv3d(x, w, c.strides, c.pad, 'NDHWC', c.dilations).shape);
    const y = tf.fill(yShape, NaN);
    outs.push(y);
    conv3dFast({ inputs: { x, filter: w }, backend, attrs: { strides: c.strides, pad: c.pad, dilations: c.dilations } }, y);
    if (r) {
      const dx = tf.fill(x.shape, NaN);
      const dw = tf.fill(w.shape, NaN);
      outs.push(dx, dw);
      conv3dBackpropInputFast({ inputs: { dy: r, filter: w }, backend, attrs: { strides: c.strides, pad: c.pad, inputShape: x.shape } }, dx);
      conv3dBackpropFilterFast({ inputs: { x, dy: r }, backend, attrs: { strides: c.strides, pad: c.pad, filterShape: w.shape } }, dw);
    }
    return outs.every((t) => !hasNaN(t));
  } finally {
    tf.dispose(outs);
  }
}

/** max over (x, W) of |⟨grad, V⟩ − central difference| / max(|⟨grad, V⟩|, |difference|). */
function numericalGradErrors(c: Conv3DCase, x: tf.Tensor5D, w: tf.Tensor5D, r: tf.Tensor5D, dx: tf.Tensor, dw: tf.Tensor): [number, number] {
  return tf.tidy(() => {
    const loss = (a: tf.Tensor5D, b: tf.Tensor5D): number => tf.conv3d(a, b, c.strides, c.pad).mul(r).sum().dataSync()[0];
    const eps = 0.25;
    const one = (t: tf.Tensor5D, g: tf.Tensor, perturb: (v: tf.Tensor5D) => number): number => {
      const v = tf.randomUniform(t.shape, -1, 1) as tf.Tensor5D;
      const analytic = g.mul(v).sum().dataSync()[0];
      const numeric = perturb(v);
      return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6);
    };
    const ex = one(x, dx, (v) => (loss(x.add(v.mul(eps)) as tf.Tensor5D, w) - loss(x.sub(v.mul(eps)) as tf.Tensor5D, w)) / (2 * eps));
    const ew = one(w, dw, (v) => (loss(x, w.add(v.mul(eps)) as tf.Tensor5D) - loss(x, w.sub(v.mul(eps)) as tf.Tensor5D)) / (2 * eps));
    return [ex, ew];
  });
}

function checkCase(c: Conv3DCase, withGrads: boolean): Conv3DCaseResult {
  const x = tf.randomNormal(c.x) as tf.Tensor5D;
  const w = tf.randomNormal(c.filter, 0, 0.3) as tf.Tensor5D;
  const probe = tf.tidy(() => tf.conv3d(x, w, c.strides, c.pad, 'NDHWC', c.dilations).shape);
  const r = withGrads ? (tf.randomNormal(probe) as tf.Tensor5D) : null;
  let stock: tf.Tensor[] = [];
  let ours: tf.Tensor[] = [];
  try {
    useConv3DKernels('stock');
    stock = forwardAndGrads(c, x, w, r);
    useConv3DKernels('fast');
    ours = forwardAndGrads(c, x, w, r);
    const [ex, ew] = r ? numericalGradErrors(c, x, w, r, ours[1], ours[2]) : [null, null];
    return {
      name: c.name,
      x: c.x,
      filter: c.filter,
      strides: c.strides,
      pad: c.pad,
      dilations: c.dilations,
      forwardRelError: relError(ours[0], stock[0]),
      inputGradRelError: r ? relError(ours[1], stock[1]) : null,
      filterGradRelError: r ? relError(ours[2], stock[2]) : null,
      allWritten: writesEverything(c, x, w, r),
      numericalInputGradError: ex,
      numericalFilterGradError: ew,
    };
  } finally {
    tf.dispose([x, w, ...(r ? [r] : []), ...stock, ...ours]);
  }
}

/** Run every case; leaves the kernels as it found them. Needs the 'webgpu' backend. */
export function checkConv3DKernels(cases: Conv3DCase[] = CHECK_CASES): Conv3DCheckReport {
  if (tf.getBackend() !== 'webgpu') throw new Error(`The Conv3D kernel check needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
  const before = activeConv3DKernels();
  try {
    const results = [...cases.map((c) => checkCase(c, true)), checkCase(DILATED_CASE, false)];
    const errs = results.flatMap((r) => [r.forwardRelError, r.inputGradRelError ?? 0, r.filterGradRelError ?? 0]);
    const nums = results.flatMap((r) => [r.numericalInputGradError ?? 0, r.numericalFilterGradError ?? 0]);
    return { cases: results, maxRelError: Math.max(...errs), maxNumericalGradError: Math.max(...nums), allWritten: results.every((r) => r.allWritten) };
  } finally {
    useConv3DKernels(before);
  }
}
