import type { RunRecord } from '../../state/slices/runs-slice';
import { pct } from './verdict';

const TEST_LABEL = { normal: 'Normal order', shuffled: 'Frames shuffled', reversed: 'Frames reversed', frozen: 'One frame repeated' } as const;
const TEST_NOTE = {
  normal: 'the validation clips as they are',
  shuffled: 'a model that uses order drops towards chance',
  reversed: 'on an order-only task, a model that reads direction flips its answer (far below chance)',
  frozen: 'no motion at all: what appearance alone gives',
} as const;

/** Temporal-order tests, confusion matrix and per-class accuracy of one run's validation set. */
export function EvaluationPanel({ run, onEvaluate }: { run: RunRecord; onEvaluate(): void }) {
  const ev = run.evaluation;
  if (!ev)
    return (
      <div className="evaluation">
        <p className="empty">
          Order tests and the confusion matrix appear when the run finishes.{' '}
          {run.status === 'paused' && (
            <button type="button" onClick={onEvaluate}>
              Evaluate now
            </button>
          )}
        </p>
      </div>
    );
  const normal = ev.orderTests.find((t) => t.test === 'normal')?.accuracy ?? 0;
  return (
    <div className="evaluation">
      <h3>Does it use the order of frames?</h3>
      <table data-testid="order-tests">
        <thead>
          <tr>
            <th>Validation clips</th>
            <th>Accuracy</th>
            <th>Change</th>
            <th className="verdict">What to look for</th>
          </tr>
        </thead>
        <tbody>
          {ev.orderTests.map((t) => (
            <tr key={t.test} data-test={t.test}>
              <td>{TEST_LABEL[t.test]}</td>
              <td>{pct(t.accuracy)}</td>
              <td>{t.test === 'normal' ? '' : `${t.accuracy >= normal ? '+' : ''}${Math.round((t.accuracy - normal) * 100)} pts`}</td>
              <td className="verdict">{TEST_NOTE[t.test]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Confusion matrix (rows: true class, columns: predicted)</h3>
      <table data-testid="confusion-matrix" className="confusion">
        <thead>
          <tr>
            <th>true ↓ · predicted →</th>
            {ev.classNames.map((c) => (
              <th key={c}>{c}</th>
            ))}
            <th>Class accuracy</th>
          </tr>
        </thead>
        <tbody>
          {ev.confusion.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={ev.classNames[i]}>
                <th scope="row">{ev.classNames[i]}</th>
                {row.map((n, j) => (
                  <td key={j} style={{ background: `rgba(43, 108, 176, ${total ? (0.6 * n) / total : 0})` }}>
                    {n}
                  </td>
                ))}
                <td>{pct(ev.perClass[i])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
