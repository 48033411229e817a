import { useAppStore, type AppState } from '../../state/store';
import { selectSample } from '../../state/selectors';

const selectOwnClasses = (s: AppState) => s.ownClasses;
const selectSetOwnClasses = (s: AppState) => s.setOwnClasses;
const selectClips = (s: AppState) => s.clips;

/**
 * "Your own clips", Teachable Machine style: make classes, add sampled clips to each. Training
 * uses random temporal crops of each clip; validation holds whole clips out (split by clip).
 */
export function OwnClasses() {
  const classes = useAppStore(selectOwnClasses);
  const setOwnClasses = useAppStore(selectSetOwnClasses);
  const sample = useAppStore(selectSample);
  const clips = useAppStore(selectClips);
  const nameOf = (clipId: string) => clips.find((c) => c.id === clipId)?.name ?? clipId;
  const used = new Set(classes.flatMap((c) => c.clipIds));

  const update = (i: number, patch: Partial<(typeof classes)[number]>) => setOwnClasses(classes.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <div className="own-classes" data-testid="own-classes">
      <p className="empty">
        Sample a clip in the clips panel, then add it to a class. Each class needs at least 2 clips (whole clips are held out for validation;
        training uses random temporal crops of the others). Clips need at least “frames” sampled frames.
      </p>
      {classes.map((c, i) => (
        <div key={i} className="own-class">
          <input aria-label={`Name of class ${i + 1}`} value={c.name} onChange={(e) => update(i, { name: e.target.value })} />
          <button type="button" disabled={!sample || used.has(sample.clipId)} onClick={() => sample && update(i, { clipIds: [...c.clipIds, sample.clipId] })}>
            Add sampled clip
          </button>
          {classes.length > 2 && (
            <button type="button" aria-label={`Remove class ${c.name}`} onClick={() => setOwnClasses(classes.filter((_, j) => j !== i))}>
              Remove class
            </button>
          )}
          <ul>
            {c.clipIds.map((id) => (
              <li key={id}>
                {nameOf(id)}{' '}
                <button type="button" className="dismiss" aria-label={`Remove ${nameOf(id)} from ${c.name}`} onClick={() => update(i, { clipIds: c.clipIds.filter((x) => x !== id) })}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <button type="button" onClick={() => setOwnClasses([...classes, { name: `Class ${classes.length + 1}`, clipIds: [] }])}>
        Add a class
      </button>
    </div>
  );
}
