// The MP4 fast path: decode the planned frames of an MP4 with WebCodecs, each keyframe group
// (GOP) once, instead of seeking a <video> per frame (each seek decodes again from the previous
// keyframe). Exact: each instant gets the frame the seek path would show (mp4-index.ts), and the
// caller draws it with the same centre crop. Page side (WebCodecs), no React.
//
//   open(blob, track) ─the sample table the index worker read (mp4-demux.ts, mp4-probe.ts)─▶
//              frame table ─VideoDecoder.isConfigSupported─▶ ready
//              (or a reason: the caller keeps seeking the <video>)
//   decode(timesS) ─sampleAt─▶ target samples ─planRuns─▶ runs [keyframe … last target]
//       for each run: read its bytes (Blob.slice, a few ranges; the next run's read overlaps this
//       run's decoding) ─▶ VideoDecoder.decode each sample in decode order ─▶ flush
//       output: a target's VideoFrame goes to onFrame(rows, frame); every frame is closed at once
//       (a decoder stalls when its output frames are held)
//
// Any failure (decoder error, a frame missing, a stall longer than the seek timeout) throws; the
// caller falls back to seeking. Cancellation: `checkCancelled` is called between steps and its
// exception ends the decode.

import type { DemuxResult, Mp4VideoTrack } from './mp4-demux';
import { buildFrameTable, coalesceRanges, planRuns, presentationShift, sampleAt, type DecodeRun, type FrameTable } from './mp4-index';
import { errorText } from '../lib/errors';

/** Chunks queued in the decoder before feeding waits (bounds memory on long runs). */
const MAX_DECODE_QUEUE = 24;
/** Interleaved bytes (audio) worth reading through rather than starting another read. */
const MAX_READ_GAP = 256 * 1024;

/**
 * The colour the <video> assumes for H.264 (and HEVC) that signals none (no colr box, no colour
 * in the bitstream): BT.601. WebCodecs would assume BT.709 and every colour would be a few levels
 * off (measured: mean 8–10 levels on ffmpeg's test card). A bitstream that signals its colour
 * still wins over this, in both paths. For VP9 and AV1 the two paths already agree (measured:
 * within 1 level), so they get no default.
 */
const UNTAGGED_COLOUR: VideoColorSpaceInit = { primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m', fullRange: false };

export type Mp4Opened = { ok: true; decoder: Mp4FrameDecoder } | { ok: false; reason: string };

export class Mp4FrameDecoder {
  private constructor(
    private readonly blob: Blob,
    private readonly track: Mp4VideoTrack,
    private readonly table: FrameTable,
    private readonly config: VideoDecoderConfig,
  ) {}

  /** Set up the fast path for a file's video track (as the index worker described it) and check the browser can decode it; never throws. */
  static async open(blob: Blob, demuxed: DemuxResult): Promise<Mp4Opened> {
    try {
      if (!demuxed.ok) return demuxed;
      if (typeof VideoDecoder === 'undefined' || typeof EncodedVideoChunk === 'undefined') return { ok: false, reason: 'no WebCodecs VideoDecoder' };
      const track = demuxed.track;
      const shift = presentationShift(track.edits, track.timescale, track.movieTimescale);
      if (shift === null) return { ok: false, reason: 'an edit list this path does not model' };
      const table = buildFrameTable(track.samples, track.timescale, shift);
      if (typeof table === 'string') return { ok: false, reason: table };
      const config: VideoDecoderConfig = { codec: track.codec, codedWidth: track.codedWidth, codedHeight: track.codedHeight, description: track.description, colorSpace: track.colorSpace ?? (/^(avc|hvc|hev)/.test(track.codec) ? UNTAGGED_COLOUR : undefined) };
      const support = await VideoDecoder.isConfigSupported(config);
      if (!support.supported) return { ok: false, reason: `VideoDecoder does not support ${track.codec}` };
      return { ok: true, decoder: new Mp4FrameDecoder(blob, track, table, config) };
    } catch (e) {
      return { ok: false, reason: `could not set up the WebCodecs decoder: ${errorText(e)}` };
    }
  }

  /** The decode runs (and the samples they keep) for these instants: how much a grab will decode. */
  plan(timesS: readonly number[]): { rowsOf: Map<number, number[]>; runs: DecodeRun[] } {
    const rowsOf = new Map<number, number[]>();
    timesS.forEach((t, j) => {
      const d = sampleAt(this.table, t);
      const rows = rowsOf.get(d);
      if (rows) rows.push(j);
      else rowsOf.set(d, [j]);
    });
    return { rowsOf, runs: planRuns(this.table, rowsOf.keys()) };
  }

  /**
   * Decode the frames shown at `timesS` (one per row) and call `onFrame(rows, frame)` once per
   * distinct frame, with every row that wants it, synchronously: the frame is closed as soon as
   * it returns. Throws on any decoder failure or a stall of `stallMs` without progress.
   */
  async decode(timesS: readonly number[], onFrame: (rows: number[], frame: VideoFrame) => void, checkCancelled: () => void, stallMs: number): Promise<void> {
    const { samples } = this.track;
    const { ptsUs, endUs } = this.table;
    const { rowsOf, runs } = this.plan(timesS);
    const byTimestamp = new Map<number, number>();
    for (const d of rowsOf.keys()) byTimestamp.set(ptsUs[d], d);
    const pending = new Set(rowsOf.keys());

    let failure: unknown = null;
    let lastProgress = performance.now();
    let waiting = false; // on the decoder (queue full or flushing), not on a file read
    const wakers: (() => void)[] = [];
    const wake = () => wakers.splice(0).forEach((w) => w());
    const fail = (e: unknown) => {
      failure ??= e;
      wake();
    };
    const decoder = new VideoDecoder({
      output: (frame) => {
        lastProgress = performance.now();
        try {
          const d = byTimestamp.get(frame.timestamp);
          if (d !== undefined && pending.delete(d) && failure === null) onFrame(rowsOf.get(d)!, frame);
        } catch (e) {
          fail(e);
        } finally {
          frame.close();
        }
      },
      error: (e) => fail(e),
    });
    decoder.addEventListener('dequeue', () => {
      lastProgress = performance.now();
      wake();
    });
    // A decoder that stops making progress while we wait on it: close it, which rejects a pending flush.
    const watchdog = setInterval(() => {
      if (waiting && performance.now() - lastProgress > stallMs) {
        fail(new Error(`the decoder made no progress for ${stallMs / 1000} s`));
        if (decoder.state !== 'closed') decoder.close();
      }
    }, 250);
    const check = () => {
      if (failure !== null) throw failure;
      checkCancelled();
    };

    try {
      decoder.configure(this.config);
      const read = (r: number) => {
        const p = r < runs.length ? this.readRun(runs[r]) : null;
        p?.catch(() => undefined); // a read error surfaces where it is awaited (or nowhere, after a cancel)
        return p;
      };
      let next = read(0);
      for (let r = 0; r < runs.length; r++) {
        check();
        const run = runs[r];
        const data = await next!;
        next = read(r + 1);
        for (let d = run.first; d <= run.last; d++) {
          check();
          // A run starts on a keyframe; after configure() or flush() the decoder needs one.
          decoder.decode(new EncodedVideoChunk({ type: d === run.first || samples[d].isSync ? 'key' : 'delta', timestamp: ptsUs[d], duration: endUs[d] - ptsUs[d], data: data(d) }));
          if (decoder.decodeQueueSize > MAX_DECODE_QUEUE) {
            lastProgress = performance.now();
            waiting = true;
            while (decoder.decodeQueueSize > MAX_DECODE_QUEUE && failure === null) await new Promise<void>((resolve) => wakers.push(resolve));
            waiting = false;
          }
        }
        lastProgress = performance.now();
        waiting = true;
        await decoder.flush().catch((e: unknown) => fail(e));
        waiting = false;
        check();
        const missing = run.targets.filter((d) => pending.has(d));
        if (missing.length) throw new Error(`the decoder returned no frame for sample${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
      }
    } finally {
      clearInterval(watchdog);
      if (decoder.state !== 'closed') decoder.close();
    }
  }

  /** The bytes of a run's samples, read in a few ranges; returns sample index → its bytes. */
  private async readRun(run: DecodeRun): Promise<(d: number) => Uint8Array> {
    const { samples } = this.track;
    const parts = samples.slice(run.first, run.last + 1);
    const ranges = coalesceRanges(parts, MAX_READ_GAP);
    const bufs = await Promise.all(ranges.map(async (r) => new Uint8Array(await this.blob.slice(r.offset, r.end).arrayBuffer())));
    return (d) => {
      const s = samples[d];
      // Ranges are sorted and disjoint: the last one starting at or before the sample holds it.
      let k = ranges.length - 1;
      while (ranges[k].offset > s.offset) k--;
      const at = s.offset - ranges[k].offset;
      if (at + s.size > bufs[k].length) throw new Error(`sample ${d} lies past the end of the file`);
      return bufs[k].subarray(at, at + s.size);
    };
  }
}
