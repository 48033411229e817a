// Page side: the open clips, by id. The store keeps only each clip's metadata (ClipMeta); the
// decoders (a <video> element or an ImageDecoder) live here. `sampleClip` plans, grabs and hands
// the frames to the worker's clip store in one transfer (the buffer is moved, not copied);
// `removeClip` closes the decoder and frees the clip's frames in the worker.
//
// The training studio and the sampling explorer both call this module; neither owns it.

import { client, WorkerGoneError } from './worker-client';
import { useAppStore } from '../state/store';
import { errorText } from '../lib/errors';
import { ClipLoadError, clipTiming, SamplingCancelled, type ClipInput, type ClipInfo, type GrabbedFrames, type VideoSource } from '../data/video-source';
import { openClip } from '../data/video-open';
import { planSample, type SamplePlan, type SamplingConfig } from '../data/sampling';
import { MAX_CLIP_FILE_BYTES, MAX_CLIPS } from '../training/budget';
import { formatBytes } from '../lib/format';

const sources = new Map<string, VideoSource>();
let nextId = 1;

export interface OpenedClip {
  id: string;
  info: ClipInfo;
}

const tooMany = (name: string) => new ClipLoadError(`${name} was not added: ${MAX_CLIPS} clips are open, the most this page keeps. Remove a clip first.`);

/** Open and validate a clip; throws ClipLoadError (message names the file and the problem), also over the caps on clip count and file size. */
export async function addClip(input: ClipInput): Promise<OpenedClip> {
  if (sources.size >= MAX_CLIPS) throw tooMany(input.name);
  if (input.blob.size > MAX_CLIP_FILE_BYTES) throw new ClipLoadError(`${input.name} was not added: it is ${formatBytes(input.blob.size)}, more than the ${formatBytes(MAX_CLIP_FILE_BYTES)} a clip may be. Trim it, or export a shorter part.`);
  const source = await openClip(input);
  if (sources.size >= MAX_CLIPS) {
    // Another clip was added while this one opened.
    source.close();
    throw tooMany(input.name);
  }
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
  for (const [key, r] of stored) if (r.clipId === id) stored.delete(key);
  useAppStore.getState().removeClip(id);
  try {
    return (await client.request('drop-frames', { clipId: id })).storedBytes;
  } catch (e) {
    if (e instanceof WorkerGoneError) return 0;
    throw e;
  }
}

/** What each key of the worker's clip store was sampled with, to sample it again for a restarted worker. */
const stored = new Map<string, { clipId: string; config: Partial<SamplingConfig>; height: number; width: number }>();

/**
 * After the worker restarted (runtime-actions.ts), its clip store is empty: sample every stored
 * clip again from its open source with the same settings and send the frames. Resolves to the
 * number of clips sent and the failures' messages.
 */
export async function resendFrames(): Promise<{ sent: number; failed: string[] }> {
  let sent = 0;
  const failed: string[] = [];
  for (const [key, r] of [...stored]) {
    try {
      await sampleClip(r.clipId, r.config, r.height, r.width, { key });
      sent++;
    } catch (e) {
      if (!(e instanceof SamplingCancelled)) failed.push(`${r.clipId}: ${errorText(e)}`);
    }
  }
  return { sent, failed };
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
  stored.set(opts.key ?? clipId, { clipId, config, height, width });
  return { plan, frames, storedBytes };
}
