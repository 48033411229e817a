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
import { activeConv3DKernels, conv3dBackpropFilterFast, conv3dBackpropInputFast, conv3dFast, selectConv3DKernels } from '../../webgpu/conv3d-kernels';
import { activeConv2DKernels, selectConv2DKernels } from '../../webgpu/conv2d-kernels';

type Shape5 = [number, number, number, number, number];
type Triple = [number, number, number];

interface Conv3DCase {
  name: string;
  x: Shape5;
  filter: Shape5;
  strides: Triple;
  pad: 'same' | 'valid';
  dilations: Triple;
}

const CHECK_CASES: Conv3DCase[] = [
  { name: 'odd, same, RGB input', x: [2, 5, 7, 9, 3], filter: [3, 3, 3, 3, 5], strides: [1, 1, 1], pad: 'same', dilations: [1, 1, 1] },
  { name: 'strides 1×2×2, same', x: [1, 6, 9, 11, 4], filter: [3, 3, 3, 4, 8], strides: [1, 2, 2], pad: 'same', dilations: [1, 1, 1] },
  { name: 'mixed strides, valid, 2×3×1', x: [2, 7, 8, 7, 6], filter: [2, 3, 1, 6, 7], strides: [2, 1, 3], pad: 'valid', dilations: [1, 1, 1] },
  { name: 'stride 2, valid, 16 → 12', x: [1, 4, 13, 10, 16], filter: [3, 3, 3, 16, 12], strides: [2, 2, 2], pad: 'valid', dilations: [1, 1, 1] },
  { name: 'pointwise 1×1×1', x: [3, 3, 5, 5, 1], filter: [1, 1, 1, 1, 3], strides: [1, 1, 1], pad: 'valid', dilations: [1, 1, 1] },
  { name: 'same, 5×5 spatial, stride 2×3', x: [1, 5, 11, 13, 9], filter: [1, 5, 5, 9, 6], strides: [1, 2, 3], pad: 'same', dilations: [1, 1, 1] },
];
/** Forward-only: tfjs has no Conv3D gradient for dilations > 1. */
const DILATED_CASE: Conv3DCase = { name: 'dilated 1×2×2, valid (forward only)', x: [1, 7, 9, 9, 4], filter: [3, 3, 3, 4, 4], strides: [1, 1, 1], pad: 'valid', dilations: [1, 2, 2] };

/** Conv2D cases (our Conv3D programs with depth 1): [x, filter, strides, pad]. */
const CHECK_CASES_2D: [[number, number, number, number], [number, number, number, number], [number, number], 'same' | 'valid'][] = [
  [[2, 9, 11, 3], [3, 3, 3, 8], [1, 1], 'same'],
  [[4, 16, 16, 24], [3, 3, 24, 8], [1, 1], 'same'],
  [[1, 13, 10, 5], [5, 3, 5, 7], [2, 3], 'valid'],
  [[3, 8, 8, 16], [1, 1, 16, 4], [2, 2], 'same'],
];

interface Conv3DCaseResult {
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
  /** The kernels the backend ran when the check was called (the app's default: 'fast'). */
  activeKernels: 'fast' | 'stock';
}

/**
 * Read a scalar built by `f` (in a tidy), asynchronously: on webgpu, dataSync() goes through a
 * canvas read-back that returns zeros on SwiftShader, which would make every error look like 0.
 */
async function scalar(f: () => tf.Tensor): Promise<number> {
  const t = tf.tidy(f);
  try {
    const v = (await t.data())[0];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`Conv3D check: a reduction came back as ${v} (NaN or ∞ in a result).`);
    return v;
  } finally {
    t.dispose();
  }
}

async function relError(ours: tf.Tensor, stock: tf.Tensor): Promise<number> {
  const scale = await scalar(() => stock.abs().max());
  if (scale === 0) throw new Error('Conv3D check: the stock result is all zeros, so nothing would be compared.');
  const diff = await scalar(() => ours.sub(stock).abs().max());
  return diff / scale;
}

/** y, dx, dW of L = Σ conv3d(x, W) ⊙ r with the currently registered kernels. */
function forwardAndGrads(c: Conv3DCase, x: tf.Tensor5D, w: tf.Tensor5D, r: tf.Tensor5D | null): tf.Tensor[] {
  const y = tf.conv3d(x, w, c.strides, c.pad, 'NDHWC', c.dilations);
  if (!r) return [y];
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, c.strides, c.pad).mul(r).sum());
  return [y, ...grads([x, w])];
}

async function hasNaN(t: tf.Tensor): Promise<boolean> {
  const any = tf.tidy(() => t.isNaN().any());
  try {
    return (await any.data())[0] === 1;
  } finally {
    any.dispose();
  }
}

/** Our kernels called directly into NaN-filled outputs: true when nothing is left unwritten. */
async function writesEverything(c: Conv3DCase, x: tf.Tensor5D, w: tf.Tensor5D, r: tf.Tensor5D | null): Promise<boolean> {
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
    for (const t of outs) if (await hasNaN(t)) return false;
    return true;
  } finally {
    tf.dispose(outs);
  }
}

/** max over (x, W) of |⟨grad, V⟩ − central difference| / max(|⟨grad, V⟩|, |difference|). */
async function numericalGradErrors(c: Conv3DCase, x: tf.Tensor5D, w: tf.Tensor5D, r: tf.Tensor5D, dx: tf.Tensor, dw: tf.Tensor): Promise<[number, number]> {
  const loss = (a: tf.Tensor5D, b: tf.Tensor5D): tf.Tensor => tf.conv3d(a, b, c.strides, c.pad).mul(r).sum();
  const eps = 0.25;
  const one = async (t: tf.Tensor5D, g: tf.Tensor, shifted: (v: tf.Tensor) => [tf.Tensor, tf.Tensor]): Promise<number> => {
    const v = tf.randomUniform(t.shape, -1, 1);
    try {
      const analytic = await scalar(() => g.mul(v).sum());
      const numeric = await scalar(() => {
        const [plus, minus] = shifted(v.mul(eps));
        return plus.sub(minus).div(2 * eps);
      });
      return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6);
    } finally {
      v.dispose();
    }
  };
  const ex = await one(x, dx, (d) => [loss(x.add(d) as tf.Tensor5D, w), loss(x.sub(d) as tf.Tensor5D, w)]);
  const ew = await one(w, dw, (d) => [loss(x, w.add(d) as tf.Tensor5D), loss(x, w.sub(d) as tf.Tensor5D)]);
  return [ex, ew];
}

async function checkCase(c: Conv3DCase, withGrads: boolean): Promise<Conv3DCaseResult> {
  const x = tf.randomNormal(c.x) as tf.Tensor5D;
  const w = tf.randomNormal(c.filter, 0, 0.3) as tf.Tensor5D;
  const probe = tf.tidy(() => tf.conv3d(x, w, c.strides, c.pad, 'NDHWC', c.dilations).shape);
  const r = withGrads ? (tf.randomNormal(probe) as tf.Tensor5D) : null;
  let stock: tf.Tensor[] = [];
  let ours: tf.Tensor[] = [];
  try {
    selectConv3DKernels('stock');
    stock = forwardAndGrads(c, x, w, r);
    selectConv3DKernels('fast');
    ours = forwardAndGrads(c, x, w, r);
    const [ex, ew] = r ? await numericalGradErrors(c, x, w, r, ours[1], ours[2]) : [null, null];
    return {
      name: c.name,
      x: c.x,
      filter: c.filter,
      strides: c.strides,
      pad: c.pad,
      dilations: c.dilations,
      forwardRelError: await relError(ours[0], stock[0]),
      inputGradRelError: r ? await relError(ours[1], stock[1]) : null,
      filterGradRelError: r ? await relError(ours[2], stock[2]) : null,
      allWritten: await writesEverything(c, x, w, r),
      numericalInputGradError: ex,
      numericalFilterGradError: ew,
    };
  } finally {
    tf.dispose([x, w, ...(r ? [r] : []), ...stock, ...ours]);
  }
}

/** A fused conv2d (bias + relu) and both gradients of a plain one, ours vs stock. */
async function checkCase2D([xs, fs, strides, pad]: (typeof CHECK_CASES_2D)[number]): Promise<Conv3DCaseResult> {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const w = tf.randomNormal(fs, 0, 0.3) as tf.Tensor4D;
  const bias = tf.randomNormal([fs[3]]) as tf.Tensor1D;
  const r = tf.tidy(() => tf.randomNormal(tf.conv2d(x, w, strides, pad).shape)) as tf.Tensor4D;
  const run = (): tf.Tensor[] => {
    const y = tf.fused.conv2d({ x, filter: w, strides, pad, bias, activation: 'relu' });
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad).mul(r).sum());
    return [y, ...grads([x, w])];
  };
  let stock: tf.Tensor[] = [];
  let ours: tf.Tensor[] = [];
  try {
    selectConv2DKernels('stock');
    stock = run();
    selectConv2DKernels('fast');
    ours = run();
    const all = await Promise.all(ours.map((t) => hasNaN(t)));
    return {
      name: `2D ${pad}, stride ${strides.join('×')}${xs[3] % 4 ? ', odd channels' : ''}`,
      x: xs,
      filter: fs,
      strides,
      pad,
      dilations: [1, 1],
      forwardRelError: await relError(ours[0], stock[0]),
      inputGradRelError: await relError(ours[1], stock[1]),
      filterGradRelError: await relError(ours[2], stock[2]),
      allWritten: !all.some(Boolean),
      numericalInputGradError: null,
      numericalFilterGradError: null,
    };
  } finally {
    tf.dispose([x, w, bias, r, ...stock, ...ours]);
  }
}

/** Run every case; leaves the kernels as it found them. Needs the 'webgpu' backend. */
export async function checkConv3DKernels(cases: Conv3DCase[] = CHECK_CASES): Promise<Conv3DCheckReport> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`The Conv3D kernel check needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
  const before = activeConv3DKernels();
  const before2D = activeConv2DKernels();
  try {
    const results: Conv3DCaseResult[] = [];
    for (const c of cases) results.push(await checkCase(c, true));
    results.push(await checkCase(DILATED_CASE, false));
    for (const c of CHECK_CASES_2D) results.push(await checkCase2D(c));
    const errs = results.flatMap((r) => [r.forwardRelError, r.inputGradRelError ?? 0, r.filterGradRelError ?? 0]);
    const nums = results.flatMap((r) => [r.numericalInputGradError ?? 0, r.numericalFilterGradError ?? 0]);
    return { cases: results, maxRelError: Math.max(...errs), maxNumericalGradError: Math.max(...nums), allWritten: results.every((r) => r.allWritten), activeKernels: before };
  } finally {
    selectConv3DKernels(before);
    selectConv2DKernels(before2D);
  }
}
