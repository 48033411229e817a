// Single-frame baseline: a 2D CNN that classifies a clip from ONE frame. The baseline every video
// model must beat; on tasks where only the order of frames differs it can do no better than
// chance. (Karpathy et al., "Large-scale Video Classification with Convolutional Neural
// Networks", CVPR 2014, §3.1 "Single-frame"; the `resnet18` preset is He et al., "Deep Residual
// Learning for Image Recognition", CVPR 2016, exactly as torchvision.models.resnet18 builds it.)
//
//   clip [N, T, H, W, C]
//     │  PickFrames: middle frame t = ⌊T/2⌋ (training, and inference by default)
//     ▼
//   [N, H, W, C] ──▶ 2D trunk (conv-stack or ResNet, blocks-2d.ts) ──▶ [N, F]
//     ──▶ dropout ──▶ fc + softmax ──▶ [N, K]
//
//   averageAtInference: at inference every frame is a batch row, [N·T, H, W, C] ─▶ … ─▶ [N·T, K],
//   and AverageFrameScores averages the T score vectors ─▶ [N, K] (T× the MACs).

import * as tf from '@tensorflow/tfjs';
import { DescribeNet, LayersNet, RESNET18_TRUNK, TINY_TRUNK, trunk2d, type Net, type Trunk2dConfig } from './blocks-2d';
import { shapeRow, sumTotals } from './describe';
import { AverageFrameScores, middleFrameIdx, PickFrames } from './time-layers';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';
import { formatInt } from '../lib/format';

export interface SingleFrameConfig {
  trunk: Trunk2dConfig; // default TINY_TRUNK: conv(8)-BN-ReLU-pool, conv(16)-BN-ReLU-pool, GAP
  dropout: number; // default 0: dropout rate before the classifier
  averageAtInference: boolean; // default false: inference also uses only the middle frame
}

export const defaultSingleFrameConfig: SingleFrameConfig = { trunk: TINY_TRUNK, dropout: 0, averageAtInference: false };

/** Trunk and classifier on one frame [H, W, C] (or [N·T] rows of them). */
function frameClassifier<X>(net: Net<X>, frame: X, config: SingleFrameConfig, clip: ClipSpec): X {
  const feats = net.dropout(trunk2d(net, frame, config.trunk), config.dropout, 'dropout');
  return net.dense(feats, clip.numClasses, 'fc', 'softmax');
}

export function buildSingleFrame(config: SingleFrameConfig, clip: ClipSpec): BuiltModel {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const input = tf.input({ shape: [t, h, w, c], name: 'frames' });
  const opts = { numFrames: t, averageAtInference: config.averageAtInference };
  const frame = new PickFrames({ ...opts, name: 'pick_frames' }).apply(input) as tf.SymbolicTensor; // [N, T, H, W, C] → [N, H, W, C]
  const probs = frameClassifier(new LayersNet(), frame, config, clip);
  const out = new AverageFrameScores({ ...opts, name: 'average_scores' }).apply(probs) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: out, name: 'single_frame' }), inputs: ['frames'] };
}

export function describeSingleFrame(config: SingleFrameConfig, clip: ClipSpec): Description {
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const net = new DescribeNet();
  net.rows.push(shapeRow([h, w, c], 'pick_frames', 'select', { note: `frame ${middleFrameIdx(t)} of ${t} (the middle one)` }));
  frameClassifier(net, [h, w, c], config, clip);
  const totals = sumTotals(net.rows);
  const extras = [
    { label: 'Frames the model sees', value: `1 of ${t} (frame ${middleFrameIdx(t)}); the order of frames cannot matter` },
    {
      label: 'Inference',
      value: config.averageAtInference ? `scores of all ${t} frames averaged: ${formatInt(totals.macs * t)} MACs per clip (${t}× training)` : 'middle frame only (option: average every frame’s scores)',
    },
  ];
  return { family: 'single-frame', variant: config.trunk.kind === 'resnet' ? 'resnet' : 'conv-stack', clip, layers: net.rows, totals, extras };
}

const tinyClip: ClipSpec = { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 4 };

export const singleFrame: FamilyDef<SingleFrameConfig> = {
  id: 'single-frame',
  defaultConfig: defaultSingleFrameConfig,
  presets: {
    tiny: { config: defaultSingleFrameConfig, clip: tinyClip, note: 'trains in seconds on 8×32×32 clips' },
    'tiny-average': { config: { ...defaultSingleFrameConfig, averageAtInference: true }, clip: tinyClip, note: 'tiny, averaging every frame’s scores at inference' },
    'tiny-resnet': {
      config: { ...defaultSingleFrameConfig, trunk: { kind: 'resnet', stemWidth: 8, stageWidths: [8, 16], blocksPerStage: [1, 1] } },
      clip: tinyClip,
      note: 'resnet18’s blocks at toy width (7×7/2 stem, max pool, a plain and a strided BasicBlock): its kernels, trainable in seconds',
    },
    resnet18: {
      config: { trunk: RESNET18_TRUNK, dropout: 0, averageAtInference: false },
      clip: { numFrames: 1, height: 224, width: 224, channels: 3, numClasses: 1000 },
      paper: true,
      note: 'torchvision resnet18: 11,689,512 parameters, 1.82 GMACs at 224×224',
    },
  },
  build: buildSingleFrame,
  describe: describeSingleFrame,
};
