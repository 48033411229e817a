// Classification metrics over plain arrays (no tfjs): the worker computes predictions, these
// turn them into the numbers the page shows.

/** Index of the largest of each row of `probs` [N, K]. */
export function argmaxRows(probs: ArrayLike<number>, numClasses: number): Int32Array {
  if (probs.length % numClasses !== 0) throw new Error(`Probabilities of length ${probs.length} are not rows of ${numClasses} classes.`);
  const n = probs.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < numClasses; k++) if (probs[i * numClasses + k] > probs[i * numClasses + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Fraction of predictions equal to the label (0 for no examples). */
export function accuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length) throw new Error(`${predicted.length} predictions for ${labels.length} labels.`);
  if (labels.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}

/** Confusion matrix: rows are true classes, columns predicted classes, entries counts. */
export function confusionMatrix(predicted: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number[][] {
  if (predicted.length !== labels.length) throw new Error(`${predicted.length} predictions for ${labels.length} labels.`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    const p = predicted[i];
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses)) throw new Error(`Class index out of range at example ${i}: label ${t}, prediction ${p}, ${numClasses} classes.`);
    m[t][p]++;
  }
  return m;
}

/** Per-class accuracy (recall) from a confusion matrix; null for a class with no examples. */
export function perClassAccuracy(matrix: readonly (readonly number[])[]): (number | null)[] {
  return matrix.map((row, k) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[k] / total;
  });
}

/** Mean cross-entropy −log p[label] of rows of probabilities, clipped like Keras (1e-7). */
export function crossEntropy(probs: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number {
  if (labels.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, probs[i * numClasses + labels[i]])));
  return sum / labels.length;
}
