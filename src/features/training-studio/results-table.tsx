import { FAMILY_INFO } from '../../models/family-info';
import { formatApprox, formatInt } from '../../lib/format';
import type { RunRecord } from '../../state/slices/runs-slice';
import { familyColor } from './family-colors';
import { lastValAcc, pct, verdict } from './verdict';

/** Every run on the current data: size, cost, accuracy, speed, and the verdict against one frame. */
export function ResultsTable({ runs, baseline, activeId, onSelect }: { runs: RunRecord[]; baseline: number | null; activeId: string | null; onSelect(id: string): void }) {
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
            </td>
            <td>{r.trainableParams ? formatInt(r.trainableParams) : '—'}</td>
            <td>{r.macs ? formatApprox(r.macs) : '—'}</td>
            <td>{pct(lastValAcc(r))}</td>
            <td>{r.msPerStep === null ? '—' : Math.round(r.msPerStep)}</td>
            <td>{r.status}</td>
            <td className="verdict">{verdict(r.family, lastValAcc(r), baseline, r.classNames.length)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
