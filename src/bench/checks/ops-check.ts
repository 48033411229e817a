// Correctness of the reduction, softmax, max-pooling, depthwise and mirror-pad kernels
// (./reduce.ts, ./softmax.ts, ./pool.ts, ./depthwise.ts, ./mirror-pad.ts) on the 'webgpu' backend against tfjs's stock kernels: odd sizes, every contiguous
// axis run (and a non-contiguous one, which must fall back), keepDims, 'same' padding, overlapping
// and ragged windows, 2D and 3D, and pooling gradients on inputs full of ties (ReLU zeros and
// repeated values), where the max position rule decides where the gradient goes.
// Ours runs first, into a recycled buffer that holds NaN, so a kernel that writes nothing cannot
// pass by inheriting the stock result from tfjs's buffer pool. Read back asynchronously.
// Pools with a different filter or stride per axis are left out on purpose: tfjs 4.22's stock
// MaxPool3DGrad (webgpu) and its CPU kernel both route some gradients wrongly there (e.g. filter
// 3×2×3, strides 2×1×2; CPU already at 1×2×1), while ours matched a plain loop (TFJS-NOTES.md).

import * as tf from '@tensorflow/tfjs';
import { activeKernels, useKernels, type KernelGroup } from '../../webgpu/kernels';
import { stockFallbacks } from '../../webgpu/kernel-switch';

export interface KernelCase {
  op: string;
  group: KernelGroup;
  shape: number[];
  relError: number;
  /** Our kernel passed the call to tfjs's: the case compared stock with stock. */
  handedBack: boolean;
}

interface Case {
  op: string;
  group: KernelGroup;
  shape: number[];
  /** Values in [0.5, 2) (reductions: no cancellation), or many ties. */
  input: 'positive' | 'normal' | 'ties';
  run: (x: tf.Tensor) => tf.Tensor;
}

const pool2 = (x: tf.Tensor, f: number, s: number, pad: 'same' | 'valid') =>
  tf.maxPool(x as tf.Tensor4D, f, s, pad);
const pool3 = (
  x: tf.Tensor,
  f: [number, number, number],
  s: [number, number, number],
  pad: 'same' | 'valid',
) => tf.maxPool3d(x as tf.Tensor5D, f, s, pad);
/** The gradient of a max pool against a fixed upstream gradient: MaxPoolGrad / MaxPool3DGrad. */
const poolGrad = (pool: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => {
  const y = pool(x);
  const dy = tf.range(1, y.size + 1).reshape(y.shape);
  return tf.grad((v: tf.Tensor) => pool(v).mul(dy).sum())(x);
};

/** A depthwise convolution with a fixed seeded filter of `filterShape` [fh, fw, C, M]. */
const depthwise = (
  x: tf.Tensor,
  filterShape: [number, number, number, number],
  stride: number,
  pad: 'same' | 'valid',
  dilation = 1,
) =>
  tf.tidy(() =>
    tf.depthwiseConv2d(
      x as tf.Tensor4D,
      tf.randomNormal(filterShape, 0, 1, 'float32', 11) as tf.Tensor4D,
      stride,
      pad,
      'NHWC',
      dilation,
    ),
  );

export const KERNEL_CASES: Case[] = [
  {
    op: 'sum over N,H,W',
    group: 'reduce',
    shape: [3, 7, 5, 6],
    input: 'positive',
    run: (x) => x.sum([0, 1, 2]),
  },
  {
    op: 'mean over N,H,W keepDims',
    group: 'reduce',
    shape: [4, 9, 9, 8],
    input: 'positive',
    run: (x) => x.mean([0, 1, 2], true),
  },
  {
    op: 'mean over H,W',
    group: 'reduce',
    shape: [2, 11, 13, 5],
    input: 'positive',
    run: (x) => x.mean([1, 2]),
  },
  {
    op: 'sum over the last axis',
    group: 'reduce',
    shape: [37, 19],
    input: 'positive',
    run: (x) => x.sum(-1),
  },
  {
    op: 'sum over everything',
    group: 'reduce',
    shape: [5, 301],
    input: 'positive',
    run: (x) => x.sum(),
  },
  {
    op: 'max over the last axis',
    group: 'reduce',
    shape: [64, 4, 17],
    input: 'normal',
    run: (x) => x.max(-1),
  },
  {
    op: 'min over the first axis',
    group: 'reduce',
    shape: [300, 7],
    input: 'normal',
    run: (x) => x.min(0),
  },
  {
    op: 'sum over N and W (non-contiguous: stock)',
    group: 'reduce',
    shape: [3, 4, 5, 6],
    input: 'positive',
    run: (x) => x.sum([0, 2]),
  },
  {
    op: 'softmax, rows of 4',
    group: 'softmax',
    shape: [256, 4, 4],
    input: 'normal',
    run: (x) => tf.softmax(x),
  },
  {
    op: 'softmax, rows of 17',
    group: 'softmax',
    shape: [3, 17, 17],
    input: 'normal',
    run: (x) => tf.softmax(x.mul(10)),
  },
  {
    op: 'softmax, one long row',
    group: 'softmax',
    shape: [1, 1000],
    input: 'normal',
    run: (x) => tf.softmax(x),
  },
  {
    op: 'max pool 2×2 / 2',
    group: 'pool',
    shape: [2, 8, 10, 3],
    input: 'normal',
    run: (x) => pool2(x, 2, 2, 'valid'),
  },
  {
    op: 'max pool 3×3 / 2 same',
    group: 'pool',
    shape: [2, 9, 7, 5],
    input: 'normal',
    run: (x) => pool2(x, 3, 2, 'same'),
  },
  {
    op: 'max pool 3×3 / 2 valid, ragged',
    group: 'pool',
    shape: [1, 10, 8, 4],
    input: 'normal',
    run: (x) => pool2(x, 3, 2, 'valid'),
  },
  {
    op: 'max pool 3D 1×2×2',
    group: 'pool',
    shape: [2, 3, 6, 6, 4],
    input: 'normal',
    run: (x) => pool3(x, [1, 2, 2], [1, 2, 2], 'valid'),
  },
  {
    op: 'max pool 3D 2×3×3 / 2 same',
    group: 'pool',
    shape: [1, 5, 7, 6, 3],
    input: 'normal',
    run: (x) => pool3(x, [2, 3, 3], [2, 2, 2], 'same'),
  },
  {
    op: 'max pool grad 2×2 / 2, ties',
    group: 'pool',
    shape: [2, 8, 8, 4],
    input: 'ties',
    run: poolGrad((x) => pool2(x, 2, 2, 'valid')),
  },
  {
    op: 'max pool grad 3×3 / 2 same, ties',
    group: 'pool',
    shape: [2, 9, 7, 5],
    input: 'ties',
    run: poolGrad((x) => pool2(x, 3, 2, 'same')),
  },
  {
    op: 'max pool grad 3×3 / 1 same, overlapping',
    group: 'pool',
    shape: [1, 6, 6, 2],
    input: 'normal',
    run: poolGrad((x) => pool2(x, 3, 1, 'same')),
  },
  {
    op: 'max pool 3D grad 1×2×2, ties',
    group: 'pool',
    shape: [2, 3, 6, 6, 4],
    input: 'ties',
    run: poolGrad((x) => pool3(x, [1, 2, 2], [1, 2, 2], 'valid')),
  },
  {
    op: 'max pool 3D grad 2×3×3 / 2 same, ties',
    group: 'pool',
    shape: [1, 5, 7, 6, 3],
    input: 'ties',
    run: poolGrad((x) => pool3(x, [2, 3, 3], [2, 2, 2], 'same')),
  },
  {
    op: 'depthwise 5×1 valid (the flow’s separable pass)',
    group: 'depthwise',
    shape: [4, 23, 19, 2],
    input: 'normal',
    run: (x) => depthwise(x, [5, 1, 2, 1], 1, 'valid'),
  },
  {
    op: 'depthwise 1×5 valid, whole tiles of 4 columns',
    group: 'depthwise',
    shape: [4, 19, 24, 1],
    input: 'normal',
    run: (x) => depthwise(x, [1, 5, 1, 1], 1, 'valid'),
  },
  {
    op: 'depthwise 3×3 / 2 same, multiplier 2',
    group: 'depthwise',
    shape: [2, 9, 11, 3],
    input: 'normal',
    run: (x) => depthwise(x, [3, 3, 3, 2], 2, 'same'),
  },
  {
    op: 'depthwise 1×5 same, dilation 2',
    group: 'depthwise',
    shape: [1, 6, 13, 4],
    input: 'normal',
    run: (x) => depthwise(x, [1, 5, 4, 1], 1, 'same', 2),
  },
  {
    op: 'mirror pad reflect, rows',
    group: 'pad',
    shape: [3, 7, 6, 2],
    input: 'normal',
    run: (x) =>
      tf.mirrorPad(
        x,
        [
          [0, 0],
          [2, 2],
          [0, 0],
          [0, 0],
        ],
        'reflect',
      ),
  },
  {
    op: 'mirror pad reflect, rows and columns, uneven',
    group: 'pad',
    shape: [2, 5, 6, 3],
    input: 'normal',
    run: (x) =>
      tf.mirrorPad(
        x,
        [
          [0, 0],
          [1, 4],
          [3, 0],
          [0, 0],
        ],
        'reflect',
      ),
  },
  {
    op: 'mirror pad symmetric, every axis of rank 3',
    group: 'pad',
    shape: [4, 3, 5],
    input: 'normal',
    run: (x) =>
      tf.mirrorPad(
        x,
        [
          [1, 2],
          [3, 3],
          [0, 5],
        ],
        'symmetric',
      ),
  },
];

/** Seeded: the same check gives the same answer. */
function makeInput(c: Case, seed: number): tf.Tensor {
  return tf.tidy(() => {
    if (c.input === 'positive') return tf.randomUniform(c.shape, 0.5, 2, 'float32', seed);
    const x = tf.randomNormal(c.shape, 0, 1, 'float32', seed);
    // ReLU zeros (whole windows of them) and values repeated within a window.
    return c.input === 'ties' ? x.mul(2).round().div(2).relu() : x;
  });
}

export async function checkOtherKernels(): Promise<KernelCase[]> {
  const before = activeKernels();
  const out: KernelCase[] = [];
  try {
    for (const [i, c] of KERNEL_CASES.entries()) {
      const held: tf.Tensor[] = [makeInput(c, 7 + i)];
      const keep = <T extends tf.Tensor>(t: T): T => (held.push(t), t);
      const x = held[0];
      try {
        useKernels('stock');
        const shape = tf.tidy(() => c.run(x).shape);
        const poison = keep(tf.fill(shape, NaN));
        await poison.data();
        poison.dispose();
        useKernels({ [c.group]: 'fast' });
        const fallbacksBefore = stockFallbacks();
        const ours = keep(tf.tidy(() => c.run(x)));
        const handedBack = stockFallbacks() > fallbacksBefore;
        useKernels('stock');
        const ref = keep(tf.tidy(() => c.run(x)));
        const err = keep(tf.tidy(() => tf.stack([ours.sub(ref).abs().max(), ref.abs().max()])));
        const [diff, scale] = await err.data();
        if (!(scale > 0))
          throw new Error(`Kernel check (${c.op}): the stock result is all zeros or NaN.`);
        out.push({ op: c.op, group: c.group, shape: c.shape, relError: diff / scale, handedBack });
      } finally {
        tf.dispose(held);
      }
    }
  } finally {
    useKernels(before);
  }
  return out;
}
