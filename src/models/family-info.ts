// The seven families as plain data: ids, names and one-line explanations, in the order a
// lecture escalates. No tfjs here, so the page can import it without pulling in the runtime.

export const FAMILY_IDS = [
  'single-frame',
  'late-fusion',
  'early-fusion',
  'conv3d',
  'two-stream',
  'cnn-rnn',
  'transformer',
] as const;
export type FamilyId = (typeof FAMILY_IDS)[number];

export interface FamilyInfo {
  id: FamilyId;
  name: string;
  /** One line for the picker: what the family does with time. */
  oneLine: string;
}

export const FAMILY_INFO: Record<FamilyId, FamilyInfo> = {
  'single-frame': {
    id: 'single-frame',
    name: 'Single frame',
    oneLine: 'A 2D CNN on one frame. The baseline: a video model that cannot beat it learns nothing temporal.',
  },
  'late-fusion': {
    id: 'late-fusion',
    name: 'Late fusion',
    oneLine: 'A shared 2D CNN per frame, features averaged over time: sees content, not order.',
  },
  'early-fusion': {
    id: 'early-fusion',
    name: 'Early fusion',
    oneLine: 'Frames stacked as 3·T input channels of a 2D CNN: time is mixed only at the first layer.',
  },
  conv3d: {
    id: 'conv3d',
    name: '3D convolution',
    oneLine: 'C3D-style k_t×k×k filters slide over time too; I3D inflates 2D weights into 3D.',
  },
  'two-stream': {
    id: 'two-stream',
    name: 'Two-stream / SlowFast',
    oneLine: 'An appearance stream on RGB and a motion stream on optical flow, fused late; SlowFast runs two frame rates.',
  },
  'cnn-rnn': {
    id: 'cnn-rnn',
    name: 'CNN + RNN',
    oneLine: 'Per-frame CNN features fed in order to an LSTM or GRU.',
  },
  transformer: {
    id: 'transformer',
    name: 'Video transformer',
    oneLine: 'Spatio-temporal patches with attention: joint, divided (TimeSformer) or factorised (ViViT).',
  },
};

export const isFamilyId = (s: string): s is FamilyId => (FAMILY_IDS as readonly string[]).includes(s);
