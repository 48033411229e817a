// Our Conv3D, Conv3DBackpropInputV2 and Conv3DBackpropFilterV2 kernels for tfjs's 'webgpu'
// backend, and the switch between them and tfjs's stock (naive) kernels.
//
//   useConv3DKernels('fast')   unregister the stock configs, register ours   (the default)
//   useConv3DKernels('stock')  put tfjs's own kernels back                    (for comparison)
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
  for (const t of ts)
    if (t.dtype !== 'float32')
      throw new Error(
        `${kernel} (clipscope webgpu kernel): expected float32 inputs, got ${t.dtype}`,
      );
}

/**
 * Run `program` on flat views of `inputs`; the result is relabelled `shape`. With `into`, the
 * program writes into that existing tensor's buffer instead (used by the tests to prove every
 * output element is written: `into` is pre-filled with NaN).
 */
function run(
  backend: WebGPUBackend,
  program: WebGPUProgram,
  inputs: TensorInfo[],
  shape: number[],
  into?: TensorInfo,
): TensorInfo {
  const out = backend.runWebGPUProgram(
    program,
    inputs.map(flatView),
    'float32',
    undefined,
    into ? flatView(into) : undefined,
  );
  return { dataId: out.dataId, shape, dtype: 'float32' };
}

export function conv3dFast(
  args: {
    inputs: { x: TensorInfo; filter: TensorInfo };
    backend: WebGPUBackend;
    attrs: {
      strides: number | [number, number, number];
      pad: 'valid' | 'same';
      dilations: number | [number, number, number];
    };
  },
  into?: TensorInfo,
): TensorInfo {
  const { x, filter } = args.inputs;
  assertFloat('Conv3D', x, filter);
  const info = tf.backend_util.computeConv3DInfo(
    x.shape as Shape5,
    filter.shape as Shape5,
    args.attrs.strides,
    args.attrs.dilations,
    args.attrs.pad,
  );
  return run(
    args.backend,
    new Conv3DForwardProgram(geometry(info)),
    [x, filter],
    info.outShape,
    into,
  );
}

export function conv3dBackpropInputFast(
  args: {
    inputs: { dy: TensorInfo; filter: TensorInfo };
    backend: WebGPUBackend;
    attrs: {
      strides: number | [number, number, number];
      pad: 'valid' | 'same';
      inputShape: Shape5;
    };
  },
  into?: TensorInfo,
): TensorInfo {
  const { dy, filter } = args.inputs;
  assertFloat('Conv3DBackpropInputV2', dy, filter);
  const info = tf.backend_util.computeConv3DInfo(
    args.attrs.inputShape,
    filter.shape as Shape5,
    args.attrs.strides,
    1,
    args.attrs.pad,
  );
  return run(
    args.backend,
    new Conv3DBackpropInputProgram(geometry(info)),
    [dy, filter],
    info.inShape,
    into,
  );
}

export function conv3dBackpropFilterFast(
  args: {
    inputs: { x: TensorInfo; dy: TensorInfo };
    backend: WebGPUBackend;
    attrs: {
      strides: number | [number, number, number];
      pad: 'valid' | 'same';
      filterShape: Shape5;
    };
  },
  into?: TensorInfo,
): TensorInfo {
  const { x, dy } = args.inputs;
  assertFloat('Conv3DBackpropFilterV2', x, dy);
  const { backend } = args;
  const info = tf.backend_util.computeConv3DInfo(
    x.shape as Shape5,
    args.attrs.filterShape,
    args.attrs.strides,
    1,
    args.attrs.pad,
  );
  const g = geometry(info);
  const plan = planFilterSplit(g);
  if (plan.splits === 1)
    return run(backend, new Conv3DFilterPartialProgram(g, plan), [x, dy], info.filterShape, into);
  // [S · filterSize] partial sums → [filterSize]; the scratch buffer goes back to the pool.
  const partial = backend.runWebGPUProgram(
    new Conv3DFilterPartialProgram(g, plan),
    [flatView(x), flatView(dy)],
    'float32',
  );
  try {
    return run(
      backend,
      new SumPartialsProgram(sizeOf(info.filterShape), plan.splits),
      [partial],
      info.filterShape,
      into,
    );
  } finally {
    backend.disposeData(partial.dataId);
  }
}

const FAST: Record<(typeof KERNELS)[number], tf.KernelFunc> = {
  Conv3D: conv3dFast as unknown as tf.KernelFunc,
  Conv3DBackpropInputV2: conv3dBackpropInputFast as unknown as tf.KernelFunc,
  Conv3DBackpropFilterV2: conv3dBackpropFilterFast as unknown as tf.KernelFunc,
};

/** tfjs's own configs, saved the first time we replace them. */

const kernels = kernelSwitch(KERNELS, (n) => FAST[n]);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const useConv3DKernels = (impl: Conv3DImpl): void => kernels.use(impl);
export const activeConv3DKernels = (): Conv3DImpl => kernels.active();
