// BatchMatMul and _FusedMatMul (bias + relu/linear) for tfjs's 'webgpu' backend without shared
// memory: each invocation owns a 4 × 4 register tile of C[b] = op(A[b]) · op(B[b]) and walks K.
//
// tfjs 4.22's matmuls tile through workgroup memory with a workgroupBarrier() per K step; on
// SwiftShader (WebGPU emulated on the CPU) each barrier is costly, so the small matmuls of an
// LSTM or an attention head ([1, 4, 128] · [1, 128, 32]) took 100–400 ms each in a profile.
// Sizes and transposes are shader constants. Batch broadcasting, non-float32 and other
// activations go to the stock kernels; bias and relu run as ./fused-epilogue.ts.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';
import { fusedEpilogue, fusedEpilogueFits } from './fused-epilogue';

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b);

/** C[bat, m, n] = Σ_k A[bat, m, k] · B[bat, k, n], with A or B stored transposed. */
class TiledMatMulProgram extends FlatProgram {
  variableNames = ['A', 'B'];

  constructor(
    batch: number,
    private readonly M: number,
    private readonly K: number,
    private readonly N: number,
    private readonly transA: boolean,
    private readonly transB: boolean,
  ) {
    super(
      batch * ceilDiv(M, 4) * ceilDiv(N, 4),
      batch * M * N,
      `cs_tiled_matmul_${batch}_${M}_${K}_${N}_${transA}_${transB}`,
    );
  }

  getUserCode(): string {
    const { M, K, N, transA, transB } = this;
    const NT = ceilDiv(N, 4);
    const MT = ceilDiv(M, 4);
    const aAt = (m: string) =>
      transA ? `A[aBase + k * ${M} + ${m}]` : `A[aBase + (${m}) * ${K} + k]`;
    const bAt = (n: string) =>
      transB ? `B[bBase + (${n}) * ${K} + k]` : `B[bBase + k * ${N} + ${n}]`;
    const rows = [0, 1, 2, 3];
    return `
    fn main(index : i32) {
      ${this.prologue()}
      let nt = index % ${NT};
      let mt = (index / ${NT}) % ${MT};
      let bat = index / ${NT * MT};
      let tileM = mt * 4;
      let tileN = nt * 4;
      let aBase = bat * ${M * K};
      let bBase = bat * ${K * N};
      ${rows.map((i) => `let m${i} = min(tileM + ${i}, ${M - 1});`).join(' ')}
      ${rows.map((j) => `let n${j} = min(tileN + ${j}, ${N - 1});`).join(' ')}
      ${rows.map((i) => `var acc${i} = vec4<f32>(0.0);`).join(' ')}
      for (var k = 0; k < ${K}; k++) {
        let bv = vec4<f32>(${rows.map((j) => bAt(`n${j}`)).join(', ')});
        ${rows.map((i) => `acc${i} += ${aAt(`m${i}`)} * bv;`).join('\n        ')}
      }
      let cBase = bat * ${M * N};
      ${rows
        .map(
          (i) => `if (tileM + ${i} < ${M}) {
        ${rows.map((j) => `if (tileN + ${j} < ${N}) { result[cBase + (tileM + ${i}) * ${N} + tileN + ${j}] = acc${i}[${j}]; }`).join(' ')}
      }`,
        )
        .join('\n      ')}
    }`;
  }
}

type Attrs = { transposeA?: boolean; transposeB?: boolean; activation?: string };

/** Our matmul on a, b (rank ≥ 2, equal batch dims), or null when the stock kernel should run. */
function tiledMatMul(
  backend: WebGPUBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  attrs: Attrs,
): tf.TensorInfo | null {
  if (
    a.dtype !== 'float32' ||
    b.dtype !== 'float32' ||
    a.shape.length < 2 ||
    a.shape.length !== b.shape.length
  )
    return null;
  const ra = a.shape.length;
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  if (batchA.some((d, i) => d !== batchB[i])) return null;
  const transA = attrs.transposeA === true;
  const transB = attrs.transposeB === true;
  const M = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const K2 = transB ? b.shape[ra - 1] : b.shape[ra - 2];
  const N = transB ? b.shape[ra - 2] : b.shape[ra - 1];
  if (K !== K2 || M === 0 || N === 0 || K === 0) return null;
  const batch = sizeOf(batchA);
  const out = backend.runWebGPUProgram(
    new TiledMatMulProgram(batch, M, K, N, transA, transB),
    [flatView(a), flatView(b)],
    'float32',
  );
  return { dataId: out.dataId, shape: [...batchA, M, N], dtype: 'float32' };
}

const KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
type KernelName = (typeof KERNELS)[number];

const FAST: Record<KernelName, tf.KernelFunc> = {
  BatchMatMul(args) {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    return (
      tiledMatMul(args.backend as WebGPUBackend, a, b, args.attrs as Attrs) ??
      kernels.callStock('BatchMatMul', args)
    );
  },
  _FusedMatMul(args) {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<
      string,
      tf.TensorInfo | undefined
    >;
    const attrs = args.attrs as Attrs;
    const activation = attrs.activation ?? 'linear';
    const backend = args.backend as WebGPUBackend;
    const N = attrs.transposeB ? b!.shape[b!.shape.length - 2] : b!.shape[b!.shape.length - 1];
    const y = fusedEpilogueFits(activation, N, bias, preluActivationWeights) ? tiledMatMul(backend, a!, b!, attrs) : null;
    if (!y) return kernels.callStock('_FusedMatMul', args);
    return fusedEpilogue(backend, y, N, activation, bias);
  },
};

const kernels = kernelSwitch(KERNELS, (n) => FAST[n]);
/** Choose ours ('fast') or tfjs's ('stock') for these kernels on the 'webgpu' backend. Idempotent. */
export const selectMatMulKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeMatMulKernels = (): 'fast' | 'stock' => kernels.active();
