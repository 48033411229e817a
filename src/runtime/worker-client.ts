// The one page-side module that talks to the tfjs worker. Everything else on the page calls
// `client.request(name, args)` and gets a typed promise back; events go to subscribers.
//
// If the worker cannot start at all (no module-worker support, the script failed to load, it
// crashed during init), `startMainThread()` runs the same core on the page's main thread with
// the CPU backend: slow and it blocks the page during steps, but it works.

import type { ArgsOf, FromWorker, RequestName, ResultOf, ToWorker, WorkerEvent } from '../worker/protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class WorkerGoneError extends Error {}

export class TrainingClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<(e: WorkerEvent) => void>();
  private send: ((msg: ToWorker, transfer: Transferable[]) => void) | null = null;
  private worker: Worker | null = null;
  thread: 'worker' | 'main' | null = null;

  /** Start the module worker. Rejects if the worker fails to load. */
  startWorker(): void {
    const worker = new Worker(new URL('../worker/app.worker.ts', import.meta.url), { type: 'module', name: 'clipscope-tfjs' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
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
    const { createWorkerCore } = await import('../worker/worker-core');
    const core = createWorkerCore((msg) => queueMicrotask(() => this.receive(msg)), 'main');
    this.thread = 'main';
    this.send = (msg) => queueMicrotask(() => void core(msg));
  }

  stop(): void {
    this.worker?.terminate();
    this.worker = null;
    this.send = null;
    this.failAll('The tfjs worker was stopped.');
  }

  request<K extends RequestName>(name: K, args: ArgsOf<K>, transfer: Transferable[] = []): Promise<ResultOf<K>> {
    const send = this.send;
    if (!send) return Promise.reject(new WorkerGoneError('The tfjs runtime is not running.'));
    const id = this.nextId++;
    return new Promise<ResultOf<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        send({ kind: 'request', id, name, args } as ToWorker, transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  onEvent(listener: (e: WorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(msg: FromWorker): void {
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
export const client = new TrainingClient();
