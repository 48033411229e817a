// Late fusion: one 2D CNN, shared by every frame, turns each frame into a feature vector; the
// T vectors are pooled over time (mean, or max) and classified. Time is mixed only at that pool,
// after all spatial processing, and a mean or max does not depend on order: it sees what is in
// the clip, never in which order. (Karpathy et al., "Large-scale Video Classification with
// Convolutional Neural Networks", CVPR 2014, §3.1 "Late Fusion"; Ng et al., "Beyond Short
// Snippets", CVPR 2015, feature pooling.)
//
//   clip [N, T, H, W, C] ──FoldTime──▶ [N·T, H, W, C]
//     ──▶ shared 2D trunk (blocks-2d.ts) ──▶ [N·T, F] ──UnfoldTime──▶ [N, T, F]
//     ──▶ mean or max over T ──▶ [N, F] ──▶ dropout ──▶ fc + softmax ──▶ [N, K]

import * as tf from '@tensorflow/tfjs';
import { DescribeNet, LayersNet, RESNET18_TRUNK, TINY_TRUNK, trunk2d, trunkFeatures, type Trunk2dConfig } from './blocks-2d';
import { shapeRow, sumTotals } from './describe';
import { FoldTime, UnfoldTime } from './time-layers';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';
import { formatInt } from '../lib/format';

export interface LateFusionConfig {
  trunk: Trunk2dConfig; // default TINY_TRUNK, shared by all frames
  fusion: 'mean' | 'max'; // default 'mean': how the T feature vectors become one
  dropout: number; // default 0: dropout rate before the classifier
}

export const defaultLateFusionConfig: LateFusionConfig = { trunk: TINY_TRUNK, fusion: 'mean', dropout: 0 };

export function buildLateFusion(config: LateFusionConfig, clip: ClipSpec): BuiltModel {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const net = new LayersNet();
  const input = tf.input({ shape: [t, h, w, c], name: 'frames' });
  const frames = new FoldTime({ name: 'fold_time' }).apply(input) as tf.SymbolicTensor; // [N, T, H, W, C] → [N·T, H, W, C]
  const feats = trunk2d(net, frames, config.trunk); // [N·T, F]
  const seq = new UnfoldTime({ numFrames: t, name: 'unfold_time' }).apply(feats) as tf.SymbolicTensor; // [N·T, F] → [N, T, F]
  const pool = config.fusion === 'mean' ? tf.layers.globalAveragePooling1d({ name: 'fuse' }) : tf.layers.globalMaxPooling1d({ name: 'fuse' });
  const fused = net.dropout(pool.apply(seq) as tf.SymbolicTensor, config.dropout, 'dropout'); // [N, T, F] → [N, F]
  const out = net.dense(fused, clip.numClasses, 'fc', 'softmax');
  return { model: tf.model({ inputs: input, outputs: out, name: 'late_fusion' }), inputs: ['frames'] };
}

export function describeLateFusion(config: LateFusionConfig, clip: ClipSpec): Description {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const net = new DescribeNet();
  // The trunk's rows carry the leading T: one clip runs the shared CNN T times.
  trunk2d(net, [t, h, w, c], config.trunk);
  const f = trunkFeatures(config.trunk, [h, w, c]);
  net.rows.push(shapeRow([f], 'fuse', config.fusion === 'mean' ? 'avgpool' : 'maxpool', { temporal: true, note: `${config.fusion} over ${t} frames: order-blind` }));
  net.dense([f], clip.numClasses, 'fc');
  const trunkParams = net.rows.slice(0, -2).reduce((a, r) => a + r.trainableParams, 0);
  return {
    family: 'late-fusion',
    variant: config.fusion,
    clip,
    layers: net.rows,
    totals: sumTotals(net.rows),
    extras: [
      { label: 'Weights shared over time', value: `one trunk of ${formatInt(trunkParams)} trainable parameters runs on all ${t} frames` },
      { label: 'Where time is mixed', value: `only at the ${config.fusion} over T, after the CNN: shuffling the frames gives the same output` },
    ],
  };
}

export const lateFusion: FamilyDef<LateFusionConfig> = {
  id: 'late-fusion',
  defaultConfig: defaultLateFusionConfig,
  presets: {
    tiny: { config: defaultLateFusionConfig, clip: { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 4 }, note: 'trains in seconds on 8×32×32 clips' },
    'tiny-max': { config: { ...defaultLateFusionConfig, fusion: 'max' }, clip: { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 4 }, note: 'tiny, max over time' },
    late_fusion_r18: {
      config: { trunk: RESNET18_TRUNK, fusion: 'mean', dropout: 0 },
      clip: { numFrames: 16, height: 112, width: 112, channels: 3, numClasses: 400 },
      paper: true,
      note: 'torchvision resnet18 trunk per frame, mean over 16 frames, Kinetics-400 scale: compare with r3d_18',
    },
  },
  build: buildLateFusion,
  describe: describeLateFusion,
};
