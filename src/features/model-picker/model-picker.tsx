// The architecture panel: the seven families side by side (`family-<id>`, with a one-line
// explanation each), and for the selected one its trainable parameters on the current clip
// (`param-count`), the difference from the single-frame baseline, the per-layer table
// (`layer-table`, temporal layers highlighted) and the family's teaching figures. All numbers
// come from the worker's `describe` request (the registry's describe(), which allocates nothing).

import { useEffect, useState } from 'react';
import { FAMILY_IDS, FAMILY_INFO, type FamilyId } from '../../models/family-info';
import type { Description } from '../../models/types';
import { TASK_INFO } from '../../data/synthetic/task-info';
import { formatInt } from '../../lib/format';
import { useAppStore, type AppState } from '../../state/store';
import { client } from '../../training/training-client';
import { ArchitectureTable } from './architecture-table';
import { formatBaselineDelta } from './zoo-format';
import type { ModelZooInfo, TrainStepCheckResult } from '../../training/handlers/models';
import { ReferenceModels } from './reference-models';

/** What the panel shows; `key` names the family and clip it was worked out for. */
type Arch =
  | { kind: 'loading' }
  | { kind: 'missing'; key: string }
  | { kind: 'ready'; key: string; description: Description; baseline: number | null }
  | { kind: 'error'; key: string; message: string };

const selectReady = (s: AppState) => s.runtime.status === 'ready';
const selectFamily = (s: AppState) => s.settings.family;
const selectFrames = (s: AppState) => s.settings.frames;
const selectSize = (s: AppState) => s.settings.size;
const selectNumClasses = (s: AppState) => TASK_INFO[s.settings.task].classes.length;
const selectSetSetting = (s: AppState) => s.setSetting;
const selectShowError = (s: AppState) => s.showError;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The registered families and presets, asked of the worker once it is ready (null until then). */
function useZoo(ready: boolean): ModelZooInfo | null {
  const [zoo, setZoo] = useState<ModelZooInfo | null>(null);
  useEffect(() => {
    if (!ready) return;
    let live = true;
    client.request('model-zoo', {}).then(
      (r) => live && setZoo(r),
      () => live && setZoo({ families: [] }),
    );
    return () => {
      live = false;
    };
  }, [ready]);
  return zoo;
}

export function ModelPicker() {
  const family = useAppStore(selectFamily);
  const setSetting = useAppStore(selectSetSetting);
  const showError = useAppStore(selectShowError);
  const ready = useAppStore(selectReady);
  const numFrames = useAppStore(selectFrames);
  const size = useAppStore(selectSize);
  const numClasses = useAppStore(selectNumClasses);
  const zooInfo = useZoo(ready);
  const zoo = zooInfo ? zooInfo.families.map((f) => f.id) : null;
  const [lastArch, setArch] = useState<Arch>({ kind: 'loading' });
  const key = `${family}|${numFrames}|${size}|${numClasses}`;
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
    Promise.all([client.request('describe', { family, ...clip }), baseline]).then(
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
  }, [zooInfo, key, family, numFrames, size, numClasses, showError]);

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
      {arch.kind === 'loading' && <p className="empty">{ready ? 'Working out the architecture…' : 'Waiting for the tfjs runtime…'}</p>}
      {arch.kind === 'missing' && (
        <p className="empty" data-testid="family-missing">
          The {info.name} family is not built yet in this version of Clipscope, so there is no parameter count or layer table to show.
        </p>
      )}
      {arch.kind === 'error' && <p className="empty">{arch.message}</p>}
      {arch.kind === 'ready' && <ArchitectureTable description={arch.description} />}
      {zooInfo && <ReferenceModels zoo={zooInfo} family={family} />}
      {arch.kind === 'ready' && <StepCheck family={family} numFrames={numFrames} size={size} numClasses={numClasses} />}
    </section>
  );
}

type Check = { kind: 'idle' } | { kind: 'running'; key: string } | { kind: 'done'; key: string; result: TrainStepCheckResult } | { kind: 'error'; key: string; message: string };

/** Batch of random clips for the one-step check: small, so it is quick even on SwiftShader. */
const CHECK_BATCH = 2;

/**
 * "One training step": builds the family's tiny model on the current clip size in the worker,
 * takes one optimizer step on random clips, frees everything, and shows the loss, the time and
 * the worker's tensor count before and after (equal = nothing leaked).
 */
function StepCheck(props: { family: FamilyId; numFrames: number; size: number; numClasses: number }) {
  const { family, numFrames, size, numClasses } = props;
  const showError = useAppStore(selectShowError);
  const [lastCheck, setCheck] = useState<Check>({ kind: 'idle' });
  const key = `${family}|${numFrames}|${size}|${numClasses}`;
  // A result belongs to the model it was taken on; another family or clip size starts idle.
  const check: Check = lastCheck.kind !== 'idle' && lastCheck.key === key ? lastCheck : { kind: 'idle' };
  const run = () => {
    setCheck({ kind: 'running', key });
    client.request('train-step-check', { family, batch: CHECK_BATCH, numFrames, size, numClasses }).then(
      (result) => setCheck({ kind: 'done', key, result }),
      (e: unknown) => {
        const message = `One training step of ${FAMILY_INFO[family].name} failed: ${errorText(e)}`;
        setCheck({ kind: 'error', key, message });
        showError('model-picker', message);
      },
    );
  };
  const r = check.kind === 'done' ? check.result : null;
  return (
    <div className="step-check">
      <button type="button" data-testid="step-check-button" onClick={run} disabled={check.kind === 'running'}>
        {check.kind === 'running' ? 'Taking one step…' : 'Try one training step'}
      </button>
      <span className="empty" data-testid="step-check-result" data-status={check.kind} data-tensors-before={r?.numTensorsBefore} data-tensors-after={r?.numTensorsAfter} data-zero-grads={r?.zeroGradWeights.length}>
        {r &&
          ` loss ${r.loss.toFixed(3)} after one step on ${CHECK_BATCH} random clips, ${formatInt(r.ms)} ms on ${r.backend}; worker tensors ${formatInt(r.numTensorsBefore)} → ${formatInt(r.numTensorsAfter)}${r.numTensorsAfter === r.numTensorsBefore ? ' (nothing leaked)' : ' (LEAK)'}; ${r.zeroGradWeights.length === 0 ? 'every weight got a gradient' : `ALL-ZERO gradients for ${r.zeroGradWeights.join(', ')}: this backend is not training them`}`}
        {check.kind === 'error' && ` ${check.message}`}
      </span>
    </div>
  );
}
