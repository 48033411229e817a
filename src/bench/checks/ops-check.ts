// Correctness of the reduction, softmax, max-pooling, depthwise and mirror-pad kernels
// (src/webgpu/ops: reduce, softmax, pool, depthwise, mirror-pad) on the 'webgpu' backend against
// tfjs's stock kernels: odd sizes, every contiguous axis run (and a non-contiguous one, which
// must fall back), keepDims, 'same' padding, overlapping and ragged windows, 2D and 3D, and
// pooling gradients on inputs full of ties (ReLU zeros and repeated values), where the max
// position rule decides where the gradient goes.
// Ours runs first, into a recycled buffer that holds NaN, so a kernel that writes nothing cannot
// pass by inheriting the stock result from tfjs's buffer pool. Read back asynchronously.
// Pools with a different filter or stride per axis are left out on purpose: tfjs 4.22's stock
// MaxPool3DGrad (webgpu) and its CPU kernel both route some gradients wrongly there (e.g. filter
// 3×2×3, strides 2×1×2; CPU already at 1×2×1), while ours matched a plain loop (TFJS-NOTES.md).

import * as tf from '@tensorflow/tfjs';
import { activeKernels, selectKernels, type KernelGroup } from '../../webgpu/kernels';
import { stockFallbacks } from '../../webgpu/kernel-switch';

interface KernelCase {
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

const pool2 = (x: tf.Tensor, f: number, s: number, pad: 'same' | 'valid') => tf.maxPool(x as tf.Tensor4D, f, s, pad);
type Triple = [number, number, number];
const pool3 = (x: tf.Tensor, f: Triple, s: Triple, pad: 'same' | 'valid') => tf.maxPool3d(x as tf.Tensor5D, f, s, pad);
/** The gradient of a max pool against a fixed upstream gradient: MaxPoolGrad / MaxPool3DGrad. */
const poolGrad = (pool: (x: tf.Tensor) => tf.Tensor) => (x: tf.Tensor) => {
  const y = pool(x);
  const dy = tf.range(1, y.size + 1).reshape(y.shape);
  return tf.grad((v: tf.Tensor) => pool(v).mul(dy).sum())(x);
};

/** A depthwise convolution with a fixed seeded filter of `filterShape` [fh, fw, C, M]. */
const depthwise = (filterShape: [number, number, number, number], stride: number, pad: 'same' | 'valid', dilation = 1) => (x: tf.Tensor) =>
  tf.tidy(() => tf.depthwiseConv2d(x as tf.Tensor4D, tf.randomNormal(filterShape, 0, 1, 'float32', 11) as tf.Tensor4D, stride, pad, 'NHWC', dilation));

/** Mirror padding, [before, after] per axis. */
const mirror = (paddings: [number, number][], mode: 'reflect' | 'symmetric') => (x: tf.Tensor) => tf.mirrorPad(x, paddings, mode);

/** One group's cases, a row each: [op, shape, input, run]. */
const casesOf = (group: KernelGroup, rows: [string, number[], Case['input'], Case['run']][]): Case[] => rows.map(([op, shape, input, run]) => ({ op, group, shape, input, run }));

const KERNEL_CASES: Case[] = [
  ...casesOf('reduce', [
    ['sum over N,H,W', [3, 7, 5, 6], 'positive', (x) => x.sum([0, 1, 2])],
    ['mean over N,H,W keepDims', [4, 9, 9, 8], 'positive', (x) => x.mean([0, 1, 2], true)],
    ['mean over H,W', [2, 11, 13, 5], 'positive', (x) => x.mean([1, 2])],
    ['sum over the last axis', [37, 19], 'positive', (x) => x.sum(-1)],
    ['sum over everything', [5, 301], 'positive', (x) => x.sum()],
    ['max over the last axis', [64, 4, 17], 'normal', (x) => x.max(-1)],
    ['min over the first axis', [300, 7], 'normal', (x) => x.min(0)],
    ['sum over N and W (non-contiguous: stock)', [3, 4, 5, 6], 'positive', (x) => x.sum([0, 2])],
  ]),
  ...casesOf('softmax', [
    ['softmax, rows of 4', [256, 4, 4], 'normal', (x) => tf.softmax(x)],
    ['softmax, rows of 17', [3, 17, 17], 'normal', (x) => tf.softmax(x.mul(10))],
    ['softmax, one long row', [1, 1000], 'normal', (x) => tf.softmax(x)],
  ]),
  ...casesOf('pool', [
    ['max pool 2×2 / 2', [2, 8, 10, 3], 'normal', (x) => pool2(x, 2, 2, 'valid')],
    ['max pool 3×3 / 2 same', [2, 9, 7, 5], 'normal', (x) => pool2(x, 3, 2, 'same')],
    ['max pool 3×3 / 2 valid, ragged', [1, 10, 8, 4], 'normal', (x) => pool2(x, 3, 2, 'valid')],
    ['max pool 3D 1×2×2', [2, 3, 6, 6, 4], 'normal', (x) => pool3(x, [1, 2, 2], [1, 2, 2], 'valid')],
    ['max pool 3D 2×3×3 / 2 same', [1, 5, 7, 6, 3], 'normal', (x) => pool3(x, [2, 3, 3], [2, 2, 2], 'same')],
    ['max pool grad 2×2 / 2, ties', [2, 8, 8, 4], 'ties', poolGrad((x) => pool2(x, 2, 2, 'valid'))],
    ['max pool grad 3×3 / 2 same, ties', [2, 9, 7, 5], 'ties', poolGrad((x) => pool2(x, 3, 2, 'same'))],
    ['max pool grad 3×3 / 1 same, overlapping', [1, 6, 6, 2], 'normal', poolGrad((x) => pool2(x, 3, 1, 'same'))],
    ['max pool 3D grad 1×2×2, ties', [2, 3, 6, 6, 4], 'ties', poolGrad((x) => pool3(x, [1, 2, 2], [1, 2, 2], 'valid'))],
    ['max pool 3D grad 2×3×3 / 2 same, ties', [1, 5, 7, 6, 3], 'ties', poolGrad((x) => pool3(x, [2, 3, 3], [2, 2, 2], 'same'))],
  ]),
  ...casesOf('depthwise', [
    ['depthwise 5×1 valid (the flow’s separable pass)', [4, 23, 19, 2], 'normal', depthwise([5, 1, 2, 1], 1, 'valid')],
    ['depthwise 1×5 valid, whole tiles of 4 columns', [4, 19, 24, 1], 'normal', depthwise([1, 5, 1, 1], 1, 'valid')],
    ['depthwise 3×3 / 2 same, multiplier 2', [2, 9, 11, 3], 'normal', depthwise([3, 3, 3, 2], 2, 'same')],
    ['depthwise 1×5 same, dilation 2', [1, 6, 13, 4], 'normal', depthwise([1, 5, 4, 1], 1, 'same', 2)],
  ]),
  ...casesOf('pad', [
    ['mirror pad reflect, rows', [3, 7, 6, 2], 'normal', mirror([[0, 0], [2, 2], [0, 0], [0, 0]], 'reflect')],
    ['mirror pad reflect, rows and columns, uneven', [2, 5, 6, 3], 'normal', mirror([[0, 0], [1, 4], [3, 0], [0, 0]], 'reflect')],
    ['mirror pad symmetric, every axis of rank 3', [4, 3, 5], 'normal', mirror([[1, 2], [3, 3], [0, 5]], 'symmetric')],
  ]),
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
        selectKernels('stock');
        const shape = tf.tidy(() => c.run(x).shape);
        const poison = keep(tf.fill(shape, NaN));
        await poison.data();
        poison.dispose();
        selectKernels({ [c.group]: 'fast' });
        const fallbacksBefore = stockFallbacks();
        const ours = keep(tf.tidy(() => c.run(x)));
        const handedBack = stockFallbacks() > fallbacksBefore;
        selectKernels('stock');
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
    selectKernels(before);
  }
  return out;
}
