// Gradient check: for every family, the loss and every gradient of its tiny model (or of every
// trainable preset) on the active backend against the CPU backend (runtime/model-actions.ts
// runGradientParity). tfjs's GPU backends can get gradients silently wrong; this panel shows, in
// front of the room, that the model being trained on WebGPU/WebGL really learns what the CPU would.

import { useState } from 'react';
import { useAppStore } from '../../state/store';
import { selectRuntime } from '../../state/selectors';
import { runGradientParity, type ParityOutcome } from '../../runtime/model-actions';
import { FAMILY_IDS, FAMILY_INFO, type FamilyId } from '../../models/family-info';
import { trainablePresets } from '../../models/catalog';

type Job = { family: FamilyId; preset: string };
type Row = Job & ParityOutcome;

const rowKey = (r: Job) => (r.preset === 'tiny' ? r.family : `${r.family}:${r.preset}`);
type Status = 'idle' | 'running' | 'done';

/** Every family's tiny preset, or every trainable preset of every family. */
const parityJobs = (allPresets: boolean): Job[] => FAMILY_IDS.flatMap((family) => trainablePresets(family).filter((p) => allPresets || p.name === 'tiny').map((p) => ({ family, preset: p.name })));

function verdict(row: Row): string {
  if (row.error) return `error: ${row.error}`;
  if (!row.result) return 'waiting…';
  return row.result.ok ? 'ok' : `MISMATCH: ${row.result.failing.join(', ') || 'all gradients are zero'}`;
}

export function GradientCheck() {
  const runtime = useAppStore(selectRuntime);
  const [rows, setRows] = useState<Row[]>([]);
  const [status, setStatus] = useState<Status>('idle');
  const [current, setCurrent] = useState<string | null>(null);
  const [allPresets, setAllPresets] = useState(false);
  const ready = runtime.status === 'ready';

  async function run(): Promise<void> {
    setStatus('running');
    const jobs = parityJobs(allPresets);
    let acc: Row[] = jobs.map((j) => ({ ...j, result: null, error: null, note: null }));
    setRows(acc);
    for (const job of jobs) {
      setCurrent(`${FAMILY_INFO[job.family].name}${job.preset === 'tiny' ? '' : ` (${job.preset})`}`);
      const row: Row = { ...job, ...(await runGradientParity(job)) };
      acc = acc.map((r) => (rowKey(r) === rowKey(row) ? row : r));
      setRows(acc);
    }
    setCurrent(null);
    setStatus('done');
  }

  return (
    <section className="panel" aria-labelledby="gradient-check-title">
      <h2 id="gradient-check-title">Gradient check</h2>
      <p className="empty">
        Each family’s tiny model, same weights and batch: loss and every gradient on {runtime.report?.backend ?? 'this backend'} vs the CPU backend (within
        10⁻³ relative). Run it when no training is in progress.
      </p>
      <div className="controls">
        <button type="button" data-testid="parity-run" disabled={!ready || status === 'running'} onClick={() => void run()}>
          Check every family
        </button>
        <span data-testid="parity-status" className="flow-status">
          {status}
          {current ? ` · ${current}` : ''}
        </span>
        <label>
          <input type="checkbox" data-testid="parity-all-presets" checked={allPresets} disabled={status === 'running'} onChange={(e) => setAllPresets(e.target.checked)} /> every small
          preset, not only “tiny”
        </label>
      </div>
      {rows.length > 0 ? (
        <table className="parity-table">
          <thead>
            <tr>
              <th scope="col">Family</th>
              <th scope="col">Loss (backend / CPU)</th>
              <th scope="col">Max rel. error</th>
              <th scope="col">Gradients</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)} data-testid={`parity-row-${rowKey(row)}`} data-ok={row.result ? String(row.result.ok && !row.error) : row.error ? 'false' : ''} title={row.note ?? undefined}>
                <td>
                  {FAMILY_INFO[row.family].name}
                  {row.preset === 'tiny' ? '' : ` · ${row.preset}`}
                </td>
                <td>{row.result ? `${row.result.loss.toFixed(5)} / ${row.result.cpuLoss.toFixed(5)}` : '—'}</td>
                <td>{row.result ? row.result.maxRelError.toExponential(1) : '—'}</td>
                <td>{row.result ? `${row.result.variables.length} on ${row.result.clip.numFrames}×${row.result.clip.height}×${row.result.clip.width}, ${(row.result.ms / 1000).toFixed(1)} s` : '—'}</td>
                <td className={row.result?.ok ? 'parity-ok' : row.result || row.error ? 'parity-bad' : ''}>{verdict(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
