// One training loop for every family (Adam or SGD, learning rate, batch size, epochs, seed) as
// an explicit state machine with play / pause / step-one-batch / reset. Progress leaves through
// callbacks (per-batch loss and ms per step, per-epoch train/validation accuracy); no React, no
// DOM, no postMessage: the worker handler forwards the callbacks to the page.
//
//           play                  all epochs done
//   idle ───────────▶ training ─────────────────────▶ done
//    │  ▲              │   ▲ play                       │
//    │  │ reset    pause│   │                            │ reset
//    │  └───────── paused ◀┘ ◀── step (one batch) ──────┘
//    │ step          ▲  │                      error (OOM, lost device) ──▶ error ──reset──▶ idle
//    └───────────────┘  └─ step                 lost device, model rebuilt ──▶ error ──recover──▶ paused
//
// Determinism: weights are initialised and dropout masks drawn with Math.random swapped for a
// seeded mulberry32 (tfjs draws unseeded randomness from Math.random), batch order comes from
// its own seeded stream, so the same seed gives the same run on the same backend.
//
// Tensors: the loop owns the model and the optimizer (dispose() frees both); each step uploads
// one batch, runs optimizer.minimize, and disposes everything it made.
//
// Faults: each step runs inside WebGPU error scopes (gpu-scopes.ts): a GPU error ends the run
// with a message, never wrong numbers. After every epoch the weights are copied to plain arrays;
// when the GPU device is lost (worker/device-loss.ts) the run ends (`loseDevice`) and `recover()`
// rebuilds the model from them: it goes on from its last epoch (Adam's moments afresh).

import * as tf from '@tensorflow/tfjs';
import { deriveSeed, mulberry32, permutation, withMathRandom, type Rng } from '../lib/random';
import type { BuiltModel } from '../models/types';
import type { ExampleSet, TrainData } from './datasets';
import { inputMaker, type InputMaker, type ReadyInputs } from './model-inputs';
import { flowStore, type FlowStore } from '../flow/flow-store';
import { accuracy, argmaxRows, crossEntropy } from './metrics';
import { currentGpuDevice, withGpuErrorScopes } from './gpu-scopes';
import { describeTrainingError, nextStatus, type LoopEvent, type LoopStatus } from './loop-status';
import { AUGMENTS, augmenter, type Augment } from './augment';

export interface TrainConfig {
  optimizer: 'adam' | 'sgd'; // default 'adam'
  learningRate: number; // default 0.003
  batchSize: number; // default 8
  epochs: number; // default 12
  seed: number;
  /** L2 penalty on kernel weights (conv and dense, not biases or batch norm) added to the loss; default 0. */
  weightDecay?: number;
  /** Training-clip augmentation (training/augment.ts); default 'none'. */
  augment?: Augment;
}

export { describeTrainingError, nextStatus, type LoopEvent, type LoopStatus } from './loop-status';

export interface BatchProgress {
  epoch: number; // 0-based epoch this batch belongs to
  batch: number; // 0-based batch within the epoch
  batchesPerEpoch: number;
  step: number; // 1-based global step count
  loss: number;
  msPerStep: number;
}

export interface EpochProgress {
  epoch: number; // epochs completed (1-based)
  trainLoss: number;
  trainAcc: number;
  valLoss: number;
  valAcc: number;
}

export interface LoopCallbacks {
  onBatch?(p: BatchProgress): void;
  onEpoch?(p: EpochProgress): void;
  onStatus?(status: LoopStatus, message: string | null): void;
}

export interface LoopOptions {
  /** Builds the model; called at start and on reset (under the seeded Math.random). */
  build: () => BuiltModel;
  data: TrainData;
  config: TrainConfig;
  callbacks?: LoopCallbacks;
  /** Yield to the event loop between batches so pause/step messages get through (default: setTimeout 0). */
  yieldFn?: () => Promise<void>;
  /** Plain words for a failed step (default describeTrainingError). */
  describeError?: (e: unknown) => string;
  /** Where two-stream's optical flow comes from (default: the worker's one store, shared with the flow view and inference). */
  flowStore?: FlowStore;
}

const defaultYield = () => new Promise<void>((r) => setTimeout(r, 0));

export class TrainLoop {
  status: LoopStatus = 'idle';
  error: string | null = null;
  model!: tf.LayersModel;
  private built!: BuiltModel;
  private makeInputs!: InputMaker;
  /** L, the flows two-stream's 'flow' input stacks per clip (0: the model takes no flow). */
  private numFlows = 0;
  private optimizer!: tf.Optimizer;
  private orderRng!: Rng;
  private dropRng!: Rng;
  private cropRng!: Rng;
  private augmentRng!: Rng;
  private order: number[] = [];
  private epoch = 0;
  private batch = 0;
  private step = 0;
  private epochLoss = 0;
  private epochRight = 0;
  private epochSeen = 0;
  private running: Promise<void> | null = null;
  private stopAfterBatch: 'pause' | 'reset' | null = null;
  private disposed = false;
  /** The weights after the last epoch, on the CPU side (null: the seed's initial weights). */
  private kept: { epoch: number; values: tf.TypedArray[] } | null = null;
  /** The GPU device was lost while this run could still train: `recover()` lets it go on. */
  private interrupted = false;
  /** The last error came from a step (on a lost device, steps fail before `lost` is known). */
  private stepFailed = false;
  private modelLive = false;
  readonly batchesPerEpoch: number;

  constructor(private readonly opts: LoopOptions) {
    const { config, data } = opts;
    if (!(Number.isInteger(config.batchSize) && config.batchSize >= 1)) throw new Error(`Batch size must be a whole number ≥ 1, got ${config.batchSize}.`);
    if (!(Number.isInteger(config.epochs) && config.epochs >= 1)) throw new Error(`Epochs must be a whole number ≥ 1, got ${config.epochs}.`);
    if (!(config.learningRate > 0)) throw new Error(`The learning rate must be positive, got ${config.learningRate}.`);
    if (config.weightDecay !== undefined && !(config.weightDecay >= 0 && config.weightDecay <= 1)) throw new Error(`Weight decay must be from 0 to 1, got ${config.weightDecay}.`);
    if (config.augment !== undefined && !(AUGMENTS as readonly string[]).includes(config.augment)) throw new Error(`Augmentation “${String(config.augment)}” is not one of ${AUGMENTS.join(', ')}.`);
    if (data.train.size < 1 || data.val.size < 1) throw new Error(`Training needs at least one training and one validation example (have ${data.train.size} and ${data.val.size}).`);
    this.batchesPerEpoch = Math.ceil(data.train.size / config.batchSize);
    this.init();
  }

  get numClasses(): number {
    return this.opts.data.classNames.length;
  }
  get epochsDone(): number {
    return this.epoch;
  }
  get stepsDone(): number {
    return this.step;
  }

  /** (Re)build model and optimizer from the seed; counters to zero. */
  private init(): void {
    this.buildModel();
    const { seed } = this.opts.config;
    this.orderRng = mulberry32(deriveSeed(seed, 'order'));
    this.dropRng = mulberry32(deriveSeed(seed, 'dropout'));
    this.cropRng = mulberry32(deriveSeed(seed, 'crops'));
    this.augmentRng = mulberry32(deriveSeed(seed, 'augment'));
    this.epoch = 0;
    this.batch = 0;
    this.step = 0;
    this.kept = null;
    this.resetEpochStats();
    this.order = permutation(this.opts.data.train.size, this.orderRng);
  }

  /** Model (initial weights from the seed) and a fresh optimizer. */
  private buildModel(): void {
    const { seed, optimizer, learningRate } = this.opts.config;
    this.built = withMathRandom(mulberry32(deriveSeed(seed, 'init')), this.opts.build);
    this.model = this.built.model;
    const outUnits = this.model.outputs[0].shape[this.model.outputs[0].shape.length - 1];
    if (outUnits !== this.numClasses) {
      this.model.dispose();
      throw new Error(`The model outputs ${outUnits} classes but the data has ${this.numClasses}.`);
    }
    this.makeInputs = inputMaker(this.built.inputs, this.model);
    const flowAt = this.built.inputs.indexOf('flow');
    this.numFlows = flowAt >= 0 ? (this.model.inputs[flowAt].shape[1] as number) : 0;
    this.optimizer = optimizer === 'sgd' ? tf.train.sgd(learningRate) : tf.train.adam(learningRate);
    this.modelLive = true;
    this.stepFailed = false;
  }

  private resetEpochStats(): void {
    this.epochLoss = 0;
    this.epochRight = 0;
    this.epochSeen = 0;
  }

  private setStatus(e: LoopEvent, message: string | null = null): void {
    const s = nextStatus(this.status, e);
    if (s === this.status && e !== 'reset') return;
    this.status = s;
    this.error = s === 'error' ? message : null;
    this.opts.callbacks?.onStatus?.(s, message);
  }

  /** Train until paused, reset, done or failed. Resolves when the loop stops. */
  play(): Promise<void> {
    if (this.status !== 'idle' && this.status !== 'paused') return this.running ?? Promise.resolve();
    this.setStatus('play');
    return this.run(Infinity);
  }

  /** Ask the loop to pause after the batch in flight. */
  pause(): Promise<void> {
    if (this.status === 'training') this.stopAfterBatch = 'pause';
    return this.running ?? Promise.resolve();
  }

  /** Train exactly one batch from idle or paused; ends paused (or done after the last batch). */
  stepOnce(): Promise<void> {
    if (this.status !== 'idle' && this.status !== 'paused') return this.running ?? Promise.resolve();
    this.setStatus('step');
    return this.run(1);
  }

  /** Back to idle with fresh weights from the same seed (waits for a batch in flight). */
  async reset(): Promise<void> {
    if (this.running) {
      this.stopAfterBatch = 'reset';
      await this.running;
    }
    this.disposeModel();
    this.init();
    this.setStatus('reset');
  }

  /** End the run with an error raised outside a step; the batch in flight, if any, is the last. */
  fail(message: string): void {
    if (this.status === 'training') this.stopAfterBatch = 'pause';
    this.setStatus('fail', message);
  }

  /**
   * The GPU device was lost: end the run if it could still train (the batch in flight is the
   * last, and fails or finishes), then free the model and optimizer, whose tensors lived on the
   * lost device. `recover()` rebuilds them once a backend runs again.
   */
  async loseDevice(message: string): Promise<void> {
    if (this.status !== 'done' && (this.status !== 'error' || this.stepFailed)) {
      this.interrupted = true;
      if (this.status !== 'error') this.fail(message);
      else this.opts.callbacks?.onStatus?.('error', (this.error = message)); // the step's error, named for what it was
    }
    await (this.running ?? Promise.resolve());
    this.disposeModel();
  }

  /** Rebuild model and optimizer from the kept weights (or the seed's); an interrupted run is paused there with `message`. */
  recover(message: string): void {
    this.buildModel();
    const kept = this.kept;
    if (kept) {
      const values = this.model.getWeights().map((w, i) => tf.tensor(kept.values[i], w.shape, w.dtype));
      this.model.setWeights(values);
      tf.dispose(values);
    }
    // Back to the kept epoch; the step count goes on, so the loss curve's x stays monotonic.
    this.epoch = kept?.epoch ?? 0;
    this.batch = 0;
    this.resetEpochStats();
    this.order = permutation(this.opts.data.train.size, this.orderRng);
    if (this.interrupted) {
      this.interrupted = false;
      this.setStatus('recover', message);
    }
  }

  /** Copy the weights to plain arrays (after each epoch), for `recover()`. */
  private async keepWeights(): Promise<void> {
    const values = await Promise.all(this.model.getWeights().map((w) => w.data()));
    this.kept = { epoch: this.epoch, values };
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.stopAfterBatch = 'reset';
    const r = this.running ?? Promise.resolve();
    return r.then(() => this.disposeModel());
  }

  /** Free the model and optimizer once (after a lost device they are gone until `recover()`). */
  private disposeModel(): void {
    if (!this.modelLive) return;
    this.modelLive = false;
    this.model.dispose();
    this.optimizer.dispose();
  }

  private run(maxBatches: number): Promise<void> {
    const body = async () => {
      let n = 0;
      try {
        while (n < maxBatches && this.epoch < this.opts.config.epochs) {
          await this.trainBatch();
          n++;
          if (this.batch === this.batchesPerEpoch) {
            await this.endEpoch();
            await this.keepWeights();
          }
          if (this.stopAfterBatch) break;
          if (n < maxBatches) await (this.opts.yieldFn ?? defaultYield)();
          if (this.stopAfterBatch) break;
        }
        const stop = this.stopAfterBatch;
        this.stopAfterBatch = null;
        if (this.disposed || stop === 'reset') return;
        if (this.epoch >= this.opts.config.epochs) this.setStatus('finish');
        else this.setStatus(stop === 'pause' ? 'pause' : 'step-done');
      } catch (e) {
        this.stopAfterBatch = null;
        this.stepFailed = true;
        this.setStatus('fail', (this.opts.describeError ?? describeTrainingError)(e));
      } finally {
        this.running = null;
      }
    };
    this.running = body();
    return this.running;
  }

  /** One step inside the GPU error scopes; its numbers count only once the scopes came back clean. */
  private async trainBatch(): Promise<void> {
    const t0 = performance.now();
    const { data, config } = this.opts;
    const start = this.batch * config.batchSize;
    const idx = this.order.slice(start, Math.min(start + config.batchSize, data.train.size));
    const labels = Int32Array.from(idx, (i) => data.train.labels[i]);
    const { lossNum, predV } = await withGpuErrorScopes(currentGpuDevice(), () => this.minimizeBatch(idx, labels));
    if (!Number.isFinite(lossNum)) throw new Error(`The loss became ${lossNum} at step ${this.step + 1}: lower the learning rate.`);
    this.epochLoss += lossNum * idx.length;
    this.epochRight += accuracy(predV, labels) * idx.length;
    this.epochSeen += idx.length;
    this.batch++;
    this.step++;
    this.opts.callbacks?.onBatch?.({
      epoch: this.epoch,
      batch: this.batch - 1,
      batchesPerEpoch: this.batchesPerEpoch,
      step: this.step,
      loss: lossNum,
      msPerStep: performance.now() - t0,
    });
  }

  /** Upload the batch `idx`, take one optimizer step, read back its loss and predictions. */
  private async minimizeBatch(idx: number[], labels: Int32Array): Promise<{ lossNum: number; predV: tf.TypedArray }> {
    const { data } = this.opts;
    const buf = this.batchBuffer(data.train, idx, this.cropRng, augmenter(this.opts.config.augment ?? 'none', data.numFrames, data.height, data.width, this.augmentRng));
    const xs = this.framesTensor(buf, idx.length);
    let inputs: tf.Tensor[] = [];
    let ys: tf.Tensor | null = null;
    let loss: tf.Scalar | null = null;
    let pred: tf.Tensor | null = null;
    try {
      const ready = await this.readyInputs(buf, idx.length);
      inputs = tf.tidy(() => this.makeInputs(xs, ready()));
      ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), this.numClasses));
      const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
      // Weight decay: λ·Σ w² over the kernels (rank ≥ 2: conv, dense, recurrent), not biases or BN.
      const decay = this.opts.config.weightDecay ?? 0;
      const kernels = decay > 0 ? vars.filter((v) => v.rank >= 2) : [];
      const model = this.model;
      const y = ys;
      loss = withMathRandom(this.dropRng, () =>
        this.optimizer.minimize(
          () => {
            const out = model.apply(inputs.length === 1 ? inputs[0] : inputs, { training: true }) as tf.Tensor;
            pred = tf.keep(out.argMax(-1));
            const ce = tf.metrics.categoricalCrossentropy(y, out).mean() as tf.Scalar;
            return kernels.length ? ce.add(tf.addN(kernels.map((k) => k.square().sum())).mul(decay)) : ce;
          },
          true,
          vars,
        ),
      );
      if (!loss) throw new Error('The optimizer returned no loss.');
      const [lossV, predV] = await Promise.all([loss.data(), (pred as tf.Tensor | null)!.data()]);
      return { lossNum: lossV[0], predV };
    } finally {
      tf.dispose([xs, ...inputs]);
      if (ys) ys.dispose();
      if (loss) (loss as tf.Scalar).dispose();
      if (pred) (pred as tf.Tensor).dispose();
    }
  }

  private async endEpoch(): Promise<void> {
    const { data } = this.opts;
    const probs = await this.predictSet(data.val);
    const pred = argmaxRows(probs, this.numClasses);
    this.epoch++;
    const p: EpochProgress = {
      epoch: this.epoch,
      trainLoss: this.epochLoss / Math.max(1, this.epochSeen),
      trainAcc: this.epochRight / Math.max(1, this.epochSeen),
      valLoss: crossEntropy(probs, data.val.labels, this.numClasses),
      valAcc: accuracy(pred, data.val.labels),
    };
    this.batch = 0;
    this.resetEpochStats();
    this.order = permutation(data.train.size, this.orderRng);
    this.opts.callbacks?.onEpoch?.(p);
  }

  /** Frames of the examples `idx` as one CPU block [B, T, H, W, 3]. */
  private batchBuffer(set: ExampleSet, idx: readonly number[], rng: Rng, transform?: (buf: Float32Array, offset: number, i: number) => void): Float32Array {
    const { numFrames: T, height: H, width: W } = this.opts.data;
    const per = T * H * W * 3;
    const buf = new Float32Array(idx.length * per);
    idx.forEach((i, j) => {
      set.fill(i, buf, j * per, rng);
      transform?.(buf, j * per, i);
    });
    return buf;
  }

  private framesTensor(buf: Float32Array, b: number): tf.Tensor5D {
    const { numFrames: T, height: H, width: W } = this.opts.data;
    return tf.tensor5d(buf, [b, T, H, W, 3]);
  }

  /**
   * Inputs that come from the flow store rather than from the batch's frames: two-stream's flow
   * stacks. Returns a function that uploads them (call it inside the tidy that makes the inputs).
   */
  private async readyInputs(buf: Float32Array, b: number): Promise<() => ReadyInputs | undefined> {
    if (this.numFlows === 0) return () => undefined;
    const { numFrames: T, height: H, width: W } = this.opts.data;
    const L = this.numFlows;
    const flow = await (this.opts.flowStore ?? flowStore).stacks({ data: buf, numFrames: b * T, height: H, width: W }, b, L); // [B, L, H, W, 2]
    return () => ({ flow: tf.tensor5d(flow, [b, L, H, W, 2]) });
  }

  /**
   * Class probabilities [N, K] for every example of a set, in inference mode. `transform` may
   * rewrite each example's frames in the batch buffer first (the temporal-order tests).
   */
  async predictSet(set: ExampleSet, transform?: (buf: Float32Array, offset: number, i: number) => void): Promise<Float32Array> {
    const K = this.numClasses;
    const out = new Float32Array(set.size * K);
    const B = Math.max(1, this.opts.config.batchSize);
    const rng = mulberry32(deriveSeed(this.opts.config.seed, 'eval'));
    for (let s = 0; s < set.size; s += B) {
      const idx = Array.from({ length: Math.min(B, set.size - s) }, (_, j) => s + j);
      out.set(await this.predictBatch(this.batchBuffer(set, idx, rng, transform), idx.length), s * K);
    }
    return out;
  }

  /** Probabilities [N, K] for N clips [N, T, H, W, 3] held in a CPU buffer (flow from the store). */
  async predictBatch(buf: Float32Array, n: number): Promise<Float32Array> {
    const ready = await this.readyInputs(buf, n);
    const xs = this.framesTensor(buf, n);
    let inputs: tf.Tensor[] = [];
    let y: tf.Tensor | null = null;
    try {
      inputs = tf.tidy(() => this.makeInputs(xs, ready()));
      y = this.model.predict(inputs.length === 1 ? inputs[0] : inputs) as tf.Tensor;
      return (await y.data()) as Float32Array;
    } finally {
      tf.dispose([xs, ...inputs]);
      y?.dispose();
    }
  }
}
