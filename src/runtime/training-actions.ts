// The training studio's side effects: worker requests for data, runs, evaluation and inference,
// and the event stream from the worker folded into the store. Worker events arrive per batch;
// they are buffered and applied to the store at most every FLUSH_MS (status changes at once),
// so React re-renders a few times a second however fast the steps are.

import { client } from './worker-client';
import type { Budget, DatasetArgs, DatasetPreview, InferenceArgs, InferenceResult, TrainAction } from '../worker/train-protocol';
import type { WorkerEvent } from '../worker/protocol';
import { useAppStore, type AppState } from '../state/store';
import type { RunProgress, RunRecord } from '../state/slices/runs-slice';
import { TASK_INFO } from '../data/synthetic/task-info';
import { errorText } from '../lib/errors';
import { refuseUnlessFits } from '../training/budget';
import { datasetBudget } from './budget-checks';

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
    if (u.status?.status === 'done') void evaluateRun(runId);
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
export function datasetArgsOf({ settings, knobs, ownClasses }: Pick<AppState, 'settings' | 'knobs' | 'ownClasses'>): { args: DatasetArgs; key: string; label: string } {
  if (knobs.source === 'own') {
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
    noise: knobs.noise,
    objectScale: knobs.objectScale,
    trainPerClass: knobs.trainPerClass,
    valPerClass: knobs.valPerClass,
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

/** Build the data and a fresh run of the selected family from the current settings, once the whole run's budget fits. */
export async function startRun(mode: 'play' | 'step'): Promise<void> {
  if (starting) return;
  starting = true;
  const st = useAppStore.getState();
  const { settings } = st;
  try {
    subscribeTrainingEvents();
    refuseDataOverBudget();
    // The data and the model together (the worker describes the model, allocating nothing).
    refuseUnlessFits(await checkBudget());
    const { args, key, label } = datasetArgsOf(useAppStore.getState());
    const ds = await client.request('dataset-make', args);
    const runId = `run-${Date.now().toString(36)}-${++runCounter}`;
    const train = { optimizer: settings.optimizer, learningRate: settings.lr, batchSize: settings.batch, epochs: settings.epochs, seed: settings.seed };
    const record: RunRecord = {
      id: runId,
      family: settings.family,
      preset: settings.variant,
      dataKey: key,
      dataLabel: label,
      datasetId: ds.datasetId,
      classNames: ds.classNames,
      seed: settings.seed,
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
    st.addRun(record);
    try {
      const r = await client.request('train-start', { runId, datasetId: ds.datasetId, family: settings.family, preset: settings.variant, train, mode });
      useAppStore.getState().patchRun(runId, { trainableParams: r.trainableParams, macs: r.macs, batchesPerEpoch: r.batchesPerEpoch });
    } catch (e) {
      useAppStore.getState().patchRun(runId, { status: 'error', message: errorText(e) });
      throw e;
    }
    st.clearError();
  } catch (e) {
    useAppStore.getState().showError('Training', errorText(e));
  } finally {
    starting = false;
  }
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
