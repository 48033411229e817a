// Fast WebGPU kernels for the commonest broadcast in a video model: a per-channel vector against
// a channels-last activation (biases, batch-norm scale/shift and their gradients).
//
//   big  [N, T, H, W, C]  (any rank ≥ 2)        small  [C], [1, C], [1, 1, 1, 1, C] …
//   out[i] = op(big[i], small[i mod C])          (or op(small[i mod C], big[i]))
//
// tfjs 4.22's BinaryOpProgram handles a rank-1 operand shorter than 128 with a 256-wide
// workgroup that stages it in shared memory behind a workgroupBarrier() and re-derives N-D
// coordinates per element; a [1, …, 1, C] operand goes through rank-N coordinate helpers. On
// SwiftShader (WebGPU emulated on the CPU) barriers are very expensive: measured 124 ms for a
// [4, 256, 32, 8] × [8] multiply against 9 ms for the same multiply without broadcasting.
// And rank-5 coordinate helpers fail outright ("cannot index type 'vec5'",
// ../../../shared/TFJS-NOTES.md).
//
// Here the index is flat: one invocation per 4 outputs (vec4) when C is a multiple of 4, else
// one per output; no barrier, no coordinates. Everything else goes to the stock kernel.
//
//   selectBroadcastBinaryKernels('fast' | 'stock')   like ../webgpu-conv3d/conv3d-kernels.ts

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';

const OPS = {
  Add: 'a + b',
  Sub: 'a - b',
  Multiply: 'a * b',
  RealDiv: 'a / b',
  SquaredDifference: '(a - b) * (a - b)',
} as const;
type OpName = keyof typeof OPS;
const NAMES = Object.keys(OPS) as OpName[];

/** out[i] = op(big[i], small[i mod C]) with `smallFirst` swapping the operands of op. */
export class ChannelBroadcastProgram extends FlatProgram {
  variableNames = ['big', 'small'];
  outputComponent: number;
  variableComponents: number[];
  private readonly width: number;

  constructor(
    private readonly op: OpName,
    size: number,
    channels: number,
    private readonly smallFirst: boolean,
  ) {
    const vec = channels % 4 === 0 ? 4 : 1;
    super(size / vec, size, `cs_chan_bcast_${op}_${size}_${channels}_${smallFirst}`);
    this.outputComponent = vec;
    this.variableComponents = [vec, vec];
    this.width = channels / vec;
  }

  getUserCode(): string {
    const [a, b] = this.smallFirst ? ['s', 'g'] : ['g', 's'];
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let g = big[index];
      let s = small[index % ${this.width}];
      let a = ${a};
      let b = ${b};
      result[index] = ${OPS[this.op]};
    }`;
  }
}

/** [C] / [1, …, 1, C] against [..., C] with the big one's shape as the broadcast shape; else null. */
export function channelBroadcast(
  aShape: readonly number[],
  bShape: readonly number[],
): { smallIsA: boolean; channels: number } | null {
  for (const smallIsA of [false, true]) {
    const [big, small] = smallIsA ? [bShape, aShape] : [aShape, bShape];
    if (big.length < 2 || small.length < 1 || small.length > big.length) continue;
    const c = big[big.length - 1];
    if (small[small.length - 1] !== c || sizeOf(small) !== c || sizeOf(big) <= c) continue;
    return { smallIsA, channels: c };
  }
  return null;
}

function fastKernel(name: OpName): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const plan =
      a.dtype === 'float32' && b.dtype === 'float32' ? channelBroadcast(a.shape, b.shape) : null;
    if (!plan) return kernels.callStock(name, args);
    const backend = args.backend as WebGPUBackend;
    const [big, small] = plan.smallIsA ? [b, a] : [a, b];
    const program = new ChannelBroadcastProgram(
      name,
      sizeOf(big.shape),
      plan.channels,
      plan.smallIsA,
    );
    const out = backend.runWebGPUProgram(program, [flatView(big), flatView(small)], 'float32');
    return { dataId: out.dataId, shape: [...big.shape], dtype: 'float32' };
  };
}

const kernels = kernelSwitch(NAMES, fastKernel);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const selectBroadcastBinaryKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeBroadcastBinaryKernels = (): 'fast' | 'stock' => kernels.active();
