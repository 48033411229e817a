// The architecture panel: the seven families side by side (`family-<id>`, with a one-line
// explanation each), and for the selected one its trainable parameters on the current clip
// (`param-count`), the difference from the single-frame baseline, the per-layer table
// (`layer-table`, temporal layers highlighted) and the family's teaching figures. All numbers
// come from the worker's `describe` request (the registry's describe(), which allocates nothing).

import { useEffect, useMemo, useState } from 'react';
import { FAMILY_IDS, FAMILY_INFO } from '../../models/family-info';
import type { Description } from '../../models/types';
import { TASK_INFO } from '../../data/synthetic/task-info';
import { formatInt } from '../../lib/format';
import { useAppStore, type AppState } from '../../state/store';
import { client } from '../../runtime/worker-client';
import { ArchitectureTable } from './architecture-table';
import { formatBaselineDelta } from './zoo-format';
import type { ModelZooInfo } from '../../worker/handlers/models';
import { StepCheck } from './step-check';
import { ReferenceModels } from './reference-models';
import { errorText } from '../../lib/errors';

/** What the panel shows; `key` names the family and clip it was worked out for. */
type Arch =
  | { kind: 'loading' }
  | { kind: 'missing'; key: string }
  | { kind: 'ready'; key: string; description: Description; baseline: number | null }
  | { kind: 'error'; key: string; message: string };

const selectReady = (s: AppState) => s.runtime.status === 'ready';
const selectFamily = (s: AppState) => s.settings.family;
const selectVariant = (s: AppState) => s.settings.variant;
const selectAddNotices = (s: AppState) => s.addNotices;
const selectFrames = (s: AppState) => s.settings.frames;
const selectSize = (s: AppState) => s.settings.size;
const selectNumClasses = (s: AppState) => TASK_INFO[s.settings.task].classes.length;
const selectSetSetting = (s: AppState) => s.setSetting;
const selectShowError = (s: AppState) => s.showError;


/** The registered families and presets, asked of the worker once it is ready (null until then). */
function useZoo(ready: boolean, showError: AppState['showError']): { zoo: ModelZooInfo | null; zooError: string | null } {
  const [zoo, setZoo] = useState<ModelZooInfo | null>(null);
  const [zooError, setZooError] = useState<string | null>(null);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    client.request('model-zoo', {}).then(
      (r) => live && setZoo(r),
      (e: unknown) => {
        if (!live) return;
        const message = `Could not ask the tfjs worker which models it has: ${errorText(e)}`;
        setZooError(message);
        showError('model-picker', message);
      },
    );
    return () => {
      live = false;
    };
  }, [ready, showError]);
  return { zoo, zooError };
}

export function ModelPicker() {
  const family = useAppStore(selectFamily);
  const setSetting = useAppStore(selectSetSetting);
  const showError = useAppStore(selectShowError);
  const ready = useAppStore(selectReady);
  const numFrames = useAppStore(selectFrames);
  const size = useAppStore(selectSize);
  const numClasses = useAppStore(selectNumClasses);
  const variant = useAppStore(selectVariant);
  const addNotices = useAppStore(selectAddNotices);
  const { zoo: zooInfo, zooError } = useZoo(ready, showError);
  const zoo = zooInfo ? zooInfo.families.map((f) => f.id) : null;
  // The family's trainable variants (paper-scale presets are described in "Reference models").
  const variants = useMemo(() => zooInfo?.families.find((f) => f.id === family)?.presets.filter((p) => !p.paper) ?? [], [zooInfo, family]);
  const [lastArch, setArch] = useState<Arch>({ kind: 'loading' });
  const key = `${family}|${variant}|${numFrames}|${size}|${numClasses}`;

  // A link's variant that this family does not have falls back to `tiny`, with a notice.
  useEffect(() => {
    if (!zooInfo || variants.length === 0 || variants.some((p) => p.name === variant)) return;
    addNotices([`The ${FAMILY_INFO[family].name} family has no variant “${variant}” (it has ${variants.map((p) => p.name).join(', ')}); using tiny.`]);
    setSetting('variant', 'tiny');
  }, [zooInfo, family, variant, variants, addNotices, setSetting]);
  // Until the worker answers for this family and clip, show "loading", never the previous model.
  const arch: Arch = lastArch.kind !== 'loading' && lastArch.key === key ? lastArch : { kind: 'loading' };

  useEffect(() => {
    if (!zooInfo) return;
    const built = zooInfo.families.map((f) => f.id);
    if (!built.includes(family)) {
      setArch({ kind: 'missing', key });
      return;
    }
    let live = true;
    const clip = { numFrames, size, numClasses };
    const baseline = built.includes('single-frame') ? client.request('describe', { family: 'single-frame', ...clip }).then((d) => d.totals.trainableParams) : Promise.resolve(null);
    Promise.all([client.request('describe', { family, preset: variant, ...clip }), baseline]).then(
      ([description, base]) => live && setArch({ kind: 'ready', key, description, baseline: base }),
      (e: unknown) => {
        if (!live) return;
        const message = `Cannot describe the ${FAMILY_INFO[family].name} model on ${numFrames} frames of ${size}×${size}: ${errorText(e)}`;
        setArch({ kind: 'error', key, message });
        showError('model-picker', message);
      },
    );
    return () => {
      live = false;
    };
  }, [zooInfo, key, family, variant, numFrames, size, numClasses, showError]);

  const info = FAMILY_INFO[family];
  return (
    <section className="panel" aria-labelledby="model-picker-title" data-testid="architecture-panel" data-arch={`${family}:${arch.kind}`}>
      <h2 id="model-picker-title">Model family</h2>
      <div className="family-grid" role="group" aria-label="Model family">
        {FAMILY_IDS.map((id, i) => (
          <button key={id} type="button" className="family-card" data-testid={`family-${id}`} aria-pressed={family === id} onClick={() => setSetting('family', id)}>
            <span className="family-step">
              {i + 1}
              {zoo && !zoo.includes(id) && <span className="family-missing"> · not built yet</span>}
            </span>
            <span className="family-name">{FAMILY_INFO[id].name}</span>
            <span className="family-line">{FAMILY_INFO[id].oneLine}</span>
          </button>
        ))}
      </div>
      {variants.length > 1 && (
        <label className="variant-select">
          Variant{' '}
          <select data-testid="variant-select" value={variants.some((p) => p.name === variant) ? variant : 'tiny'} onChange={(e) => setSetting('variant', e.target.value)}>
            {variants.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>{' '}
          <span className="empty" data-testid="variant-note">
            {variants.find((p) => p.name === variant)?.note ?? ''}
          </span>
        </label>
      )}
      <div className="param-summary" aria-live="polite">
        <span className="param-label">{info.name}, trainable parameters: </span>
        <strong data-testid="param-count" className="param-count">
          {arch.kind === 'ready' ? formatInt(arch.description.totals.trainableParams) : '—'}
        </strong>
        {arch.kind === 'ready' && arch.baseline !== null && (
          <span className="param-delta" data-testid="param-delta">
            {family === 'single-frame' ? ' (the baseline)' : ` (${formatBaselineDelta(arch.description.totals.trainableParams, arch.baseline)})`}
          </span>
        )}
        <span className="empty">
          {' '}
          on {numFrames} × {size} × {size} × 3 clips, {numClasses} classes
        </span>
      </div>
      {arch.kind === 'loading' && <p className="empty">{zooError ?? (ready ? 'Working out the architecture…' : 'Waiting for the tfjs runtime…')}</p>}
      {arch.kind === 'missing' && (
        <p className="empty" data-testid="family-missing">
          The {info.name} family is not built yet in this version of Clipscope, so there is no parameter count or layer table to show.
        </p>
      )}
      {arch.kind === 'error' && <p className="empty">{arch.message}</p>}
      {arch.kind === 'ready' && <ArchitectureTable description={arch.description} />}
      {zooInfo && <ReferenceModels zoo={zooInfo} family={family} />}
      {arch.kind === 'ready' && <StepCheck family={family} preset={variant} numFrames={numFrames} size={size} numClasses={numClasses} />}
    </section>
  );
}
