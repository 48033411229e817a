// Two very small models for testing the loop before (and apart from) the model zoo: a 3D conv
// that sees order, and a per-frame model that averages over time and so cannot.
// Test helpers only; the app builds models from the registry.

import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, ClipSpec } from '../models/types';

/** conv3d(3×3×3, 4) → maxpool → flatten → dense(K, softmax). */
export function tinyConv3d(clip: ClipSpec): BuiltModel {
  const inp = tf.input({ shape: [clip.numFrames, clip.height, clip.width, clip.channels] });
  let x = tf.layers.conv3d({ filters: 6, kernelSize: [3, 3, 3], padding: 'same', activation: 'relu' }).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.maxPooling3d({ poolSize: [1, 4, 4] }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.1 }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: clip.numClasses, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: inp, outputs: out }), inputs: ['frames'] };
}

/** timeDistributed(conv2d) → mean over time → dense: order-blind by construction. */
export function tinyAverage(clip: ClipSpec): BuiltModel {
  const inp = tf.input({ shape: [clip.numFrames, clip.height, clip.width, clip.channels] });
  let x = tf.layers.timeDistributed({ layer: tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }) }).apply(inp) as tf.SymbolicTensor;
  x = tf.layers.timeDistributed({ layer: tf.layers.globalAveragePooling2d({}) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling1d().apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: clip.numClasses, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: inp, outputs: out }), inputs: ['frames'] };
}
