import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accuracy, argmaxRows, confusionMatrix, crossEntropy, perClassAccuracy } from './metrics';

describe('metrics', () => {
  it('confusion matrix: rows true, columns predicted', () => {
    const labels = [0, 0, 0, 1, 1, 2];
    const pred = [0, 1, 0, 1, 2, 2];
    expect(confusionMatrix(pred, labels, 3)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(perClassAccuracy(confusionMatrix(pred, labels, 3))).toEqual([2 / 3, 1 / 2, 1]);
    expect(accuracy(pred, labels)).toBeCloseTo(4 / 6);
  });

  it('a class with no examples has no accuracy (null), not 0', () => {
    expect(perClassAccuracy(confusionMatrix([0, 0], [0, 0], 2))).toEqual([1, null]);
  });

  it('properties: the matrix sums to N, its trace over N is the accuracy, row sums count labels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((k) => fc.tuple(fc.constant(k), fc.array(fc.tuple(fc.nat(k - 1), fc.nat(k - 1)), { minLength: 1, maxLength: 60 }))), ([k, pairs]) => {
        const labels = pairs.map((p) => p[0]);
        const pred = pairs.map((p) => p[1]);
        const m = confusionMatrix(pred, labels, k);
        expect(m.flat().reduce((a, b) => a + b, 0)).toBe(pairs.length);
        expect(m.reduce((a, row, i) => a + row[i], 0) / pairs.length).toBeCloseTo(accuracy(pred, labels), 12);
        for (let c = 0; c < k; c++) expect(m[c].reduce((a, b) => a + b, 0)).toBe(labels.filter((l) => l === c).length);
      }),
    );
  });

  it('argmax rows and cross-entropy', () => {
    const probs = [0.9, 0.1, 0.2, 0.8, 0.5, 0.5];
    expect([...argmaxRows(probs, 2)]).toEqual([0, 1, 0]);
    expect(crossEntropy(probs, [0, 1, 1], 2)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.5)) / 3);
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow(/not rows of 2/);
    expect(() => confusionMatrix([3], [0], 2)).toThrow(/out of range/);
  });
});
