// MirrorPad for tfjs's 'webgpu' backend: one invocation per output element, sizes and paddings
// as shader constants, each padded axis reflected with `select` (no branches):
//
//   i = o − before;  reflect:   i < 0 → −i,      i ≥ n → 2(n − 1) − i
//                    symmetric: i < 0 → −i − 1,  i ≥ n → 2n − 1 − i
//
// Why: the flow's separable filters reflect-pad every pyramid level before each 'valid'
// depthwise pass (~100 pads a clip); tfjs 4.22's MirrorPadProgram loops over the axes with
// uniforms and took ~14 ms a dispatch on SwiftShader. Non-float32 inputs go to the stock kernel.

import * as tf from '@tensorflow/tfjs';
import { kernelSwitch } from '../kernel-switch';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram, flatView, sizeOf } from '../flat-program';

class MirrorPadProgram extends FlatProgram {
  variableNames = ['x'];
  private readonly outShape: number[];

  constructor(
    private readonly xShape: readonly number[],
    private readonly paddings: readonly (readonly [number, number])[],
    private readonly mode: 'reflect' | 'symmetric',
  ) {
    const outShape = xShape.map((n, a) => paddings[a][0] + n + paddings[a][1]);
    const size = sizeOf(outShape);
    super(size, size, `cs_mirror_pad_${mode}_${xShape.join('x')}_${paddings.flat().join('_')}`);
    this.outShape = outShape;
  }

  getUserCode(): string {
    const { xShape, paddings, outShape } = this;
    const rank = xShape.length;
    const lines: string[] = ['var rest = index;', 'var at = 0;'];
    // Innermost axis first; `stride` is the input stride of axis a.
    let stride = 1;
    const parts: string[] = [];
    for (let a = rank - 1; a >= 0; a--) {
      const n = xShape[a];
      const [before, after] = paddings[a];
      const low = this.mode === 'reflect' ? `-i${a}` : `-i${a} - 1`;
      const high = this.mode === 'reflect' ? `${2 * (n - 1)} - i${a}` : `${2 * n - 1} - i${a}`;
      const part = [
        `let o${a} = rest % ${outShape[a]};`,
        `rest = rest / ${outShape[a]};`,
        `var i${a} = o${a} - ${before};`,
      ];
      if (before > 0) part.push(`i${a} = select(i${a}, ${low}, i${a} < 0);`);
      if (after > 0) part.push(`i${a} = select(i${a}, ${high}, i${a} >= ${n});`);
      part.push(`at += i${a} * ${stride};`);
      parts.push(part.join('\n      '));
      stride *= n;
    }
    lines.push(...parts);
    return `
    fn main(index : i32) {
      ${this.prologue()}
      ${lines.join('\n      ')}
      result[index] = x[at];
    }`;
  }
}

const KERNELS = ['MirrorPad'] as const;

function fastKernel(): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { paddings, mode } = args.attrs as unknown as {
      paddings: [number, number][];
      mode: 'reflect' | 'symmetric';
    };
    const outShape = x.shape.map((n, a) => paddings[a][0] + n + paddings[a][1]);
    if (
      x.dtype !== 'float32' ||
      x.shape.length === 0 ||
      sizeOf(x.shape) === 0 ||
      sizeOf(outShape) === 0
    )
      return kernels.callStock('MirrorPad', args);
    const backend = args.backend as WebGPUBackend;
    const out = backend.runWebGPUProgram(
      new MirrorPadProgram(x.shape, paddings, mode),
      [flatView(x)],
      'float32',
    );
    return { dataId: out.dataId, shape: outShape, dtype: 'float32' };
  };
}

const kernels = kernelSwitch(KERNELS, fastKernel);
/** Choose ours ('fast') or tfjs's ('stock') for MirrorPad on the 'webgpu' backend. Idempotent. */
export const selectMirrorPadKernels = (impl: 'fast' | 'stock'): void => kernels.select(impl);
export const activeMirrorPadKernels = (): 'fast' | 'stock' => kernels.active();
