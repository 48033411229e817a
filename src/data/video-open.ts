// Open a clip (file, built-in URL, webcam recording): validate it, read its metadata and hand
// back the source that grabs its frames. Runs on the main thread (it needs the DOM's <video>);
// an MP4's index is read and vetted in a worker first (data/mp4-probe.ts).
//
//   File/Blob ─sniff first/last bytes (data/clip-sniff.ts)─▶ refuse (named reason)  ── or ──
//     GIF ─▶ data/gif-source.ts
//     MP4/MOV ─index worker: box walk, caps, sample table─▶ refuse (no index, cut index, hostile
//             index, codec Chromium lacks) ── or ── the fast path's track, what is left of a cut file
//     ─<video>: loadedmetadata (LOAD_TIMEOUT_MS)─▶ duration, size (rotation applied), codec
//     ─play a few frames (requestVideoFrameCallback)─▶ frame rate (estimated, FPS_PROBE_MS)
//     ─▶ VideoElementSource (data/seek-source.ts)
//
// A file cut inside its media data whose index survived loads with a notice and samples only
// the part that is left: seeking past it would wait for bytes that never come.

import { mp4CodecSniff, SNIFF_BYTES, sniffClip, type Container } from './clip-sniff';
import { openGif } from './gif-source';
import { cutWords } from './mp4-boxes';
import type { Mp4Cut } from './mp4-demux';
import { Mp4FrameDecoder, type Mp4Opened } from './mp4-decoder';
import { probeMp4 } from './mp4-probe';
import { clipFrameCount } from './sampling';
import { explainMediaError, SEEK_TIMEOUT_MS, VideoElementSource, waitFor } from './seek-source';
import { ClipLoadError, quote, type ClipInfo, type ClipInput, type VideoSource } from './video-source';

/** How long to wait for a clip's metadata. */
const LOAD_TIMEOUT_MS = 15_000;
/** How long playback may run to estimate the frame rate, and how many frame intervals to see. */
const FPS_PROBE_MS = 2_500;
const FPS_PROBE_INTERVALS = 8;

/** Open and validate a clip. Throws ClipLoadError with a specific message. */
export async function openClip(input: ClipInput): Promise<VideoSource> {
  const { blob, name } = input;
  const size = blob.size;
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const tail = size > SNIFF_BYTES ? new Uint8Array(await blob.slice(size - SNIFF_BYTES).arrayBuffer()) : head;
  let sniff = sniffClip(head, tail, size);
  if (sniff.verdict === 'reject') throw new ClipLoadError(`${quote(name)} ${sniff.reason}`);
  if (sniff.verdict === 'gif') return openGif(blob, name);
  if (sniff.container !== 'mp4') return openVideo(input, sniff.container, sniff.codec, null, Promise.resolve({ ok: false, reason: `not an MP4 (${sniff.container})` }));

  const index = await probeMp4(blob);
  if (!index.ok) throw new ClipLoadError(`${quote(name)} ${index.refusal}`);
  // The index names the codec wherever it sits (the sniff sees only both ends of the file).
  const named = mp4CodecSniff((cc) => index.entries.includes(cc));
  if (named.codec) sniff = named;
  if (sniff.verdict === 'reject') throw new ClipLoadError(`${quote(name)} ${sniff.reason}`);
  // A cut file: the <video> and the decoder see only the bytes up to the last whole frame.
  const playable = index.cut ? blob.slice(0, index.cut.playableBytes) : blob;
  return openVideo({ ...input, blob: playable }, 'mp4', sniff.codec, index.cut, Mp4FrameDecoder.open(playable, index.fast));
}

async function openVideo(input: ClipInput, container: Container, codec: string | null, cut: Mp4Cut | null, fast: Promise<Mp4Opened>): Promise<VideoSource> {
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
    // A cut file: only the part whose frames are in it (the <video> reports the whole duration).
    const durationS = cut ? Math.min(v.duration, cut.readableS) : v.duration;
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
      sizeBytes: cut ? cut.readableBytes : blob.size,
      ...(cut && { notice: cutNotice(name, cut, durationS) }),
    };
    return new VideoElementSource(v, info, cleanup, fast);
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** "“x.mp4” is cut at 61% (12.3 MiB of 20.1 MiB): the last part of the clip is missing. Its first 7.3 s (of 12.0 s) are sampled; …" */
function cutNotice(name: string, cut: Mp4Cut, durationS: number): string {
  const s = (t: number) => `${t.toFixed(1)} s`;
  const what = durationS < cut.durationS - 1e-3 ? `the last part of the clip is missing. Its first ${s(durationS)} (of ${s(cut.durationS)}) are sampled` : 'only bytes after its last frame (audio, say) are missing: every frame is there';
  return `${quote(name)} ${cutWords(cut.readableBytes, cut.claimedBytes)}: ${what}; re-download or re-copy it for the rest.`;
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
  await new Promise<void>((resolve) => {
    const timer = setTimeout(finish, FPS_PROBE_MS);
    v.addEventListener('ended', finish);
    let handle = 0;
    function finish() {
      clearTimeout(timer);
      v.removeEventListener('ended', finish);
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
  if (dts.length === 0) return { fps: NaN, variable: false, intervals: 0, frames: samples.length };
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
