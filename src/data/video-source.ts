// What a clip source is, whichever way it decodes: the clip's metadata (ClipInfo), the grab of a
// sample plan's frames resized to H × W ([T, H, W, 4] RGBA in one buffer, then transferred to
// the worker), and the two errors a caller tells apart. The sources themselves:
//
//   data/video-open.ts    openClip: sniff, index check (MP4), <video> metadata, frame-rate probe
//   data/seek-source.ts   a <video>: MP4s the fast path covers decoded with WebCodecs
//                         (data/mp4-decoder.ts), anything else seeked frame by frame
//   data/gif-source.ts    an animated GIF: WebCodecs ImageDecoder, only the planned frames decoded
//
// Only the frames a plan needs are decoded: an hour-long clip costs T seeks (or the few keyframe
// groups around T frames), not an hour.

import type { Container } from './clip-sniff';
import type { SamplePlan } from './sampling';

export interface ClipInfo {
  name: string;
  /** Seconds that can be sampled (for a cut file, the part that is left). */
  durationS: number;
  /** Display size, rotation metadata applied. */
  width: number;
  height: number;
  fps: number;
  fpsEstimated: boolean;
  variableFrameRate: boolean;
  numFrames: number;
  codec: string | null;
  container: Container;
  sizeBytes: number;
  /** Something the user should know about a clip that did load (a cut file: how much is left). */
  notice?: string;
}

/** How a grab decoded its frames: WebCodecs (MP4 fast path), <video> seeks, or ImageDecoder (GIF). */
export type SamplingPath = 'webcodecs' | 'seek' | 'image-decoder';

export interface GrabbedFrames {
  /** [T, H, W, 4] RGBA, frame-major. */
  rgba: Uint8ClampedArray;
  numFrames: number;
  height: number;
  width: number;
  /** Presentation time of each grabbed frame, seconds. */
  timesS: number[];
  /** Small bitmaps for the frame strip (when asked for). */
  thumbs: ImageBitmap[];
  grabMs: number;
  path: SamplingPath;
  /** Why a video grab did not take the WebCodecs path (null when it did, and for GIFs). */
  fallbackReason: string | null;
}

export interface GrabOptions {
  /** Return thumbnails for display. Default false. */
  thumbnails?: boolean;
  /** Checked between frames: return true to abandon this grab (throws SamplingCancelled). */
  isStale?: () => boolean;
  /** 'seek' forces the <video> seek path (benchmarks, tests); default 'auto': WebCodecs where it applies. */
  path?: 'auto' | 'seek';
}

export interface VideoSource {
  info: ClipInfo;
  /** Grab the plan's frames, resized (short side) and centre-cropped to height × width. */
  grab(plan: SamplePlan, height: number, width: number, opts?: GrabOptions): Promise<GrabbedFrames>;
  close(): void;
}

/** A clip that cannot be used; the message names the file and the problem. */
export class ClipLoadError extends Error {
  override name = 'ClipLoadError';
}
export class SamplingCancelled extends Error {
  override name = 'SamplingCancelled';
}

export interface ClipInput {
  blob: Blob;
  name: string;
  /** Frame rate known from elsewhere (the built-in manifest): skips the estimate. */
  declaredFps?: number;
}

/** A file's name as messages quote it. */
export const quote = (name: string) => `“${name}”`;

/** What sampling needs: GIFs know their exact frame count; videos derive it from duration × fps. */
export function clipTiming(info: ClipInfo): { durationS: number; fps: number; numFrames?: number } {
  return info.container === 'gif' ? { durationS: info.durationS, fps: info.fps, numFrames: info.numFrames } : { durationS: info.durationS, fps: info.fps };
}

/**
 * One grab at a time per source (seeks must not interleave, nor decodes share a canvas): each
 * call runs after the previous one settles.
 */
export function serialise<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let queue: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const next = queue.then(() => run(...args));
    queue = next.catch(() => undefined);
    return next;
  };
}
