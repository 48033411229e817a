// Page side: open a clip (file, built-in URL, webcam recording), validate it, read its metadata,
// and grab the planned frames resized to H × W. Runs on the main thread (it needs the DOM's
// <video> element); the frames then go to the worker as one transferred buffer.
//
//   File/Blob ─sniff bytes─▶ refuse (named reason)        ── or ──
//             ─<video>: loadedmetadata (timeout)─▶ duration, size (after rotation), codec
//             ─play a few frames (requestVideoFrameCallback)─▶ frame rate (estimated)
//   grab(plan) ─for each frame: currentTime = t ▸ 'seeked' (timeout) ▸ drawImage(centre crop)─▶
//             [T, H, W, 4] RGBA in one Uint8ClampedArray
//   GIF ─WebCodecs ImageDecoder─▶ exact frames and per-frame durations (random access)
//
// Only the frames a plan needs are decoded: an hour-long clip costs T seeks, not an hour.

import { SNIFF_BYTES, sniffClip, type Container } from './clip-sniff';
import { centreCrop, clipFrameCount, type SamplePlan } from './sampling';

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
}

export interface GrabOptions {
  /** Return thumbnails for display. Default false. */
  thumbnails?: boolean;
  /** Checked between frames: return true to abandon this grab (throws SamplingCancelled). */
  isStale?: () => boolean;
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
    return new VideoElementSource(v, info, cleanup);
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
  const snapped = [12, 15, 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60].find((r) => Math.abs(r - fps) / r < 0.015);
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
    const t0 = performance.now();
    const { canvas, ctx, v } = this;
    canvas.width = width;
    canvas.height = height;
    const crop = centreCrop(v.videoWidth, v.videoHeight, width, height);
    const frameBytes = height * width * 4;
    const rgba = new Uint8ClampedArray(plan.seekS.length * frameBytes);
    const thumbs: ImageBitmap[] = [];
    try {
      for (let j = 0; j < plan.seekS.length; j++) {
        if (opts.isStale?.()) throw new SamplingCancelled('A newer sample replaced this one.');
        if (j > 0 && plan.frameIdx[j] === plan.frameIdx[j - 1]) {
          rgba.copyWithin(j * frameBytes, (j - 1) * frameBytes, j * frameBytes); // a repeated frame: no second seek
        } else {
          await this.seek(plan.seekS[j]);
          ctx.drawImage(v, crop.sx, crop.sy, crop.sw, crop.sh, 0, 0, width, height);
          rgba.set(ctx.getImageData(0, 0, width, height).data, j * frameBytes);
        }
        if (opts.thumbnails) thumbs.push(await createImageBitmap(canvas)); // the canvas still holds frame j
      }
    } catch (e) {
      for (const b of thumbs) b.close();
      throw e;
    }
    return { rgba, numFrames: plan.seekS.length, height, width, timesS: plan.timesS, thumbs, grabMs: performance.now() - t0 };
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
    throw new ClipLoadError(`${quote(name)} is a GIF that could not be decoded: it is corrupt or truncated. [${e instanceof Error ? e.message : String(e)}]`);
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
    canvas.width = w;
    canvas.height = h;
    const crop = centreCrop(width, height, w, h);
    const frameBytes = h * w * 4;
    const rgba = new Uint8ClampedArray(plan.frameIdx.length * frameBytes);
    const thumbs: ImageBitmap[] = [];
    for (let j = 0; j < plan.frameIdx.length; j++) {
      if (opts.isStale?.()) {
        for (const b of thumbs) b.close();
        throw new SamplingCancelled('A newer sample replaced this one.');
      }
      const { image } = await decoder.decode({ frameIndex: plan.frameIdx[j] });
      try {
        ctx.drawImage(image, crop.sx, crop.sy, crop.sw, crop.sh, 0, 0, w, h);
      } finally {
        image.close();
      }
      rgba.set(ctx.getImageData(0, 0, w, h).data, j * frameBytes);
      if (opts.thumbnails) thumbs.push(await createImageBitmap(canvas));
    }
    return { rgba, numFrames: plan.frameIdx.length, height: h, width: w, timesS: plan.frameIdx.map((i) => startS[i]), thumbs, grabMs: performance.now() - t0 };
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
