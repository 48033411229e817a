// The sampling settings of the explorer (data/sampling.ts) in the words of the field's toolkits,
// for their train and test views: MMAction2's `SampleFrames(clip_len, frame_interval, num_clips)`
// pipeline step and PySlowFast's config keys (DATA.NUM_FRAMES, DATA.SAMPLING_RATE,
// TEST.NUM_ENSEMBLE_VIEWS). Pure: settings in, lines of config out.
//
// What those toolkits do (their documented behaviour, not their code):
//   MMAction2 SampleFrames, train mode: the clip is cut into num_clips equal segments and one window
//     of clip_len frames every frame_interval is taken at a random offset in each; test mode
//     (test_mode=True): num_clips windows evenly spaced, each centred in its segment; a window
//     longer than the clip loops (out_of_bound_opt='loop') or repeats its last frame ('repeat_last').
//     TSN's segment sampling is clip_len=1, num_clips=T.
//   PySlowFast: one window of NUM_FRAMES frames every SAMPLING_RATE frames, at a random start for
//     training, and TEST.NUM_ENSEMBLE_VIEWS evenly spaced windows at test time, their scores averaged.

import type { SamplingConfig } from './sampling';

export interface ToolkitView {
  /** 'train' or 'test' view of the pipeline. */
  view: 'train' | 'test';
  /** What Clipscope does for this view, in words. */
  clipscope: string;
  mmaction2: string;
  pyslowfast: string;
  /** Where the toolkit's equivalent is only the closest, what differs. */
  note?: string;
}

export type ToolkitSettings = Pick<SamplingConfig, 'strategy' | 'numFrames' | 'stride' | 'chunks' | 'shortClip'> & { denseCap?: number };

const bound = (s: ToolkitSettings) => `out_of_bound_opt='${s.shortClip === 'loop' ? 'loop' : 'repeat_last'}'`;
const sf = (clipLen: number, interval: number, clips: number, s: ToolkitSettings, test: boolean) =>
  `dict(type='SampleFrames', clip_len=${clipLen}, frame_interval=${interval}, num_clips=${clips}${test ? ', test_mode=True' : ''}, ${bound(s)})`;
const psf = (frames: number, rate: number, views?: number) => `DATA.NUM_FRAMES=${frames} DATA.SAMPLING_RATE=${rate}${views === undefined ? '' : ` TEST.NUM_ENSEMBLE_VIEWS=${views}`}`;

/** The train and test views of these settings in MMAction2 and PySlowFast terms. */
export function toolkitViews(s: ToolkitSettings): ToolkitView[] {
  const { numFrames: T, stride: st, chunks: K } = s;
  switch (s.strategy) {
    case 'random-crop':
      return [
        { view: 'train', clipscope: `a fresh random window of ${T} frames every ${st} per read`, mmaction2: sf(T, st, 1, s, false), pyslowfast: psf(T, st) },
        { view: 'test', clipscope: `the centred window of ${T} frames every ${st}`, mmaction2: sf(T, st, 1, s, true), pyslowfast: psf(T, st, 1) },
      ];
    case 'chunks':
      return [
        { view: 'train', clipscope: `the ${K} windows of ${T} frames every ${st}, each read in turn`, mmaction2: sf(T, st, K, s, false), pyslowfast: psf(T, st), note: `MMAction2 draws each of the ${K} windows at a random offset in its segment; Clipscope reads the ${K} evenly spaced windows it sampled. PySlowFast trains on one random window.` },
        { view: 'test', clipscope: `${K} evenly spaced windows of ${T} frames every ${st}, their predictions averaged`, mmaction2: sf(T, st, K, s, true), pyslowfast: psf(T, st, K) },
      ];
    case 'spread':
      return [
        { view: 'train', clipscope: `${T} frames, one at the centre of each of ${T} equal segments`, mmaction2: sf(1, 1, T, s, false), pyslowfast: '(no segment sampling: one window of DATA.NUM_FRAMES × DATA.SAMPLING_RATE frames)', note: 'TSN-style: MMAction2 takes a random frame in each segment for training; Clipscope takes the centres.' },
        { view: 'test', clipscope: `the same ${T} segment centres`, mmaction2: sf(1, 1, T, s, true), pyslowfast: '(no segment sampling)' },
      ];
    case 'dense': {
      const cap = s.denseCap ?? 128;
      return [
        { view: 'train', clipscope: `every frame (up to ${cap}); the model reads random windows of ${T}`, mmaction2: sf(T, 1, 1, s, false), pyslowfast: psf(T, 1) },
        { view: 'test', clipscope: `${K} evenly spaced windows of ${T} consecutive frames, averaged`, mmaction2: sf(T, 1, K, s, true), pyslowfast: psf(T, 1, K) },
      ];
    }
    case 'uniform':
      return [
        { view: 'train', clipscope: `one fixed window of ${T} frames every ${st} from the start frame`, mmaction2: sf(T, st, 1, s, true), pyslowfast: psf(T, st, 1), note: 'Closest only: both toolkits centre a fixed window (MMAction2 test_mode, PySlowFast\'s test view); Clipscope starts it at the start frame, and trains on that one window (no temporal jitter).' },
        { view: 'test', clipscope: `the same window of ${T} frames every ${st}`, mmaction2: sf(T, st, 1, s, true), pyslowfast: psf(T, st, 1) },
      ];
  }
}
