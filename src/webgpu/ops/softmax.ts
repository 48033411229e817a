// Softmax over the last axis for tfjs's 'webgpu' backend: one invocation per row, no shared memory.
//
//   logits [..., C] viewed as [rows, C]:  m = max_c x,  s = Σ_c exp(x − m),  y = exp(x − m) / s
//
// Why: tfjs 4.22's SoftmaxProgram gives every row a 64-wide workgroup that reduces through
// workgroup memory with a workgroupBarrier() per halving. Attention rows are short (4 frames in
// divided attention's temporal step, 17 tokens in its spatial step) and there are hundreds of
// them; on SwiftShader each barrier is costly, so one [256, 4, 4] softmax took ~100 ms and
// softmax was 40% of the tiny transformer's training step.
// Non-float32 logits go to the stock kernel.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';

class RowSoftmaxProgram extends FlatProgram {
  variableNames = ['logits'];

  constructor(
    rows: number,
    private readonly cols: number,
  ) {
    super(rows, rows * cols, `cs_row_softmax_${rows}_${cols}`);
  }

  getUserCode(): string {
    const C = this.cols;
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let base = index * ${C};
      var m = logits[base];
      for (var c = 1; c < ${C}; c++) { m = max(m, logits[base + c]); }
      var s = 0.0;
      for (var c = 0; c < ${C}; c++) { s += exp(logits[base + c] - m); }
      let inv = 1.0 / s;
      for (var c = 0; c < ${C}; c++) { result[base + c] = exp(logits[base + c] - m) * inv; }
    }`;
  }
}

const KERNELS = ['Softmax'] as const;

function fastKernel(): tf.KernelFunc {
  return (args) => {
    const { logits } = args.inputs as { logits: tf.TensorInfo };
    const rank = logits.shape.length;
    const dim = (args.attrs as { dim?: number }).dim ?? -1;
    const cols = logits.shape[rank - 1];
    const total = sizeOf(logits.shape);
    if (logits.dtype !== 'float32' || rank === 0 || (dim !== -1 && dim !== rank - 1) || total === 0)
      return kernels.callStock('Softmax', args);
    const backend = args.backend as WebGPUBackend;
    const out = backend.runWebGPUProgram(
      new RowSoftmaxProgram(total / cols, cols),
      [flatView(logits)],
      'float32',
    );
    return { dataId: out.dataId, shape: [...logits.shape], dtype: 'float32' };
  };
}

const kernels = kernelSwitch(KERNELS, fastKernel);
/** Choose ours ('fast') or tfjs's ('stock') for Softmax on the 'webgpu' backend. Idempotent. */
export const selectSoftmaxKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeSoftmaxKernels = (): 'fast' | 'stock' => kernels.active();
