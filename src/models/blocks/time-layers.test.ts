import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FoldTime, middleFrameIdx, StackTimeInChannels, UnfoldTime } from './time-layers';

describe('time layers', () => {
  it('StackTimeInChannels puts frame t, channel c at channel t·C + c of the same pixel', () => {
    const [n, t, h, w, c] = [2, 3, 4, 5, 2];
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.range(0, n * t * h * w * c).reshape([n, t, h, w, c]);
      const y = new StackTimeInChannels({}).apply(x) as tf.Tensor;
      expect(y.shape).toEqual([n, h, w, t * c]);
      const xs = x.arraySync() as number[][][][][];
      const ys = y.arraySync() as number[][][][];
      for (const [b, tt, yy, xx, cc] of [
        [0, 0, 0, 0, 0],
        [1, 2, 3, 4, 1],
        [0, 1, 2, 3, 0],
        [1, 0, 3, 1, 1],
      ])
        expect(ys[b][yy][xx][tt * c + cc]).toBe(xs[b][tt][yy][xx][cc]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('FoldTime then UnfoldTime is the identity on a feature sequence', () => {
    tf.tidy(() => {
      const x = tf.randomUniform([2, 3, 4, 4, 1], 0, 1, 'float32', 1);
      const folded = new FoldTime({}).apply(x) as tf.Tensor;
      expect(folded.shape).toEqual([6, 4, 4, 1]);
      const back = new UnfoldTime({ numFrames: 3 }).apply(folded.reshape([6, 16])) as tf.Tensor;
      expect(back.shape).toEqual([2, 3, 16]);
      expect(
        tf
          .sub(back, x.reshape([2, 3, 16]))
          .abs()
          .max()
          .dataSync()[0],
      ).toBe(0);
      expect(() => new UnfoldTime({ numFrames: 4 }).apply(folded.reshape([6, 16]))).toThrow(
        /not whole clips of 4 frames/,
      );
    });
  });

  it('the middle frame of T is ⌊T/2⌋', () => {
    expect([1, 2, 8, 9].map(middleFrameIdx)).toEqual([0, 1, 4, 4]);
  });
});
