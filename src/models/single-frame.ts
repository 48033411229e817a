// Single-frame baseline: a 2D CNN that classifies a clip from ONE frame. The baseline every video
// model must beat; on tasks where only the order of frames differs it can do no better than
// chance. (Karpathy et al., "Large-scale Video Classification with Convolutional Neural
// Networks", CVPR 2014, §3.1 "Single-frame"; the `resnet18` preset is He et al., "Deep Residual
// Learning for Image Recognition", CVPR 2016, exactly as torchvision.models.resnet18 builds it.)
//
//   clip [N, T, H, W, C]
//     │  pickFrames: middle frame t = ⌊T/2⌋ (training, and inference by default)
//     ▼
//   [N, H, W, C] ──▶ 2D trunk (conv-stack or ResNet, blocks/trunk-2d.ts) ──▶ [N, F]
//     ──▶ dropout ──▶ fc + softmax ──▶ [N, K]
//
//   averageAtInference: at inference every frame is a batch row, [N·T, H, W, C] ─▶ … ─▶ [N·T, K],
//   and averageFrameScores averages the T score vectors ─▶ [N, K] (T× the MACs).
//
// Config and presets: presets/single-frame.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { framesInput, type NetSpec } from './blocks/net';
import { middleFrameIdx } from './blocks/time-layers';
import { trunk2d } from './blocks/trunk-2d';
import {
  defaultSingleFrameConfig,
  SINGLE_FRAME_PRESETS,
  type SingleFrameConfig,
} from './presets/single-frame';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';
import { formatInt } from '../lib/format';

function singleFrameNet(config: SingleFrameConfig, clip: ClipSpec): NetSpec {
  const view = {
    name: 'pick_frames',
    numFrames: clip.numFrames,
    averageAtInference: config.averageAtInference,
  };
  return {
    inputs: [framesInput(clip)],
    body: (net, [x]) => {
      const frame = net.pickFrames(x, view); // [N, T, H, W, C] → [N, H, W, C]
      const feats = net.dropout(trunk2d(net, frame, config.trunk), config.dropout, 'dropout'); // [N, F]
      const probs = net.dense(feats, clip.numClasses, 'fc', 'softmax');
      return net.averageFrameScores(probs, { ...view, name: 'average_scores' });
    },
  };
}

export function buildSingleFrame(config: SingleFrameConfig, clip: ClipSpec): BuiltModel {
  return buildNet(singleFrameNet(config, clip), 'single_frame');
}

export function describeSingleFrame(config: SingleFrameConfig, clip: ClipSpec): Description {
  const t = clip.numFrames;
  const { layers, totals } = describeNet(singleFrameNet(config, clip));
  const extras = [
    {
      label: 'Frames the model sees',
      value: `1 of ${t} (frame ${middleFrameIdx(t)}); the order of frames cannot matter`,
    },
    {
      label: 'Inference',
      value: config.averageAtInference
        ? `scores of all ${t} frames averaged: ${formatInt(totals.macs * t)} MACs per clip (${t}× training)`
        : 'middle frame only (option: average every frame’s scores)',
    },
  ];
  return {
    family: 'single-frame',
    variant: config.trunk.kind === 'resnet' ? 'resnet' : 'conv-stack',
    clip,
    layers,
    totals,
    extras,
  };
}

export const singleFrame: FamilyDef<SingleFrameConfig> = {
  id: 'single-frame',
  defaultConfig: defaultSingleFrameConfig,
  presets: SINGLE_FRAME_PRESETS,
  build: buildSingleFrame,
  describe: describeSingleFrame,
  net: singleFrameNet,
};
