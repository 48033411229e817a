// 3D convolution family: filters that slide over time as well as space, so every layer can
// respond to motion. Two builders over the same blocks (blocks/video-resnet.ts):
//
// C3D-style stack (Tran et al., "Learning Spatiotemporal Features with 3D Convolutional
// Networks", ICCV 2015): stages of k_t×k×k convs and 3D pooling, then a classifier.
//
//   clip [N, T, H, W, C]
//     ─▶ stage 1: (conv k_t×k×k ─▶ [BN] ─▶ ReLU) × convs ─▶ pool p_t×p×p      (C3D pool1 is 1×2×2:
//     ─▶ stage 2 … S                                                            keep time early)
//     ─▶ head: flatten ─▶ (fc ─▶ ReLU ─▶ dropout) × len(fc)    or    global mean over T·H·W
//     ─▶ fc K + softmax ─▶ [N, K]
//
// Video ResNets (Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action
// Recognition", CVPR 2018), exactly as torchvision.models.video builds them:
//   R3D-18:      stem 3×7×7 ─▶ 4 stages × 2 BasicBlocks of 3×3×3 convs ─▶ GAP ─▶ fc
//   MC3-18:      stage 1 with 3×3×3 convs, stages 2–4 with 1×3×3 ("mixed convolutions": 3D
//                low, 2D high)
//   R(2+1)D-18:  every 3×3×3 conv factorised into 1×3×3 then 3×1×1 (see blocks/video-resnet.ts)
//
// All shapes are channels-last; T, H, W shrink by the strides shown in `describe()`. Config and
// presets: presets/conv3d.ts.

import { convBnRelu } from './blocks/conv-bn-relu';
import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { framesInput, type Net, type NetSpec, type Triple } from './blocks/net';
import { midplanes, videoResNetStages, videoStem, type ConvMaker } from './blocks/video-resnet';
import { CONV3D_PRESETS, defaultConv3dConfig, type Conv3dConfig } from './presets/conv3d';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

/** The conv maker of each ResNet stage, per variant (torchvision's `conv_makers`). */
function makersOf(variant: Conv3dConfig['variant'], stages: number): ConvMaker[] {
  if (variant === 'r3d') return Array<ConvMaker>(stages).fill('3d');
  if (variant === 'mc3')
    return Array.from({ length: stages }, (_, i): ConvMaker => (i === 0 ? '3d' : 'no-temporal'));
  return Array<ConvMaker>(stages).fill('2plus1d');
}

function checkConfig(c: Conv3dConfig, clip: ClipSpec): void {
  const bad = (what: string) => {
    throw new Error(`conv3d: ${what}.`);
  };
  if (clip.numFrames < 1 || clip.height < 1 || clip.width < 1)
    bad(
      `the clip must have at least 1×1×1 frames, got ${clip.numFrames}×${clip.height}×${clip.width}`,
    );
  if (clip.numClasses < 2) bad(`need at least 2 classes, got ${clip.numClasses}`);
  if (c.variant === 'c3d') {
    if (c.stages.length === 0) bad('the C3D stack needs at least one stage');
    if (!(c.kernelT >= 1 && c.kernel >= 1))
      bad(`kernel sizes must be ≥ 1, got k_t=${c.kernelT}, k=${c.kernel}`);
    if (c.dropout < 0 || c.dropout >= 1) bad(`dropout must be in [0, 1), got ${c.dropout}`);
  } else if (c.widths.length === 0 || c.widths.length !== c.blocks.length)
    bad(
      `a video ResNet needs as many widths as block counts, got ${c.widths.length} and ${c.blocks.length}`,
    );
}

/** The whole network, written once: build and describe both run it. */
function conv3dNet(c: Conv3dConfig, clip: ClipSpec): NetSpec {
  checkConfig(c, clip);
  return { inputs: [framesInput(clip)], body: (net, [x]) => conv3dBody(net, x, c, clip) };
}

function conv3dBody<X>(net: Net<X>, input: X, c: Conv3dConfig, clip: ClipSpec): X {
  let x = input;
  if (c.variant === 'c3d') {
    c.stages.forEach((st, i) => {
      for (let j = 0; j < st.convs; j++) {
        const name = `conv${i + 1}${String.fromCharCode(97 + j)}`; // conv1a, conv3b, … as in the paper
        const spec = {
          name,
          filters: st.filters,
          kernel: [c.kernelT, c.kernel, c.kernel] as Triple,
        };
        x = c.batchNorm ? convBnRelu(net, x, spec) : net.relu(net.conv(x, spec), `${name}.relu`);
      }
      // 'same' pooling: C3D's pool5 rounds 7 → 4.
      if (st.pool.some((p) => p > 1))
        x = net.pool(x, { name: `pool${i + 1}`, kind: 'max', size: st.pool, pad: 'same' });
    });
    if (c.head === 'gap') x = net.globalAvgPool(x, 'gap', 3);
    else x = net.flatten(x, 'flatten', 3);
    c.fc.forEach((units, i) => {
      x = net.dropout(
        net.dense(x, units, `fc${i + c.stages.length + 1}`, 'relu'),
        c.dropout,
        `fc${i + c.stages.length + 1}.dropout`,
      );
    });
    return net.dense(x, clip.numClasses, 'fc_out', 'softmax');
  }
  x = videoStem(net, x, c.variant === 'r2plus1d' ? '2plus1d' : 'basic', c.stemWidth);
  x = videoResNetStages(net, x, {
    widths: c.widths,
    blocks: c.blocks,
    makers: makersOf(c.variant, c.widths.length),
  });
  x = net.globalAvgPool(x, 'avgpool', 3);
  return net.dense(x, clip.numClasses, 'fc', 'softmax');
}

export function buildConv3d(config: Conv3dConfig, clip: ClipSpec): BuiltModel {
  return buildNet(conv3dNet(config, clip), `conv3d_${config.variant}`);
}

export function describeConv3d(config: Conv3dConfig, clip: ClipSpec): Description {
  const { layers, totals } = describeNet(conv3dNet(config, clip));
  const first = layers.find((r) => r.kind === 'conv3d' && r.outputShape.length === 4);
  const extras: Description['extras'] = [];
  if (first) {
    const [kt, k] = config.variant === 'c3d' ? [config.kernelT, config.kernel] : [3, 3];
    const cin = clip.channels;
    const w3 = kt * k * k * cin;
    const w2 = k * k * cin;
    extras.push({
      label: 'Weights per filter, first layer',
      value: `3D: ${kt}×${k}×${k}×${cin} = ${w3}   vs   2D: ${k}×${k}×${cin} = ${w2} (${(w3 / w2).toFixed(1)}×)`,
    });
    extras.push({
      label: 'Why 3D costs more',
      value: `every output voxel sums over k_t = ${kt} frames, so MACs and weights grow ${kt}× over the 2D layer of the same width`,
    });
  }
  if (config.variant === 'r2plus1d') {
    const m = midplanes(config.widths[0], config.widths[0]);
    const w = config.widths[0];
    extras.push({
      label: '(2+1)D factorisation',
      value: `a ${w}→${w} 3×3×3 conv (${27 * w * w} weights) becomes 1×3×3 to M = ⌊27·${w}·${w} / (9·${w} + 3·${w})⌋ = ${m} channels, then 3×1×1 (${9 * w * m + 3 * m * w} weights), with a ReLU between`,
    });
  }
  if (config.variant === 'mc3')
    extras.push({
      label: 'Mixed convolutions',
      value: 'time is convolved only in the stem and stage 1 (3×3×3); stages 2–4 use 1×3×3',
    });
  return { family: 'conv3d', variant: config.variant, clip, layers, totals, extras };
}

export const conv3d: FamilyDef<Conv3dConfig> = {
  id: 'conv3d',
  defaultConfig: defaultConv3dConfig,
  presets: CONV3D_PRESETS,
  build: buildConv3d,
  describe: describeConv3d,
  net: conv3dNet,
};
