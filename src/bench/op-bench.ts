// Our WebGPU kernels against tfjs's stock ones, one kernel at a time, on the shapes the tiny
// presets' profiles showed to be slow: each case calls the kernel directly (tf.engine().runKernel)
// on fixed random inputs, ends in a read-back, and is timed with stock and with ours in one run.
// Called by the benchmark's `ops` group through src/bench/bench-handlers.ts.

import * as tf from '@tensorflow/tfjs';
import { activeKernels, selectKernels, type KernelGroup } from '../webgpu/kernels';
import { timeIt, type Timing } from './workloads';

interface OpCase {
  name: string;
  group: KernelGroup;
  kernel: string;
  /** Input shapes by the kernel's input names. */
  inputs: Record<string, number[]>;
  attrs: Record<string, unknown>;
}

const OP_CASES: OpCase[] = [
  {
    name: 'BN moments: Mean of [32,32,32,8] over N,H,W',
    group: 'reduce',
    kernel: 'Mean',
    inputs: { x: [32, 32, 32, 8] },
    attrs: { axis: [0, 1, 2], keepDims: true },
  },
  {
    name: 'bias gradient: Sum of [4,32,32,8] over N,H,W',
    group: 'reduce',
    kernel: 'Sum',
    inputs: { x: [4, 32, 32, 8] },
    attrs: { axis: [0, 1, 2], keepDims: false },
  },
  {
    name: 'row max: Max of [256,4,17] over the last axis',
    group: 'reduce',
    kernel: 'Max',
    inputs: { x: [256, 4, 17] },
    attrs: { reductionIndices: [2], keepDims: false },
  },
  {
    name: 'dense layer: [4,128] · [128,32]',
    group: 'matmul',
    kernel: 'BatchMatMul',
    inputs: { a: [1, 4, 128], b: [1, 128, 32] },
    attrs: { transposeA: false, transposeB: false },
  },
  {
    name: 'temporal attention: [1024,4,8] · [1024,4,8]ᵀ',
    group: 'matmul',
    kernel: 'BatchMatMul',
    inputs: { a: [1024, 4, 8], b: [1024, 4, 8] },
    attrs: { transposeA: false, transposeB: true },
  },
  {
    name: 'attention weights: Softmax of [256,4,4]',
    group: 'softmax',
    kernel: 'Softmax',
    inputs: { logits: [256, 4, 4] },
    attrs: { dim: 2 },
  },
  {
    name: 'spatial attention: Softmax of [64,17,17]',
    group: 'softmax',
    kernel: 'Softmax',
    inputs: { logits: [64, 17, 17] },
    attrs: { dim: 2 },
  },
  {
    name: 'MaxPool 2×2 of [32,32,32,8]',
    group: 'pool',
    kernel: 'MaxPool',
    inputs: { x: [32, 32, 32, 8] },
    attrs: { filterSize: 2, strides: 2, pad: 'valid' },
  },
  {
    name: 'MaxPoolGrad 2×2 of [32,32,32,8]',
    group: 'pool',
    kernel: 'MaxPoolGrad',
    inputs: { dy: [32, 16, 16, 8], input: [32, 32, 32, 8], output: [32, 16, 16, 8] },
    attrs: { filterSize: 2, strides: 2, pad: 'valid' },
  },
  {
    name: 'MaxPool3DGrad 1×2×2 of [4,8,32,32,8]',
    group: 'pool',
    kernel: 'MaxPool3DGrad',
    inputs: { dy: [4, 8, 16, 16, 8], input: [4, 8, 32, 32, 8], output: [4, 8, 16, 16, 8] },
    attrs: { filterSize: [1, 2, 2], strides: [1, 2, 2], pad: 'valid' },
  },
  {
    name: 'flow smoothing: DepthwiseConv2dNative 5×1 of [16,116,112,1]',
    group: 'depthwise',
    kernel: 'DepthwiseConv2dNative',
    inputs: { x: [16, 116, 112, 1], filter: [5, 1, 1, 1] },
    attrs: { strides: 1, pad: 'valid', dilations: 1, dataFormat: 'NHWC' },
  },
  {
    name: 'flow padding: MirrorPad reflect of [16,112,112,1], 2 rows',
    group: 'pad',
    kernel: 'MirrorPad',
    inputs: { x: [16, 112, 112, 1] },
    attrs: {
      paddings: [
        [0, 0],
        [2, 2],
        [0, 0],
        [0, 0],
      ],
      mode: 'reflect',
    },
  },
];

export interface OpBenchRow {
  name: string;
  group: KernelGroup;
  kernel: string;
  stock: Timing;
  fast: Timing;
  speedup: number;
}

export async function benchOps(repeats: number, warmup: number): Promise<OpBenchRow[]> {
  if (tf.getBackend() !== 'webgpu')
    throw new Error(
      `The kernel benchmark needs the webgpu backend; this worker runs ${tf.getBackend()}.`,
    );
  const before = activeKernels();
  const rows: OpBenchRow[] = [];
  try {
    for (const c of OP_CASES) {
      const inputs = Object.fromEntries(
        Object.entries(c.inputs).map(([k, s]) => [k, tf.randomNormal(s)]),
      );
      const run = async () => {
        const out = tf
          .engine()
          .runKernel(c.kernel, inputs, c.attrs as tf.NamedAttrMap) as tf.Tensor;
        try {
          await out.data();
        } finally {
          out.dispose();
        }
      };
      try {
        selectKernels('stock');
        const stock = await timeIt(run, repeats, warmup);
        selectKernels({ [c.group]: 'fast' });
        const fast = await timeIt(run, repeats, warmup);
        rows.push({
          name: c.name,
          group: c.group,
          kernel: c.kernel,
          stock,
          fast,
          speedup: stock.medianMs / fast.medianMs,
        });
      } finally {
        tf.dispose(Object.values(inputs));
      }
    }
  } finally {
    selectKernels(before);
  }
  return rows;
}
