// Plain-words comparison of a run with the single-frame baseline on the same data, and the
// helpers the results table and charts share. Pure: numbers in, words out.

import type { RunRecord } from '../../state/slices/runs-slice';
export { baselineFor } from '../../state/selectors';

/** Latest validation accuracy of a run, or null before its first epoch. */
export const lastValAcc = (r: Pick<RunRecord, 'epochPoints'>): number | null => (r.epochPoints.length ? r.epochPoints[r.epochPoints.length - 1].valAcc : null);

/** How far training accuracy may run ahead of validation before the verdict calls it memorising. */
export const MEMORISING_GAP = 0.25;
/** Within this much of chance (1 / classes), accuracy is chance. */
export const CHANCE_MARGIN = 0.1;

export type VerdictKind = 'untrained' | 'baseline' | 'chance' | 'memorising' | 'pending' | 'uses-time' | 'slightly-better' | 'same' | 'worse';

export interface Verdict {
  kind: VerdictKind;
  text: string;
  /** Validation accuracy minus the baseline's, in percentage points (null without both). */
  points: number | null;
}

const p0 = (x: number) => `${Math.round(x * 100)}%`;

/** What a verdict waits for, after the run's own accuracy. */
const PENDING = {
  none: 'the single-frame baseline on the same data gives the verdict.',
  training: 'training the single-frame baseline on the same data for the verdict…',
  paused: 'the single-frame baseline on the same data is paused (another run started): select it in the results table and press Resume for the verdict.',
};

/**
 * Does this run beat one frame? Accuracies are fractions (validation, and training for the same
 * last epoch); `baseline` is the single-frame run's validation accuracy on the same data, null
 * while it has none. Honest first: a model at chance, or one that fits its training clips far
 * better than new ones, is called that before any comparison.
 */
export function verdict(family: string, acc: number | null, trainAcc: number | null, baseline: number | null, numClasses: number): Verdict {
  if (acc === null) return { kind: 'untrained', text: 'Not trained yet.', points: null };
  const chance = 1 / Math.max(1, numClasses);
  const points = baseline === null ? null : Math.round((acc - baseline) * 100);
  const memorising = trainAcc !== null && trainAcc - acc >= MEMORISING_GAP;
  const fits = memorising ? ` while it fits ${p0(trainAcc)} of its training clips: it memorised them` : '';
  if (family === 'single-frame') {
    if (acc <= chance + CHANCE_MARGIN) return { kind: 'baseline', text: `The baseline, at chance (${p0(acc)}): one frame cannot solve this task${fits}.`, points: null };
    return { kind: 'baseline', text: `The baseline: one frame reaches ${p0(acc)}${memorising ? ` (training ${p0(trainAcc)}: it partly memorises)` : ''}. A video model must beat this to use time.`, points: null };
  }
  if (acc <= chance + CHANCE_MARGIN)
    return { kind: 'chance', text: memorising ? `At chance on new clips (${p0(acc)}) while ${p0(trainAcc)} on its training clips: it memorised them and learned nothing of the task.` : `At chance (${p0(acc)}): it has not learned this task.`, points };
  if (memorising) return { kind: 'memorising', text: `Memorising: ${p0(trainAcc)} on its training clips but ${p0(acc)} on new ones${points === null ? '' : ` (one frame: ${p0(baseline!)})`}. More clips, augmentation or weight decay would help.`, points };
  if (baseline === null || points === null) return { kind: 'pending', text: `${p0(acc)} on new clips; ${PENDING.none}`, points: null };
  const vs = `(${p0(acc)} vs ${p0(baseline)})`;
  if (points >= 10) return { kind: 'uses-time', text: `Beats one frame by ${points} points ${vs}: it uses time.`, points };
  if (points >= 3) return { kind: 'slightly-better', text: `Slightly better than one frame, +${points} points ${vs}: time helps a little here.`, points };
  if (points > -3) return { kind: 'same', text: `About the same as one frame ${vs}: time adds nothing here.`, points };
  return { kind: 'worse', text: `Worse than one frame by ${-points} points ${vs}.`, points };
}

/** The verdict of a run against its baseline run (either may still be training). */
export function runVerdict(run: RunRecord, baselineRun: RunRecord | null): Verdict {
  const last = run.epochPoints[run.epochPoints.length - 1];
  const base = baselineRun && baselineRun.status === 'done' ? lastValAcc(baselineRun) : null;
  const v = verdict(run.family, last?.valAcc ?? null, last?.trainAcc ?? null, base, run.classNames.length);
  if (v.kind !== 'pending' || !baselineRun || baselineRun.status === 'done' || !last) return v;
  const why = baselineRun.status === 'paused' || baselineRun.status === 'idle' ? PENDING.paused : PENDING.training;
  return { ...v, text: `${p0(last.valAcc)} on new clips; ${why}` };
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
