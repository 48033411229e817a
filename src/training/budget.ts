// Budget check before training: will this model, at this batch size, fit the device?
//
//   weights     4 B × (trainable + non-trainable parameters)
//   gradients   4 B × trainable parameters
//   optimizer   Adam keeps two moments per weight (8 B × trainable); plain SGD keeps none
//   activations 2 × batch × Σ layer outputs (forward values kept for backprop + their gradients)
//               + the input batch itself
//
// Checked against two limits: the biggest single tensor against the largest buffer the device
// can bind (WebGPU's maxStorageBufferBindingSize / maxBufferSize from the adapter), and the total
// against a fixed working budget (browsers do not say how much memory a tab may use). A config
// over either gets a warning naming the knob to turn: batch size, frames or frame size.
//
// Pure arithmetic over a model's describe() rows: no tfjs.

import type { Description } from '../models/types';
import { formatBytes } from '../lib/format';

/** What the device allows. `maxBindingBytes` is null off WebGPU (no per-buffer limit known). */
export interface DeviceLimits {
  backend: string;
  maxBindingBytes: number | null;
  /** The total working budget (fixed: browsers do not report a tab's memory). */
  totalBytes: number;
  /** Where the limits came from, in words. */
  source: string;
}

/** Default working budget for one training run: 1 GiB. */
export const DEFAULT_TOTAL_BUDGET = 1024 ** 3;

export interface BudgetEstimate {
  weightsBytes: number;
  gradientBytes: number;
  optimizerBytes: number;
  activationBytes: number;
  inputBytes: number;
  totalBytes: number;
  /** The biggest single tensor during a step (a layer's output for the whole batch). */
  largestTensorBytes: number;
  largestTensorLayer: string;
  limits: DeviceLimits;
  fits: boolean;
  /** Plain words with the knob to turn; null when it fits. */
  warning: string | null;
}

export interface BudgetArgs {
  batchSize: number;
  optimizer: 'adam' | 'sgd';
}

export function estimateBudget(desc: Description, { batchSize, optimizer }: BudgetArgs, limits: DeviceLimits): BudgetEstimate {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`Batch size must be a whole number ≥ 1, got ${batchSize}.`);
  const { trainableParams, nonTrainableParams, activationBytes: actPerClip } = desc.totals;
  const { numFrames: T, height: H, width: W, channels: C } = desc.clip;
  const inputPerClip = 4 * T * H * W * C;
  const weightsBytes = 4 * (trainableParams + nonTrainableParams);
  const gradientBytes = 4 * trainableParams;
  const optimizerBytes = optimizer === 'adam' ? 8 * trainableParams : 0;
  const fixed = weightsBytes + gradientBytes + optimizerBytes;
  const perClip = 2 * actPerClip + inputPerClip;
  const activationBytes = 2 * actPerClip * batchSize;
  const inputBytes = inputPerClip * batchSize;
  const totalBytes = fixed + activationBytes + inputBytes;

  let largestPerClip = inputPerClip;
  let largestTensorLayer = 'input clips';
  for (const row of desc.layers)
    if (row.activationBytes > largestPerClip) {
      largestPerClip = row.activationBytes;
      largestTensorLayer = row.name;
    }
  const largestTensorBytes = largestPerClip * batchSize;

  const knobs = 'the frames (T) or the frame size';
  let warning: string | null = null;
  if (limits.maxBindingBytes !== null && largestTensorBytes > limits.maxBindingBytes) {
    const b = Math.floor(limits.maxBindingBytes / largestPerClip);
    warning =
      `Will not fit: the output of ${largestTensorLayer} for a batch of ${batchSize} is ${formatBytes(largestTensorBytes)}, ` +
      `but this GPU binds at most ${formatBytes(limits.maxBindingBytes)} per buffer. ` +
      (b >= 1 ? `Lower the batch size to ${b} or less, or lower ${knobs}.` : `Lower ${knobs}: even one clip is too big.`);
  } else if (totalBytes > limits.totalBytes) {
    const b = Math.floor((limits.totalBytes - fixed) / perClip);
    warning =
      `Will not fit: training needs about ${formatBytes(totalBytes)} (weights ${formatBytes(weightsBytes)}, optimizer state ${formatBytes(optimizerBytes)}, ` +
      `activations ${formatBytes(activationBytes + inputBytes)}) but the budget is ${formatBytes(limits.totalBytes)}. ` +
      (b >= 1 ? `Lower the batch size to ${b} or less, or lower ${knobs}.` : fixed > limits.totalBytes ? 'The weights alone are too big: pick a smaller preset.' : `Lower ${knobs}: even one clip is too big.`);
  }
  return { weightsBytes, gradientBytes, optimizerBytes, activationBytes, inputBytes, totalBytes, largestTensorBytes, largestTensorLayer, limits, fits: warning === null, warning };
}
