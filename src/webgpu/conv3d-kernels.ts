// Our Conv3D, Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 kernels for tfjs's 'webgpu'
// backend, and the switch between them and tfjs's stock (naive) kernels.
//
//   selectConv3DKernels('fast')  unregister the stock configs, register ours   (the default)
//   selectConv3DKernels('stock') put tfjs's own kernels back                    (for comparison)
//
// tfjs looks kernels up by (name, backend) on every op call, so switching takes effect at the next
// op, gradients included (tf.grad's Conv3D gradient calls the two backprop kernels by name).
//
// Programs: ./conv3d-programs.ts. Inputs are passed as flat rank-1 views of the same GPU buffers
// (no copy), outputs come back as flat buffers and are relabelled with their rank-5 shape, the
// way tfjs's own Reshape kernel does it.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from './kernel-switch';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import {
  Conv3DBackpropInputProgram,
  Conv3DFilterPartialProgram,
  Conv3DForwardProgram,
  SumPartialsProgram,
  planFilterSplit,
  type Conv3DGeometry,
} from './conv3d-programs';
import { flatView, sizeOf } from './flat-program';

export type Conv3DImpl = 'fast' | 'stock';
type Shape5 = [number, number, number, number, number];
type TensorInfo = tf.TensorInfo;

const KERNELS = ['Conv3D', 'Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2'] as const;

function geometry(info: ReturnType<typeof tf.backend_util.computeConv3DInfo>): Conv3DGeometry {
  return {
    batch: info.batchSize,
    inD: info.inDepth,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outD: info.outDepth,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    kD: info.filterDepth,
    kH: info.filterHeight,
    kW: info.filterWidth,
    sD: info.strideDepth,
    sH: info.strideHeight,
    sW: info.strideWidth,
    dD: info.dilationDepth,
    dH: info.dilationHeight,
    dW: info.dilationWidth,
    pD: info.padInfo.front,
    pH: info.padInfo.top,
    pW: info.padInfo.left,
  };
}

function assertFloat(kernel: string, ...ts: TensorInfo[]): void {
  for (const t of ts) if (t.dtype !== 'float32') throw new Error(`${kernel} (clipscope webgpu kernel): expected float32 inputs, got ${t.dtype}`);
}

/**
 * Run `program` on flat views of `inputs`; the result is relabelled `shape`. With `into`, the
 * program writes into that existing tensor's buffer instead (used by the checks to prove every
 * output element is written: `into` is pre-filled with NaN).
 */
function run(backend: WebGPUBackend, program: WebGPUProgram, inputs: TensorInfo[], shape: number[], into?: TensorInfo): TensorInfo {
  const out = backend.runWebGPUProgram(program, inputs.map(flatView), 'float32', undefined, into ? flatView(into) : undefined);
  return { dataId: out.dataId, shape, dtype: 'float32' };
}

/** Which of the three convolutions of a layer a Conv3D program computes. */
type ConvPass = 'forward' | 'input-grad' | 'filter-grad';

/**
 * The Conv3D program for `pass` on `inputs` ([x, filter], [dy, filter] or [x, dy]), the result
 * relabelled `shape` (written into `into` when given, see run). The filter gradient runs split-K
 * when planFilterSplit says so: [S · filterSize] partial sums → [filterSize], the scratch buffer
 * back to the pool. Also the Conv2D kernels' path (./conv2d-kernels.ts, depth 1).
 */
export function runConv(backend: WebGPUBackend, pass: ConvPass, g: Conv3DGeometry, inputs: [TensorInfo, TensorInfo], shape: number[], into?: TensorInfo): TensorInfo {
  if (pass === 'forward') return run(backend, new Conv3DForwardProgram(g), inputs, shape, into);
  if (pass === 'input-grad') return run(backend, new Conv3DBackpropInputProgram(g), inputs, shape, into);
  const plan = planFilterSplit(g);
  if (plan.splits === 1) return run(backend, new Conv3DFilterPartialProgram(g, plan), inputs, shape, into);
  const partial = backend.runWebGPUProgram(new Conv3DFilterPartialProgram(g, plan), inputs.map(flatView), 'float32');
  try {
    return run(backend, new SumPartialsProgram(sizeOf(shape), plan.splits), [partial], shape, into);
  } finally {
    backend.disposeData(partial.dataId);
  }
}

type Triple = number | [number, number, number];
/** A Conv3D kernel call as tfjs makes it: the inputs, the backend, the attributes. */
interface Conv3DArgs<I, A> {
  inputs: I;
  backend: WebGPUBackend;
  attrs: { strides: Triple; pad: 'valid' | 'same' } & A;
}

/** Our geometry of a Conv3D on these shapes (float32 inputs only; the gradients have dilation 1). */
function conv3dInfo(kernel: string, inputs: TensorInfo[], xShape: Shape5, filterShape: Shape5, attrs: { strides: Triple; pad: 'valid' | 'same' }, dilations: Triple = 1) {
  assertFloat(kernel, ...inputs);
  const info = tf.backend_util.computeConv3DInfo(xShape, filterShape, attrs.strides, dilations, attrs.pad);
  return { info, g: geometry(info) };
}

export function conv3dFast(args: Conv3DArgs<{ x: TensorInfo; filter: TensorInfo }, { dilations: Triple }>, into?: TensorInfo): TensorInfo {
  const { x, filter } = args.inputs;
  const { info, g } = conv3dInfo('Conv3D', [x, filter], x.shape as Shape5, filter.shape as Shape5, args.attrs, args.attrs.dilations);
  return runConv(args.backend, 'forward', g, [x, filter], info.outShape, into);
}

export function conv3dBackpropInputFast(args: Conv3DArgs<{ dy: TensorInfo; filter: TensorInfo }, { inputShape: Shape5 }>, into?: TensorInfo): TensorInfo {
  const { dy, filter } = args.inputs;
  const { info, g } = conv3dInfo('Conv3DBackpropInputV2', [dy, filter], args.attrs.inputShape, filter.shape as Shape5, args.attrs);
  return runConv(args.backend, 'input-grad', g, [dy, filter], info.inShape, into);
}

export function conv3dBackpropFilterFast(args: Conv3DArgs<{ x: TensorInfo; dy: TensorInfo }, { filterShape: Shape5 }>, into?: TensorInfo): TensorInfo {
  const { x, dy } = args.inputs;
  const { info, g } = conv3dInfo('Conv3DBackpropFilterV2', [x, dy], x.shape as Shape5, args.attrs.filterShape, args.attrs);
  return runConv(args.backend, 'filter-grad', g, [x, dy], info.filterShape, into);
}

const FAST: Record<(typeof KERNELS)[number], tf.KernelFunc> = {
  Conv3D: conv3dFast as unknown as tf.KernelFunc,
  Conv3DBackpropInputV2: conv3dBackpropInputFast as unknown as tf.KernelFunc,
  Conv3DBackpropFilterV2: conv3dBackpropFilterFast as unknown as tf.KernelFunc,
};

const kernels = kernelSwitch(KERNELS, (n) => FAST[n]);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const selectConv3DKernels = (impl: Conv3DImpl): void => kernels.select(impl);
export const activeConv3DKernels = (): Conv3DImpl => kernels.active();
