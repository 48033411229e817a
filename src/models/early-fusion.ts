// Early fusion: the T frames are stacked along channels, so the first convolution of an ordinary
// 2D CNN sees the whole clip at once (its filters are k × k × 3·T). Time is mixed there, at the
// very first layer, and never again: motion is detected in one step at pixel level.
// (Karpathy et al., "Large-scale Video Classification with Convolutional Neural Networks",
// CVPR 2014, §3.1 "Early Fusion".)
//
//   clip [N, T, H, W, C] ──StackFramesAsChannels──▶ [N, H, W, T·C]
//     ──▶ conv1 (k × k × T·C filters: the only temporal layer) ──▶ rest of the 2D trunk ──▶ [N, F]
//     ──▶ dropout ──▶ fc + softmax ──▶ [N, K]

import * as tf from '@tensorflow/tfjs';
import { DescribeNet, LayersNet, RESNET18_TRUNK, TINY_TRUNK, trunk2d, type Trunk2dConfig } from './blocks-2d';
import { shapeRow, sumTotals } from './describe';
import { StackFramesAsChannels } from './time-layers';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

export interface EarlyFusionConfig {
  trunk: Trunk2dConfig; // default TINY_TRUNK; its first conv takes 3·T channels
  dropout: number; // default 0: dropout rate before the classifier
}

export const defaultEarlyFusionConfig: EarlyFusionConfig = { trunk: TINY_TRUNK, dropout: 0 };

export function buildEarlyFusion(config: EarlyFusionConfig, clip: ClipSpec): BuiltModel {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const net = new LayersNet();
  const input = tf.input({ shape: [t, h, w, c], name: 'frames' });
  const stacked = new StackFramesAsChannels({ name: 'stack_frames' }).apply(input) as tf.SymbolicTensor; // [N, T, H, W, C] → [N, H, W, T·C]
  const feats = net.dropout(trunk2d(net, stacked, config.trunk), config.dropout, 'dropout');
  const out = net.dense(feats, clip.numClasses, 'fc', 'softmax');
  return { model: tf.model({ inputs: input, outputs: out, name: 'early_fusion' }), inputs: ['frames'] };
}

export function describeEarlyFusion(config: EarlyFusionConfig, clip: ClipSpec): Description {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const net = new DescribeNet();
  net.rows.push(shapeRow([h, w, t * c], 'stack_frames', 'reshape', { note: `${t} frames × ${c} channels stacked as ${t * c} channels` }));
  const feats = trunk2d(net, [h, w, t * c], config.trunk);
  net.dense(feats, clip.numClasses, 'fc');
  const first = net.rows.find((r) => r.kind === 'conv2d');
  if (!first) throw new Error('Early fusion: the trunk has no convolution to fuse frames in.');
  first.temporal = true;
  first.note = `fuses all ${t} frames: each filter is k×k×${t * c}`;
  const k = config.trunk.kind === 'conv-stack' ? config.trunk.kernel : 7;
  return {
    family: 'early-fusion',
    variant: config.trunk.kind,
    clip,
    layers: net.rows,
    totals: sumTotals(net.rows),
    extras: [
      { label: 'First-layer filter', value: `${k}×${k}×${t * c} = ${k * k * t * c} weights (a single-frame filter has ${k}×${k}×${c} = ${k * k * c})` },
      { label: 'Where time is mixed', value: 'only in the first convolution; every later layer is purely spatial' },
    ],
  };
}

export const earlyFusion: FamilyDef<EarlyFusionConfig> = {
  id: 'early-fusion',
  defaultConfig: defaultEarlyFusionConfig,
  presets: {
    tiny: { config: defaultEarlyFusionConfig, clip: { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 4 }, note: 'trains in seconds on 8×32×32 clips' },
    early_fusion_r18: {
      config: { trunk: RESNET18_TRUNK, dropout: 0 },
      clip: { numFrames: 16, height: 112, width: 112, channels: 3, numClasses: 400 },
      paper: true,
      note: 'torchvision resnet18 with a 48-channel conv1 (16 frames × RGB), Kinetics-400 scale: compare with r3d_18',
    },
  },
  build: buildEarlyFusion,
  describe: describeEarlyFusion,
};
