import { FAMILY_IDS, FAMILY_INFO } from '../../models/family-info';
import { useAppStore } from '../../state/store';

/** The seven families side by side, in the order a lecture escalates. */
export function ModelPicker() {
  const family = useAppStore((s) => s.settings.family);
  const setSetting = useAppStore((s) => s.setSetting);
  return (
    <section className="panel" aria-labelledby="model-picker-title">
      <h2 id="model-picker-title">Model family</h2>
      <div className="family-grid" role="group" aria-label="Model family">
        {FAMILY_IDS.map((id, i) => (
          <button
            key={id}
            type="button"
            className="family-card"
            data-testid={`family-${id}`}
            aria-pressed={family === id}
            onClick={() => setSetting('family', id)}
          >
            <span className="family-step">{i + 1}</span>
            <span className="family-name">{FAMILY_INFO[id].name}</span>
            <span className="family-line">{FAMILY_INFO[id].oneLine}</span>
          </button>
        ))}
      </div>
      <p className="empty">
        Trainable parameters: <span data-testid="param-count">—</span> (the per-layer arithmetic appears once the
        model zoo is built).
      </p>
    </section>
  );
}
