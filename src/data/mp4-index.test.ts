import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CFR_JITTER_S, buildFrameTable, coalesceRanges, planRuns, presentationShift, sampleAt, startKeyframe, type FrameTable, type Mp4Sample } from './mp4-index';

/**
 * A coded stream as x264 lays one out: closed GOPs of `gop` frames, each an I-frame then mini-GOPs
 * of up to `bframes` B-frames before their anchor (P) in display order, anchors first in decode
 * order. cts = display index · dur + `bframes`·dur (the composition offset x264 writes, which the
 * edit list's media_time cancels). `refs` are decode indices each sample is predicted from.
 */
function x264Stream(n: number, gop: number, bframes: number, dur: number): { samples: Mp4Sample[]; refs: number[][]; display: number[] } {
  const offset = bframes * dur;
  const order: { disp: number; type: 'I' | 'P' | 'B' }[] = [];
  for (let g = 0; g < n; g += gop) {
    const end = Math.min(n, g + gop);
    order.push({ disp: g, type: 'I' });
    for (let a = g + 1; a < end; a += bframes + 1) {
      const anchor = Math.min(a + bframes, end - 1);
      order.push({ disp: anchor, type: 'P' });
      for (let b = a; b < anchor; b++) order.push({ disp: b, type: 'B' });
    }
  }
  const decodeOf = new Map(order.map((o, d) => [o.disp, d]));
  const refs = order.map((o, d) => {
    if (o.type === 'I') return [];
    if (o.type === 'P') {
      let k = d - 1;
      while (order[k].type === 'B') k--;
      return [k];
    }
    // B: the anchors either side in display order (both decoded before it).
    const before = [...order.slice(0, d)].filter((x) => x.type !== 'B' && x.disp < o.disp).sort((x, y) => y.disp - x.disp)[0];
    const after = [...order.slice(0, d)].filter((x) => x.type !== 'B' && x.disp > o.disp).sort((x, y) => x.disp - y.disp)[0];
    return [decodeOf.get(before.disp)!, decodeOf.get(after.disp)!];
  });
  let pos = 1000;
  const samples = order.map((o, d) => {
    const size = 100 + ((d * 37) % 900);
    const s: Mp4Sample = { dts: d * dur, cts: o.disp * dur + offset, duration: dur, isSync: o.type === 'I', offset: pos, size };
    pos += size;
    return s;
  });
  return { samples, refs, display: order.map((o) => o.disp) };
}

const streamArb = fc.record({
  n: fc.integer({ min: 1, max: 120 }),
  gop: fc.integer({ min: 1, max: 40 }),
  bframes: fc.integer({ min: 0, max: 3 }),
  dur: fc.constantFrom(1, 512, 1001, 3000),
  timescale: fc.constantFrom(1000, 12800, 15360, 30000, 90000),
});

function table(samples: Mp4Sample[], timescale: number, shift: number): FrameTable {
  const t = buildFrameTable(samples, timescale, shift);
  if (typeof t === 'string') throw new Error(t);
  return t;
}

describe('presentationShift (which time the <video> calls 0)', () => {
  const edit = (mediaTime: number, segmentDuration = 2000, mediaRate = 1) => ({ mediaTime, segmentDuration, mediaRate });
  it('no edit list: none, even when B-frames make the first cts positive', () => {
    expect(presentationShift(undefined, 12800, 1000)).toBe(0);
    expect(presentationShift([], 12800, 1000)).toBe(0);
  });
  it("one edit: its media_time (x264's composition offset)", () => {
    expect(presentationShift([edit(1024)], 12800, 1000)).toBe(1024);
    expect(presentationShift([edit(0)], 12800, 1000)).toBe(0);
  });
  it('an empty edit first delays the start by its duration, in track ticks', () => {
    // 500 ms of nothing (movie timescale 1000) before media_time 1024 at 12800 ticks/s: frame 0 at 0.5 s.
    expect(presentationShift([edit(-1, 500), edit(1024)], 12800, 1000)).toBe(1024 - 6400);
  });
  it('edit lists this path does not model: null (the seek path applies them)', () => {
    expect(presentationShift([edit(0), edit(5000)], 12800, 1000)).toBeNull(); // two media edits (a cut)
    expect(presentationShift([edit(0, 2000, 2)], 12800, 1000)).toBeNull(); // played at 2×
    expect(presentationShift([edit(0), edit(-1, 500)], 12800, 1000)).toBeNull(); // empty edit after the media
  });
});

describe('buildFrameTable', () => {
  it('orders x264 B-frame streams by presentation time, cancelling the composition offset', () => {
    const { samples, display } = x264Stream(12, 12, 2, 512);
    const t = table(samples, 12800, 2 * 512);
    expect(t.byPts.map((d) => display[d])).toEqual([...Array(12).keys()]);
    expect(t.ptsUs[t.byPts[0]]).toBe(0);
    expect(t.ptsUs[t.byPts[1]]).toBe(40_000);
  });

  it('says why it cannot promise the seek path’s frames', () => {
    const { samples } = x264Stream(10, 5, 0, 512);
    expect(buildFrameTable([], 12800, 0)).toBe('no samples');
    expect(buildFrameTable([{ ...samples[0], isSync: false }, ...samples.slice(1)], 12800, 0)).toBe('the first sample is not a keyframe');
    expect(buildFrameTable(samples, 12800, 512)).toBe('the edit list hides leading frames');
    expect(buildFrameTable([samples[0], { ...samples[1], cts: samples[0].cts }], 12800, 0)).toBe('two frames share one presentation time');
    // 40 ms and 70 ms frames alternating (the e2e suite's vfr.mp4).
    let t = 0;
    const vfr = samples.map((s, i) => ({ ...s, cts: (t += i === 0 ? 0 : i % 2 ? 40 : 70) }));
    expect(buildFrameTable(vfr, 1000, 0)).toBe('a variable frame rate');
  });

  it('calls 30 fps in a millisecond timescale (33/34 ms frames) a constant rate', () => {
    const ms = Array.from({ length: 30 }, (_, i) => Math.round((i * 1000) / 30));
    const samples = ms.map((cts, i) => ({ dts: cts, cts, duration: (ms[i + 1] ?? cts + 33) - cts, isSync: i === 0, offset: i * 10, size: 10 }));
    expect(typeof buildFrameTable(samples, 1000, 0)).toBe('object');
    expect(CFR_JITTER_S).toBeGreaterThan(0.001);
  });
});

describe('sampleAt (the frame a seek to t shows)', () => {
  it('is the frame whose presentation interval contains t; the first before it, the last after', () => {
    fc.assert(
      fc.property(streamArb, fc.integer({ min: -500, max: 1500 }), ({ n, gop, bframes, dur, timescale }, permille) => {
        const { samples, display } = x264Stream(n, gop, bframes, dur);
        const t = table(samples, timescale, bframes * dur);
        const frameS = dur / timescale;
        const tS = (permille / 1000) * n * frameS;
        const d = sampleAt(t, tS);
        // Brute force over display indices, in µs like the table.
        const k = display[d];
        const startUs = Math.round((k * dur * 1e6) / timescale);
        const nextUs = Math.round(((k + 1) * dur * 1e6) / timescale);
        const tUs = Math.round(tS * 1e6);
        if (k > 0) expect(startUs).toBeLessThanOrEqual(tUs);
        if (k < n - 1) expect(tUs).toBeLessThan(nextUs);
      }),
    );
  });

  it('at the middle of frame i (where the sampler seeks) gives frame i', () => {
    fc.assert(
      fc.property(streamArb, ({ n, gop, bframes, dur, timescale }) => {
        const { samples, display } = x264Stream(n, gop, bframes, dur);
        const t = table(samples, timescale, bframes * dur);
        for (let i = 0; i < n; i++) expect(display[sampleAt(t, ((i + 0.5) * dur) / timescale)]).toBe(i);
      }),
    );
  });

  it('no edit list and B-frames: frame 0 shows from time 0 until the second frame (cts as they stand)', () => {
    const { samples, display } = x264Stream(10, 10, 2, 512);
    const t = table(samples, 12800, 0); // first cts = 1024 ticks = 80 ms
    expect(display[sampleAt(t, 0.02)]).toBe(0);
    expect(display[sampleAt(t, 0.1)]).toBe(0);
    expect(display[sampleAt(t, 0.14)]).toBe(1);
  });
});

describe('planRuns (each keyframe group decoded once)', () => {
  const targetsArb = streamArb.chain((s) => fc.record({ s: fc.constant(s), picks: fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 40 }) }));

  it('covers every target, starts on keyframes, feeds no sample twice, stops at the last target', () => {
    fc.assert(
      fc.property(targetsArb, ({ s: { n, gop, bframes, dur, timescale }, picks }) => {
        const { samples, refs } = x264Stream(n, gop, bframes, dur);
        const t = table(samples, timescale, bframes * dur);
        const targets = picks.map((p) => p % n);
        const runs = planRuns(t, targets);
        const wanted = new Set(targets);
        expect(runs.flatMap((r) => r.targets).sort((a, b) => a - b)).toEqual([...wanted].sort((a, b) => a - b));
        for (let i = 0; i < runs.length; i++) {
          const r = runs[i];
          expect(samples[r.first].isSync).toBe(true);
          expect(r.targets).toContain(r.last);
          for (const d of r.targets) expect(r.first <= startKeyframe(t, d) && d <= r.last).toBe(true);
          if (i > 0) expect(r.first).toBeGreaterThan(runs[i - 1].last + 1); // touching runs are merged
        }
        // Minimal: the samples fed are exactly the union of [start keyframe, target] spans.
        const union = new Set<number>();
        for (const d of wanted) for (let k = startKeyframe(t, d); k <= d; k++) union.add(k);
        expect(runs.reduce((a, r) => a + r.last - r.first + 1, 0)).toBe(union.size);
        // Sufficient: fed in decode order, every target's references were decoded in the same run.
        for (const r of runs) {
          const ok = new Set<number>();
          for (let d = r.first; d <= r.last; d++) if (refs[d].every((x) => ok.has(x))) ok.add(d);
          for (const d of r.targets) expect(ok.has(d)).toBe(true);
        }
      }),
    );
  });

  it('open GOP: B-frames shown before their keyframe start from the previous keyframe', () => {
    // Display: I0 P1 P2 P3 | I6 (decoded next) then B4 B5 (shown before I6, predicted from P3 and I6) P7.
    const dur = 512;
    const rows: [number, boolean][] = [
      [0, true],
      [1, false],
      [2, false],
      [3, false],
      [6, true],
      [4, false],
      [5, false],
      [7, false],
    ];
    const samples = rows.map(([disp, isSync], d) => ({ dts: d * dur, cts: disp * dur + 2 * dur, duration: dur, isSync, offset: d * 100, size: 100 }));
    const t = table(samples, 12800, 2 * dur);
    expect(startKeyframe(t, 5)).toBe(0); // B5 needs P3 from the previous group
    expect(startKeyframe(t, 7)).toBe(4);
    expect(planRuns(t, [5, 7])).toEqual([{ first: 0, last: 7, targets: [5, 7] }]);
    expect(planRuns(t, [1, 7])).toEqual([
      { first: 0, last: 1, targets: [1] },
      { first: 4, last: 7, targets: [7] },
    ]);
  });
});

describe('coalesceRanges', () => {
  it('reads every sample once, in few ranges, skipping only gaps wider than maxGap', () => {
    const partsArb = fc.array(fc.record({ offset: fc.integer({ min: 0, max: 1e6 }), size: fc.integer({ min: 1, max: 5000 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(partsArb, fc.integer({ min: 0, max: 20000 }), (parts, maxGap) => {
        const ranges = coalesceRanges(parts, maxGap);
        for (const p of parts) expect(ranges.filter((r) => r.offset <= p.offset && p.offset + p.size <= r.end)).toHaveLength(1);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i].offset).toBeGreaterThan(ranges[i - 1].end + maxGap);
        // No byte is read that is not a sample's or inside a gap of at most maxGap.
        for (const r of ranges) expect(parts.some((p) => p.offset === r.offset)).toBe(true);
      }),
    );
  });
});
