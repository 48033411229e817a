// Page side: the open clips, by id. The store keeps only each clip's metadata (ClipMeta); the
// decoders (a <video> element or an ImageDecoder) live here. `sampleClip` plans, grabs and hands
// the frames to the worker's clip store in one transfer (the buffer is moved, not copied);
// `removeClip` closes the decoder and frees the clip's frames in the worker.
//
// The training studio and the sampling explorer both call this module; neither owns it.

import { client, WorkerGoneError } from './worker-client';
import { useAppStore } from '../state/store';
import { clipTiming, SamplingCancelled, type ClipInput, type ClipInfo, type GrabbedFrames, type VideoSource } from '../data/video-source';
import { openClip } from '../data/video-open';
import { planSample, type SamplePlan, type SamplingConfig } from '../data/sampling';

const sources = new Map<string, VideoSource>();
let nextId = 1;

export interface OpenedClip {
  id: string;
  info: ClipInfo;
}

/** Open and validate a clip; throws ClipLoadError (message names the file and the problem). */
export async function addClip(input: ClipInput): Promise<OpenedClip> {
  const source = await openClip(input);
  const id = `clip-${nextId++}`;
  sources.set(id, source);
  return { id, info: source.info };
}

function getSource(id: string): VideoSource {
  const s = sources.get(id);
  if (!s) throw new Error(`Clip ${id} is not open on this page.`);
  return s;
}

/**
 * Remove a clip: close its decoder, take it out of the store (and out of any own training class),
 * and free its frames in the worker. Resolves to the bytes the worker still holds for all clips
 * (0 when no worker runs: then it holds none).
 */
export async function removeClip(id: string): Promise<number> {
  sources.get(id)?.close();
  sources.delete(id);
  useAppStore.getState().removeClip(id);
  try {
    return (await client.request('drop-frames', { clipId: id })).storedBytes;
  } catch (e) {
    if (e instanceof WorkerGoneError) return 0;
    throw e;
  }
}

export interface SampledClip {
  plan: SamplePlan;
  frames: Omit<GrabbedFrames, 'rgba'>;
  /** Bytes the worker now holds for all clips. */
  storedBytes: number;
}

/**
 * Plan the sample, grab the frames at height × width, and store them in the worker under `key`
 * (default: the clip id). The RGBA buffer is transferred: it is unusable here afterwards.
 */
export async function sampleClip(
  clipId: string,
  config: Partial<SamplingConfig>,
  height: number,
  width: number,
  opts: { thumbnails?: boolean; isStale?: () => boolean; key?: string } = {},
): Promise<SampledClip> {
  const source = getSource(clipId);
  const plan = planSample(clipTiming(source.info), config);
  const grabbed = await source.grab(plan, height, width, opts);
  // Removed while its frames were grabbed: keep nothing of it in the worker.
  if (sources.get(clipId) !== source) {
    grabbed.thumbs.forEach((b) => b.close());
    throw new SamplingCancelled(`Clip ${clipId} was removed while it was sampled.`);
  }
  const { rgba, ...frames } = grabbed;
  const { storedBytes } = await client.request(
    'put-frames',
    { clipId: opts.key ?? clipId, numFrames: frames.numFrames, height, width, rgba, timesS: frames.timesS, nativeWidth: source.info.width, nativeHeight: source.info.height },
    [rgba.buffer],
  );
  return { plan, frames, storedBytes };
}
