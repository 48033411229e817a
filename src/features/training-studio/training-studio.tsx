// Training studio: data, loop controls, live curves, results, order tests, inference. Every
// worker request goes through runtime/training-actions.ts; this file only draws the store.

import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TASK_IDS, TASK_INFO, type TaskId } from '../../data/synthetic/task-info';
import { FAMILY_INFO } from '../../models/family-info';
import { useAppStore, type AppState } from '../../state/store';
import { selectActiveRun, selectNumClasses, selectReady, selectSetSetting, selectSettings } from '../../state/selectors';
import { OPTIMIZER_LABELS, recipeChanges, type OptimizerName } from '../../state/url-state';
import { AUGMENTS, type Augment } from '../../models/catalog';
import { errorText } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import { AccuracyChart, LossChart } from './run-charts';
import { ResultsTable } from './results-table';
import { EvaluationPanel } from './evaluation-panel';
import { InferencePanel } from './inference-panel';
import { DatasetPreview } from './dataset-preview';
import { OwnClasses } from './own-classes';
import { checkBudget, controlRun, datasetArgsOf, evaluateRun, previewDataset, refreshMemory, resumableRun, subscribeTrainingEvents, trainOrResume, type Budget, type DatasetPreview as Preview } from '../../runtime/training-actions';
import { linesText } from '../../training/budget';
import { baselineFor, lastValAcc, pct, runVerdict } from './verdict';
import type { RunRecord } from '../../state/slices/runs-slice';

const OWN = 'own-clips';
/** Example clips of each class in the data preview. */
const PREVIEW_PER_CLASS = 2;

const selectRuns = (s: AppState) => s.runs;
const selectActiveRunId = (s: AppState) => s.activeRunId;
const selectMemory = (s: AppState) => s.trainMemory;
const selectSetActiveRun = (s: AppState) => s.setActiveRun;
const selectApplyRecipe = (s: AppState) => s.applyRecipe;
const selectDataKey = (s: AppState) => datasetArgsOf(s).key;
/** The settings a preview of the synthetic data depends on. */
const selectPreviewInputs = (s: AppState) => ({ source: s.settings.source, noise: s.settings.noise, objsize: s.settings.objsize, clips: s.settings.clips, valclips: s.settings.valclips, task: s.settings.task, seed: s.settings.seed, frames: s.settings.frames, size: s.settings.size });
/** The settings the memory budget depends on. */
const selectBudgetInputs = (s: AppState) => ({ family: s.settings.family, variant: s.settings.variant, frames: s.settings.frames, size: s.settings.size, batch: s.settings.batch, optimizer: s.settings.optimizer, numClasses: selectNumClasses(s), dataKey: datasetArgsOf(s).key });

/** Training studio: data, loop controls, live curves, results, order tests, inference. */
export function TrainingStudio() {
  const settings = useAppStore(selectSettings);
  const setSetting = useAppStore(selectSetSetting);
  const ready = useAppStore(selectReady);
  const runs = useAppStore(selectRuns);
  const activeRunId = useAppStore(selectActiveRunId);
  const active = useAppStore(selectActiveRun);
  const memory = useAppStore(selectMemory);
  const dataKey = useAppStore(selectDataKey);
  const setActiveRun = useAppStore(selectSetActiveRun);

  useEffect(() => subscribeTrainingEvents(), []);

  const shownKey = active?.dataKey ?? dataKey;
  const shown = runs.filter((r) => r.dataKey === shownKey);
  const baselineRun = baselineFor(runs, shownKey);
  const baseline = baselineRun && baselineRun.status === 'done' ? lastValAcc(baselineRun) : null;

  const status = active?.status ?? 'idle';
  // The same link and the same data (own clips' classes are not in the link): resume, not a new run.
  const canResume = useAppStore((s) => resumableRun(s) !== null);

  const onTrain = () => trainOrResume('play');
  const onStep = () => trainOrResume('step');
  const onPause = () => {
    if (!active) return;
    if (status === 'training') void controlRun(active.id, 'pause');
    else if (status === 'paused') void controlRun(active.id, 'play');
  };

  return (
    <section className="panel training-studio" aria-labelledby="training-title">
      <h2 id="training-title">Training</h2>
      <RecipeLine />
      <DataSection ready={ready} />
      <fieldset className="knobs">
        <legend>Training loop</legend>
        <label>
          Optimizer{' '}
          <select value={settings.optimizer} onChange={(e) => setSetting('optimizer', e.target.value as OptimizerName)}>
            {Object.entries(OPTIMIZER_LABELS).map(([name, label]) => (
              <option key={name} value={name}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <NumberField label="Learning rate" value={settings.lr} min={1e-6} max={1} step={0.001} onChange={(v) => setSetting('lr', v)} />
        <NumberField label="Batch" value={settings.batch} min={1} max={256} step={1} integer onChange={(v) => setSetting('batch', v)} />
        <NumberField label="Epochs" value={settings.epochs} min={1} max={500} step={1} integer onChange={(v) => setSetting('epochs', v)} />
        <NumberField label="Weight decay" value={settings.wd} min={0} max={0.1} step={0.0001} onChange={(v) => setSetting('wd', v)} />
        <label>
          Augmentation{' '}
          <select value={settings.augment} onChange={(e) => setSetting('augment', e.target.value as Augment)}>
            {AUGMENTS.map((a) => (
              <option key={a} value={a}>
                {a === 'none' ? 'none' : 'random shift (same for every frame)'}
              </option>
            ))}
          </select>
        </label>
        <NumberField label="Seed" value={settings.seed} min={0} max={2 ** 31 - 1} step={1} integer onChange={(v) => setSetting('seed', v)} />
      </fieldset>
      <BudgetLine ready={ready} />
      <div className="controls">
        <button type="button" className="primary" data-testid="train-button" disabled={!ready || status === 'training'} onClick={onTrain}>
          {canResume && status === 'paused' ? 'Resume' : `Train ${FAMILY_INFO[settings.family].name}`}
        </button>
        <button type="button" data-testid="pause-button" disabled={!active || (status !== 'training' && status !== 'paused')} onClick={onPause}>
          {status === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <button type="button" data-testid="step-button" disabled={!ready || status === 'training'} onClick={onStep}>
          Step one batch
        </button>
        <button type="button" data-testid="reset-button" disabled={!active || status === 'training'} onClick={() => active && void controlRun(active.id, 'reset')}>
          Reset
        </button>
      </div>
      <div className="controls run-readout" aria-live="polite">
        <span>
          Status: <span data-testid="train-status">{status}</span>
        </span>
        <span>
          Epoch <span data-testid="epoch-counter">{active?.epochPoints.length ?? 0}</span> / {active?.epochs ?? settings.epochs}
        </span>
        <span>
          Validation accuracy <span data-testid="val-accuracy">{active ? pct(lastValAcc(active)) : '—'}</span>
        </span>
        {active && <span className="empty">{active.dataLabel}</span>}
      </div>
      {active && active.role === 'run' && (active.status === 'done' || active.epochPoints.length > 0) && <VerdictLine run={active} baselineRun={baselineRun} />}
      {active?.status === 'error' && active.message && (
        <p className="run-error" role="status">
          {active.message}
        </p>
      )}
      <div className="charts">
        <LossChart runs={shown} activeId={activeRunId} />
        <AccuracyChart runs={shown} activeId={activeRunId} baseline={baseline} />
      </div>
      <h3>Results on this data</h3>
      <ResultsTable runs={shown} baselineRun={baselineRun} activeId={activeRunId} onSelect={setActiveRun} />
      {active && <EvaluationPanel run={active} onEvaluate={() => void evaluateRun(active.id)} />}
      {active && <InferencePanel run={active} />}
      <p className="empty" data-testid="memory-use">
        {memory
          ? `Worker memory: ${memory.numTensors} tensors, ${formatBytes(memory.numBytes)}; frames kept: ${formatBytes(memory.datasetBytes)} of datasets, ${formatBytes(memory.clipBytes)} of sampled clips${memory.flowBytes ? `, ${formatBytes(memory.flowBytes)} of cached optical flow` : ''}; ${memory.runsWithModels} run${memory.runsWithModels === 1 ? '' : 's'} with a model.`
          : 'Worker memory: —'}{' '}
        <button type="button" disabled={!ready} onClick={() => void refreshMemory()}>
          Refresh
        </button>
      </p>
    </section>
  );
}

/**
 * The run's verdict against one frame (verdict.ts): a video model that does not beat the
 * single-frame baseline on the same data learns nothing temporal. The baseline is trained by the
 * app when the run finishes (runtime/training-actions.ts ensureBaseline).
 */
function VerdictLine({ run, baselineRun }: { run: RunRecord; baselineRun: RunRecord | null }) {
  const v = runVerdict(run, baselineRun);
  return (
    <p className={`verdict-line verdict-${v.kind}`} data-testid="verdict" data-kind={v.kind} data-points={v.points ?? ''} role="status">
      <strong>Verdict:</strong> {v.text}
    </p>
  );
}

/** "Recipe for this family", and what the user changed from it, with a way back. */
function RecipeLine() {
  const settings = useAppStore(selectSettings);
  const applyRecipe = useAppStore(selectApplyRecipe);
  const changes = recipeChanges(settings);
  return (
    <p className="recipe-line" data-testid="recipe">
      {changes.length === 0 ? (
        <>Recipe for this family: the settings that make {FAMILY_INFO[settings.family].name} reach the lesson’s bar.</>
      ) : (
        <>
          Recipe for this family, changed: {changes.map((c) => `${c.help} ${c.value} (recipe ${c.recipe})`).join('; ')}.{' '}
          <button type="button" data-testid="recipe-reset" onClick={applyRecipe}>
            Back to the recipe
          </button>
        </>
      )}
    </p>
  );
}

function DataSection({ ready }: { ready: boolean }) {
  const settings = useAppStore(selectSettings);
  const setSetting = useAppStore(selectSetSetting);
  const inputs = useAppStore(useShallow(selectPreviewInputs));
  const [preview, setPreview] = useState<Preview | null>(null);
  const info = TASK_INFO[settings.task];

  // Preview: the dataset the current knobs make (debounced; the worker caches it for training).
  useEffect(() => {
    if (!ready || inputs.source !== 'synthetic') return;
    let cancelled = false;
    const t = setTimeout(() => {
      previewDataset(PREVIEW_PER_CLASS).then(
        (p) => !cancelled && setPreview(p),
        (e: unknown) => !cancelled && useAppStore.getState().showError('Dataset', errorText(e)),
      );
    }, 400);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [ready, inputs]);

  return (
    <fieldset className="knobs">
      <legend>Data</legend>
      <label>
        Dataset{' '}
        <select
          data-testid="dataset-select"
          value={settings.source === 'own' ? OWN : settings.task}
          onChange={(e) => {
            if (e.target.value === OWN) setSetting('source', 'own');
            else {
              setSetting('source', 'synthetic');
              setSetting('task', e.target.value as TaskId);
            }
          }}
        >
          {TASK_IDS.map((id) => (
            <option key={id} value={id}>
              {TASK_INFO[id].name}
            </option>
          ))}
          <option value={OWN}>Your own clips</option>
        </select>
      </label>
      <NumberField label="Frames (T)" value={settings.frames} min={2} max={128} step={1} integer onChange={(v) => setSetting('frames', v)} />
      <NumberField label="Frame size" value={settings.size} min={8} max={256} step={4} integer onChange={(v) => setSetting('size', v)} />
      {settings.source === 'synthetic' ? (
        <>
          <NumberField label="Noise" value={settings.noise} min={0} max={0.5} step={0.05} onChange={(v) => setSetting('noise', v)} />
          <NumberField label="Object size" value={settings.objsize} min={0.25} max={3} step={0.25} onChange={(v) => setSetting('objsize', v)} />
          <NumberField label="Training clips / class" value={settings.clips} min={2} max={512} step={2} integer onChange={(v) => setSetting('clips', v)} />
          <NumberField label="Validation clips / class" value={settings.valclips} min={1} max={256} step={1} integer onChange={(v) => setSetting('valclips', v)} />
          <p className="task-note">
            {info.description} <strong>{info.oneFrameSolves ? 'One frame can solve it.' : 'One frame cannot solve it.'}</strong>
          </p>
          <DatasetPreview preview={preview} />
        </>
      ) : (
        <OwnClasses />
      )}
    </fieldset>
  );
}

function BudgetLine({ ready }: { ready: boolean }) {
  const inputs = useAppStore(useShallow(selectBudgetInputs));
  const [budget, setBudget] = useState<{ b: Budget | null; error: string | null }>({ b: null, error: null });
  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    const t = setTimeout(() => {
      checkBudget().then(
        (b) => !cancelled && setBudget({ b, error: null }),
        (e: unknown) => !cancelled && setBudget({ b: null, error: errorText(e) }),
      );
    }, 300);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [ready, inputs]);
  const { b, error } = budget;
  return (
    <p className={b && !b.fits ? 'budget budget-warning' : 'budget'} data-testid="budget-check">
      {error
        ? `Budget check: ${error}`
        : b
          ? b.fits
            ? `Budget: about ${formatBytes(b.totalBytes)} to train (${linesText(b)}); fits ${b.limits.source}.`
            : b.refusal
          : 'Budget: —'}
    </p>
  );
}

function NumberField({ label, value, min, max, step, integer, onChange }: { label: string; value: number; min: number; max: number; step: number; integer?: boolean; onChange(v: number): void }) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(String(value));
  }
  const parsed = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(parsed) && parsed >= min && parsed <= max && (!integer || Number.isInteger(parsed));
  return (
    <label className="number-field">
      {label}{' '}
      <input
        type="number"
        value={text}
        min={min}
        max={max}
        step={step}
        aria-invalid={!valid}
        title={valid ? undefined : `${label}: ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`}
        onChange={(e) => {
          setText(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value.trim() !== '' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) onChange(v);
        }}
      />
    </label>
  );
}
