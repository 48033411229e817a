// The one page-side module that talks to the tfjs worker. Everything else on the page calls
// `client.request(name, args)` and gets a typed promise back; events go to subscribers.
// `WorkerClient` is generic over a protocol (worker/rpc.ts): `client` is the app's; the
// benchmark page makes one for its own worker (src/bench/bench-entry.ts).
//
// Faults:
// - every request has a time limit (per request kind, `timeouts`); past it the promise fails
//   with RequestTimeoutError naming the request, and a late reply is ignored;
// - `watch()` detects a dead worker: an error event after it answered once, or silence (no
//   message of any kind, heartbeat pings included) for `deadAfterMs`. Then the worker is
//   terminated, every pending request fails with WorkerGoneError and `onDead` is told, so the
//   app can start a new one (runtime/runtime-actions.ts). A terminated worker sends nothing, so
//   silence is the only sign a crash leaves.
//
// If the worker cannot start at all (no module-worker support, the script failed to load, it
// crashed during init), `startMainThread()` runs the same core on the page's main thread with
// the CPU backend: slow and it blocks the page during steps, but it works.

import type { Requests, WorkerEvent } from '../worker/protocol';
import type { Post, ReplyMessage, RequestMap, RequestMessage, WorkerCore } from '../worker/rpc';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> | undefined };

export class WorkerGoneError extends Error {}
export class RequestTimeoutError extends Error {}

export interface ClientOptions<R> {
  /** Milliseconds a request of each kind may take (others: `defaultTimeoutMs`; neither: no limit). */
  timeouts?: Partial<Record<keyof R, number>>;
  defaultTimeoutMs?: number;
}

export interface WorkerWatch {
  /** Sends a request the worker answers at once (a heartbeat). */
  ping: () => Promise<unknown>;
  everyMs: number;
  /** Silence this long (no reply, no event) means the worker is dead. */
  deadAfterMs: number;
  onDead: (reason: string) => void;
}

export class WorkerClient<R extends RequestMap<R>, E> {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(e: E) => void>();
  private send: ((msg: RequestMessage<R>, transfer: Transferable[]) => void) | null = null;
  private worker: Worker | null = null;
  private watchOpts: WorkerWatch | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  /** The current worker has sent at least one message (it loaded and runs). */
  private answered = false;
  private pinging = false;
  thread: 'worker' | 'main' | null = null;

  /** `spawn` starts the module worker; `loadCore` loads the same core to run on this thread. */
  constructor(
    private readonly spawn: () => Worker,
    private readonly loadCore: () => Promise<(post: Post<E>, thread: 'main') => WorkerCore<R>>,
    private readonly options: ClientOptions<R> = {},
  ) {}

  /** Start the module worker (requests fail with WorkerGoneError if it fails to load). */
  startWorker(): void {
    if (this.worker) this.stop();
    const worker = this.spawn();
    worker.onmessage = (e: MessageEvent<ReplyMessage<E>>) => {
      if (this.worker !== worker) return;
      this.heard();
      this.receive(e.data);
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      if (this.worker !== worker) return;
      if (this.answered) this.declareDead(`it reported an error: ${e.message || 'no message'}`);
      else {
        this.stopWorker();
        this.failAll(`The tfjs worker stopped: ${e.message || 'it could not be loaded'}`);
      }
    };
    worker.onmessageerror = () => this.failAll('A message from the tfjs worker could not be read.');
    this.worker = worker;
    this.thread = 'worker';
    this.answered = false;
    this.lastHeard = Date.now();
    this.send = (msg, transfer) => worker.postMessage(msg, transfer);
    if (this.watchOpts) this.startWatchTimer(this.watchOpts);
  }

  /** Watch the worker for death (see the file comment); applies to this and later workers. */
  watch(opts: WorkerWatch): void {
    this.watchOpts = opts;
    if (this.worker) this.startWatchTimer(opts);
  }

  /** Run the worker's core on this thread instead (CPU only). */
  async startMainThread(): Promise<void> {
    this.stop();
    const createCore = await this.loadCore();
    const core = createCore((msg) => queueMicrotask(() => this.receive(msg)), 'main');
    this.thread = 'main';
    this.send = (msg) => queueMicrotask(() => void core(msg));
  }

  stop(): void {
    this.stopWorker();
    this.failAll('The tfjs worker was stopped.');
  }

  /**
   * For the fault tests (e2e/faults.spec.ts): end the worker the way a crash does, without
   * telling this client, so only its own detection (the heartbeat) can notice.
   */
  crashWorkerForTest(): void {
    this.worker?.terminate();
  }

  request<K extends keyof R>(name: K, args: R[K]['args'], transfer: Transferable[] = []): Promise<R[K]['result']> {
    const send = this.send;
    if (!send) return Promise.reject(new WorkerGoneError('The tfjs runtime is not running.'));
    const id = this.nextId++;
    const ms = this.options.timeouts?.[name] ?? this.options.defaultTimeoutMs;
    return new Promise<R[K]['result']>((resolve, reject) => {
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => {
              if (!this.pending.delete(id)) return;
              reject(new RequestTimeoutError(`The tfjs worker did not answer “${String(name)}” within ${ms / 1000} s.`));
            }, ms);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        send({ kind: 'request', id, name, args } as RequestMessage<R>, transfer);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  onEvent(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private heard(): void {
    this.lastHeard = Date.now();
    this.answered = true;
  }

  private startWatchTimer(opts: WorkerWatch): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = setInterval(() => {
      if (this.thread !== 'worker' || !this.worker) return;
      // Before its first message the worker may still be loading; init's time limit covers that.
      const silentMs = Date.now() - this.lastHeard;
      if (this.answered && silentMs >= opts.deadAfterMs) {
        this.declareDead(`it did not answer for ${Math.round(silentMs / 1000)} s`);
        return;
      }
      if (this.pinging) return;
      this.pinging = true;
      opts
        .ping()
        .catch(() => undefined) // a late or lost ping is judged by the silence above
        .finally(() => (this.pinging = false));
    }, opts.everyMs);
  }

  private stopWorker(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    this.worker?.terminate();
    this.worker = null;
    this.send = null;
    this.pinging = false;
  }

  private declareDead(reason: string): void {
    this.stopWorker();
    this.failAll(`The tfjs worker stopped: ${reason}.`);
    this.watchOpts?.onDead(reason);
  }

  private receive(msg: ReplyMessage<E>): void {
    if (msg.kind === 'event') {
      for (const l of this.listeners) l(msg.event);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  }

  private failAll(reason: string): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(new WorkerGoneError(reason));
    }
  }
}

/**
 * How long each request may take. Training requests answer at once (progress comes as
 * events); data, flow, evaluation and the checks compute before they answer, on SwiftShader
 * for minutes.
 */
const APP_TIMEOUTS: Partial<Record<keyof Requests, number>> = {
  init: 120_000,
  ping: 10_000,
  describe: 30_000,
  'put-frames': 30_000,
  'drop-frames': 30_000,
  'train-budget': 30_000,
  'train-memory': 30_000,
  'gpu-fault': 30_000,
  'dataset-preview': 60_000,
  'train-start': 120_000,
  'train-control': 120_000,
  'dataset-make': 180_000,
  flow: 180_000,
  'train-infer': 180_000,
  'train-evaluate': 300_000,
  'train-step-check': 600_000,
  'gradient-parity': 900_000,
  'export-pytorch': 180_000,
};

/** The app's single client. */
export const client = new WorkerClient<Requests, WorkerEvent>(
  () => new Worker(new URL('../worker/app.worker.ts', import.meta.url), { type: 'module', name: 'clipscope-tfjs' }),
  async () => (await import('../worker/worker-core')).createWorkerCore,
  { timeouts: APP_TIMEOUTS, defaultTimeoutMs: 60_000 },
);
