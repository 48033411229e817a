// The page's side of the one memory budget (training/budget.ts budgetFor, the same function the
// worker calls): checked before the page samples a clip or asks for a dataset, so a link whose
// data would not fit is refused in words and nothing is grabbed, sent or built. The worker checks
// again (it never trusts the page) and adds what only it knows: the model's layers, the GPU's
// per-buffer limit, the frames it already keeps.

import { budgetFor, PAGE_LIMITS, type Budget } from '../training/budget';
import { planSample, type SamplingConfig } from '../data/sampling';
import { clipTiming, type ClipInfo } from '../data/video-source';
import { TASK_INFO } from '../data/synthetic/task-info';
import type { AppState } from '../state/store';

/** The synthetic dataset the settings describe, against the working budget; null for own clips (their frames are sampled already). */
export function datasetBudget({ settings }: Pick<AppState, 'settings'>): Budget | null {
  if (settings.source !== 'synthetic') return null;
  const dataset = {
    kind: 'synthetic' as const,
    classes: TASK_INFO[settings.task].classes.length,
    trainPerClass: settings.clips,
    valPerClass: settings.valclips,
  };
  return budgetFor({ numFrames: settings.frames, size: settings.size, dataset }, PAGE_LIMITS);
}

/**
 * One clip sampled with these settings at size × size: the plan's frames (K·T for chunks), their
 * thumbnails and the motion view's flow, against the per-clip caps and the working budget.
 */
export function sampleBudget(
  info: ClipInfo,
  config: Pick<
    SamplingConfig,
    'strategy' | 'numFrames' | 'stride' | 'chunks' | 'seed' | 'shortClip'
  >,
  size: number,
): Budget {
  const timing = clipTiming(info);
  const framesOf = (numFrames: number, chunks: number) =>
    planSample(timing, { ...config, numFrames, chunks }).frameIdx.length;
  return budgetFor(
    {
      numFrames: config.numFrames,
      size,
      sample: { chunks: config.chunks, framesOf, thumbnails: true, flow: true },
    },
    PAGE_LIMITS,
  );
}
