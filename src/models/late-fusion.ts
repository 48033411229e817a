// Late fusion: one 2D CNN, shared by every frame, turns each frame into a feature vector; the
// T vectors are pooled over time (mean, or max) and classified. Time is mixed only at that pool,
// after all spatial processing, and a mean or max does not depend on order: it sees what is in
// the clip, never in which order. (Karpathy et al., "Large-scale Video Classification with
// Convolutional Neural Networks", CVPR 2014, §3.1 "Late Fusion"; Ng et al., "Beyond Short
// Snippets", CVPR 2015, feature pooling.)
//
//   clip [N, T, H, W, C] ──fold time──▶ [N·T, H, W, C]
//     ──▶ shared 2D trunk (blocks/trunk-2d.ts perFrameTrunk) ──▶ [N·T, F] ──unfold──▶ [N, T, F]
//     ──▶ mean or max over T ──▶ [N, F] ──▶ dropout ──▶ fc + softmax ──▶ [N, K]
//
// Config and presets: presets/late-fusion.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { framesInput, type NetSpec } from './blocks/net';
import { perFrameTrunk } from './blocks/trunk-2d';
import {
  defaultLateFusionConfig,
  LATE_FUSION_PRESETS,
  type LateFusionConfig,
} from './presets/late-fusion';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';
import { formatInt } from '../lib/format';

function lateFusionNet(config: LateFusionConfig, clip: ClipSpec): NetSpec {
  const t = clip.numFrames;
  return {
    inputs: [framesInput(clip)],
    body: (net, [x]) => {
      const seq = perFrameTrunk(net, x, config.trunk); // [N, T, H, W, C] → [N·T, H, W, C] → [N·T, F] → [N, T, F]
      const fused = net.temporalPool(seq, 'fuse', config.fusion, {
        note: `${config.fusion} over ${t} frames: order-blind`,
      }); // [N, T, F] → [N, F]
      return net.dense(
        net.dropout(fused, config.dropout, 'dropout'),
        clip.numClasses,
        'fc',
        'softmax',
      );
    },
  };
}

export function buildLateFusion(config: LateFusionConfig, clip: ClipSpec): BuiltModel {
  return buildNet(lateFusionNet(config, clip), 'late_fusion');
}

export function describeLateFusion(config: LateFusionConfig, clip: ClipSpec): Description {
  const { layers, totals } = describeNet(lateFusionNet(config, clip));
  const trunkParams = layers
    .slice(
      0,
      layers.findIndex((r) => r.name === 'fuse'),
    )
    .reduce((a, r) => a + r.trainableParams, 0);
  return {
    family: 'late-fusion',
    variant: config.fusion,
    clip,
    layers,
    totals,
    extras: [
      {
        label: 'Weights shared over time',
        value: `one trunk of ${formatInt(trunkParams)} trainable parameters runs on all ${clip.numFrames} frames`,
      },
      {
        label: 'Where time is mixed',
        value: `only at the ${config.fusion} over T, after the CNN: shuffling the frames gives the same output`,
      },
    ],
  };
}

export const lateFusion: FamilyDef<LateFusionConfig> = {
  id: 'late-fusion',
  defaultConfig: defaultLateFusionConfig,
  presets: LATE_FUSION_PRESETS,
  build: buildLateFusion,
  describe: describeLateFusion,
  net: lateFusionNet,
};
