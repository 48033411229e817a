import { FAMILY_INFO } from '../../models/family-info';
import { formatApprox, formatInt } from '../../lib/format';
import type { RunRecord } from '../../state/slices/runs-slice';
import { familyColor } from './family-colors';
import { lastValAcc, pct, runVerdict } from './verdict';

/** Every run on the current data: size, cost, accuracy, speed, and the verdict against one frame. */
export function ResultsTable({ runs, baselineRun, activeId, onSelect }: { runs: RunRecord[]; baselineRun: RunRecord | null; activeId: string | null; onSelect(id: string): void }) {
  if (runs.length === 0) return <p className="empty">Results appear here as runs train on this data.</p>;
  return (
    <table data-testid="results-table">
      <thead>
        <tr>
          <th>Family</th>
          <th>Trainable params</th>
          <th>MACs / clip</th>
          <th>Val acc</th>
          <th>ms / step</th>
          <th>Status</th>
          <th className="verdict">Against one frame</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} aria-selected={r.id === activeId} className={r.id === activeId ? 'active-run' : undefined} onClick={() => onSelect(r.id)}>
            <td>
              <span className="swatch" style={{ background: familyColor(r.family) }} /> {FAMILY_INFO[r.family].name}
              {r.preset && r.preset !== 'tiny' ? ` · ${r.preset}` : ''}
              {r.role === 'baseline' ? ' (baseline for the verdict)' : ''}
            </td>
            <td>{r.trainableParams ? formatInt(r.trainableParams) : '—'}</td>
            <td>{r.macs ? formatApprox(r.macs) : '—'}</td>
            <td>{pct(lastValAcc(r))}</td>
            <td>{r.msPerStep === null ? '—' : Math.round(r.msPerStep)}</td>
            <td>{r.status}</td>
            <td className="verdict">{runVerdict(r, baselineRun).text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
