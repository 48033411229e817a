// Test-only speed-up for the lesson tests on tfjs's pure-JS CPU backend. Its
// Conv2DBackpropFilter reads every element through TensorBuffer.get(...indices) (an array per
// read), which makes a 2D CNN's training step ~100× slower than the maths needs: over 2 s for
// 48 frames of 12 × 12. This swaps in the same sum over flat arrays (channels-last, dilation 1,
// exactly the cases the original handles the same way); fast-cpu-kernels.test.ts checks it
// against the original on random inputs. Import it only from test files that need it: it
// changes the kernel registry of that test file's worker only.

import * as tf from '@tensorflow/tfjs';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type CpuBackend = { data: { get(id: object): { values: Float32Array } }; makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo };

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** dW[r, c, i, o] = Σ_b,y,x  X[b, y·s − pad + r, x·s − pad + c, i] · dY[b, y, x, o]. */
export function conv2dBackpropFilterFlat(x: Float32Array, xShape: number[], dy: Float32Array, attrs: BackpropFilterAttrs): { values: Float32Array; shape: number[] } {
  const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co, filterHeight: FH, filterWidth: FW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dW = new Float32Array(FH * FW * Ci * Co);
  for (let r = 0; r < FH; r++) {
    const yMin = Math.max(0, Math.ceil((top - r) / SH));
    const yMax = Math.min(OH, (H + top - r) / SH);
    for (let c = 0; c < FW; c++) {
      const xMin = Math.max(0, Math.ceil((left - c) / SW));
      const xMax = Math.min(OW, (W + left - c) / SW);
      const wBase = (r * FW + c) * Ci * Co;
      for (let b = 0; b < N; b++)
        for (let yo = yMin; yo < yMax; yo++) {
          const yi = r + yo * SH - top;
          for (let xo = xMin; xo < xMax; xo++) {
            const xi = c + xo * SW - left;
            const xOff = ((b * H + yi) * W + xi) * Ci;
            const dyOff = ((b * OH + yo) * OW + xo) * Co;
            for (let i = 0; i < Ci; i++) {
              const xv = x[xOff + i];
              if (xv === 0) continue;
              const w = wBase + i * Co;
              for (let o = 0; o < Co; o++) dW[w + o] += xv * dy[dyOff + o];
            }
          }
        }
    }
  }
  return { values: dW, shape: [FH, FW, Ci, Co] };
}

/** The original CPU kernel (kept for the equivalence test). */
export const originalConv2dBackpropFilter = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;

let installed = false;

export function installFastCpuKernels(): void {
  if (installed) return;
  installed = true;
  tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'cpu',
    kernelFunc: (({ inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: CpuBackend; attrs: BackpropFilterAttrs }) => {
      if (attrs.dataFormat === 'NCHW') throw new Error('fast Conv2DBackpropFilter: channels-first is not supported');
      const x = backend.data.get(inputs.x.dataId).values;
      const dy = backend.data.get(inputs.dy.dataId).values;
      const out = conv2dBackpropFilterFlat(x, inputs.x.shape, dy, attrs);
      return backend.makeTensorInfo(out.shape, 'float32', out.values);
    }) as unknown as tf.KernelFunc,
  });
}
