/// <reference lib="webworker" />
// The MP4 index worker: reads and vets one file's index off the main thread (data/mp4-demux.ts),
// so a huge or hostile index never stalls the page. The page (data/mp4-probe.ts) starts one per
// file and ends it after its reply or a timeout.
//
//   { blob } ─readMp4Index (Blob.slice: box headers, ftyp, moov)─▶ IndexReply, the fast path's
//            sample table packed in typed arrays and transferred

import { readMp4Index, type Mp4Index } from './mp4-demux';
import { packSamples, type PackedSamples } from './mp4-index';
import { errorText } from '../lib/errors';

/** What the worker posts back: the index (its sample table moved to `packed`), or an unexpected failure. */
export type IndexReply = { index: Mp4Index; packed: PackedSamples | null } | { failed: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (e: MessageEvent<{ blob: Blob }>) => {
  const { blob } = e.data;
  const read = async (offset: number, length: number) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
  let reply: IndexReply;
  try {
    const index = await readMp4Index(read, blob.size);
    if (index.ok && index.fast.ok) {
      const packed = packSamples(index.fast.track.samples);
      reply = { index: { ...index, fast: { ok: true, track: { ...index.fast.track, samples: [] } } }, packed };
      scope.postMessage(reply, Object.values(packed).map((a: Float64Array | Uint8Array) => a.buffer as ArrayBuffer));
      return;
    }
    reply = { index, packed: null };
  } catch (err) {
    reply = { failed: errorText(err) };
  }
  scope.postMessage(reply);
};
