// The architecture panel: the seven families side by side (`family-<id>`, with a one-line
// explanation each), the family's trainable variants (models/catalog.ts, plain data), and for the
// selected model its trainable parameters on the current clip (`param-count`), the difference from
// the single-frame baseline, the per-layer table (`layer-table`, temporal layers highlighted) and
// the family's teaching figures. All numbers come from the registry's describe() in the worker
// (runtime/model-actions.ts, which asks once per family, variant and clip).

import { useEffect, useState } from 'react';
import { FAMILY_IDS, FAMILY_INFO } from '../../models/family-info';
import { trainablePresets } from '../../models/catalog';
import type { Description } from '../../models/types';
import { formatInt } from '../../lib/format';
import { useAppStore, type AppState } from '../../state/store';
import { selectReady, selectSetSetting, selectShowError, selectTaskClassCount } from '../../state/selectors';
import { describeModel } from '../../runtime/model-actions';
import { ArchitectureTable } from './architecture-table';
import { formatBaselineDelta } from './zoo-format';
import { StepCheck } from './step-check';
import { ReferenceModels } from './reference-models';
import { ExportButton } from './export-button';
import { errorText } from '../../lib/errors';

/** What the panel shows; `key` names the model and clip it was worked out for. */
type Arch = { kind: 'loading' } | { kind: 'ready'; key: string; description: Description; baseline: number } | { kind: 'error'; key: string; message: string };

const selectFamily = (s: AppState) => s.settings.family;
const selectVariant = (s: AppState) => s.settings.variant;
const selectFrames = (s: AppState) => s.settings.frames;
const selectSize = (s: AppState) => s.settings.size;

export function ModelPicker() {
  const family = useAppStore(selectFamily);
  const setSetting = useAppStore(selectSetSetting);
  const showError = useAppStore(selectShowError);
  const ready = useAppStore(selectReady);
  const numFrames = useAppStore(selectFrames);
  const size = useAppStore(selectSize);
  const numClasses = useAppStore(selectTaskClassCount);
  // The URL table keeps the variant one of the family's trainable presets (paper-scale ones are in "Reference models").
  const variant = useAppStore(selectVariant);
  const variants = trainablePresets(family);
  const [lastArch, setArch] = useState<Arch>({ kind: 'loading' });
  const key = `${family}|${variant}|${numFrames}|${size}|${numClasses}`;
  // Until the worker answers for this model and clip, show "loading", never the previous model.
  const arch: Arch = lastArch.kind !== 'loading' && lastArch.key === key ? lastArch : { kind: 'loading' };

  useEffect(() => {
    if (!ready) return;
    let live = true;
    const clip = { numFrames, size, numClasses };
    Promise.all([describeModel({ family, preset: variant, ...clip }), describeModel({ family: 'single-frame', preset: 'tiny', ...clip })]).then(
      ([description, base]) => live && setArch({ kind: 'ready', key, description, baseline: base.totals.trainableParams }),
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
  }, [ready, key, family, variant, numFrames, size, numClasses, showError]);

  const info = FAMILY_INFO[family];
  return (
    <section className="panel" aria-labelledby="model-picker-title" data-testid="architecture-panel" data-arch={`${family}:${arch.kind}`}>
      <h2 id="model-picker-title">Model family</h2>
      <div className="family-grid" role="group" aria-label="Model family">
        {FAMILY_IDS.map((id, i) => (
          <button key={id} type="button" className="family-card" data-testid={`family-${id}`} aria-pressed={family === id} onClick={() => setSetting('family', id)}>
            <span className="family-step">{i + 1}</span>
            <span className="family-name">{FAMILY_INFO[id].name}</span>
            <span className="family-line">{FAMILY_INFO[id].oneLine}</span>
          </button>
        ))}
      </div>
      {variants.length > 1 && (
        <label className="variant-select">
          Variant{' '}
          <select data-testid="variant-select" value={variant} onChange={(e) => setSetting('variant', e.target.value)}>
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
        {arch.kind === 'ready' && (
          <span className="param-delta" data-testid="param-delta">
            {family === 'single-frame' ? ' (the baseline)' : ` (${formatBaselineDelta(arch.description.totals.trainableParams, arch.baseline)})`}
          </span>
        )}
        <span className="empty">
          {' '}
          on {numFrames} × {size} × {size} × 3 clips, {numClasses} classes
        </span>
      </div>
      {arch.kind === 'loading' && <p className="empty">{ready ? 'Working out the architecture…' : 'Waiting for the tfjs runtime…'}</p>}
      {arch.kind === 'error' && <p className="empty">{arch.message}</p>}
      {arch.kind === 'ready' && <ArchitectureTable description={arch.description} />}
      {ready && <ReferenceModels family={family} />}
      {arch.kind === 'ready' && <StepCheck family={family} preset={variant} numFrames={numFrames} size={size} numClasses={numClasses} />}
      {arch.kind === 'ready' && <ExportButton family={family} preset={variant} numFrames={numFrames} size={size} numClasses={numClasses} />}
    </section>
  );
}
