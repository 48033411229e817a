// The sampling explorer's action: plan and grab the selected clip with the settings' sampling
// knobs (strategy, T, stride, K, seed, size, short-clip policy) and hand the frames to the
// worker's clip store (runtime/clip-library.ts). The caller commits the returned SampleInfo to the
// store together with its thumbnails, so the frame strip never pairs one sample's bitmaps with
// another's times. A sample over the memory budget (its frames, thumbnails and flow: see
// budget-checks.ts) is refused before a single frame is grabbed.

import { sampleClip } from './clip-library';
import { sampleBudget } from './budget-checks';
import { refuseUnlessFits } from '../training/budget';
import { describePadding } from '../data/sampling';
import { SamplingCancelled, type SamplingPath } from '../data/video-source';
import { useAppStore } from '../state/store';
import type { SampleInfo } from '../state/slices/clips-slice';

export type { SamplingPath };

export interface ExplorerSample {
  /** For the store (setSample): the sampled instants, frame numbers, size and padding note. */
  sample: SampleInfo;
  /** One bitmap per sampled frame: the caller owns them and closes them. */
  thumbs: ImageBitmap[];
  numFrames: number;
  grabMs: number;
  path: SamplingPath;
}

/**
 * Sample clip `clipId` with the current settings. Resolves null when a newer sample replaced
 * this one (`isStale`), leaving no bitmap behind. Throws the budget's refusal, having grabbed
 * nothing, when the sample would not fit.
 */
export async function sampleWithSettings(
  clipId: string,
  isStale: () => boolean,
): Promise<ExplorerSample | null> {
  const { settings, clips } = useAppStore.getState();
  const shortClip = settings.short;
  const { strategy, frames: numFrames, stride, chunks, seed, size } = settings;
  const meta = clips.find((c) => c.id === clipId);
  if (meta)
    refuseUnlessFits(
      sampleBudget(meta, { strategy, numFrames, stride, chunks, seed, shortClip }, size),
    );
  try {
    const { plan, frames } = await sampleClip(
      clipId,
      { strategy, numFrames, stride, chunks, seed, shortClip },
      size,
      size,
      { thumbnails: true, isStale },
    );
    if (isStale()) {
      frames.thumbs.forEach((b) => b.close());
      return null;
    }
    const sample: SampleInfo = {
      clipId,
      timesS: frames.timesS,
      height: frames.height,
      width: frames.width,
      frameIdx: plan.frameIdx,
      chunks: plan.chunks.length,
      paddingNote: describePadding(plan, shortClip),
      grabMs: frames.grabMs,
    };
    return {
      sample,
      thumbs: frames.thumbs,
      numFrames: frames.numFrames,
      grabMs: frames.grabMs,
      path: frames.path,
    };
  } catch (e) {
    if (e instanceof SamplingCancelled || isStale()) return null;
    throw e;
  }
}
