// Gradient check: for every registered family, the loss and every gradient of its tiny model on
// the active backend against the CPU backend (the worker's 'gradient-parity' request). tfjs's GPU
// backends can get gradients silently wrong; this panel shows, in front of the room, that the
// model being trained on WebGPU/WebGL really learns what the CPU would.

import { useState } from 'react';
import { useAppStore } from '../../state/store';
import { client } from '../../runtime/worker-client';
import type { ParityResult } from '../../worker/handlers/parity';
import type { FamilyId } from '../../models/family-info';
import { FAMILY_INFO } from '../../models/family-info';
import { errorText } from '../../lib/errors';

/** The parity clip: small, because SwiftShader's WebGPU Conv3D takes seconds per step. */
const SMALL_CLIP = { numFrames: 4, height: 16, width: 16 } as const;

type Row = { family: FamilyId; preset: string; result: ParityResult | null; error: string | null; note: string | null };

const rowKey = (r: { family: FamilyId; preset: string }) => (r.preset === 'tiny' ? r.family : `${r.family}:${r.preset}`);
type Status = 'idle' | 'running' | 'done' | 'error';

function verdict(row: Row): string {
  if (row.error) return `error: ${row.error}`;
  if (!row.result) return 'waiting…';
  return row.result.ok ? 'ok' : `MISMATCH: ${row.result.failing.join(', ') || 'all gradients are zero'}`;
}

export function GradientCheck() {
  const runtime = useAppStore((s) => s.runtime);
  const showError = useAppStore((s) => s.showError);
  const [rows, setRows] = useState<Row[]>([]);
  const [status, setStatus] = useState<Status>('idle');
  const [current, setCurrent] = useState<string | null>(null);
  const [allPresets, setAllPresets] = useState(false);
  const ready = runtime.status === 'ready';

  async function run(): Promise<void> {
    setStatus('running');
    try {
      const { families } = await client.request('model-zoo', {});
      const jobs = families.flatMap((f) => f.presets.filter((p) => !p.paper && (allPresets || p.name === 'tiny')).map((p) => ({ family: f.id, preset: p.name })));
      let acc: Row[] = jobs.map((j) => ({ ...j, result: null, error: null, note: null }));
      setRows(acc);
      for (const job of jobs) {
        setCurrent(`${FAMILY_INFO[job.family].name}${job.preset === 'tiny' ? '' : ` (${job.preset})`}`);
        let row: Row = { ...job, result: null, error: null, note: null };
        try {
          row.result = await client.request('gradient-parity', { ...job, batch: 2, clip: SMALL_CLIP });
        } catch (small) {
          // Some tiny configs need their own clip (e.g. enough frames for a slow pathway): use it, and say so.
          try {
            row.result = await client.request('gradient-parity', { ...job, batch: 2 });
            row.note = `preset clip (${errorText(small)})`;
          } catch (e) {
            const msg = (x: unknown) => (errorText(x));
            row = { ...row, error: `${msg(e)} (on ${SMALL_CLIP.numFrames}×${SMALL_CLIP.height}×${SMALL_CLIP.width}: ${msg(small)})` };
          }
        }
        acc = acc.map((r) => (rowKey(r) === rowKey(row) ? row : r));
        setRows(acc);
      }
      setStatus('done');
    } catch (e) {
      setStatus('error');
      showError('gradient-check', `The gradient check could not run: ${errorText(e)}`);
    } finally {
      setCurrent(null);
    }
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
