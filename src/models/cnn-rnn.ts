// CNN + RNN: a 2D CNN, shared by every frame, turns each frame into a feature vector, and a
// recurrent network (LSTM or GRU) reads the vectors in order. Unlike late fusion's pool, the
// recurrence is order-aware: reversing the frames changes its state. The clip is classified
// from the last hidden state or from the mean of all states. (Donahue et al., "Long-term
// Recurrent Convolutional Networks for Visual Recognition and Description", CVPR 2015; Ng et
// al., "Beyond Short Snippets", CVPR 2015.)
//
//   clip [N, T, H, W, C] ──fold time──▶ [N·T, H, W, C]
//     ──▶ shared 2D trunk (blocks/trunk-2d.ts perFrameTrunk) ──▶ [N·T, F] ──unfold──▶ [N, T, F]
//     ──▶ LSTM / GRU (U units) ──▶ last state [N, U]   or   all states [N, T, U] ─▶ mean ─▶ [N, U]
//     ──▶ dropout ──▶ fc + softmax ──▶ [N, K]
//
// Parameter counts are tfjs's cells (one bias vector per gate; PyTorch keeps two, b_ih and b_hh).
// Config and presets: presets/cnn-rnn.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { framesInput, type NetSpec } from './blocks/net';
import { perFrameTrunk } from './blocks/trunk-2d';
import { CNN_RNN_PRESETS, defaultCnnRnnConfig, type CnnRnnConfig } from './presets/cnn-rnn';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

function cnnRnnNet(config: CnnRnnConfig, clip: ClipSpec): NetSpec {
  if (!Number.isInteger(config.units) || config.units < 1)
    throw new Error(`CNN+RNN: units must be a whole number ≥ 1, got ${config.units}.`);
  const t = clip.numFrames;
  return {
    inputs: [framesInput(clip)],
    body: (net, [x]) => {
      const seq = perFrameTrunk(net, x, config.trunk); // [N, T, H, W, C] → [N·T, H, W, C] → [N·T, F] → [N, T, F]
      let h = net.rnn(seq, {
        name: config.cell,
        cell: config.cell,
        units: config.units,
        returnSequences: config.readout === 'mean',
      }); // [N, U] or [N, T, U]
      if (config.readout === 'mean')
        h = net.temporalPool(h, 'mean_states', 'mean', { note: `mean of ${t} hidden states` }); // [N, T, U] → [N, U]
      return net.dense(net.dropout(h, config.dropout, 'dropout'), clip.numClasses, 'fc', 'softmax');
    },
  };
}

export function buildCnnRnn(config: CnnRnnConfig, clip: ClipSpec): BuiltModel {
  return buildNet(cnnRnnNet(config, clip), 'cnn_rnn');
}

export function describeCnnRnn(config: CnnRnnConfig, clip: ClipSpec): Description {
  const { layers, totals } = describeNet(cnnRnnNet(config, clip));
  const t = clip.numFrames;
  const f = layers[layers.findIndex((r) => r.name === config.cell) - 1].outputShape.at(-1);
  return {
    family: 'cnn-rnn',
    variant: `${config.cell}-${config.readout}`,
    clip,
    layers,
    totals,
    extras: [
      {
        label: 'Recurrence',
        value: `${config.cell.toUpperCase()} with ${config.units} units reads ${t} feature vectors of length ${f} in order`,
      },
      {
        label: 'Readout',
        value:
          config.readout === 'last' ? 'last hidden state h_T' : `mean of the ${t} hidden states`,
      },
    ],
  };
}

export const cnnRnn: FamilyDef<CnnRnnConfig> = {
  id: 'cnn-rnn',
  defaultConfig: defaultCnnRnnConfig,
  presets: CNN_RNN_PRESETS,
  build: buildCnnRnn,
  describe: describeCnnRnn,
  net: cnnRnnNet,
};
