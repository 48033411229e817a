// CNN + RNN: a 2D CNN, shared by every frame, turns each frame into a feature vector, and a
// recurrent network (LSTM or GRU) reads the vectors in order. Unlike late fusion's pool, the
// recurrence is order-aware: reversing the frames changes its state. The clip is classified
// from the last hidden state or from the mean of all states. (Donahue et al., "Long-term
// Recurrent Convolutional Networks for Visual Recognition and Description", CVPR 2015; Ng et
// al., "Beyond Short Snippets", CVPR 2015.)
//
//   clip [N, T, H, W, C] ──FoldTime──▶ [N·T, H, W, C]
//     ──▶ shared 2D trunk (blocks-2d.ts) ──▶ [N·T, F] ──UnfoldTime──▶ [N, T, F]
//     ──▶ LSTM / GRU (U units) ──▶ last state [N, U]   or   all states [N, T, U] ─▶ mean ─▶ [N, U]
//     ──▶ dropout ──▶ fc + softmax ──▶ [N, K]
//
// Parameter counts are tfjs's cells (one bias vector per gate; PyTorch keeps two, b_ih and b_hh).

import * as tf from '@tensorflow/tfjs';
import {
  DescribeNet,
  LayersNet,
  RESNET18_TRUNK,
  TINY_TRUNK,
  trunk2d,
  trunkFeatures,
  type Trunk2dConfig,
} from './blocks-2d';
import { paramRow, shapeRow, sumTotals } from './describe';
import { FoldTime, UnfoldTime } from './time-layers';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

export interface CnnRnnConfig {
  trunk: Trunk2dConfig; // default CNN_RNN_TINY_TRUNK, shared by all frames
  cell: 'lstm' | 'gru'; // default 'lstm'
  units: number; // default 32: hidden state size U
  readout: 'last' | 'mean'; // default 'last': classify from h_T, or from the mean of h_1 … h_T
  dropout: number; // default 0: dropout rate before the classifier
}

/**
 * The tiny per-frame trunk: three conv stages down to a 2×2 map on 16×16 frames (4×4 on 32×32),
 * flattened rather than averaged. Global average pooling (the other 2D families' TINY_TRUNK)
 * throws away where the object is, so the LSTM saw no motion at all (order-direction stayed at
 * chance); the flattened map keeps it.
 */
export const CNN_RNN_TINY_TRUNK: Trunk2dConfig = {
  ...TINY_TRUNK,
  widths: [8, 16, 16],
  head: 'flatten',
};

export const defaultCnnRnnConfig: CnnRnnConfig = {
  trunk: CNN_RNN_TINY_TRUNK,
  cell: 'lstm',
  units: 32,
  readout: 'last',
  dropout: 0,
};

/** Gates per cell: LSTM has input, forget, cell and output; GRU has update, reset and candidate. */
const GATES = { lstm: 4, gru: 3 } as const;

function validate(config: CnnRnnConfig): void {
  if (!Number.isInteger(config.units) || config.units < 1)
    throw new Error(`CNN+RNN: units must be a whole number ≥ 1, got ${config.units}.`);
}

export function buildCnnRnn(config: CnnRnnConfig, clip: ClipSpec): BuiltModel {
  validate(config);
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const net = new LayersNet();
  const input = tf.input({ shape: [t, h, w, c], name: 'frames' });
  const frames = new FoldTime({ name: 'fold_time' }).apply(input) as tf.SymbolicTensor; // [N, T, H, W, C] → [N·T, H, W, C]
  const feats = trunk2d(net, frames, config.trunk); // [N·T, F]
  const seq = new UnfoldTime({ numFrames: t, name: 'unfold_time' }).apply(
    feats,
  ) as tf.SymbolicTensor; // [N·T, F] → [N, T, F]
  const rnnArgs = {
    name: config.cell,
    units: config.units,
    returnSequences: config.readout === 'mean',
  };
  let h1 = (config.cell === 'lstm' ? tf.layers.lstm(rnnArgs) : tf.layers.gru(rnnArgs)).apply(
    seq,
  ) as tf.SymbolicTensor; // [N, U] or [N, T, U]
  if (config.readout === 'mean')
    h1 = tf.layers.globalAveragePooling1d({ name: 'mean_states' }).apply(h1) as tf.SymbolicTensor; // [N, T, U] → [N, U]
  const out = net.dense(
    net.dropout(h1, config.dropout, 'dropout'),
    clip.numClasses,
    'fc',
    'softmax',
  );
  return { model: tf.model({ inputs: input, outputs: out, name: 'cnn_rnn' }), inputs: ['frames'] };
}

export function describeCnnRnn(config: CnnRnnConfig, clip: ClipSpec): Description {
  validate(config);
  const { numFrames: t, height: h, width: w, channels: c } = clip;
  const { units: u, cell } = config;
  const g = GATES[cell];
  const net = new DescribeNet();
  trunk2d(net, [t, h, w, c], config.trunk); // rows carry the leading T: the CNN runs on every frame
  const f = trunkFeatures(config.trunk, [h, w, c]);
  const perStep = g * u * (f + u); // input and recurrent matmuls of one time step
  net.rows.push(
    paramRow(config.readout === 'mean' ? [t, u] : [u], cell, cell, g * (f * u + u * u + u), {
      temporal: true,
      macs: t * perStep,
      note: `${g} gates × (${f} inputs + ${u} recurrent + bias) × ${u} units, run over ${t} steps`,
    }),
  );
  if (config.readout === 'mean')
    net.rows.push(
      shapeRow([u], 'mean_states', 'avgpool', {
        temporal: true,
        note: `mean of ${t} hidden states`,
      }),
    );
  net.dense([u], clip.numClasses, 'fc');
  return {
    family: 'cnn-rnn',
    variant: `${cell}-${config.readout}`,
    clip,
    layers: net.rows,
    totals: sumTotals(net.rows),
    extras: [
      {
        label: 'Recurrence',
        value: `${cell.toUpperCase()} with ${u} units reads ${t} feature vectors of length ${f} in order`,
      },
      {
        label: 'Readout',
        value:
          config.readout === 'last' ? 'last hidden state h_T' : `mean of the ${t} hidden states`,
      },
    ],
  };
}

const tinyClip: ClipSpec = { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 4 };

export const cnnRnn: FamilyDef<CnnRnnConfig> = {
  id: 'cnn-rnn',
  defaultConfig: defaultCnnRnnConfig,
  presets: {
    tiny: {
      config: defaultCnnRnnConfig,
      clip: tinyClip,
      note: 'trains in seconds on 8×32×32 clips',
    },
    'tiny-gru-mean': {
      config: { ...defaultCnnRnnConfig, cell: 'gru', readout: 'mean' },
      clip: tinyClip,
      note: 'tiny, GRU, mean of states',
    },
    lrcn_r18: {
      config: { trunk: RESNET18_TRUNK, cell: 'lstm', units: 512, readout: 'mean', dropout: 0 },
      clip: { numFrames: 16, height: 112, width: 112, channels: 3, numClasses: 400 },
      paper: true,
      note: 'LRCN-style: torchvision resnet18 per frame into an LSTM(512), mean of states, Kinetics-400 scale',
    },
  },
  build: buildCnnRnn,
  describe: describeCnnRnn,
};
