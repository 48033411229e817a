// Benchmark rows for sampling, on the page: open a clip by URL and time `grab` (seek + seeked +
// drawImage + readback for each planned frame) for each case, without the worker. Called by
// the `sampling` group of `npm run bench` (scripts/bench-groups.ts) through bench.html.

import { clipTiming, openClip } from './video-source';
import { planSample, type Strategy } from './sampling';

export interface SamplingBenchCase {
  strategy: Strategy;
  numFrames: number;
  stride?: number;
}

export interface SamplingBenchRow extends SamplingBenchCase {
  /** Milliseconds per grab, each repeat (a different seed for random crops). */
  runsMs: number[];
  medianMs: number;
  /** Median as a percentage of the clip's duration (the goal: 16 frames under 5%). */
  percentOfClip: number;
}

export interface SamplingBenchResult {
  clip: { durationS: number; width: number; height: number; fps: number; codec: string | null };
  size: number;
  rows: SamplingBenchRow[];
}

export async function benchSampling(url: string, cases: SamplingBenchCase[], size = 112, repeats = 5): Promise<SamplingBenchResult> {
  const blob = await (await fetch(url)).blob();
  const source = await openClip({ blob, name: url.split('/').pop() ?? url });
  try {
    const timing = clipTiming(source.info);
    await source.grab(planSample(timing, { strategy: 'spread', numFrames: 4 }), size, size); // warm-up: first decode
    const rows: SamplingBenchRow[] = [];
    for (const c of cases) {
      const runsMs: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const plan = planSample(timing, { strategy: c.strategy, numFrames: c.numFrames, stride: c.stride ?? 2, seed: 100 + r });
        runsMs.push((await source.grab(plan, size, size)).grabMs);
      }
      const medianMs = [...runsMs].sort((a, b) => a - b)[Math.floor(runsMs.length / 2)];
      rows.push({ ...c, runsMs, medianMs, percentOfClip: (medianMs / (source.info.durationS * 1000)) * 100 });
    }
    const { durationS, width, height, fps, codec } = source.info;
    return { clip: { durationS, width, height, fps, codec }, size, rows };
  } finally {
    source.close();
  }
}
