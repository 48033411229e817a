// The message shapes and the message loop shared by every tfjs worker (the app's, protocol.ts;
// the benchmark page's, src/bench/bench-protocol.ts), generic over a protocol's request map.
//
// A request map names each request's {args, result}; every request carries an id and gets
// exactly one reply. Events flow worker → page without a request. Only plain data crosses:
// numbers, strings, typed arrays (transferred, never copied twice).
//
//   page: client.request(name, args) ─▶ {kind:'request', id, name, args} ─▶ core: handlers[name](args, ctx)
//   page: the promise resolves      ◀─ {kind:'reply', id, ok, result | error} ◀┘
//   page: onEvent listeners         ◀─ {kind:'event', event} ◀─ ctx.emit(event)

import { errorText } from '../lib/errors';

/** Every entry of a request map is {args, result}. */
export type RequestMap<R> = { [K in keyof R]: { args: unknown; result: unknown } };

export type RequestMessage<R extends RequestMap<R>> = {
  [K in keyof R]: { kind: 'request'; id: number; name: K; args: R[K]['args'] };
}[keyof R];

export type ReplyMessage<E> =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: string }
  | { kind: 'event'; event: E };

export interface HandlerContextOf<E> {
  /** Send an event to the page. */
  emit(event: E): void;
  /** Where this core runs: a real worker, or the page's main thread (last-resort CPU path). */
  thread: 'worker' | 'main';
}

/** The handler table of a protocol: one async function per request. */
export type HandlersOf<R extends RequestMap<R>, E> = {
  [K in keyof R]: (args: R[K]['args'], ctx: HandlerContextOf<E>) => Promise<R[K]['result']>;
};

/** Post a message to the page (transferring the listed buffers). */
export type Post<E> = (msg: ReplyMessage<E>, transfer?: Transferable[]) => void;

/** A worker's message loop, independent of how messages arrive (a module Worker or the page's main thread). */
export type WorkerCore<R extends RequestMap<R>> = (msg: RequestMessage<R>) => Promise<void>;

export function createCore<R extends RequestMap<R>, E>(handlers: HandlersOf<R, E>, post: Post<E>, thread: HandlerContextOf<E>['thread']): WorkerCore<R> {
  const ctx: HandlerContextOf<E> = { emit: (event) => post({ kind: 'event', event }), thread };
  return async function onMessage(msg) {
    const handler = handlers[msg.name] as (args: unknown, ctx: HandlerContextOf<E>) => Promise<unknown>;
    try {
      if (!handler) throw new Error(`This worker has no request "${String(msg.name)}".`);
      const result = await handler(msg.args, ctx);
      post({ kind: 'reply', id: msg.id, ok: true, result }, transferablesOf(result));
    } catch (e) {
      post({ kind: 'reply', id: msg.id, ok: false, error: errorText(e) });
    }
  };
}

/** Typed-array buffers found at the top level of a result, to transfer instead of copy. */
function transferablesOf(result: unknown): Transferable[] {
  if (!result || typeof result !== 'object') return [];
  const out: Transferable[] = [];
  for (const v of Object.values(result)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.push(v.buffer);
  return out;
}
