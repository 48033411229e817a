import { TASK_IDS, TASK_INFO } from '../../data/synthetic/task-info';
import { useAppStore } from '../../state/store';

/** Training studio: data, loop controls, live curves. */
export function TrainingStudio() {
  const task = useAppStore((s) => s.settings.task);
  const setSetting = useAppStore((s) => s.setSetting);
  return (
    <section className="panel" aria-labelledby="training-title">
      <h2 id="training-title">Training</h2>
      <label>
        Dataset{' '}
        <select data-testid="dataset-select" value={task} onChange={(e) => setSetting('task', e.target.value as typeof task)}>
          {TASK_IDS.map((id) => (
            <option key={id} value={id}>
              {TASK_INFO[id].name}
            </option>
          ))}
        </select>
      </label>
      <div className="controls">
        <button type="button" data-testid="train-button" disabled>
          Train
        </button>
        <button type="button" data-testid="pause-button" disabled>
          Pause
        </button>
        <span>
          Status: <span data-testid="train-status">idle</span>
        </span>
        <span>
          Epoch <span data-testid="epoch-counter">0</span>
        </span>
        <span>
          Validation accuracy <span data-testid="val-accuracy">—</span>
        </span>
      </div>
      <div className="charts">
        <div data-testid="loss-chart" className="chart-empty">Loss curve: no run yet.</div>
        <div data-testid="accuracy-chart" className="chart-empty">Accuracy curve: no run yet.</div>
      </div>
      <p className="empty">The training loop is not available yet.</p>
    </section>
  );
}
