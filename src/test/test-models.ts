// Two very small models for testing the loop before (and apart from) the model zoo: a 3D conv
// that sees order, and a per-frame model that averages over time and so cannot.
// Test helpers only; the app builds models from the registry.

import * as tf from '@tensorflow/tfjs';
import type { BuiltModel, ClipSpec, Description, FamilyDef, LayerRow } from '../models/types';
import type { FamilyId } from '../models/family-info';
import { sumTotals } from '../models/blocks/rows';

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

/**
 * A FamilyDef around one of the stand-ins, for tests of the worker's training requests while
 * the zoo's families are not registered. describe() builds the model and reads its layers
 * (fine in tests; real families describe without allocating).
 */
export function standInFamily(id: FamilyId, build: (clip: ClipSpec) => BuiltModel): FamilyDef<Record<string, never>> {
  const describe = (_: Record<string, never>, clip: ClipSpec): Description => {
    const { model } = build(clip);
    try {
      const layers: LayerRow[] = model.layers.map((l) => {
        const shape = (l.outputShape as (number | null)[]).slice(1) as number[];
        const n = shape.reduce((a, b) => a * b, 1);
        return { name: l.name, kind: l.getClassName(), outputShape: shape, trainableParams: l.countParams(), nonTrainableParams: 0, macs: 0, activationBytes: 4 * n, temporal: false };
      });
      return { family: id, variant: 'stand-in', clip, layers, totals: sumTotals(layers), extras: [] };
    } finally {
      model.dispose();
    }
  };
  const tinyClip: ClipSpec = { numFrames: 4, height: 12, width: 12, channels: 3, numClasses: 2 };
  return { id, defaultConfig: {}, presets: { tiny: { config: {}, clip: tinyClip } }, build: (_, clip) => build(clip), describe };
}
