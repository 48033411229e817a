// Plain-words comparison of a run with the single-frame baseline on the same data, and the
// helpers the results table and charts share. Pure: numbers in, words out.

import type { RunRecord } from '../../state/slices/runs-slice';

/** Latest validation accuracy of a run, or null before its first epoch. */
export const lastValAcc = (r: Pick<RunRecord, 'epochPoints'>): number | null => (r.epochPoints.length ? r.epochPoints[r.epochPoints.length - 1].valAcc : null);

/** The single-frame baseline on this data: the latest single-frame run with a validation accuracy. */
export function baselineFor(runs: readonly RunRecord[], dataKey: string): RunRecord | null {
  for (let i = runs.length - 1; i >= 0; i--) {
    const r = runs[i];
    if (r.family === 'single-frame' && r.dataKey === dataKey && r.epochPoints.length > 0) return r;
  }
  return null;
}

/**
 * Does this run beat one frame? `acc` and `baseline` are fractions; `numClasses` sets chance.
 * Differences are in percentage points.
 */
export function verdict(family: string, acc: number | null, baseline: number | null, numClasses: number): string {
  if (acc === null) return 'Not trained yet.';
  const chance = 1 / Math.max(1, numClasses);
  if (family === 'single-frame') return acc <= chance + 0.1 ? 'The baseline, at chance: one frame cannot solve this task.' : 'The baseline: this is what one frame can do.';
  if (baseline === null) return 'Train single-frame on this data to compare.';
  const pts = Math.round((acc - baseline) * 100);
  if (acc <= chance + 0.1) return `At chance (${Math.round(acc * 100)}%): it has not learned this task.`;
  if (pts >= 10) return `Beats one frame by ${pts} points: it uses time.`;
  if (pts >= 3) return `Slightly better than one frame (+${pts} points).`;
  if (pts > -3) return 'About the same as one frame: time adds nothing here.';
  return `Worse than one frame by ${-pts} points.`;
}

/** At most `max` points, evenly spaced, always keeping the last (for responsive charts). */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const stride = points.length / max;
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * stride)]);
  out.push(points[points.length - 1]);
  return out;
}

/** "87.5%" from a fraction. */
export const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
