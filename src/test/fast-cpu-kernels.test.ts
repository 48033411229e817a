import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { installFastCpuKernels, originalConv2dBackpropFilter } from './fast-cpu-kernels';

describe('fast CPU Conv2DBackpropFilter', () => {
  it('gives the same filter gradient as the original kernel (strides, padding, odd sizes)', () => {
    const cases = [
      { x: [2, 9, 7, 3], f: [3, 3, 3, 5], s: 1, pad: 'same' as const },
      { x: [3, 10, 11, 4], f: [3, 2, 4, 6], s: 2, pad: 'valid' as const },
      { x: [1, 8, 8, 2], f: [5, 5, 2, 3], s: [2, 1] as [number, number], pad: 'same' as const },
    ];
    const grads = (fast: boolean) =>
      cases.map(({ x, f, s, pad }) =>
        tf.tidy(() => {
          const xs = tf.randomUniform(x, -1, 1, 'float32', 7);
          const ks = tf.randomUniform(f, -1, 1, 'float32', 8);
          const g = tf.grad((k: tf.Tensor) => tf.conv2d(xs as tf.Tensor4D, k as tf.Tensor4D, s, pad).square().sum())(ks);
          return { fast, g: Array.from(g.dataSync()) };
        }),
      );
    const before = grads(false);
    installFastCpuKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')!.kernelFunc).not.toBe(originalConv2dBackpropFilter.kernelFunc);
    const after = grads(true);
    before.forEach((b, i) => {
      expect(after[i].g.length).toBe(b.g.length);
      b.g.forEach((v, j) => expect(after[i].g[j]).toBeCloseTo(v, 3));
    });
  });
});
