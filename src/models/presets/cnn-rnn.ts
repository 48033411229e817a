// The CNN + RNN family's config and presets, as plain data (cnn-rnn.ts builds them).

import type { Preset } from '../types';
import { KINETICS_16X112, tinyClip } from './clips';
import { RESNET18_TRUNK, TINY_TRUNK, type Trunk2dConfig } from './trunk-2d';
import { LESSON_RECIPE, type Recipe } from './recipe';

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

export const CNN_RNN_PRESETS: Record<string, Preset<CnnRnnConfig>> = {
  tiny: {
    config: defaultCnnRnnConfig,
    clip: tinyClip(4),
    note: 'trains in seconds on 8×32×32 clips',
  },
  'tiny-gru-mean': {
    config: { ...defaultCnnRnnConfig, cell: 'gru', readout: 'mean' },
    clip: tinyClip(4),
    note: 'tiny, GRU, mean of states',
  },
  lrcn_r18: {
    config: { trunk: RESNET18_TRUNK, cell: 'lstm', units: 512, readout: 'mean', dropout: 0 },
    clip: KINETICS_16X112,
    paper: true,
    note: 'LRCN-style: torchvision resnet18 per frame into an LSTM(512), mean of states, Kinetics-400 scale',
  },
};

/**
 * CNN + RNN memorises: its per-frame trunk keeps where the object is by flattening the final map
 * (a weight per position), so 32 clips per class are learnt by heart (train 1.00, val 0.41–0.47).
 * A random shift of each training clip (the same for all its frames) takes that shortcut away
 * (seed 1, Node CPU, val per epoch): 64 clips per class without it 0.50 0.47 0.53 0.78 (train
 * 0.88); with it 0.50 0.47 0.88 0.94 1.00 1.00. Weight decay 0.001 alone still memorised (val
 * 0.25, train 0.98 at epoch 6); 32 clips with the shift need 12 epochs (0.97).
 */
export const CNN_RNN_RECIPE: Recipe = { ...LESSON_RECIPE, clips: 64, augment: 'shift', epochs: 6 };
