// Early fusion: the T frames are stacked along channels, so the first convolution of an ordinary
// 2D CNN sees the whole clip at once (its filters are k × k × 3·T). Time is mixed there, at the
// very first layer, and never again: motion is detected in one step at pixel level.
// (Karpathy et al., "Large-scale Video Classification with Convolutional Neural Networks",
// CVPR 2014, §3.1 "Early Fusion".)
//
//   clip [N, T, H, W, C] ──stackTimeInChannels──▶ [N, H, W, T·C]
//     ──▶ conv1 (k × k × T·C filters: the only temporal layer) ──▶ rest of the 2D trunk ──▶ [N, F]
//     ──▶ dropout ──▶ fc + softmax ──▶ [N, K]
//
// Config and presets: presets/early-fusion.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { framesInput, type NetSpec } from './blocks/net';
import { trunk2d } from './blocks/trunk-2d';
import {
  defaultEarlyFusionConfig,
  EARLY_FUSION_PRESETS,
  type EarlyFusionConfig,
} from './presets/early-fusion';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

function earlyFusionNet(config: EarlyFusionConfig, clip: ClipSpec): NetSpec {
  const { numFrames: t, channels: c } = clip;
  return {
    inputs: [framesInput(clip)],
    body: (net, [x]) => {
      // [N, T, H, W, C] → [N, H, W, T·C]; the trunk's first conv, reading it, is where time is mixed.
      const stacked = net.stackTimeInChannels(x, 'stack_frames', {
        note: `${t} frames × ${c} channels stacked as ${t * c} channels`,
      });
      const feats = net.dropout(trunk2d(net, stacked, config.trunk), config.dropout, 'dropout');
      return net.dense(feats, clip.numClasses, 'fc', 'softmax');
    },
  };
}

export function buildEarlyFusion(config: EarlyFusionConfig, clip: ClipSpec): BuiltModel {
  return buildNet(earlyFusionNet(config, clip), 'early_fusion');
}

export function describeEarlyFusion(config: EarlyFusionConfig, clip: ClipSpec): Description {
  const { numFrames: t, channels: c } = clip;
  const { layers, totals } = describeNet(earlyFusionNet(config, clip));
  const k = config.trunk.kind === 'conv-stack' ? config.trunk.kernel : 7;
  return {
    family: 'early-fusion',
    variant: config.trunk.kind,
    clip,
    layers,
    totals,
    extras: [
      {
        label: 'First-layer filter',
        value: `${k}×${k}×${t * c} = ${k * k * t * c} weights (a single-frame filter has ${k}×${k}×${c} = ${k * k * c})`,
      },
      {
        label: 'Where time is mixed',
        value: 'only in the first convolution; every later layer is purely spatial',
      },
    ],
  };
}

export const earlyFusion: FamilyDef<EarlyFusionConfig> = {
  id: 'early-fusion',
  defaultConfig: defaultEarlyFusionConfig,
  presets: EARLY_FUSION_PRESETS,
  build: buildEarlyFusion,
  describe: describeEarlyFusion,
  net: earlyFusionNet,
};
