// Correctness of the channel-broadcast kernels (./broadcast-binary.ts) on the 'webgpu' backend:
// each op on random shapes against the same op on an explicitly tiled operand (no broadcast, so
// tfjs's plain element-wise path), max |difference| relative to the result's scale. Read back
// asynchronously (dataSync reads zeros on SwiftShader's webgpu).

import * as tf from '@tensorflow/tfjs';
import { activeBroadcastBinaryKernels, channelBroadcast, selectBroadcastBinaryKernels } from '../../webgpu/ops/broadcast-binary';
import { activeMatMulKernels, selectMatMulKernels } from '../../webgpu/ops/matmul';
import { checkOtherKernels } from './ops-check';
import { stockFallbacks } from '../../webgpu/kernel-switch';

type Op = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
const OPS: Record<string, Op> = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, squaredDifference: tf.squaredDifference };

/** [big shape, small shape, small first?]: odd channels, vec4 channels, rank 5, [1,…,1,C]. */
const BROADCAST_CASES: [number[], number[], boolean][] = [
  [[4, 16, 8, 8], [8], false],
  [[2, 3, 5, 7, 3], [3], true],
  [[2, 3, 4, 5, 8], [1, 1, 1, 1, 8], false],
  [[3, 5, 12], [1, 12], true],
  [[6, 7], [7], false],
];

export interface BroadcastCheckReport {
  maxRelError: number;
  /** `handedBack`: our kernel passed the call to tfjs's (so the case compared stock with stock). */
  cases: { op: string; big: number[]; small: number[]; smallFirst: boolean; relError: number; handedBack: boolean }[];
  activeKernels: 'fast' | 'stock';
}

export async function checkBroadcastKernels(): Promise<BroadcastCheckReport> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`The broadcast kernel check needs the webgpu backend; this worker runs ${tf.getBackend()}.`);
  const before = activeBroadcastBinaryKernels();
  selectBroadcastBinaryKernels('fast');
  const cases: BroadcastCheckReport['cases'] = [];
  try {
    for (const [big, small, smallFirst] of BROADCAST_CASES) {
      if (!channelBroadcast(big, small)) throw new Error(`Broadcast check: ${big} with ${small} is not a channel broadcast.`);
      for (const [name, op] of Object.entries(OPS)) {
        let handedBack = false;
        const [err] = tf.tidy(() => {
          const g = tf.randomUniform(big, 0.5, 2);
          const s = tf.randomUniform(small, 0.5, 2);
          const tiled = s.reshape([small[small.length - 1]]).tile([big.slice(0, -1).reduce((x, y) => x * y, 1)]).reshape(big);
          const fallbacksBefore = stockFallbacks();
          const ours = smallFirst ? op(s, g) : op(g, s);
          handedBack = stockFallbacks() > fallbacksBefore;
          const ref = smallFirst ? op(tiled, g) : op(g, tiled);
          return [tf.stack([ours.sub(ref).abs().max(), ref.abs().max()])];
        });
        try {
          const [diff, scale] = await err.data();
          if (!(scale > 0)) throw new Error(`Broadcast check: the reference ${name} result is all zeros or NaN.`);
          cases.push({ op: name, big, small, smallFirst, relError: diff / scale, handedBack });
        } finally {
          err.dispose();
        }
      }
    }
  } finally {
    selectBroadcastBinaryKernels(before);
  }
  cases.push(...(await checkMatMuls()));
  cases.push(...(await checkOtherKernels()).map((c) => ({ op: `${c.group}: ${c.op}`, big: c.shape, small: [], smallFirst: false, relError: c.relError, handedBack: c.handedBack })));
  return { maxRelError: Math.max(...cases.map((c) => c.relError)), cases, activeKernels: before };
}

/** [a, b, transposeA, transposeB, fused bias+relu]: odd sizes, transposes, batches. */
const MATMUL_CASES: [number[], number[], boolean, boolean, boolean][] = [
  [[1, 4, 128], [1, 128, 32], false, false, false],
  [[3, 7, 5], [3, 9, 5], false, true, false],
  [[2, 6, 5], [2, 6, 11], true, false, false],
  [[1, 13, 10], [1, 3, 13], true, true, false],
  [[9, 17], [17, 6], false, false, true],
];

/** Our matmuls against tfjs's stock ones (relative to the result's scale). */
async function checkMatMuls(): Promise<BroadcastCheckReport['cases']> {
  const before = activeMatMulKernels();
  const out: BroadcastCheckReport['cases'] = [];
  try {
    for (const [as, bs, ta, tb, fused] of MATMUL_CASES) {
      const a = tf.randomNormal(as);
      const b = tf.randomNormal(bs);
      const bias = tf.randomNormal([tb ? bs[bs.length - 2] : bs[bs.length - 1]]);
      const run = () => (fused ? tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: ta, transposeB: tb, bias, activation: 'relu' }) : tf.matMul(a, b, ta, tb));
      try {
        // Ours first, into a recycled buffer that holds NaN: a kernel that writes nothing (say, a
        // shader that fails to compile) must not inherit the stock result from the buffer pool.
        const shape = tf.tidy(() => run().shape);
        const poison = tf.fill(shape, NaN);
        await poison.data();
        poison.dispose();
        selectMatMulKernels('fast');
        const fallbacksBefore = stockFallbacks();
        const ours = run();
        const handedBack = stockFallbacks() > fallbacksBefore;
        selectMatMulKernels('stock');
        const err = tf.tidy(() => {
          const ref = run();
          return tf.stack([ours.sub(ref).abs().max(), ref.abs().max()]);
        });
        ours.dispose();
        const [diff, scale] = await err.data().finally(() => err.dispose());
        if (!(scale > 0)) throw new Error('Matmul check: the stock result is all zeros or NaN.');
        out.push({ op: `matMul${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}${fused ? ' + bias, relu' : ''}`, big: as, small: bs, smallFirst: false, relError: diff / scale, handedBack });
      } finally {
        tf.dispose([a, b, bias]);
      }
    }
  } finally {
    selectMatMulKernels(before);
  }
  return out;
}
