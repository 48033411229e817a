import type { StateCreator } from 'zustand';
import type { AppState } from '../store';
import type { FamilyId } from '../../models/family-info';
import type { DatasetArgs, EvaluationResult, RunState, TrainEvent, TrainMemory } from '../../worker/train-protocol';
import type { OptimizerName } from '../url-state';

/**
 * Training runs as plain numbers: their settings, curves and evaluations (models stay in the
 * worker), and the "your own clips" classes. The data settings are in the URL table (settings-slice).
 * A run's status, curve points, evaluation and memory readout are the protocol's own types.
 */
export type RunStatus = RunState['status'];
export type LossPoint = Pick<Extract<TrainEvent, { type: 'train-batch' }>, 'step' | 'loss'>;
export type EpochPoint = Omit<Extract<TrainEvent, { type: 'train-epoch' }>, 'type' | 'runId'>;
export type RunEvaluation = Omit<EvaluationResult, 'runId'>;

/** Progress of one run since the last flush (runtime/training-actions.ts buffers worker events). */
export interface RunProgress {
  losses: LossPoint[];
  epochs: EpochPoint[];
  msSum: number;
  msCount: number;
  status?: { status: RunStatus; message: string | null };
}

export interface RunRecord {
  id: string;
  family: FamilyId;
  /** The family's variant (registry preset), 'tiny' unless another was picked. */
  preset: string;
  /** Which data: a key equal for runs on the same dataset (task, seed, knobs). */
  dataKey: string;
  /** The dataset request behind dataKey (a baseline for the verdict is trained on the same). */
  dataArgs: DatasetArgs;
  dataLabel: string;
  datasetId: string;
  classNames: string[];
  seed: number;
  /** The link (state/url-state.ts serializeUrlState) of the settings the run was started with: opened, it reproduces the run. */
  link: string;
  /** 'baseline': the single-frame run the app trained by itself for another run's verdict. */
  role: 'run' | 'baseline';
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  status: RunStatus;
  message: string | null;
  trainableParams: number;
  macs: number;
  batchesPerEpoch: number;
  /** Budget warning (if any) when it was started. */
  budgetNote: string | null;
  losses: LossPoint[];
  epochPoints: EpochPoint[];
  /** Mean ms per training step over the run's steps after the first (shader compilation). */
  msPerStep: number | null;
  stepMsSum: number;
  stepMsCount: number;
  evaluation: RunEvaluation | null;
}

export interface OwnClassState {
  name: string;
  clipIds: string[];
}

export interface RunsSlice {
  runs: RunRecord[];
  activeRunId: string | null;
  ownClasses: OwnClassState[];
  /** The worker's memory readout (tensors, bytes; frames kept for datasets and clips). */
  trainMemory: TrainMemory | null;
  setTrainMemory(m: TrainMemory | null): void;
  /** Add a run; it becomes the active one unless `activate` is false (a baseline trained for a verdict). */
  addRun(r: RunRecord, activate?: boolean): void;
  setActiveRun(id: string): void;
  patchRun(id: string, patch: Partial<RunRecord>): void;
  /** Append a throttled batch of progress to several runs in one update. */
  applyProgress(updates: Record<string, RunProgress>): void;
  clearRuns(): void;
  setOwnClasses(c: OwnClassState[]): void;
}

export const createRunsSlice: StateCreator<AppState, [], [], RunsSlice> = (set) => ({
  runs: [],
  activeRunId: null,
  ownClasses: [
    { name: 'Class 1', clipIds: [] },
    { name: 'Class 2', clipIds: [] },
  ],
  trainMemory: null,
  setTrainMemory: (trainMemory) => set({ trainMemory }),
  addRun: (r, activate = true) => set((s) => ({ runs: [...s.runs, r], activeRunId: activate ? r.id : s.activeRunId })),
  setActiveRun: (activeRunId) => set({ activeRunId }),
  patchRun: (id, patch) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...patch } : r)) })),
  applyProgress: (updates) =>
    set((s) => ({
      runs: s.runs.map((r) => {
        const u = updates[r.id];
        if (!u) return r;
        const stepMsSum = r.stepMsSum + u.msSum;
        const stepMsCount = r.stepMsCount + u.msCount;
        return {
          ...r,
          losses: u.losses.length ? [...r.losses, ...u.losses] : r.losses,
          epochPoints: u.epochs.length ? [...r.epochPoints, ...u.epochs] : r.epochPoints,
          stepMsSum,
          stepMsCount,
          msPerStep: stepMsCount > 0 ? stepMsSum / stepMsCount : r.msPerStep,
          ...(u.status ? { status: u.status.status, message: u.status.message } : {}),
        };
      }),
    })),
  clearRuns: () => set({ runs: [], activeRunId: null }),
  setOwnClasses: (ownClasses) => set({ ownClasses }),
});
