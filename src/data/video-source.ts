// Page side: open a clip (file, built-in URL, webcam recording), validate it, read its metadata,
// and grab the planned frames resized to H × W. Runs on the main thread (it needs the DOM's
// <video> element); the frames then go to the worker as one transferred buffer.
//
//   File/Blob ─sniff bytes─▶ refuse (named reason)        ── or ──
//             ─<video>: loadedmetadata (timeout)─▶ duration, size (after rotation), codec
//             ─play a few frames (requestVideoFrameCallback)─▶ frame rate (estimated)
//   grab(plan) ─MP4 the fast path covers: WebCodecs, each keyframe group decoded once
//             (data/mp4-decoder.ts) ▸ drawImage(VideoFrame, centre crop)─▶
//             ─anything else, or if that fails: for each frame currentTime = t ▸ 'seeked'
//             (timeout) ▸ drawImage(<video>, centre crop)─▶
//             [T, H, W, 4] RGBA in one Uint8ClampedArray (data/frame-sheet.ts)
//   GIF ─WebCodecs ImageDecoder─▶ exact frames and per-frame durations (random access)
//
// Only the frames a plan needs are decoded: an hour-long clip costs T seeks (or the few keyframe
// groups around T frames), not an hour. Both video paths give the same frames: the fast path
// picks, for each instant, the frame whose presentation interval contains it, as the seek does.
// The <video> element stays the judge of what loads (metadata, errors, timeouts): the fast path
// only replaces the seeks, and falls back to them silently for anything it does not cover.

import { SNIFF_BYTES, sniffClip, type Container } from './clip-sniff';
import { FrameSheet } from './frame-sheet';
import type { Mp4FrameDecoder, Mp4Opened } from './mp4-decoder';
import { centreCrop, clipFrameCount, type SamplePlan } from './sampling';
import { errorText } from '../lib/errors';

/** How long to wait for a clip's metadata, and for one seek. */
export const LOAD_TIMEOUT_MS = 15_000;
export const SEEK_TIMEOUT_MS = 8_000;
/** How long playback may run to estimate the frame rate, and how many frame intervals to see. */
const FPS_PROBE_MS = 2_500;
const FPS_PROBE_INTERVALS = 8;

export interface ClipInfo {
  name: string;
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

const quote = (name: string) => `“${name}”`;

/** Open and validate a clip. Throws ClipLoadError with a specific message. */
export async function openClip(input: ClipInput): Promise<VideoSource> {
  const { blob, name } = input;
  const size = blob.size;
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const tail = size > SNIFF_BYTES ? new Uint8Array(await blob.slice(size - SNIFF_BYTES).arrayBuffer()) : head;
  const sniff = sniffClip(head, tail, size);
  if (sniff.verdict === 'reject') throw new ClipLoadError(`${quote(name)} ${sniff.reason}`);
  if (sniff.verdict === 'gif') return openGif(blob, name);
  return openVideo(input, sniff.container, sniff.codec);
}

/** What sampling needs: GIFs know their exact frame count; videos derive it from duration × fps. */
export function clipTiming(info: ClipInfo): { durationS: number; fps: number; numFrames?: number } {
  return info.container === 'gif' ? { durationS: info.durationS, fps: info.fps, numFrames: info.numFrames } : { durationS: info.durationS, fps: info.fps };
}

// ---------------------------------------------------------------------------------------------
// <video> path

function mediaErrorText(v: HTMLVideoElement): string {
  const e = v.error;
  if (!e) return 'unknown error';
  return e.message || ['', 'aborted', 'network error', 'decode error', 'source not supported'][e.code] || `code ${e.code}`;
}

function explainMediaError(name: string, v: HTMLVideoElement, container: Container, codec: string | null): string {
  const raw = mediaErrorText(v);
  const what = [container !== 'unknown' ? container.toUpperCase() : null, codec].filter(Boolean).join(', ');
  if (/NO_SUPPORTED_STREAMS/.test(raw)) return `${quote(name)} has no stream Chromium can decode${what ? ` (${what})` : ''}. Convert it to MP4 (H.264) or WebM (VP9). [${raw}]`;
  if (container === 'unknown' && /COULD_NOT_OPEN|COULD_NOT_PARSE|DEMUXER|FFmpegDemuxer|not supported/i.test(raw))
    return `${quote(name)} is not a video Chromium can read: its bytes match no known video container (MP4, WebM, MOV, MKV, GIF). [${raw}]`;
  if (/DECODE|PIPELINE_ERROR/i.test(raw) || v.error?.code === 3) return `${quote(name)} could not be decoded: the file is corrupt or truncated${what ? ` (${what})` : ''}. [${raw}]`;
  return `${quote(name)} could not be opened as a video${what ? ` (${what})` : ''}: it may be corrupt or truncated. [${raw}]`;
}

/** Resolve on `ok`, reject on `error`/timeout; always removes its listeners. */
function waitFor(v: HTMLVideoElement, ok: string, timeoutMs: number, onTimeout: () => Error, onError: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (f: () => void) => {
      clearTimeout(timer);
      v.removeEventListener(ok, onOk);
      v.removeEventListener('error', onErr);
      f();
    };
    const onOk = () => done(resolve);
    const onErr = () => done(() => reject(onError()));
    const timer = setTimeout(() => done(() => reject(onTimeout())), timeoutMs);
    v.addEventListener(ok, onOk);
    v.addEventListener('error', onErr);
  });
}

async function openVideo(input: ClipInput, container: Container, codec: string | null): Promise<VideoSource> {
  const { blob, name } = input;
  const url = URL.createObjectURL(blob);
  const v = document.createElement('video');
  v.muted = true;
  v.playsInline = true;
  v.preload = 'auto';
  const fail = (msg: string): never => {
    cleanup();
    throw new ClipLoadError(msg);
  };
  const cleanup = () => {
    v.removeAttribute('src');
    v.load();
    URL.revokeObjectURL(url);
  };
  try {
    const meta = waitFor(
      v,
      'loadedmetadata',
      LOAD_TIMEOUT_MS,
      () => new ClipLoadError(`${quote(name)} did not load within ${LOAD_TIMEOUT_MS / 1000} s: it may be corrupt, or too large for this browser.`),
      () => new ClipLoadError(explainMediaError(name, v, container, codec)),
    );
    v.src = url;
    await meta;
    if (v.videoWidth === 0 || v.videoHeight === 0) fail(`${quote(name)} has no video track (audio only?). Choose a clip with video.`);

    // MediaRecorder WebM (and some streams) report an infinite duration until the end is seen.
    if (!Number.isFinite(v.duration)) {
      const changed = waitFor(v, 'durationchange', LOAD_TIMEOUT_MS, () => new ClipLoadError(`${quote(name)} does not say how long it is, and seeking to its end timed out.`), () => new ClipLoadError(explainMediaError(name, v, container, codec)));
      v.currentTime = 1e9;
      await changed;
      for (let i = 0; i < 20 && !Number.isFinite(v.duration); i++) await new Promise((r) => setTimeout(r, 50));
      v.currentTime = 0;
    }
    const durationS = v.duration;
    if (!(durationS > 0) || !Number.isFinite(durationS)) fail(`${quote(name)} has zero duration: there are no frames to sample.`);

    let fps = input.declaredFps ?? null;
    let variableFrameRate = false;
    if (fps === null) {
      const probe = await probeFrameRate(v, name);
      if (probe.intervals === 0) {
        if (probe.frames <= 1 && durationS < 0.25) fail(`${quote(name)} has only one frame (${durationS.toFixed(2)} s): there is no motion to sample. Use a clip with at least two frames.`);
        fail(`${quote(name)} could not be played to measure its frame rate: it may be corrupt or truncated.`);
      }
      fps = probe.fps;
      variableFrameRate = probe.variable;
    }
    const numFrames = clipFrameCount({ durationS, fps });
    if (numFrames < 2) fail(`${quote(name)} has only one frame (${durationS.toFixed(2)} s at ${fps.toFixed(1)} fps): there is no motion to sample. Use a clip with at least two frames.`);

    const info: ClipInfo = {
      name,
      durationS,
      width: v.videoWidth,
      height: v.videoHeight,
      fps,
      fpsEstimated: input.declaredFps === undefined,
      variableFrameRate,
      numFrames,
      codec,
      container,
      sizeBytes: blob.size,
    };
    // The fast path's index is read in the background: the first grab waits for it, or not at all.
    const fast: Promise<Mp4Opened> =
      container === 'mp4'
        ? Promise.race([
            import('./mp4-decoder').then(
              (m) => m.Mp4FrameDecoder.open(blob),
              (e: unknown) => ({ ok: false as const, reason: `the MP4 decoder module did not load: ${errorText(e)}` }),
            ),
            new Promise<Mp4Opened>((resolve) => setTimeout(() => resolve({ ok: false, reason: `reading the MP4 index took over ${SEEK_TIMEOUT_MS / 1000} s` }), SEEK_TIMEOUT_MS)),
          ])
        : Promise.resolve({ ok: false, reason: `not an MP4 (${container})` });
    return new VideoElementSource(v, info, cleanup, fast);
  } catch (e) {
    cleanup();
    throw e;
  }
}

interface FpsProbe {
  fps: number;
  variable: boolean;
  intervals: number;
  frames: number;
}

/**
 * Play (muted) for a few frames and read each presented frame's media time. The typical interval
 * between consecutive frames gives the rate; a wide spread flags a variable frame rate.
 */
async function probeFrameRate(v: HTMLVideoElement, name: string): Promise<FpsProbe> {
  const samples: { t: number; n: number }[] = [];
  let ended = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, FPS_PROBE_MS);
    const onEnded = () => {
      ended = true;
      finish();
    };
    v.addEventListener('ended', onEnded);
    let handle = 0;
    function finish() {
      clearTimeout(timer);
      v.removeEventListener('ended', onEnded);
      v.cancelVideoFrameCallback(handle);
      v.pause();
      resolve();
    }
    const onFrame: VideoFrameRequestCallback = (_now, m) => {
      samples.push({ t: m.mediaTime, n: m.presentedFrames });
      if (samples.length > FPS_PROBE_INTERVALS) finish();
      else handle = v.requestVideoFrameCallback(onFrame);
    };
    handle = v.requestVideoFrameCallback(onFrame);
    v.play().catch(() => finish());
  });
  const dts: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const dn = samples[i].n - samples[i - 1].n;
    const dt = samples[i].t - samples[i - 1].t;
    // Not dt / dn: frames dropped during playback are not counted in presentedFrames, so an
    // interval spanning a drop is simply a whole multiple of the frame duration.
    if (dn >= 1 && dt > 0) dts.push(dt);
  }
  // Back to the start for sampling.
  const back = waitFor(v, 'seeked', SEEK_TIMEOUT_MS, () => new ClipLoadError(`${quote(name)}: seeking back to the start timed out.`), () => new ClipLoadError(`${quote(name)}: seeking back to the start failed.`));
  v.currentTime = 0;
  await back;
  if (dts.length === 0) return { fps: NaN, variable: false, intervals: 0, frames: ended ? samples.length : samples.length };
  const sorted = [...dts].sort((a, b) => a - b);
  // The smallest common interval: dropped frames only lengthen intervals.
  const base = sorted[Math.floor(sorted.length / 4)];
  const variable = sorted.some((d) => Math.abs(d / base - Math.round(d / base)) > 0.15);
  // Constant rate: average over every interval, each counted as a whole number of base frames
  // (robust to dropped frames and to containers that round timestamps to milliseconds).
  let fps = variable ? 1 / base : dts.reduce((a, d) => a + Math.max(1, Math.round(d / base)), 0) / dts.reduce((a, d) => a + d, 0);
  const near = [12, 15, 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60].filter((r) => Math.abs(r - fps) / r < 0.015);
  const snapped = near.sort((a, b) => Math.abs(a - fps) - Math.abs(b - fps))[0];
  fps = snapped ?? Math.round(fps * 100) / 100;
  return { fps, variable, intervals: dts.length, frames: samples.length };
}

class VideoElementSource implements VideoSource {
  private queue: Promise<unknown> = Promise.resolve();
  private canvas = new OffscreenCanvas(1, 1);
  private ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;

  constructor(
    private v: HTMLVideoElement,
    readonly info: ClipInfo,
    private cleanup: () => void,
    /** The WebCodecs fast path for this clip, or why there is none; replaced by the reason if it ever fails. */
    private fast: Promise<Mp4Opened>,
  ) {}

  grab(plan: SamplePlan, height: number, width: number, opts: GrabOptions = {}): Promise<GrabbedFrames> {
    // One grab at a time per element: seeks must not interleave.
    const run = this.queue.then(() => this.grabNow(plan, height, width, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async seek(t: number): Promise<void> {
    const v = this.v;
    if (!v.seeking && Math.abs(v.currentTime - t) < 1e-6 && v.readyState >= 2) return;
    const name = this.info.name;
    const done = waitFor(
      v,
      'seeked',
      SEEK_TIMEOUT_MS,
      () => new ClipLoadError(`Seeking to ${t.toFixed(2)} s in ${quote(name)} timed out after ${SEEK_TIMEOUT_MS / 1000} s: the file may be truncated or corrupt.`),
      () => new ClipLoadError(explainMediaError(name, v, this.info.container, this.info.codec)),
    );
    v.currentTime = t;
    await done;
  }

  private async grabNow(plan: SamplePlan, height: number, width: number, opts: GrabOptions): Promise<GrabbedFrames> {
    const fast = await this.fast;
    if (!fast.ok) return this.grabSeeking(plan, height, width, opts, fast.reason);
    if (opts.path === 'seek') return this.grabSeeking(plan, height, width, opts, 'the seek path was asked for');
    try {
      return await this.grabDecoding(fast.decoder, plan, height, width, opts);
    } catch (e) {
      if (e instanceof SamplingCancelled) throw e;
      // Never again for this clip: whatever broke would break the next grab too.
      const reason = `WebCodecs decoding failed: ${errorText(e)}`;
      this.fast = Promise.resolve({ ok: false, reason });
      return this.grabSeeking(plan, height, width, opts, reason);
    }
  }

  /** The fast path: decode each needed keyframe group once (mp4-decoder.ts), draw each kept frame into its rows. */
  private async grabDecoding(decoder: Mp4FrameDecoder, plan: SamplePlan, height: number, width: number, opts: GrabOptions): Promise<GrabbedFrames> {
    const t0 = performance.now();
    const { canvas, ctx, v } = this;
    const crop = centreCrop(v.videoWidth, v.videoHeight, width, height);
    const numFrames = plan.seekS.length;
    const sheet = new FrameSheet(canvas, ctx, numFrames, height, width);
    const checkCancelled = () => {
      if (opts.isStale?.()) throw new SamplingCancelled('A newer sample replaced this one.');
    };
    checkCancelled();
    const drawFrame = (rows: number[], frame: VideoFrame) => {
      // The seek path draws what the <video> shows; a decoded frame of another size (pixel aspect
      // from the bitstream, say) would not be the same picture.
      if (frame.displayWidth !== v.videoWidth || frame.displayHeight !== v.videoHeight) throw new Error(`decoded frames are ${frame.displayWidth}×${frame.displayHeight}, the <video> shows ${v.videoWidth}×${v.videoHeight}`);
      for (const j of rows) sheet.draw(j, frame, crop);
    };
    await decoder.decode(plan.seekS, drawFrame, checkCancelled, SEEK_TIMEOUT_MS);
    const thumbs: ImageBitmap[] = [];
    try {
      if (opts.thumbnails) for (let j = 0; j < numFrames; j++) thumbs.push(await sheet.thumb(j));
    } catch (e) {
      for (const b of thumbs) b.close();
      throw e;
    }
    const rgba = sheet.finish();
    return { rgba, numFrames, height, width, timesS: plan.timesS, thumbs, grabMs: performance.now() - t0, path: 'webcodecs', fallbackReason: null };
  }

  /** The seek path: for each frame, seek the <video> to it and draw what it shows. */
  private async grabSeeking(plan: SamplePlan, height: number, width: number, opts: GrabOptions, fallbackReason: string): Promise<GrabbedFrames> {
    const t0 = performance.now();
    const { canvas, ctx, v } = this;
    const crop = centreCrop(v.videoWidth, v.videoHeight, width, height);
    const sheet = new FrameSheet(canvas, ctx, plan.seekS.length, height, width);
    const thumbs: ImageBitmap[] = [];
    try {
      for (let j = 0; j < plan.seekS.length; j++) {
        if (opts.isStale?.()) throw new SamplingCancelled('A newer sample replaced this one.');
        if (j > 0 && plan.frameIdx[j] === plan.frameIdx[j - 1]) {
          sheet.repeat(j);
        } else {
          await this.seek(plan.seekS[j]);
          sheet.draw(j, v, crop);
        }
        if (opts.thumbnails) thumbs.push(await sheet.thumb(j));
      }
    } catch (e) {
      for (const b of thumbs) b.close();
      throw e;
    }
    const rgba = sheet.finish();
    return { rgba, numFrames: plan.seekS.length, height, width, timesS: plan.timesS, thumbs, grabMs: performance.now() - t0, path: 'seek', fallbackReason };
  }

  close(): void {
    this.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Animated GIF path (WebCodecs ImageDecoder: exact frames, random access)

async function openGif(blob: Blob, name: string): Promise<VideoSource> {
  if (typeof ImageDecoder === 'undefined') throw new ClipLoadError(`${quote(name)} is an animated GIF, and this browser has no WebCodecs ImageDecoder to read it. Convert it to MP4 or WebM.`);
  let decoder: ImageDecoder;
  try {
    decoder = new ImageDecoder({ data: await blob.arrayBuffer(), type: 'image/gif' });
    await decoder.tracks.ready; // selectedTrack is null until then
    await decoder.completed;
  } catch (e) {
    throw new ClipLoadError(`${quote(name)} is a GIF that could not be decoded: it is corrupt or truncated. [${errorText(e)}]`);
  }
  const track = decoder.tracks.selectedTrack;
  const n = track?.frameCount ?? 0;
  if (n < 2) {
    decoder.close();
    throw new ClipLoadError(`${quote(name)} has only one frame (a still GIF image): there is no motion to sample. Use an animated GIF or a video.`);
  }
  // Frame times from each frame's own duration (GIF delays vary; 0 means "as fast as possible").
  const startS: number[] = [];
  let t = 0;
  let width = 0;
  let height = 0;
  const durations: number[] = [];
  for (let i = 0; i < n; i++) {
    const { image } = await decoder.decode({ frameIndex: i });
    width = image.displayWidth;
    height = image.displayHeight;
    const d = (image.duration ?? 0) / 1e6 || 0.1; // browsers show 0-delay GIF frames at 100 ms
    image.close();
    startS.push(t);
    durations.push(d);
    t += d;
  }
  const durationS = t;
  const fps = n / durationS;
  const variableFrameRate = durations.some((d) => Math.abs(d - durations[0]) > 1e-3);
  const info: ClipInfo = { name, durationS, width, height, fps, fpsEstimated: false, variableFrameRate, numFrames: n, codec: 'gif', container: 'gif', sizeBytes: blob.size };
  const canvas = new OffscreenCanvas(1, 1);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  let queue: Promise<unknown> = Promise.resolve();

  async function grabNow(plan: SamplePlan, h: number, w: number, opts: GrabOptions): Promise<GrabbedFrames> {
    const t0 = performance.now();
    const crop = centreCrop(width, height, w, h);
    const sheet = new FrameSheet(canvas, ctx, plan.frameIdx.length, h, w);
    const thumbs: ImageBitmap[] = [];
    for (let j = 0; j < plan.frameIdx.length; j++) {
      if (opts.isStale?.()) {
        for (const b of thumbs) b.close();
        throw new SamplingCancelled('A newer sample replaced this one.');
      }
      if (j > 0 && plan.frameIdx[j] === plan.frameIdx[j - 1]) {
        sheet.repeat(j);
      } else {
        const { image } = await decoder.decode({ frameIndex: plan.frameIdx[j] });
        try {
          sheet.draw(j, image, crop);
        } finally {
          image.close();
        }
      }
      if (opts.thumbnails) thumbs.push(await sheet.thumb(j));
    }
    const rgba = sheet.finish();
    return { rgba, numFrames: plan.frameIdx.length, height: h, width: w, timesS: plan.frameIdx.map((i) => startS[i]), thumbs, grabMs: performance.now() - t0, path: 'image-decoder', fallbackReason: null };
  }

  return {
    info,
    grab(plan, h, w, opts = {}) {
      const run = queue.then(() => grabNow(plan, h, w, opts));
      queue = run.catch(() => undefined);
      return run;
    },
    close: () => decoder.close(),
  };
}
