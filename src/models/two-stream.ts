// Two-stream family [two-stream]: an appearance stream on RGB frames and a motion stream on
// stacked optical flow, fused late (Simonyan & Zisserman, "Two-Stream Convolutional Networks for
// Action Recognition in Videos", NeurIPS 2014), plus SlowFast as the 'slowfast' variant
// (slowfast.ts: two frame rates instead of two modalities).
//
//   frames [N, T, H, W, 3] ── middle frame ──▶ [N, H, W, 3] ──▶ RGB CNN ──▶ softmax ─┐
//                          (or every frame:  [N·T, H, W, 3] ──▶ CNN ──▶ mean over T)   ├─ average
//   flow   [N, L, H, W, 2] ── stack ──▶ [N, H, W, 2·L] ──▶ motion CNN ──▶ softmax ────┘  (or learned:
//     (or frame-diff [N, T−1, H, W, 3] ── stack ──▶ [N, H, W, 3·(T−1)])                  concat features → fc)
//
// The motion stream's first convolution sees all L flows at once (2·L input channels: dx, dy of
// flow 1, dx, dy of flow 2, …): that is where it mixes time. 'frame-diff' replaces flow by
// differences of consecutive frames, a cheap stand-in that the UI labels as such.
// Each stream is the shared conv-stack trunk (blocks/trunk-2d.ts): [conv k×k (no bias) → BN →
// ReLU → 2×2 max-pool] per width, then a global average pool; its convs start He-normal.
// Configs and presets: presets/two-stream.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet, LayersNet } from './blocks/layers-net';
import { framesInput, type NetSpec } from './blocks/net';
import { perFrameTrunk, trunk2d } from './blocks/trunk-2d';
import {
  DEFAULT_TWO_STREAM,
  TWO_STREAM_PRESETS,
  type TwoStreamConfig,
  type TwoStreamNetConfig,
} from './presets/two-stream';
import type { ConvStackConfig } from './presets/trunk-2d';
import { buildSlowFast, describeSlowFast, slowFastNet } from './slowfast';
import type { BuiltModel, ClipSpec, Description, FamilyDef, InputKind } from './types';

/** Motion input: its kind and per-clip shape [L, H, W, channels] for this clip. */
function motionInput(c: TwoStreamNetConfig, clip: ClipSpec): { kind: InputKind; shape: number[] } {
  if (clip.numFrames < 2)
    throw new Error(
      `Two-stream: the motion stream needs at least 2 frames, the clip has ${clip.numFrames}.`,
    );
  if (c.motion === 'frame-diff')
    return {
      kind: 'frame-diff',
      shape: [clip.numFrames - 1, clip.height, clip.width, clip.channels],
    };
  if (!(Number.isInteger(c.numFlows) && c.numFlows >= 0))
    throw new Error(
      `Two-stream: the number of stacked flows L must be a whole number ≥ 1 (or 0 for all), got ${c.numFlows}.`,
    );
  // A clip of T frames has T − 1 flows: L = 0 stacks all of them, and so does a clip shorter
  // than L + 1 frames (L = min(L, T − 1)).
  const l = c.numFlows === 0 ? clip.numFrames - 1 : Math.min(c.numFlows, clip.numFrames - 1);
  return { kind: 'flow', shape: [l, clip.height, clip.width, 2] };
}

function twoStreamNet(c: TwoStreamNetConfig, clip: ClipSpec): NetSpec {
  const motion = motionInput(c, clip);
  const [l, , , ch] = motion.shape;
  const t = clip.numFrames;
  const k = clip.numClasses;
  const stream: ConvStackConfig = {
    kind: 'conv-stack',
    widths: c.widths,
    kernel: c.kernelSize,
    batchNorm: true,
    pool: 'max',
  };
  const label =
    c.motion === 'flow'
      ? `${l} flows × (dx, dy)`
      : `${l} frame differences × ${ch} colours (a stand-in for optical flow)`;
  return {
    inputs: [
      framesInput(clip),
      { kind: motion.kind, name: c.motion === 'flow' ? 'flow' : 'frame_diff', shape: motion.shape },
    ],
    body: (net, [frames, motionIn]) => {
      // RGB: the middle frame, or every frame through the same trunk and the mean of their features: [N, F].
      const middle = { name: 'rgb.frames', numFrames: t, averageAtInference: false };
      const rgb =
        c.rgb === 'middle'
          ? trunk2d(net, net.pickFrames(frames, middle), stream, 'rgb.')
          : net.temporalPool(perFrameTrunk(net, frames, stream, 'rgb.'), 'rgb.time_mean', 'mean', {
              note: `mean over ${t} frames`,
            });
      const stacked = net.stackTimeInChannels(motionIn, 'motion.stack', {
        note: `${label} stacked as ${l * ch} channels`,
      }); // [N, L, H, W, ch] → [N, H, W, L·ch]
      const mot = trunk2d(net, stacked, stream, 'motion.');
      if (c.fusion === 'average') {
        const rgbP = net.dense(
          net.dropout(rgb, c.dropout, 'rgb.dropout'),
          k,
          'rgb.head',
          'softmax',
        );
        const motionP = net.dense(
          net.dropout(mot, c.dropout, 'motion.dropout'),
          k,
          'motion.head',
          'softmax',
        );
        return net.average([rgbP, motionP], 'fusion', {
          temporal: true,
          note: 'mean of the two streams’ class scores',
        });
      }
      const both = net.concat([rgb, mot], 'fusion', {
        temporal: true,
        note: 'both streams’ features',
      });
      return net.dense(net.dropout(both, c.dropout, 'dropout'), k, 'head', 'softmax');
    },
  };
}

function buildTwoStreamNet(c: TwoStreamNetConfig, clip: ClipSpec): BuiltModel {
  return buildNet(twoStreamNet(c, clip), 'two_stream', new LayersNet({ conv2dInit: 'heNormal' }));
}

function describeTwoStreamNet(c: TwoStreamNetConfig, clip: ClipSpec): Description {
  const [l, , , ch] = motionInput(c, clip).shape;
  const { layers, totals } = describeNet(twoStreamNet(c, clip));
  const macsOf = (prefix: string) =>
    layers.filter((r) => r.name.startsWith(prefix)).reduce((a, r) => a + r.macs, 0);
  return {
    family: 'two-stream',
    variant: `two-stream/${c.motion}`,
    clip,
    layers,
    totals,
    extras: [
      {
        label: 'Motion input',
        value:
          c.motion === 'flow'
            ? `optical flow: L = ${l} flows → 2·L = ${2 * l} channels`
            : `frame differences (not optical flow): ${l} × ${ch} = ${l * ch} channels`,
      },
      {
        label: 'First-layer filter',
        value: `RGB ${c.kernelSize}×${c.kernelSize}×${clip.channels} = ${c.kernelSize ** 2 * clip.channels} weights vs motion ${c.kernelSize}×${c.kernelSize}×${l * ch} = ${c.kernelSize ** 2 * l * ch}`,
      },
      {
        label: 'Compute split',
        value: `RGB ${macsOf('rgb.').toLocaleString('en-US')} MACs, motion ${macsOf('motion.').toLocaleString('en-US')} MACs`,
      },
    ],
  };
}

export function describeTwoStream(c: TwoStreamConfig, clip: ClipSpec): Description {
  return c.variant === 'slowfast' ? describeSlowFast(c, clip) : describeTwoStreamNet(c, clip);
}

/** The network build and describe interpret, per variant. */
export function twoStreamFamilyNet(c: TwoStreamConfig, clip: ClipSpec): NetSpec {
  return c.variant === 'slowfast' ? slowFastNet(c, clip) : twoStreamNet(c, clip);
}

export function buildTwoStream(c: TwoStreamConfig, clip: ClipSpec): BuiltModel {
  return c.variant === 'slowfast' ? buildSlowFast(c, clip) : buildTwoStreamNet(c, clip);
}

export const twoStreamFamily: FamilyDef<TwoStreamConfig> = {
  id: 'two-stream',
  defaultConfig: DEFAULT_TWO_STREAM,
  presets: TWO_STREAM_PRESETS,
  build: buildTwoStream,
  describe: describeTwoStream,
  net: twoStreamFamilyNet,
};
