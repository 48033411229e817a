// Benchmark rows for sampling, on the page: open a clip by URL and time `grab` for each case,
// without the worker, on the WebCodecs fast path (MP4s it covers) and on the <video> seek path
// (seek + seeked + drawImage + readback per frame). Called by the `sampling` group of
// `npm run bench` (scripts/bench-groups.ts) through bench.html. `compareSamplingPaths` grabs the
// same plans both ways and measures how far apart the frames are (the e2e exactness check).

import { clipTiming, type GrabbedFrames, type SamplingPath, type VideoSource } from '../data/video-source';
import { openClip } from '../data/video-open';
import { planSample, type SamplePlan, type SamplingConfig, type Strategy } from '../data/sampling';

export interface SamplingBenchCase {
  strategy: Strategy;
  numFrames: number;
  stride?: number;
  /** 'seek' forces the <video> seek path; default 'auto' (WebCodecs where it applies). */
  path?: 'auto' | 'seek';
}

interface SamplingBenchRow extends SamplingBenchCase {
  /** Milliseconds per grab, each repeat (a different seed for random crops). */
  runsMs: number[];
  medianMs: number;
  /** Median as a percentage of the clip's duration (the goal: 16 frames under 5%). */
  percentOfClip: number;
  /** The path that ran (the last repeat's), and why not WebCodecs where it did not. */
  ran: SamplingPath;
  fallbackReason: string | null;
}

interface SamplingBenchResult {
  clip: { durationS: number; width: number; height: number; fps: number; codec: string | null };
  size: number;
  rows: SamplingBenchRow[];
}

async function openUrl(url: string): Promise<VideoSource> {
  const blob = await (await fetch(url)).blob();
  return openClip({ blob, name: url.split('/').pop() ?? url });
}

export async function benchSampling(url: string, cases: SamplingBenchCase[], size = 112, repeats = 5): Promise<SamplingBenchResult> {
  const source = await openUrl(url);
  try {
    const timing = clipTiming(source.info);
    // Warm-up on each path: the first decode, the decoder set-up, the fast path's index read.
    for (const path of ['seek', 'auto'] as const) await source.grab(planSample(timing, { strategy: 'spread', numFrames: 4 }), size, size, { path });
    const rows: SamplingBenchRow[] = [];
    for (const c of cases) {
      const runsMs: number[] = [];
      let last: GrabbedFrames | null = null;
      for (let r = 0; r < repeats; r++) {
        const plan = planSample(timing, { strategy: c.strategy, numFrames: c.numFrames, stride: c.stride ?? 2, seed: 100 + r });
        last = await source.grab(plan, size, size, { path: c.path ?? 'auto' });
        runsMs.push(last.grabMs);
      }
      const medianMs = [...runsMs].sort((a, b) => a - b)[Math.floor(runsMs.length / 2)];
      rows.push({ ...c, runsMs, medianMs, percentOfClip: (medianMs / (source.info.durationS * 1000)) * 100, ran: last!.path, fallbackReason: last!.fallbackReason });
    }
    const { durationS, width, height, fps, codec } = source.info;
    return { clip: { durationS, width, height, fps, codec }, size, rows };
  } finally {
    source.close();
  }
}

export interface PathComparison {
  config: Partial<SamplingConfig>;
  numFrames: number;
  /** The path the default grab took, and why not WebCodecs where it did not. */
  ran: SamplingPath;
  fallbackReason: string | null;
  /** Per frame: largest and mean |default − seek| over the R, G, B values (0–255). */
  maxDiff: number[];
  meanDiff: number[];
  /**
   * Per frame: largest |default − seek one frame later|, what an off-by-one frame would cost (null
   * where one frame later is past the clip's end). A tolerance must sit well below these.
   */
  nextFrameMaxDiff: (number | null)[];
  /**
   * Per frame: which of the default path's frames (row offset −3…+3) the seek path's frame is
   * closest to; 0 everywhere when they agree. Says "one frame late" in a failure message.
   */
  seekMatchesOffset: number[];
  /** Rows the seek path was asked again (its first frame was over the tolerance). */
  rechecked: number[];
  /** The plan's frame numbers (for messages). */
  frameIdx: number[];
  ms: { default: number; seek: number };
}

/** Per-frame max and mean absolute RGB difference of two [T, H, W, 4] sheets. */
function frameDiffs(a: Uint8ClampedArray, b: Uint8ClampedArray, numFrames: number): { max: number[]; mean: number[] } {
  const per = a.length / numFrames;
  const max: number[] = [];
  const mean: number[] = [];
  for (let j = 0; j < numFrames; j++) {
    let m = 0;
    let sum = 0;
    for (let i = j * per; i < (j + 1) * per; i++) {
      if ((i & 3) === 3) continue; // alpha
      const d = Math.abs(a[i] - b[i]);
      sum += d;
      if (d > m) m = d;
    }
    max.push(m);
    mean.push(sum / ((per / 4) * 3));
  }
  return { max, mean };
}

/** For each row of `b`, the offset (−3…+3) of the row of `a` it is closest to (mean RGB difference). */
function closestRows(a: Uint8ClampedArray, b: Uint8ClampedArray, numFrames: number): number[] {
  const per = a.length / numFrames;
  const dist = (ja: number, jb: number) => {
    let sum = 0;
    for (let i = 0; i < per; i++) if ((i & 3) !== 3) sum += Math.abs(a[ja * per + i] - b[jb * per + i]);
    return sum;
  };
  return Array.from({ length: numFrames }, (_, j) => {
    let best = 0;
    let bestD = dist(j, j);
    for (let o = -3; o <= 3; o++) {
      if (o === 0 || j + o < 0 || j + o >= numFrames) continue;
      const d = dist(j + o, j);
      if (d < bestD) [best, bestD] = [o, d];
    }
    return best;
  });
}

/** One row of a plan as a plan of its own. */
const rowPlan = (plan: SamplePlan, j: number): SamplePlan => ({ ...plan, chunks: [[plan.frameIdx[j]]], frameIdx: [plan.frameIdx[j]], timesS: [plan.timesS[j]], seekS: [plan.seekS[j]] });

/**
 * Grab each plan on the default path and on the seek path (and the seek path one frame later)
 * and compare the frames pixel by pixel: the fast path's exactness check, run by e2e/clips.spec.ts.
 *
 * The seek path is the reference, but under load it sometimes draws a stale frame ('seeked' fires
 * before the new frame reaches the element; seen on a busy 2-core machine, on WebM too, where
 * both grabs seek). So a row over `tolerance` is seeked again, alone, up to `retries` times, and
 * its closest answer kept; `rechecked` lists those rows. A real off-by-one answers the same every time.
 * Likewise a row whose frame one later looks like the default path's frame is asked again.
 */
export async function compareSamplingPaths(url: string, configs: Partial<SamplingConfig>[], size = 64, tolerance = 8, retries = 3): Promise<PathComparison[]> {
  const source = await openUrl(url);
  try {
    const timing = clipTiming(source.info);
    const out: PathComparison[] = [];
    const frameBytes = size * size * 4;
    for (const config of configs) {
      const plan = planSample(timing, config);
      const n = plan.frameIdx.length;
      const auto = await source.grab(plan, size, size);
      const seek = await source.grab(plan, size, size, { path: 'seek' });
      const d = frameDiffs(auto.rgba, seek.rgba, n);
      const rechecked: number[] = [];
      for (let j = 0; j < n; j++) {
        for (let r = 0; r < retries && d.max[j] > tolerance; r++) {
          if (r === 0) rechecked.push(j);
          const again = await source.grab(rowPlan(plan, j), size, size, { path: 'seek' });
          const dj = frameDiffs(auto.rgba.subarray(j * frameBytes, (j + 1) * frameBytes), again.rgba, 1);
          if (dj.max[0] < d.max[j]) {
            seek.rgba.set(again.rgba, j * frameBytes);
            [d.max[j], d.mean[j]] = [dj.max[0], dj.mean[0]];
          }
        }
      }
      // One frame later, on the seek path: the next frame's instants, where still inside the clip.
      const fps = plan.numClipFrames / source.info.durationS;
      const lastInstant = source.info.durationS - 1e-3;
      const next: SamplePlan = { ...plan, frameIdx: plan.frameIdx.map((i) => i + 1), seekS: plan.seekS.map((t) => Math.min(t + 1 / fps, lastInstant)) };
      const later = await source.grab(next, size, size, { path: 'seek' });
      const dn = frameDiffs(auto.rgba, later.rgba, n);
      // A stale seek here looks like the same frame as the default path's: ask again.
      for (let j = 0; j < n; j++) {
        for (let r = 0; r < retries && dn.max[j] <= tolerance; r++) {
          const again = await source.grab(rowPlan(next, j), size, size, { path: 'seek' });
          dn.max[j] = Math.max(dn.max[j], frameDiffs(auto.rgba.subarray(j * frameBytes, (j + 1) * frameBytes), again.rgba, 1).max[0]);
        }
      }
      out.push({
        config,
        numFrames: n,
        ran: auto.path,
        fallbackReason: auto.fallbackReason,
        maxDiff: d.max,
        meanDiff: d.mean,
        nextFrameMaxDiff: dn.max.map((m, j) => (plan.seekS[j] + 1 / fps < lastInstant ? m : null)),
        seekMatchesOffset: closestRows(auto.rgba, seek.rgba, n),
        rechecked,
        frameIdx: plan.frameIdx,
        ms: { default: auto.grabMs, seek: seek.grabMs },
      });
    }
    return out;
  } finally {
    source.close();
  }
}

/**
 * Cancel a grab part-way (isStale turns true after a few checks) on the default path, then grab
 * again: the first must throw SamplingCancelled, the second must still take the same path (a
 * cancelled decode is not a failed one) and return every frame.
 */
export async function checkCancellation(url: string, numFrames = 16, size = 32): Promise<{ cancelled: string; after: SamplingPath; afterFrames: number; afterReason: string | null }> {
  const source = await openUrl(url);
  try {
    const plan = planSample(clipTiming(source.info), { strategy: 'spread', numFrames });
    let checks = 0;
    let cancelled = 'not cancelled';
    try {
      await source.grab(plan, size, size, { thumbnails: true, isStale: () => ++checks > 3 });
    } catch (e) {
      cancelled = e instanceof Error ? e.name : String(e);
    }
    const again = await source.grab(plan, size, size, { thumbnails: true });
    again.thumbs.forEach((b) => b.close());
    return { cancelled, after: again.path, afterFrames: again.thumbs.length, afterReason: again.fallbackReason };
  } finally {
    source.close();
  }
}
