// An animated GIF as a clip source: WebCodecs ImageDecoder, exact frames, random access. Page
// side (WebCodecs), no React. Opening decodes no frame but the first: the frame count and every
// frame's duration come from the GIF's own block structure (gifTiming, pure), and a grab decodes
// only the frames its plan names, each within GIF_DECODE_TIMEOUT_MS.
//
//   bytes ─gifTiming: walk the blocks (extensions, image descriptors, data sub-blocks), no LZW─▶
//         frame delays (0 → 100 ms, as browsers show them), screen size
//   bytes ─ImageDecoder (tracks.ready, timeout)─▶ frame count; frame 0 decoded: it is a GIF we can read
//   grab(plan) ─decode({ frameIndex }) for each planned frame (timeout) ▸ drawImage(centre crop)─▶
//              [T, H, W, 4] RGBA (data/frame-sheet.ts)

import { FrameSheet } from './frame-sheet';
import { centreCrop, type SamplePlan } from './sampling';
import { ClipLoadError, quote, SamplingCancelled, serialise, type ClipInfo, type GrabbedFrames, type GrabOptions, type VideoSource } from './video-source';
import { errorText } from '../lib/errors';

/** How long the decoder may take to read the GIF's structure, or to decode one frame. */
const GIF_DECODE_TIMEOUT_MS = 8_000;
/** Browsers show a frame whose delay is 0 for 100 ms (ImageDecoder reports the 0). */
const ZERO_DELAY_S = 0.1;

interface GifTiming {
  /** Logical screen size. */
  width: number;
  height: number;
  /** Each complete frame's display time, seconds, in order. */
  delaysS: number[];
}

/**
 * Frame durations from a GIF's blocks (GIF89a): each image's delay is the one in the graphic
 * control extension before it. Skips image data sub-block by sub-block without decoding it, and
 * stops at the trailer, at an unknown block, or where the bytes end (a cut file: the frames found).
 */
export function gifTiming(b: Uint8Array): GifTiming {
  const width = b[6] | (b[7] << 8);
  const height = b[8] | (b[9] << 8);
  const delaysS: number[] = [];
  const table = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  /** Past the sub-blocks starting at `at` (each a length byte, then that many bytes; 0 ends), or -1 if cut. */
  const skipSubBlocks = (at: number) => {
    while (at < b.length && b[at] !== 0) at += b[at] + 1;
    return at < b.length ? at + 1 : -1;
  };
  let at = 13 + table(b[10]);
  let delayCs: number | null = null;
  while (at >= 0 && at < b.length) {
    const block = b[at];
    if (block === 0x21) {
      if (b[at + 1] === 0xf9 && b[at + 2] === 4) delayCs = b[at + 4] | (b[at + 5] << 8);
      at = skipSubBlocks(at + 2);
    } else if (block === 0x2c) {
      at = skipSubBlocks(at + 10 + table(b[at + 9]) + 1); // descriptor, local colour table, LZW code size
      if (at < 0) break;
      delaysS.push(delayCs ? delayCs / 100 : ZERO_DELAY_S);
      delayCs = null;
    } else break; // 0x3b: the trailer; anything else: not a block we know
  }
  return { width, height, delaysS };
}

/** Open an animated GIF: its structure, frame count and first frame. Throws ClipLoadError. */
export async function openGif(blob: Blob, name: string): Promise<VideoSource> {
  if (typeof ImageDecoder === 'undefined') throw new ClipLoadError(`${quote(name)} is an animated GIF, and this browser has no WebCodecs ImageDecoder to read it. Convert it to MP4 or WebM.`);
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const timing = gifTiming(bytes);
  const broken = (e: unknown) => new ClipLoadError(`${quote(name)} is a GIF that could not be decoded: it is corrupt or truncated. [${errorText(e)}]`);
  let decoder: ImageDecoder;
  try {
    // The bytes are handed over, not copied (gifTiming is done with them).
    decoder = new ImageDecoder({ data: bytes, type: 'image/gif', transfer: [bytes.buffer] });
  } catch (e) {
    throw broken(e);
  }
  const timedOut = (what: string) => new ClipLoadError(`${what} of ${quote(name)} took over ${GIF_DECODE_TIMEOUT_MS / 1000} s: the GIF may be corrupt, or too large.`);
  /** `p`, or a rejection after the timeout (the decoder is then reset, which ends any decode in flight). */
  const within = async <T,>(p: Promise<T>, what: string): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        decoder.reset();
        reject(timedOut(what));
      }, GIF_DECODE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([p, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  /** One frame as a VideoFrame (the caller closes it). */
  const decodeFrame = async (i: number): Promise<VideoFrame> => {
    const pending = decoder.decode({ frameIndex: i });
    pending.then(undefined, () => undefined); // settled after a timeout: nobody waits for it then
    return (await within(pending, `Decoding frame ${i}`)).image;
  };

  let width = 0;
  let height = 0;
  let n = 0;
  try {
    await within(decoder.tracks.ready, 'Reading the structure'); // selectedTrack is null until then
    await within(decoder.completed, 'Reading the structure');
    n = decoder.tracks.selectedTrack?.frameCount ?? 0;
    if (n >= 2) {
      const first = await decodeFrame(0);
      width = first.displayWidth;
      height = first.displayHeight;
      first.close();
    }
  } catch (e) {
    decoder.close();
    throw e instanceof ClipLoadError ? e : broken(e);
  }
  if (n < 2) {
    decoder.close();
    throw new ClipLoadError(`${quote(name)} has only one frame (a still GIF image): there is no motion to sample. Use an animated GIF or a video.`);
  }
  // Frame times from each frame's own delay (GIF delays vary); a frame the blocks did not show
  // (a decoder that reads further than the walk) gets the 0-delay default.
  const durations = Array.from({ length: n }, (_, i) => timing.delaysS[i] ?? ZERO_DELAY_S);
  const startS: number[] = [];
  let t = 0;
  for (const d of durations) {
    startS.push(t);
    t += d;
  }
  const durationS = t;
  const variableFrameRate = durations.some((d) => Math.abs(d - durations[0]) > 1e-3);
  const info: ClipInfo = { name, durationS, width, height, fps: n / durationS, fpsEstimated: false, variableFrameRate, numFrames: n, codec: 'gif', container: 'gif', sizeBytes: blob.size };
  const canvas = new OffscreenCanvas(1, 1);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

  async function grabNow(plan: SamplePlan, h: number, w: number, opts: GrabOptions = {}): Promise<GrabbedFrames> {
    const t0 = performance.now();
    const crop = centreCrop(width, height, w, h);
    const sheet = new FrameSheet(canvas, ctx, plan.frameIdx.length, h, w);
    const thumbs: ImageBitmap[] = [];
    try {
      for (let j = 0; j < plan.frameIdx.length; j++) {
        if (opts.isStale?.()) throw new SamplingCancelled('A newer sample replaced this one.');
        if (j > 0 && plan.frameIdx[j] === plan.frameIdx[j - 1]) {
          sheet.repeat(j);
        } else {
          const image = await decodeFrame(plan.frameIdx[j]);
          try {
            sheet.draw(j, image, crop);
          } finally {
            image.close();
          }
        }
        if (opts.thumbnails) thumbs.push(await sheet.thumb(j));
      }
    } catch (e) {
      for (const b of thumbs) b.close();
      throw e;
    }
    const rgba = sheet.finish();
    return { rgba, numFrames: plan.frameIdx.length, height: h, width: w, timesS: plan.frameIdx.map((i) => startS[i]), thumbs, grabMs: performance.now() - t0, path: 'image-decoder', fallbackReason: null };
  }

  return { info, grab: serialise(grabNow), close: () => decoder.close() };
}
