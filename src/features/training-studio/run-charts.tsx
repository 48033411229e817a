import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { FAMILY_INFO } from '../../models/family-info';
import type { RunRecord } from '../../state/slices/runs-slice';
import { familyColor } from './family-colors';
import { thin } from './verdict';

/** Points per run drawn at most: long runs are thinned so the page stays responsive. */
const MAX_POINTS = 300;

/** Line styles, one per run in turn: runs of one family share its colour but never its style. */
const DASHES = ['', '8 4', '2 3', '12 4 2 4', '4 4', '16 4'];
const dash = (i: number) => DASHES[i % DASHES.length] || undefined;

/** A direct label at a line's last point (not only the legend's colour). */
function endLabel(name: string, points: number, color: string) {
  return function EndLabel(p: { x?: number | string; y?: number | string; index?: number }) {
    if (p.index !== points - 1 || typeof p.x !== 'number' || typeof p.y !== 'number') return <g />;
    return (
      <text x={p.x - 4} y={p.y - 6} textAnchor="end" fontSize={11} fontWeight={600} fill={color}>
        {name}
      </text>
    );
  };
}

const runName = (r: RunRecord, i: number) => (r.role === 'baseline' ? `one frame (baseline) #${i + 1}` : `${FAMILY_INFO[r.family].name} #${i + 1}`);

/**
 * Per-batch training loss, every run on the current data overlaid, one colour per family.
 * `data-points` counts the active run's points; its losses are also in `data-curve` (6 significant digits), the numbers a copied link
 * must reproduce.
 */
export function LossChart({ runs, activeId }: { runs: RunRecord[]; activeId: string | null }) {
  const points = runs.reduce((a, r) => a + r.losses.length, 0);
  const active = runs.find((r) => r.id === activeId);
  const losses = active?.losses;
  // The curve's text only when the active run's losses change (a new array per flush), not per render.
  const curve = useMemo(() => (losses ? losses.map((p) => p.loss.toPrecision(6)).join(' ') : ''), [losses]);
  return (
    <figure className="chart" data-testid="loss-chart" data-points={losses?.length ?? 0} data-curve={curve} aria-label="Training loss per step">
      <figcaption>Loss (per batch)</figcaption>
      {points === 0 ? (
        <div className="chart-empty">Loss curve: no run yet.</div>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <LineChart margin={{ top: 4, right: 8, bottom: 4, left: -16 }}>
            <CartesianGrid stroke="#eee" />
            <XAxis dataKey="step" type="number" domain={[1, 'dataMax']} allowDecimals={false} fontSize={11} />
            <YAxis fontSize={11} domain={[0, 'auto']} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {runs.map((r, i) => (
              <Line key={r.id} data={thin(r.losses, MAX_POINTS)} dataKey="loss" name={runName(r, i)} stroke={familyColor(r.family)} strokeDasharray={dash(i)} dot={false} isAnimationActive={false} strokeWidth={2} label={endLabel(runName(r, i), thin(r.losses, MAX_POINTS).length, familyColor(r.family))} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

/**
 * Validation accuracy per epoch (solid; training accuracy of the active run dashed), with the
 * single-frame baseline as a reference line and its own curve: does the video model beat one
 * frame? `data-points` counts the active run's epochs.
 */
export function AccuracyChart({ runs, activeId, baseline }: { runs: RunRecord[]; activeId: string | null; baseline: number | null }) {
  const points = runs.reduce((a, r) => a + r.epochPoints.length, 0);
  const active = runs.find((r) => r.id === activeId);
  return (
    <figure className="chart" data-testid="accuracy-chart" data-points={active?.epochPoints.length ?? 0} aria-label="Accuracy per epoch">
      <figcaption>Accuracy (per epoch, %)</figcaption>
      {points === 0 ? (
        <div className="chart-empty">Accuracy curve: no epoch finished yet.</div>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <LineChart margin={{ top: 4, right: 8, bottom: 4, left: -16 }}>
            <CartesianGrid stroke="#eee" />
            <XAxis dataKey="epoch" type="number" domain={[0, 'dataMax']} allowDecimals={false} fontSize={11} />
            <YAxis domain={[0, 100]} fontSize={11} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? `${v.toFixed(1)}%` : String(v))} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            {baseline !== null && <ReferenceLine y={baseline * 100} stroke={familyColor('single-frame')} strokeDasharray="6 3" label={{ value: `one frame ${Math.round(baseline * 100)}%`, fontSize: 11, position: 'insideBottomRight' }} />}
            {runs.map((r, i) => (
              <Line key={r.id} data={r.epochPoints.map((p) => ({ epoch: p.epoch, val: p.valAcc * 100 }))} dataKey="val" name={`${runName(r, i)} val`} stroke={familyColor(r.family)} strokeDasharray={dash(i)} dot={r.epochPoints.length < 30} isAnimationActive={false} strokeWidth={2.5} label={endLabel(runName(r, i), r.epochPoints.length, familyColor(r.family))} />
            ))}
            {active && active.epochPoints.length > 0 && (
              <Line key={`${active.id}-train`} data={active.epochPoints.map((p) => ({ epoch: p.epoch, train: p.trainAcc * 100 }))} dataKey="train" name="train (active run)" stroke={familyColor(active.family)} strokeDasharray="4 3" dot={false} isAnimationActive={false} strokeWidth={1} />
            )}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
