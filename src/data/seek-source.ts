// A clip played by a <video> element (data/video-open.ts opens it): grab a plan's frames either
// on the MP4 fast path or by seeking, and the <video> helpers the opener shares (event waits with
// a timeout, media errors in words). Page side (DOM), no React.
//
//   grab(plan) ─MP4 the fast path covers: WebCodecs, each keyframe group decoded once
//             (data/mp4-decoder.ts) ▸ drawImage(VideoFrame, centre crop)─▶
//             ─anything else, or if that fails: for each frame currentTime = t ▸ 'seeked'
//             (SEEK_TIMEOUT_MS) ▸ drawImage(<video>, centre crop)─▶
//             [T, H, W, 4] RGBA in one Uint8ClampedArray (data/frame-sheet.ts)
//
// Both paths give the same frames: the fast path picks, for each instant, the frame whose
// presentation interval contains it, as the seek does. The <video> element stays the judge of
// what loads (metadata, errors, timeouts): the fast path only replaces the seeks, and falls back
// to them silently for anything it does not cover.

import type { Container } from './clip-sniff';
import { FrameSheet } from './frame-sheet';
import type { Mp4FrameDecoder, Mp4Opened } from './mp4-decoder';
import { centreCrop, type SamplePlan } from './sampling';
import { ClipLoadError, quote, SamplingCancelled, serialise, type ClipInfo, type GrabbedFrames, type GrabOptions, type VideoSource } from './video-source';
import { errorText } from '../lib/errors';

/** How long one seek (or a decoder without progress) may take. */
export const SEEK_TIMEOUT_MS = 8_000;

function mediaErrorText(v: HTMLVideoElement): string {
  const e = v.error;
  if (!e) return 'unknown error';
  return e.message || ['', 'aborted', 'network error', 'decode error', 'source not supported'][e.code] || `code ${e.code}`;
}

/** The <video>'s error in words that name the file, its container and codec. */
export function explainMediaError(name: string, v: HTMLVideoElement, container: Container, codec: string | null): string {
  const raw = mediaErrorText(v);
  const what = [container !== 'unknown' ? container.toUpperCase() : null, codec].filter(Boolean).join(', ');
  if (/NO_SUPPORTED_STREAMS/.test(raw)) return `${quote(name)} has no stream Chromium can decode${what ? ` (${what})` : ''}. Convert it to MP4 (H.264) or WebM (VP9). [${raw}]`;
  if (container === 'unknown' && /COULD_NOT_OPEN|COULD_NOT_PARSE|DEMUXER|FFmpegDemuxer|not supported/i.test(raw))
    return `${quote(name)} is not a video Chromium can read: its bytes match no known video container (MP4, WebM, MOV, MKV, GIF). [${raw}]`;
  if (/DECODE|PIPELINE_ERROR/i.test(raw) || v.error?.code === 3) return `${quote(name)} could not be decoded: the file is corrupt or truncated${what ? ` (${what})` : ''}. [${raw}]`;
  return `${quote(name)} could not be opened as a video${what ? ` (${what})` : ''}: it may be corrupt or truncated. [${raw}]`;
}

/** Resolve on `ok`, reject on `error`/timeout; always removes its listeners. */
export function waitFor(v: HTMLVideoElement, ok: string, timeoutMs: number, onTimeout: () => Error, onError: () => Error): Promise<void> {
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

export class VideoElementSource implements VideoSource {
  private canvas = new OffscreenCanvas(1, 1);
  private ctx = this.canvas.getContext('2d', { willReadFrequently: true })!;
  /** One grab at a time per element: seeks must not interleave. */
  readonly grab = serialise((plan: SamplePlan, height: number, width: number, opts: GrabOptions = {}) => this.grabNow(plan, height, width, opts));

  constructor(
    private v: HTMLVideoElement,
    readonly info: ClipInfo,
    private cleanup: () => void,
    /** The WebCodecs fast path for this clip, or why there is none; replaced by the reason if it ever fails. */
    private fast: Promise<Mp4Opened>,
  ) {}

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
