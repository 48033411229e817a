// The one page-side module that talks to the tfjs worker. Everything else on the page calls
// `client.request(name, args)` and gets a typed promise back; events go to subscribers.
// `WorkerClient` is generic over a protocol (worker/rpc.ts): `client` is the app's; the
// benchmark page makes one for its own worker (src/bench/bench-entry.ts).
//
// If the worker cannot start at all (no module-worker support, the script failed to load, it
// crashed during init), `startMainThread()` runs the same core on the page's main thread with
// the CPU backend: slow and it blocks the page during steps, but it works.

import type { Requests, WorkerEvent } from '../worker/protocol';
import type { Post, ReplyMessage, RequestMap, RequestMessage, WorkerCore } from '../worker/rpc';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerGoneError extends Error {}

export class WorkerClient<R extends RequestMap<R>, E> {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(e: E) => void>();
  private send: ((msg: RequestMessage<R>, transfer: Transferable[]) => void) | null = null;
  private worker: Worker | null = null;
  thread: 'worker' | 'main' | null = null;

  /** `spawn` starts the module worker; `loadCore` loads the same core to run on this thread. */
  constructor(
    private readonly spawn: () => Worker,
    private readonly loadCore: () => Promise<(post: Post<E>, thread: 'main') => WorkerCore<R>>,
  ) {}

  /** Start the module worker. Rejects if the worker fails to load. */
  startWorker(): void {
    const worker = this.spawn();
    worker.onmessage = (e: MessageEvent<ReplyMessage<E>>) => this.receive(e.data);
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      this.send = null;
      this.failAll(`The tfjs worker stopped: ${e.message || 'it could not be loaded'}`);
    };
    worker.onmessageerror = () => this.failAll('A message from the tfjs worker could not be read.');
    this.worker = worker;
    this.thread = 'worker';
    this.send = (msg, transfer) => worker.postMessage(msg, transfer);
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
    this.worker?.terminate();
    this.worker = null;
    this.send = null;
    this.failAll('The tfjs worker was stopped.');
  }

  request<K extends keyof R>(name: K, args: R[K]['args'], transfer: Transferable[] = []): Promise<R[K]['result']> {
    const send = this.send;
    if (!send) return Promise.reject(new WorkerGoneError('The tfjs runtime is not running.'));
    const id = this.nextId++;
    return new Promise<R[K]['result']>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        send({ kind: 'request', id, name, args } as RequestMessage<R>, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  onEvent(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(msg: ReplyMessage<E>): void {
    if (msg.kind === 'event') {
      for (const l of this.listeners) l(msg.event);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values()) p.reject(new WorkerGoneError(reason));
    this.pending.clear();
  }
}

/** The app's single client. */
export const client = new WorkerClient<Requests, WorkerEvent>(
  () => new Worker(new URL('../worker/app.worker.ts', import.meta.url), { type: 'module', name: 'clipscope-tfjs' }),
  async () => (await import('../worker/worker-core')).createWorkerCore,
);
