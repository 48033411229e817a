// Pure index maths for the MP4 fast path (data/mp4-decoder.ts): which coded samples show at
// which instants, and which runs of samples a decoder must be fed to produce them, each keyframe
// group (GOP) once. No DOM, no WebCodecs, no mp4box: sample tables in, plans out.
//
//   samples (decode order: dts, cts, sync, offset, size) + edit list
//     ─presentationShift─▶ ticks to subtract from cts (what FFmpeg's MP4 demuxer, so Chromium's
//                          <video>, calls time 0)
//     ─buildFrameTable──▶ presentation time of every sample (µs), samples in presentation order
//   planned instants ─sampleAt─▶ the sample whose presentation interval contains each instant
//   target samples ─planRuns─▶ decode runs [first … last] (decode order), each starting on a
//                          keyframe; overlapping or touching runs merged, so no sample is fed twice
//   a run's samples ─coalesceRanges─▶ few byte ranges to read (Blob.slice), gaps (audio) skipped
//   samples ⇄ packSamples / unpackSamples ⇄ one typed array per field (the index worker's reply)
//
// Times: track ticks (the media timescale) inside, microseconds outside: Chromium's media
// pipeline counts in µs, and WebCodecs timestamps are µs too.

/** One coded video sample, in decode order. Times in track ticks, bytes as file offsets. */
export interface Mp4Sample {
  dts: number;
  /** Composition (presentation) time before the edit list: dts + composition offset. */
  cts: number;
  duration: number;
  isSync: boolean;
  offset: number;
  size: number;
}

/** One edit-list entry (elst). `segmentDuration` is in the movie timescale, `mediaTime` in track ticks (−1: an empty edit). */
export interface EditEntry {
  segmentDuration: number;
  mediaTime: number;
  mediaRate: number;
}

/**
 * Ticks to subtract from every cts so that the result is the presentation time FFmpeg's MP4
 * demuxer gives (Chromium's <video> plays MP4 through it, and its currentTime is that time), or
 * null for an edit list this path does not model (several media edits, a rate other than 1),
 * where the caller falls back to seeking the <video>, which applies any edit list itself.
 *
 * - No edit list: none. The cts are the presentation times as they stand, even where B-frames
 *   make the first one positive (`-use_editlist 0`): the <video> then shows the first frame from
 *   time 0 until the second one's time (measured in Chromium: subtracting the smallest cts there
 *   puts every frame two frames early).
 * - One edit (x264 with B-frames writes one, media_time = the first frame's composition offset):
 *   presentation starts at its media_time.
 * - Empty edits (media_time −1) before it delay the presentation by their duration, converted
 *   from the movie timescale (`movieTimescale`) to track ticks.
 */
export function presentationShift(edits: readonly EditEntry[] | undefined, mediaTimescale: number, movieTimescale: number): number | null {
  if (!edits || edits.length === 0) return 0;
  const media = edits.filter((e) => e.mediaTime !== -1);
  if (media.length !== 1 || media[0] !== edits[edits.length - 1] || media[0].mediaRate !== 1 || media[0].mediaTime < 0) return null;
  if (!(mediaTimescale > 0 && movieTimescale > 0)) return null;
  const emptyMovie = edits.slice(0, -1).reduce((a, e) => a + e.segmentDuration, 0);
  return media[0].mediaTime - Math.round((emptyMovie * mediaTimescale) / movieTimescale);
}

export interface FrameTable {
  /** Presentation time of each sample (decode order index), µs from the start of the presentation. */
  ptsUs: number[];
  /** Presentation end of each sample, µs (pts + duration). */
  endUs: number[];
  /** Sample indices (decode order) sorted by presentation time. */
  byPts: number[];
  /** Decode index of each sample's keyframe group start: the last sync sample at or before it in decode order. */
  syncBefore: number[];
}

/** Largest departure of a frame's duration from the typical one still called a constant rate, seconds. */
export const CFR_JITTER_S = 0.0015;

/**
 * Presentation times of every sample, or the reason this path cannot promise the seek path's
 * frames: no samples, a first sample that is not a keyframe, two samples at one instant, a sample
 * presented before time 0 (an edit that hides leading frames), or a variable frame rate.
 *
 * Why constant rate only: after a seek, Chromium keeps the first frame whose timestamp plus the
 * decoder's *average* frame duration passes the seek time, not the frame's own interval. At a
 * constant rate the two agree; with 40 ms and 70 ms frames alternating they disagree near the end
 * of every long frame (measured on the e2e suite's vfr.mp4). Millisecond timescales that round
 * 30 fps to 33/34 ms still count as constant (CFR_JITTER_S).
 */
export function buildFrameTable(samples: readonly Mp4Sample[], timescale: number, shift: number): FrameTable | string {
  const n = samples.length;
  if (n === 0 || !(timescale > 0)) return 'no samples';
  if (!samples[0].isSync) return 'the first sample is not a keyframe';
  const toUs = (ticks: number) => Math.round((ticks * 1e6) / timescale);
  const ptsUs = samples.map((s) => toUs(s.cts - shift));
  const endUs = samples.map((s) => toUs(s.cts - shift + s.duration));
  const byPts = Array.from({ length: n }, (_, i) => i).sort((a, b) => ptsUs[a] - ptsUs[b]);
  if (ptsUs[byPts[0]] < 0) return 'the edit list hides leading frames';
  for (let k = 1; k < n; k++) if (ptsUs[byPts[k]] === ptsUs[byPts[k - 1]]) return 'two frames share one presentation time';
  // Frame durations from consecutive presentation times (the last frame's own is often arbitrary).
  if (n > 2) {
    const steps = byPts.slice(1).map((d, k) => ptsUs[d] - ptsUs[byPts[k]]);
    const typical = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)];
    if (steps.some((d) => Math.abs(d - typical) > CFR_JITTER_S * 1e6)) return 'a variable frame rate';
  }
  const syncBefore: number[] = [];
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (samples[i].isSync) last = i;
    syncBefore.push(last);
  }
  return { ptsUs, endUs, byPts, syncBefore };
}

/**
 * The sample (decode index) a <video> shows after seeking to `tS`: the one whose presentation
 * interval [pts, next pts) contains the instant; before the first frame, the first; past the
 * last, the last.
 */
export function sampleAt(table: FrameTable, tS: number): number {
  const tUs = Math.round(tS * 1e6);
  const { byPts, ptsUs } = table;
  // Largest k with ptsUs[byPts[k]] ≤ tUs (binary search; k = 0 when tUs precedes every frame).
  let lo = 0;
  let hi = byPts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ptsUs[byPts[mid]] <= tUs) lo = mid;
    else hi = mid - 1;
  }
  return byPts[lo];
}

/** Samples [first, last] (decode order, inclusive) fed to a decoder in one go; `targets` are the ones kept. */
export interface DecodeRun {
  first: number;
  last: number;
  /** Decode indices of the wanted samples in this run, ascending. */
  targets: number[];
}

/**
 * The keyframe a decoder must start from to produce sample `d`: the last keyframe before it in
 * decode order that is also presented no later than it. The second condition matters for open
 * GOPs, where B-frames that follow a keyframe in decode order but show before it reference the
 * previous group: those start one keyframe earlier.
 */
export function startKeyframe(table: FrameTable, d: number): number {
  let k = table.syncBefore[d];
  while (k > 0 && table.ptsUs[k] > table.ptsUs[d]) k = table.syncBefore[k - 1];
  return k;
}

/**
 * Runs that decode every target once: for each target, from its start keyframe up to it; runs
 * that overlap or touch in decode order are merged (one continuous feed), so each keyframe group
 * is decoded at most once and only up to its last wanted sample.
 */
export function planRuns(table: FrameTable, targets: Iterable<number>): DecodeRun[] {
  const wanted = [...new Set(targets)].sort((a, b) => a - b);
  const spans = wanted.map((d) => ({ first: startKeyframe(table, d), last: d, targets: [d] })).sort((a, b) => a.first - b.first || a.last - b.last);
  const runs: DecodeRun[] = [];
  for (const s of spans) {
    const cur = runs[runs.length - 1];
    if (cur && s.first <= cur.last + 1) {
      cur.last = Math.max(cur.last, s.last);
      cur.targets.push(...s.targets);
    } else runs.push({ first: s.first, last: s.last, targets: [...s.targets] });
  }
  for (const r of runs) r.targets.sort((a, b) => a - b);
  return runs;
}

/** A byte range [offset, end) of the file. */
interface ByteRange {
  offset: number;
  end: number;
}

/**
 * Merge the byte ranges of some samples into few reads: ranges closer than `maxGap` bytes join
 * (reading a little interleaved audio is cheaper than another read); farther ones stay apart, so
 * an hour-long file costs only the bytes near the wanted samples.
 */
export function coalesceRanges(parts: readonly { offset: number; size: number }[], maxGap: number): ByteRange[] {
  const sorted = parts.filter((p) => p.size > 0).map((p) => ({ offset: p.offset, end: p.offset + p.size })).sort((a, b) => a.offset - b.offset);
  const out: ByteRange[] = [];
  for (const r of sorted) {
    const cur = out[out.length - 1];
    if (cur && r.offset <= cur.end + maxGap) cur.end = Math.max(cur.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** A sample table as the MP4 index worker posts it: one typed array per field, transferred rather than copied. */
export interface PackedSamples {
  dts: Float64Array;
  cts: Float64Array;
  duration: Float64Array;
  offset: Float64Array;
  size: Float64Array;
  sync: Uint8Array;
}

export function packSamples(samples: readonly Mp4Sample[]): PackedSamples {
  const n = samples.length;
  const p: PackedSamples = { dts: new Float64Array(n), cts: new Float64Array(n), duration: new Float64Array(n), offset: new Float64Array(n), size: new Float64Array(n), sync: new Uint8Array(n) };
  samples.forEach((s, i) => {
    p.dts[i] = s.dts;
    p.cts[i] = s.cts;
    p.duration[i] = s.duration;
    p.offset[i] = s.offset;
    p.size[i] = s.size;
    p.sync[i] = s.isSync ? 1 : 0;
  });
  return p;
}

export function unpackSamples(p: PackedSamples): Mp4Sample[] {
  return Array.from(p.dts, (dts, i) => ({ dts, cts: p.cts[i], duration: p.duration[i], isSync: p.sync[i] === 1, offset: p.offset[i], size: p.size[i] }));
}
