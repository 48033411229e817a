// Conv2D, FusedConv2D (bias + relu/linear), Conv2DBackpropInput and Conv2DBackpropFilter for
// tfjs's 'webgpu' backend, run by our Conv3D programs with a depth of 1:
//
//   x [N, H, W, C] = [N, 1, H, W, C]      filter [kh, kw, ci, co] = [1, kh, kw, ci, co]
//
// (the same buffers, no copy). Why: tfjs 4.22's Conv2D is a shared-memory tiled matmul
// (Conv2DMMProgram) whose workgroupBarrier()s cost a great deal on SwiftShader, and its filter
// gradient is one thread per filter element looping over the whole batch. Measured on the
// early-fusion tiny step: one [4, 32, 32, 24] ⊛ [3, 3, 24, 8] forward took ~1 s.
// Anything else (NCHW, prelu/elu/… activations, non-float32) goes to the stock kernel. The
// programs run through ./conv3d-kernels.ts's runConv; bias and relu through ./ops/fused-epilogue.ts.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from './kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Conv3DGeometry } from './conv3d-programs';
import { runConv } from './conv3d-kernels';
import { fusedEpilogue, fusedEpilogueFits } from './ops/fused-epilogue';

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

/** tfjs's Conv2DInfo for these shapes (the gradients have dilation 1). */
const conv2dInfo = (xShape: Shape4, filterShape: Shape4, attrs: ConvAttrs, dilations: number | [number, number] = 1): Conv2DInfo =>
  tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, dilations, attrs.pad, attrs.dimRoundingMode);

function forward(backend: WebGPUBackend, x: TensorInfo, filter: TensorInfo, attrs: ConvAttrs): TensorInfo {
  const info = conv2dInfo(x.shape as Shape4, filter.shape as Shape4, attrs, attrs.dilations ?? 1);
  return runConv(backend, 'forward', geometry(info), [x, filter], info.outShape);
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
    if (!usable(attrs, x, filter) || !fusedEpilogueFits(activation, outC, bias, preluActivationWeights)) return callStock('FusedConv2D', args);
    const backend = args.backend as WebGPUBackend;
    return fusedEpilogue(backend, forward(backend, x, filter, attrs), outC, activation, bias);
  },
  Conv2DBackpropInput(args) {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: Shape4 };
    if (!usable(attrs, dy, filter)) return callStock('Conv2DBackpropInput', args);
    const info = conv2dInfo(attrs.inputShape, filter.shape as Shape4, attrs);
    return runConv(args.backend as WebGPUBackend, 'input-grad', geometry(info), [dy, filter], info.inShape);
  },
  Conv2DBackpropFilter(args) {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: Shape4 };
    if (!usable(attrs, x, dy)) return callStock('Conv2DBackpropFilter', args);
    const info = conv2dInfo(x.shape as Shape4, attrs.filterShape, attrs);
    return runConv(args.backend as WebGPUBackend, 'filter-grad', geometry(info), [x, dy], [...attrs.filterShape]);
  },
};

const kernels = kernelSwitch(KERNELS, (n) => FAST[n]);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const selectConv2DKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeConv2DKernels = (): 'fast' | 'stock' => kernels.active();
