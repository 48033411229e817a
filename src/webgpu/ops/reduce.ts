// Sum, Mean, Max and Min over contiguous axes for tfjs's 'webgpu' backend, without shared memory
// and without transposing first.
//
//   x viewed as [A, R, B] (R = the product of the reduced axes)  →  out [A, B]
//   one pass    (A·B invocations are enough work):  out[a, b] = ⊕_r x[a, r, b]
//   two passes  (few outputs, long R: BN statistics, bias gradients):
//     partial[a, s, b] = ⊕_{r in chunk s} x[a, r, b]   then the same reduction over s
//
// Why: tfjs 4.22's ReduceProgram transposes the reduced axes innermost (a Transpose dispatch),
// then reduces each output with a 256-wide workgroup through workgroup memory and a
// workgroupBarrier() per halving; on SwiftShader (WebGPU emulated on the CPU) barriers are very
// costly: the BN moments of a [32, 32, 32, 8] activation (Mean over N, H, W) took 75–85 ms per
// call in a training-step profile, more than the convolution beside them.
// Non-float32 inputs and non-contiguous axes go to the stock kernels.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';

/** Aim for at least this many invocations (SwiftShader runs a few SIMD lanes per core). */
const MIN_THREADS = 256;
/** Shortest run of R one invocation reduces when R is split. */
const MIN_CHUNK = 16;

type Combine = 'sum' | 'max' | 'min';

const COMBINE: Record<Combine, (acc: string, v: string) => string> = {
  sum: (acc, v) => `${acc} + ${v}`,
  max: (acc, v) => `max(${acc}, ${v})`,
  min: (acc, v) => `min(${acc}, ${v})`,
};

/** out[a, s, b] = ⊕ over r in [s·chunk, min(R, (s+1)·chunk)) of x[a, r, b], times `scale` if given. */
class ContiguousReduceProgram extends FlatProgram {
  variableNames = ['x'];
  private readonly splits: number;

  constructor(
    A: number,
    private readonly R: number,
    private readonly B: number,
    private readonly chunk: number,
    private readonly combine: Combine,
    private readonly scale: number | null,
  ) {
    const splits = Math.ceil(R / chunk);
    super(
      A * splits * B,
      A * splits * B,
      `cs_reduce_${combine}_${A}_${R}_${B}_${chunk}_${scale ?? 'none'}`,
    );
    this.splits = splits;
  }

  getUserCode(): string {
    const { R, B, chunk, splits, combine, scale } = this;
    const value = scale === null ? 'acc' : `acc * ${scale.toExponential(9)}`;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let b = index % ${B};
      let s = (index / ${B}) % ${splits};
      let a = index / ${B * splits};
      let r0 = s * ${chunk};
      let r1 = min(r0 + ${chunk}, ${R});
      let base = a * ${R * B} + b;
      var acc = x[base + r0 * ${B}];
      for (var r = r0 + 1; r < r1; r++) {
        acc = ${COMBINE[combine]('acc', `x[base + r * ${B}]`)};
      }
      result[index] = ${value};
    }`;
  }
}

/** The [A, R, B] view of `shape` reduced over `axes`, or null when the axes are not one contiguous run. */
export function reduceView(
  shape: readonly number[],
  axes: readonly number[],
): { A: number; R: number; B: number } | null {
  const rank = shape.length;
  const norm = [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((x, y) => x - y);
  if (!norm.length || norm[0] < 0 || norm[norm.length - 1] >= rank) return null;
  if (norm.some((a, i) => a !== norm[0] + i)) return null;
  const lo = norm[0];
  const hi = norm[norm.length - 1];
  return {
    A: sizeOf(shape.slice(0, lo)),
    R: sizeOf(shape.slice(lo, hi + 1)),
    B: sizeOf(shape.slice(hi + 1)),
  };
}

/** How to split R: one pass when A·B alone gives enough invocations, else chunks of R. */
export function planReduce(A: number, R: number, B: number): { chunk: number; twoPass: boolean } {
  const outputs = A * B;
  if (outputs >= MIN_THREADS || R <= MIN_CHUNK) return { chunk: R, twoPass: false };
  const splits = Math.min(Math.ceil(R / MIN_CHUNK), Math.ceil(MIN_THREADS / outputs));
  const chunk = Math.ceil(R / splits);
  return { chunk, twoPass: Math.ceil(R / chunk) > 1 };
}

const KERNELS = ['Sum', 'Mean', 'Max', 'Min'] as const;
type KernelName = (typeof KERNELS)[number];
const COMBINE_OF: Record<KernelName, Combine> = { Sum: 'sum', Mean: 'sum', Max: 'max', Min: 'min' };

function fastKernel(name: KernelName): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const attrs = args.attrs as {
      axis?: number | number[];
      reductionIndices?: number | number[];
      keepDims?: boolean;
    };
    const axisAttr = name === 'Max' ? attrs.reductionIndices : attrs.axis;
    const axes =
      axisAttr === undefined || axisAttr === null
        ? x.shape.map((_, i) => i)
        : typeof axisAttr === 'number'
          ? [axisAttr]
          : axisAttr;
    const view = x.dtype === 'float32' ? reduceView(x.shape, axes) : null;
    if (!view || view.R === 0 || view.A * view.B === 0) return kernels.callStock(name, args);
    const backend = args.backend as WebGPUBackend;
    const { A, R, B } = view;
    const combine = COMBINE_OF[name];
    const scale = name === 'Mean' ? 1 / R : null;
    const plan = planReduce(A, R, B);
    const flatX = flatView(x);
    let out: tf.TensorInfo;
    if (!plan.twoPass) {
      out = backend.runWebGPUProgram(
        new ContiguousReduceProgram(A, R, B, R, combine, scale),
        [flatX],
        'float32',
      );
    } else {
      const first = new ContiguousReduceProgram(A, R, B, plan.chunk, combine, null);
      const partial = backend.runWebGPUProgram(first, [flatX], 'float32');
      const splits = Math.ceil(R / plan.chunk);
      out = backend.runWebGPUProgram(
        new ContiguousReduceProgram(A, splits, B, splits, combine, scale),
        [partial],
        'float32',
      );
      backend.disposeData(partial.dataId);
    }
    const rank = x.shape.length;
    const reduced = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
    const shape = attrs.keepDims
      ? x.shape.map((d, i) => (reduced.has(i) ? 1 : d))
      : x.shape.filter((_, i) => !reduced.has(i));
    return { dataId: out.dataId, shape, dtype: 'float32' };
  };
}

const kernels = kernelSwitch(KERNELS, fastKernel);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const selectReduceKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeReduceKernels = (): 'fast' | 'stock' => kernels.active();
