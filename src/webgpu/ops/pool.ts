// Max pooling and its gradient, 2D and 3D, channels-last, for tfjs's 'webgpu' backend. One
// program covers both: a 2D pool is a 3D pool of depth 1.
//
//   forward   y[n, od, oh, ow, c] = max over the window of x        (one invocation per output)
//   gradient  dx[n, d, h, w, c]   = Σ dy over the windows whose max is this element
//                                   (one invocation per input element: no scatter, no atomics)
//
// A window's max position follows tfjs's rule (the last maximum in depth, row, column order), so
// gradients route exactly as the stock kernels route them, ties included (ReLU zeros tie often).
//
// Why: tfjs 4.22's pooling programs read sizes from uniforms and derive N-D coordinates per
// element, and its gradient first runs a second pooling pass to store max positions; on
// SwiftShader the [32, 32, 32, 8] max pool of a per-frame trunk took ~40 ms and its gradient
// ~50 ms, about as much as the convolution before it. Sizes here are shader constants.
// Dilated pools and non-float32 inputs go to the stock kernels.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';

/** Sizes of a 3D max pool over [N, D, H, W, C] (depth 1 for 2D). */
interface PoolGeometry {
  batch: number;
  inD: number;
  inH: number;
  inW: number;
  channels: number;
  outD: number;
  outH: number;
  outW: number;
  filter: [number, number, number];
  strides: [number, number, number];
  /** Front, top, left padding. */
  pads: [number, number, number];
}

const key = (g: PoolGeometry): string =>
  [
    g.batch,
    g.inD,
    g.inH,
    g.inW,
    g.channels,
    g.outD,
    g.outH,
    g.outW,
    ...g.filter,
    ...g.strides,
    ...g.pads,
  ].join('_');

/** Whether a window along an axis can reach outside the input (padding, or a ragged end). */
const mayLeave = (inSize: number, out: number, f: number, s: number, p: number): boolean =>
  p > 0 || (out - 1) * s + f > inSize;

/**
 * WGSL: split the flat channels-last index `index` over [N, D, H, W, C] into `n`, the three
 * spatial coordinates named `names` (depth, height, width; sizes `dims`) and `c`.
 */
function splitIndex(
  names: [string, string, string],
  dims: [number, number, number],
  channels: number,
): string {
  const [d, h, w] = names;
  const [D, H, W] = dims;
  return `let c = index % ${channels};
      let ${w} = (index / ${channels}) % ${W};
      let ${h} = (index / ${channels * W}) % ${H};
      let ${d} = (index / ${channels * W * H}) % ${D};
      let n = index / ${channels * W * H * D};`;
}

/**
 * WGSL: scan window (od, oh, ow) and leave its max position (flat x index) in `best` (−1 when the
 * window lies wholly in the padding) and the max in `bestValue`. The window is unrolled (it is
 * small: 2×2, 3×3, 1×3×3 …); bounds are tested only on axes where a window can leave the input.
 * Conditions use the non-short-circuit `&` and `|`: SwiftShader here never finished a dispatch of
 * the gradient program when these bounds tests were `&&` chains inside its loops (measured: a
 * 1×1×4×4×1 input hung; the same shader with `&` ran in 60 ms and matched the stock gradient).
 */
function windowArgmax(g: PoolGeometry, od: string, oh: string, ow: string): string {
  const [fd, fh, fw] = g.filter;
  const [sd, sh, sw] = g.strides;
  const [pd, ph, pw] = g.pads;
  const checkD = mayLeave(g.inD, g.outD, fd, sd, pd);
  const checkH = mayLeave(g.inH, g.outH, fh, sh, ph);
  const checkW = mayLeave(g.inW, g.outW, fw, sw, pw);
  const lines = [
    `var best = -1;`,
    `var bestValue = 0.0;`,
    `let d0 = ${od} * ${sd} - ${pd};`,
    `let h0 = ${oh} * ${sh} - ${ph};`,
    `let w0 = ${ow} * ${sw} - ${pw};`,
    `let base0 = (((n * ${g.inD} + d0) * ${g.inH} + h0) * ${g.inW} + w0) * ${g.channels} + c;`,
  ];
  for (let kd = 0; kd < fd; kd++)
    for (let kh = 0; kh < fh; kh++)
      for (let kw = 0; kw < fw; kw++) {
        const conds = [
          checkD ? `(d0 + ${kd} >= 0) & (d0 + ${kd} < ${g.inD})` : '',
          checkH ? `(h0 + ${kh} >= 0) & (h0 + ${kh} < ${g.inH})` : '',
          checkW ? `(w0 + ${kw} >= 0) & (w0 + ${kw} < ${g.inW})` : '',
        ].filter(Boolean);
        const at = `base0 + ${((kd * g.inH + kh) * g.inW + kw) * g.channels}`;
        const body = `{ let at = ${at}; let v = x[at]; if ((best < 0) | (v >= bestValue)) { best = at; bestValue = v; } }`;
        lines.push(conds.length ? `if (${conds.join(' & ')}) ${body}` : body);
      }
  return lines.join('\n        ');
}

class MaxPoolProgram extends FlatProgram {
  variableNames = ['x'];

  constructor(private readonly g: PoolGeometry) {
    const outputs = g.batch * g.outD * g.outH * g.outW * g.channels;
    super(outputs, outputs, `cs_max_pool_${key(g)}`);
  }

  getUserCode(): string {
    const g = this.g;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${splitIndex(['od', 'oh', 'ow'], [g.outD, g.outH, g.outW], g.channels)}
      ${windowArgmax(g, 'od', 'oh', 'ow')}
      // tfjs's value for a window that lies wholly in the padding.
      result[index] = select(-1e20, bestValue, best >= 0);
    }`;
  }
}

/** First and last output index along one axis whose window covers input index `i` (WGSL). */
function coveringRange(
  axis: string,
  i: string,
  f: number,
  s: number,
  p: number,
  out: number,
): string {
  if (s >= f) {
    // Windows do not overlap: at most one covers i (none when i falls in a gap or past the end).
    return `
      let first${axis} = (${i} + ${p}) / ${s};
      let last${axis} = select(first${axis} - 1, first${axis}, (${i} + ${p} - first${axis} * ${s} < ${f}) & (first${axis} < ${out}));`;
  }
  return `
      let lo${axis} = ${i} + ${p} - ${f} + 1;
      let first${axis} = select((lo${axis} + ${s - 1}) / ${s}, 0, lo${axis} <= 0);
      let last${axis} = min((${i} + ${p}) / ${s}, ${out - 1});`;
}

class MaxPoolGradProgram extends FlatProgram {
  variableNames = ['dy', 'x'];

  constructor(private readonly g: PoolGeometry) {
    const inputs = g.batch * g.inD * g.inH * g.inW * g.channels;
    super(inputs, inputs, `cs_max_pool_grad_${key(g)}`);
  }

  getUserCode(): string {
    const g = this.g;
    const [fd, fh, fw] = g.filter;
    const [sd, sh, sw] = g.strides;
    const [pd, ph, pw] = g.pads;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${splitIndex(['id', 'ih', 'iw'], [g.inD, g.inH, g.inW], g.channels)}
      ${coveringRange('D', 'id', fd, sd, pd, g.outD)}
      ${coveringRange('H', 'ih', fh, sh, ph, g.outH)}
      ${coveringRange('W', 'iw', fw, sw, pw, g.outW)}
      var acc = 0.0;
      for (var od = firstD; od <= lastD; od++) {
        for (var oh = firstH; oh <= lastH; oh++) {
          for (var ow = firstW; ow <= lastW; ow++) {
            ${windowArgmax(g, 'od', 'oh', 'ow')}
            if (best == index) {
              acc += dy[(((n * ${g.outD} + od) * ${g.outH} + oh) * ${g.outW} + ow) * ${g.channels} + c];
            }
          }
        }
      }
      result[index] = acc;
    }`;
  }
}

type PoolAttrs = {
  filterSize: number | number[];
  strides: number | number[];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: string;
};

/** Geometry of a 2D (rank-4 x) or 3D (rank-5 x) pool, or null when ours does not cover it. */
export function poolGeometry(xShape: readonly number[], attrs: PoolAttrs): PoolGeometry | null {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC' && attrs.dataFormat !== 'NDHWC')
    return null;
  if (xShape.length === 4) {
    const info = tf.backend_util.computePool2DInfo(
      xShape as [number, number, number, number],
      attrs.filterSize as number,
      attrs.strides as number,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
    return {
      batch: info.batchSize,
      inD: 1,
      inH: info.inHeight,
      inW: info.inWidth,
      channels: info.inChannels,
      outD: 1,
      outH: info.outHeight,
      outW: info.outWidth,
      filter: [1, info.filterHeight, info.filterWidth],
      strides: [1, info.strideHeight, info.strideWidth],
      pads: [0, info.padInfo.top, info.padInfo.left],
    };
  }
  if (xShape.length === 5) {
    const info = tf.backend_util.computePool3DInfo(
      xShape as [number, number, number, number, number],
      attrs.filterSize as number,
      attrs.strides as number,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (info.dilationDepth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1)
      return null;
    return {
      batch: info.batchSize,
      inD: info.inDepth,
      inH: info.inHeight,
      inW: info.inWidth,
      channels: info.inChannels,
      outD: info.outDepth,
      outH: info.outHeight,
      outW: info.outWidth,
      filter: [info.filterDepth, info.filterHeight, info.filterWidth],
      strides: [info.strideDepth, info.strideHeight, info.strideWidth],
      pads: [info.padInfo.front, info.padInfo.top, info.padInfo.left],
    };
  }
  return null;
}

const KERNELS = ['MaxPool', 'MaxPoolGrad', 'MaxPool3D', 'MaxPool3DGrad'] as const;
type KernelName = (typeof KERNELS)[number];
const empty = (g: PoolGeometry): boolean =>
  sizeOf([g.batch, g.inD, g.inH, g.inW, g.channels, g.outD, g.outH, g.outW]) === 0;

function fastKernel(name: KernelName): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as WebGPUBackend;
    const attrs = args.attrs as unknown as PoolAttrs;
    if (name === 'MaxPool' || name === 'MaxPool3D') {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const g = x.dtype === 'float32' ? poolGeometry(x.shape, attrs) : null;
      if (!g || empty(g)) return kernels.callStock(name, args);
      const out = backend.runWebGPUProgram(new MaxPoolProgram(g), [flatView(x)], 'float32');
      const shape =
        x.shape.length === 4
          ? [g.batch, g.outH, g.outW, g.channels]
          : [g.batch, g.outD, g.outH, g.outW, g.channels];
      return { dataId: out.dataId, shape, dtype: 'float32' };
    }
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const g =
      input.dtype === 'float32' && dy.dtype === 'float32' ? poolGeometry(input.shape, attrs) : null;
    if (!g || empty(g)) return kernels.callStock(name, args);
    const out = backend.runWebGPUProgram(
      new MaxPoolGradProgram(g),
      [flatView(dy), flatView(input)],
      'float32',
    );
    return { dataId: out.dataId, shape: [...input.shape], dtype: 'float32' };
  };
}

const kernels = kernelSwitch(KERNELS, fastKernel);
/** Choose ours ('fast') or tfjs's ('stock') for max pooling on the 'webgpu' backend. Idempotent. */
export const selectPoolKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activePoolKernels = (): 'fast' | 'stock' => kernels.active();
