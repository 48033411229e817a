// Conv2D, FusedConv2D (bias + relu/linear), Conv2DBackpropInput and Conv2DBackpropFilter for
// tfjs's 'webgpu' backend, run by our Conv3D programs with a depth of 1:
//
//   x [N, H, W, C] = [N, 1, H, W, C]      filter [kh, kw, ci, co] = [1, kh, kw, ci, co]
//
// (the same buffers, no copy). Why: tfjs 4.22's Conv2D is a shared-memory tiled matmul
// (Conv2DMMProgram) whose workgroupBarrier()s cost a great deal on SwiftShader, and its filter
// gradient is one thread per filter element looping over the whole batch. Measured on the
// early-fusion tiny step: one [4, 32, 32, 24] ⊛ [3, 3, 24, 8] forward took ~1 s.
// Anything else (NCHW, prelu/elu/… activations, non-float32) goes to the stock kernel.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from './kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import {
  Conv3DBackpropInputProgram,
  Conv3DFilterPartialProgram,
  Conv3DForwardProgram,
  SumPartialsProgram,
  planFilterSplit,
  type Conv3DGeometry,
} from './conv3d-programs';
import { ChannelBroadcastProgram } from './ops/broadcast-binary';
import { flatView, sizeOf } from './flat-program';

type TensorInfo = tf.TensorInfo;
type Shape4 = [number, number, number, number];
type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'] as const;
type KernelName = (typeof KERNELS)[number];

function geometry(info: Conv2DInfo): Conv3DGeometry {
  return {
    batch: info.batchSize,
    inD: 1,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outD: 1,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kD: 1,
    kH: info.filterHeight,
    kW: info.filterWidth,
    sD: 1,
    sH: info.strideHeight,
    sW: info.strideWidth,
    dD: 1,
    dH: info.dilationHeight,
    dW: info.dilationWidth,
    pD: 0,
    pH: info.padInfo.top,
    pW: info.padInfo.left,
  };
}

const usable = (attrs: ConvAttrs, ...ts: TensorInfo[]): boolean =>
  (attrs.dataFormat ?? 'NHWC') === 'NHWC' && ts.every((t) => t.dtype === 'float32');

function forward(
  backend: WebGPUBackend,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs,
): TensorInfo {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const out = backend.runWebGPUProgram(
    new Conv3DForwardProgram(geometry(info)),
    [flatView(x), flatView(filter)],
    'float32',
  );
  return { dataId: out.dataId, shape: info.outShape, dtype: 'float32' };
}

const callStock = (name: KernelName, args: Parameters<tf.KernelFunc>[0]) =>
  kernels.callStock(name, args);

const FAST: Record<KernelName, tf.KernelFunc> = {
  Conv2D(args) {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs;
    if (!usable(attrs, x, filter)) return callStock('Conv2D', args);
    return forward(args.backend as WebGPUBackend, x, filter, attrs);
  },
  FusedConv2D(args) {
    const { x, filter, bias, preluActivationWeights } = args.inputs as {
      x: TensorInfo;
      filter: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const attrs = args.attrs as unknown as ConvAttrs & { activation?: string };
    const activation = attrs.activation ?? 'linear';
    const outC = filter.shape[3];
    if (
      !usable(attrs, x, filter) ||
      preluActivationWeights ||
      !['linear', 'relu'].includes(activation) ||
      (bias &&
        (bias.dtype !== 'float32' ||
          sizeOf(bias.shape) !== outC ||
          bias.shape[bias.shape.length - 1] !== outC))
    )
      return callStock('FusedConv2D', args);
    const backend = args.backend as WebGPUBackend;
    let y = forward(backend, x, filter, attrs);
    if (bias) {
      // y + bias, broadcast over channels: [N·H·W·C] with [C].
      const withBias = backend.runWebGPUProgram(
        new ChannelBroadcastProgram('Add', sizeOf(y.shape), outC, false),
        [flatView(y), flatView(bias)],
        'float32',
      );
      backend.disposeData(y.dataId);
      y = { dataId: withBias.dataId, shape: y.shape, dtype: 'float32' };
    }
    if (activation === 'relu') {
      const relu = tf
        .getKernel('Relu', 'webgpu')!
        .kernelFunc({ inputs: { x: y }, backend, attrs: {} }) as TensorInfo;
      backend.disposeData(y.dataId);
      y = relu;
    }
    return y;
  },
  Conv2DBackpropInput(args) {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
    if (!usable(attrs, dy, filter)) return callStock('Conv2DBackpropInput', args);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as Shape4,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const out = (args.backend as WebGPUBackend).runWebGPUProgram(
      new Conv3DBackpropInputProgram(geometry(info)),
      [flatView(dy), flatView(filter)],
      'float32',
    );
    return { dataId: out.dataId, shape: info.inShape, dtype: 'float32' };
  },
  Conv2DBackpropFilter(args) {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
    if (!usable(attrs, x, dy)) return callStock('Conv2DBackpropFilter', args);
    const backend = args.backend as WebGPUBackend;
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const g = geometry(info);
    const plan = planFilterSplit(g);
    const shape = [...attrs.filterShape];
    const partial = backend.runWebGPUProgram(
      new Conv3DFilterPartialProgram(g, plan),
      [flatView(x), flatView(dy)],
      'float32',
    );
    if (plan.splits === 1) return { dataId: partial.dataId, shape, dtype: 'float32' };
    try {
      const out = backend.runWebGPUProgram(
        new SumPartialsProgram(sizeOf(shape), plan.splits),
        [partial],
        'float32',
      );
      return { dataId: out.dataId, shape, dtype: 'float32' };
    } finally {
      backend.disposeData(partial.dataId);
    }
  },
};

const kernels = kernelSwitch(KERNELS, (n) => FAST[n]);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const useConv2DKernels = (impl: 'fast' | 'stock'): void => kernels.use(impl);
export const activeConv2DKernels = (): 'fast' | 'stock' => kernels.active();
