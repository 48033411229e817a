// Depthwise 2-D convolution (forward) for tfjs's 'webgpu' backend, channels-last, each invocation
// 4 neighbouring outputs along W, no shared memory:
//
//   y[n, oh, ow, c·M + m] = Σ_{kh, kw} x[n, oh·sh − pt + kh·dh, ow·sw − pl + kw·dw, c] · W[kh, kw, c, m]
//
// Why: optical flow (src/flow/optical-flow.ts) smooths and differentiates every pyramid level
// with separable depthwise filters, ~100 dispatches per 16-frame clip; tfjs 4.22's depthwise
// program derives 4-D coordinates from uniforms per element and took ~40 ms a dispatch on
// SwiftShader, 40% of the flow's time on WebGPU (twice WebGL's). Sizes here are shader
// constants; bounds are tested only on axes where a window can leave the input (the flow pads
// first and convolves 'valid', so it has none). The gradients stay stock (no model trains one).

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';

/** Sizes of a depthwise convolution over [N, H, W, C] with an [fh, fw, C, M] filter. */
interface DepthwiseGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  /** Channel multiplier M: output channels = inC · M. */
  mult: number;
  outH: number;
  outW: number;
  fh: number;
  fw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  /** Top and left padding. */
  pt: number;
  pl: number;
}

const key = (g: DepthwiseGeometry): string => Object.values(g).join('_');

/** Whether some window along an axis reaches outside the input. */
const mayLeave = (
  inSize: number,
  out: number,
  f: number,
  s: number,
  d: number,
  p: number,
): boolean => p > 0 || (out - 1) * s + (f - 1) * d + 1 > inSize;

/** Output columns per invocation: neighbours along W share the index arithmetic and the filter taps. */
const TILE_W = 4;

class DepthwiseConv2DProgram extends FlatProgram {
  variableNames = ['x', 'W'];

  constructor(private readonly g: DepthwiseGeometry) {
    const threads = g.batch * g.outH * Math.ceil(g.outW / TILE_W) * g.inC * g.mult;
    super(threads, g.batch * g.outH * g.outW * g.inC * g.mult, `cs_depthwise_${key(g)}`);
  }

  getUserCode(): string {
    const g = this.g;
    const C = g.inC;
    const M = g.mult;
    const OC = C * M;
    const tilesW = Math.ceil(g.outW / TILE_W);
    const checkH = mayLeave(g.inH, g.outH, g.fh, g.sh, g.dh, g.pt);
    const checkW = mayLeave(g.inW, g.outW, g.fw, g.sw, g.dw, g.pl);
    const cols = Array.from({ length: TILE_W }, (_, j) => j);
    // Columns past the output's edge (the last tile) or windows leaving the input are skipped.
    // Non-short-circuit `&`/`|`: SwiftShader can hang on `&&`/`||` chains inside loops (pool.ts).
    const okW = (j: number) =>
      [
        g.outW % TILE_W !== 0 ? `(ow0 + ${j} < ${g.outW})` : '',
        checkW ? `(iw${j} >= 0) & (iw${j} < ${g.inW})` : '',
      ]
        .filter(Boolean)
        .join(' & ');
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let oc = index % ${OC};
      let ow0 = ((index / ${OC}) % ${tilesW}) * ${TILE_W};
      let oh = (index / ${OC * tilesW}) % ${g.outH};
      let n = index / ${OC * tilesW * g.outH};
      let c = oc / ${M};
      let m = oc % ${M};
      let ih0 = oh * ${g.sh} - ${g.pt};
      let iwBase = ow0 * ${g.sw} - ${g.pl};
      ${cols.map((j) => `var acc${j} = 0.0;`).join(' ')}
      for (var kh = 0; kh < ${g.fh}; kh++) {
        let ih = ih0 + kh * ${g.dh};
        ${checkH ? `if ((ih < 0) | (ih >= ${g.inH})) { continue; }` : ''}
        let rowX = ((n * ${g.inH} + ih) * ${g.inW}) * ${C} + c;
        let rowW = kh * ${g.fw * C * M} + c * ${M} + m;
        for (var kw = 0; kw < ${g.fw}; kw++) {
          let w = W[rowW + kw * ${C * M}];
          ${cols
            .map((j) => {
              const ok = okW(j);
              const body = `acc${j} += x[rowX + iw${j} * ${C}] * w;`;
              return `let iw${j} = iwBase + ${j * g.sw} + kw * ${g.dw};\n          ${ok ? `if (${ok}) { ${body} }` : body}`;
            })
            .join('\n          ')}
        }
      }
      let out0 = ((n * ${g.outH} + oh) * ${g.outW} + ow0) * ${OC} + oc;
      ${cols.map((j) => (g.outW % TILE_W !== 0 && j > 0 ? `if (ow0 + ${j} < ${g.outW}) { result[out0 + ${j * OC}] = acc${j}; }` : `result[out0 + ${j * OC}] = acc${j};`)).join('\n      ')}
    }`;
  }
}

type DepthwiseAttrs = {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Geometry of a channels-last depthwise convolution, or null when ours does not cover it. */
function depthwiseGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: DepthwiseAttrs,
): DepthwiseGeometry | null {
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || xShape.length !== 4 || filterShape.length !== 4)
    return null;
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    mult: info.outChannels / info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    fh: info.filterHeight,
    fw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

const KERNELS = ['DepthwiseConv2dNative'] as const;

function fastKernel(): tf.KernelFunc {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const g =
      x.dtype === 'float32' && filter.dtype === 'float32'
        ? depthwiseGeometry(x.shape, filter.shape, args.attrs as unknown as DepthwiseAttrs)
        : null;
    if (!g || sizeOf([g.batch, g.outH, g.outW, g.inC, g.mult, g.inH, g.inW]) === 0)
      return kernels.callStock('DepthwiseConv2dNative', args);
    const backend = args.backend as WebGPUBackend;
    const out = backend.runWebGPUProgram(
      new DepthwiseConv2DProgram(g),
      [flatView(x), flatView(filter)],
      'float32',
    );
    return {
      dataId: out.dataId,
      shape: [g.batch, g.outH, g.outW, g.inC * g.mult],
      dtype: 'float32',
    };
  };
}

const kernels = kernelSwitch(KERNELS, fastKernel);
/** Choose ours ('fast') or tfjs's ('stock') for DepthwiseConv2dNative on the 'webgpu' backend. Idempotent. */
export const selectDepthwiseKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeDepthwiseKernels = (): 'fast' | 'stock' => kernels.active();
