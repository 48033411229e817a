// The training studio's side effects: worker requests for data, runs, evaluation and inference,
// and the event stream from the worker folded into the store. Worker events arrive per batch;
// they are buffered and applied to the store at most every FLUSH_MS (status changes at once),
// so React re-renders a few times a second however fast the steps are.

import { client } from './worker-client';
import type { Budget, DatasetArgs, DatasetPreview, InferenceArgs, InferenceResult, TrainAction, TrainStartArgs } from '../worker/train-protocol';
import type { WorkerEvent } from '../worker/protocol';
import { useAppStore, type AppState } from '../state/store';
import type { RunProgress, RunRecord } from '../state/slices/runs-slice';
import { TASK_INFO } from '../data/synthetic/task-info';
import { errorText } from '../lib/errors';
import { refuseUnlessFits } from '../training/budget';
import { datasetBudget } from './budget-checks';
import { parseUrlState, serializeUrlState, type UrlState } from '../state/url-state';
import { recipeFor } from '../models/catalog';
import { baselineFor } from '../state/selectors';

export type { Budget, DatasetPreview, InferenceResult };

const FLUSH_MS = 250;

let pending: Record<string, RunProgress> = {};
let timer: ReturnType<typeof setTimeout> | null = null;
let subscribed: (() => void) | null = null;

function flush(): void {
  timer = null;
  const updates = pending;
  pending = {};
  if (Object.keys(updates).length === 0) return;
  const st = useAppStore.getState();
  st.applyProgress(updates);
  for (const [runId, u] of Object.entries(updates)) {
    if (u.status?.status === 'done') void evaluateRun(runId).then(() => ensureBaseline(runId));
    if (u.status?.status === 'error') st.showError('Training', u.status.message ?? 'Training stopped.');
    if (u.status) void refreshMemory();
  }
}

function schedule(now: boolean): void {
  if (now) {
    if (timer) clearTimeout(timer);
    flush();
  } else if (!timer) timer = setTimeout(flush, FLUSH_MS);
}

function onWorkerEvent(e: WorkerEvent): void {
  if (e.type === 'log' || e.type === 'backend') return;
  const p = (pending[e.runId] ??= { losses: [], epochs: [], msSum: 0, msCount: 0 });
  if (e.type === 'train-batch') {
    p.losses.push({ step: e.step, loss: e.loss });
    // The first step compiles shaders: leave it out of ms per step.
    if (e.step > 1) {
      p.msSum += e.msPerStep;
      p.msCount++;
    }
    schedule(false);
  } else if (e.type === 'train-epoch') {
    p.epochs.push({ epoch: e.epoch, trainLoss: e.trainLoss, trainAcc: e.trainAcc, valLoss: e.valLoss, valAcc: e.valAcc });
    schedule(false);
  } else {
    p.status = { status: e.status, message: e.message };
    schedule(true);
  }
}

/** Subscribe once to the worker's training events (idempotent). */
export function subscribeTrainingEvents(): () => void {
  if (!subscribed) subscribed = client.onEvent(onWorkerEvent);
  return () => {};
}

/** The dataset a state's settings describe, and a key equal for runs on the same data. */
export function datasetArgsOf({ settings, ownClasses }: Pick<AppState, 'settings' | 'ownClasses'>): { args: DatasetArgs; key: string; label: string } {
  if (settings.source === 'own') {
    const sampling = { strategy: settings.strategy, chunks: settings.chunks }; // how the worker reads each clip's stored frames
    const args: DatasetArgs = { kind: 'own', classes: ownClasses.map((c) => ({ name: c.name, clipIds: [...c.clipIds] })), seed: settings.seed, numFrames: settings.frames, size: settings.size, sampling };
    return { args, key: JSON.stringify(args), label: `your clips (${ownClasses.map((c) => c.name).join(' / ')}), seed ${settings.seed}` };
  }
  const args: DatasetArgs = {
    kind: 'synthetic',
    task: settings.task,
    seed: settings.seed,
    numFrames: settings.frames,
    size: settings.size,
    noise: settings.noise,
    objectScale: settings.objsize,
    trainPerClass: settings.clips,
    valPerClass: settings.valclips,
  };
  return { args, key: JSON.stringify(args), label: `${TASK_INFO[settings.task].name}, seed ${settings.seed}` };
}

let runCounter = 0;
let starting = false;

/** The synthetic dataset the settings describe, refused on the page (nothing sent) when it would not fit. */
function refuseDataOverBudget(): void {
  const b = datasetBudget(useAppStore.getState());
  if (b) refuseUnlessFits(b);
}

/** What one run trains: a family's preset on a dataset, with a training config, from a link. */
interface RunPlan {
  family: RunRecord['family'];
  preset: string;
  train: TrainStartArgs['train'];
  data: { args: DatasetArgs; key: string; label: string };
  link: string;
  role: RunRecord['role'];
  mode: 'play' | 'step';
}

/** The plan the current settings describe. */
function planOf(settings: UrlState, data: RunPlan['data'], mode: RunPlan['mode']): RunPlan {
  const train = { optimizer: settings.optimizer, learningRate: settings.lr, batchSize: settings.batch, epochs: settings.epochs, seed: settings.seed, weightDecay: settings.wd, augment: settings.augment };
  return { family: settings.family, preset: settings.variant, train, data, link: serializeUrlState(settings), role: 'run', mode };
}

/** Build the plan's data (the worker caches it by its arguments) and start its run; the whole run's budget is checked first, on the page and again in the worker. */
async function launch(plan: RunPlan): Promise<string> {
  subscribeTrainingEvents();
  refuseUnlessFits(await client.request('train-budget', { family: plan.family, preset: plan.preset, dataset: plan.data.args, batchSize: plan.train.batchSize, optimizer: plan.train.optimizer }));
  const ds = await client.request('dataset-make', plan.data.args);
  const runId = `run-${Date.now().toString(36)}-${++runCounter}`;
  const { train } = plan;
  const record: RunRecord = {
    id: runId,
    family: plan.family,
    preset: plan.preset,
    dataKey: plan.data.key,
    dataArgs: plan.data.args,
    dataLabel: plan.data.label,
    datasetId: ds.datasetId,
    classNames: ds.classNames,
    seed: train.seed,
    link: plan.link,
    role: plan.role,
    optimizer: train.optimizer,
    learningRate: train.learningRate,
    batchSize: train.batchSize,
    epochs: train.epochs,
    status: 'idle',
    message: null,
    trainableParams: 0,
    macs: 0,
    batchesPerEpoch: 0,
    budgetNote: null,
    losses: [],
    epochPoints: [],
    msPerStep: null,
    stepMsSum: 0,
    stepMsCount: 0,
    evaluation: null,
  };
  useAppStore.getState().addRun(record, plan.role === 'run');
  try {
    const r = await client.request('train-start', { runId, datasetId: ds.datasetId, family: plan.family, preset: plan.preset, train, mode: plan.mode });
    useAppStore.getState().patchRun(runId, { trainableParams: r.trainableParams, macs: r.macs, batchesPerEpoch: r.batchesPerEpoch });
  } catch (e) {
    useAppStore.getState().patchRun(runId, { status: 'error', message: errorText(e) });
    throw e;
  }
  return runId;
}

/** Build the data and a fresh run of the selected family from the current settings, once the whole run's budget fits. */
export async function startRun(mode: 'play' | 'step'): Promise<void> {
  if (starting) return;
  starting = true;
  const st = useAppStore.getState();
  try {
    refuseDataOverBudget();
    await launch(planOf(st.settings, datasetArgsOf(st), mode));
    st.clearError();
  } catch (e) {
    useAppStore.getState().showError('Training', errorText(e));
  } finally {
    starting = false;
  }
}

/** Data keys whose baseline is being launched (launch awaits the worker before the run is in the store). */
const baselinesStarting = new Set<string>();

/**
 * The verdict needs one frame's accuracy on the same data: when a video model's run finishes and
 * no single-frame run on its data (and seed) exists, train the baseline, the single-frame
 * family's recipe on the very dataset of the run. It trains in the background (not the active
 * run); a later run on the same data reuses it.
 */
export async function ensureBaseline(runId: string): Promise<void> {
  const st = useAppStore.getState();
  const run = st.runs.find((r) => r.id === runId);
  if (!run || run.family === 'single-frame' || run.role !== 'run' || baselineFor(st.runs, run.dataKey) || baselinesStarting.has(run.dataKey)) return;
  baselinesStarting.add(run.dataKey);
  // The run's link with single-frame's training settings (its data keys stay the run's).
  const { optimizer, lr, batch, epochs, wd, augment } = recipeFor('single-frame');
  const settings: UrlState = { ...parseUrlState(`?${run.link}`).state, family: 'single-frame', variant: 'tiny', optimizer, lr, batch, epochs, wd, augment };
  try {
    await launch({ ...planOf(settings, { args: run.dataArgs, key: run.dataKey, label: run.dataLabel }, 'play'), role: 'baseline' });
  } catch (e) {
    useAppStore.getState().showError('Baseline', `The single-frame baseline for the verdict could not train: ${errorText(e)}`);
  } finally {
    baselinesStarting.delete(run.dataKey); // from here the store holds the baseline run (or it failed)
  }
}

/** The active run when the current settings are its settings (same link, same data) and it can go on: resume it rather than start anew. */
export function resumableRun(st: Pick<AppState, 'runs' | 'activeRunId' | 'settings' | 'ownClasses'>): RunRecord | null {
  const active = st.runs.find((r) => r.id === st.activeRunId);
  if (!active || active.dataKey !== datasetArgsOf(st).key || active.link !== serializeUrlState(st.settings)) return null;
  return active.status === 'paused' || active.status === 'idle' ? active : null;
}

/** Train (or take one step): the active run where the settings are still its own, else a new run. */
export function trainOrResume(mode: 'play' | 'step'): void {
  const run = resumableRun(useAppStore.getState());
  if (run) void controlRun(run.id, mode);
  else void startRun(mode);
}

/** Space in the lecture: pause a training run, resume a paused one, or train. */
export function playPause(): void {
  const st = useAppStore.getState();
  const active = st.runs.find((r) => r.id === st.activeRunId);
  if (active?.status === 'training') void controlRun(active.id, 'pause');
  else trainOrResume('play');
}

/** Reset the active run (not while it trains). */
export function resetActiveRun(): void {
  const st = useAppStore.getState();
  const active = st.runs.find((r) => r.id === st.activeRunId);
  if (active && active.status !== 'training') void controlRun(active.id, 'reset');
}

/** Play, pause, step or reset the active run. */
export async function controlRun(runId: string, action: TrainAction): Promise<void> {
  try {
    const s = await client.request('train-control', { runId, action });
    if (action === 'reset') useAppStore.getState().patchRun(runId, { status: s.status, message: null, losses: [], epochPoints: [], evaluation: null, stepMsSum: 0, stepMsCount: 0, msPerStep: null });
  } catch (e) {
    useAppStore.getState().showError('Training', errorText(e));
  }
}

export async function evaluateRun(runId: string): Promise<void> {
  try {
    const ev = await client.request('train-evaluate', { runId });
    useAppStore.getState().patchRun(runId, { evaluation: { classNames: ev.classNames, orderTests: ev.orderTests, confusion: ev.confusion, perClass: ev.perClass } });
  } catch (e) {
    useAppStore.getState().showError('Evaluation', errorText(e));
  }
}

/** Example clips (`perClass` of each class) of the dataset the current settings make; the worker keeps the data for training. */
export async function previewDataset(perClass: number): Promise<DatasetPreview> {
  refuseDataOverBudget();
  const ds = await client.request('dataset-make', datasetArgsOf(useAppStore.getState()).args);
  const preview = await client.request('dataset-preview', { datasetId: ds.datasetId, perClass });
  void refreshMemory();
  return preview;
}

/** Memory a run of the current settings would need (its dataset and model), against the device's limits. */
export function checkBudget(): Promise<Budget> {
  const st = useAppStore.getState();
  const { settings } = st;
  return client.request('train-budget', { family: settings.family, preset: settings.variant, dataset: datasetArgsOf(st).args, batchSize: settings.batch, optimizer: settings.optimizer });
}

/** Inference of a run's model on a sampled clip (over the chunks of the sampling settings' plan) or one validation clip. */
export function inferRun(runId: string, target: Pick<InferenceArgs, 'clipId' | 'valIndex'>): Promise<InferenceResult> {
  const { strategy, chunks } = useAppStore.getState().settings;
  return client.request('train-infer', { runId, sampling: { strategy, chunks }, ...target });
}

export async function refreshMemory(): Promise<void> {
  try {
    const m = await client.request('train-memory', {});
    useAppStore.getState().setTrainMemory(m);
  } catch {
    // The readout is informational; a stopped worker is reported elsewhere.
  }
}
