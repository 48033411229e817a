// What is this file? The box structure of an MP4 (ISO-BMFF, also MOV), read with caps tied to the
// file's size, so that an untrusted file cannot make us read or allocate more than its bytes
// justify. Pure: bytes come through a `read(offset, length)` callback (Blob.slice in the index
// worker, a Buffer or a virtual file in the unit tests).
//
//   top level ─walkTopLevel: one 16-byte header read per box (32-bit size, type, 64-bit
//              largesize, size 0 = to the end of the file), then a hop to the next─▶
//              every box in file order; the box the file is cut inside (it claims more bytes
//              than the file has); where the structure breaks (bytes that are no box)
//   moov bytes ─checkIndex: the box tree of moov, each child inside its parent, each table's
//              entries inside its box, sample counts the file's bytes could hold─▶
//              the tracks (handler, sample count, sample-entry four-CCs, where each sits),
//              or why the index cannot be trusted
//
// Nothing here reads media data: a file of any length costs a few header reads and its index.

import { formatBytes } from '../lib/format';

/** Read `length` bytes at `offset` (fewer at the end of the file). */
export type ReadBytes = (offset: number, length: number) => Promise<Uint8Array>;

/** Largest index (moov) read; an honest one this big lists millions of samples (many hours). */
export const MAX_MOOV_BYTES = 64 * 2 ** 20;
/** Top-level boxes walked before giving up (a fragmented hour at one fragment a second is 7,200). */
const MAX_TOP_LEVEL_BOXES = 100_000;
/** Most video samples (frames) indexed: 1,000,000 is over 9 hours at 30 fps. */
export const MAX_VIDEO_SAMPLES = 1_000_000;

interface BoxAt {
  type: string;
  /** File offset of the box header. */
  offset: number;
  /** Whole box, header included (as claimed: may run past the end of a cut file). */
  size: number;
}

interface TopLevel {
  /** Every top-level box whose header was read, in file order (the cut box last, if any). */
  boxes: BoxAt[];
  /** The box the file ends inside: it claims more bytes than the file has. */
  cut: BoxAt | null;
  /** Where the walk found bytes that are no box header, and what they were. */
  broken: { offset: number; reason: string } | null;
}

const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const fourcc = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
/** Box types are four printable characters (QuickTime's '©xyz' keys live inside udta, never at the top). */
const printable = (t: string) => /^[\x20-\x7e]{4}$/.test(t);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A box header at `at` in `b` (bounded by `end`): its size (size 0 → to `end`) and header length, or null if cut off. */
function header(b: Uint8Array, at: number, end: number): { size: number; type: string; headerBytes: number } | null {
  if (at + 8 > b.length) return null;
  const type = fourcc(b, at + 4);
  const small = u32(b, at);
  if (small === 1) {
    if (at + 16 > b.length) return null;
    // 64-bit largesize; beyond 2^53 it is no real file (Number keeps it huge, so it reads as cut).
    return { size: u32(b, at + 8) * 2 ** 32 + u32(b, at + 12), type, headerBytes: 16 };
  }
  return { size: small === 0 ? end - at : small, type, headerBytes: 8 };
}

/** Walk the file's top-level boxes, one header read each. Never reads a box's contents. */
export async function walkTopLevel(read: ReadBytes, fileSize: number): Promise<TopLevel> {
  const boxes: BoxAt[] = [];
  const stop = (offset: number, reason: string): TopLevel => ({ boxes, cut: null, broken: { offset, reason } });
  let offset = 0;
  while (offset < fileSize) {
    if (boxes.length >= MAX_TOP_LEVEL_BOXES) return stop(offset, `more than ${plural(MAX_TOP_LEVEL_BOXES, 'top-level box', 'top-level boxes')}`);
    const h = await read(offset, 16);
    // `header` reads the largesize relative to this 16-byte window; size 0 runs to the end of the file.
    const box = header(h, 0, fileSize - offset);
    if (!box) return stop(offset, `a box header cut off after ${plural(fileSize - offset, 'byte')}`);
    if (!printable(box.type)) return stop(offset, 'bytes that are not a box');
    if (box.size < box.headerBytes) return stop(offset, `a “${box.type}” box with an impossible size (${box.size} bytes)`);
    const at: BoxAt = { type: box.type, offset, size: box.size };
    boxes.push(at);
    if (box.size > fileSize - offset) return { boxes, cut: at, broken: null };
    offset += box.size;
  }
  return { boxes, cut: null, broken: null };
}

/** How much of a cut file is left: "is cut at 61% (12.3 MiB of 20.1 MiB)" (bytes in it, of the bytes its boxes claim). */
export function cutWords(readableBytes: number, claimedBytes: number): string {
  return `is cut at ${Math.floor((100 * readableBytes) / claimedBytes)}% (${formatBytes(readableBytes)} of ${formatBytes(claimedBytes)})`;
}

export interface TrakAt {
  /** Offset of the trak box inside the moov bytes, and its size. */
  offset: number;
  size: number;
  /** hdlr handler type: 'vide', 'soun', 'text', … ('' when absent). */
  handler: string;
  /** Samples the track lists (stsz / stz2 sample count). */
  sampleCount: number;
  /** The four-CCs of its sample descriptions (stsd entries): avc1, hvc1, mp4a, … */
  entries: string[];
}

/** Boxes of moov's tree that hold other boxes (udta and meta are skipped: this path needs nothing there). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'mvex']);
/** Tables of fixed-size entries: bytes per entry (after a 4-byte version/flags and a 4-byte count). */
const TABLE_ENTRY: Record<string, (version: number) => number> = {
  stts: () => 8,
  ctts: () => 8,
  stsc: () => 12,
  stco: () => 4,
  co64: () => 8,
  stss: () => 4,
  stps: () => 4,
  elst: (v) => (v === 1 ? 20 : 12),
};

/**
 * Check an index (the moov box's bytes, header included) before any parser sees it: every box
 * inside its parent, every table's entries inside its box, each track's sample count at most
 * `fileBytes` (a sample is at least one byte of the file; for a cut file, the bytes its boxes
 * claim) and, for video, at most MAX_VIDEO_SAMPLES. Returns the tracks, or why the index cannot
 * be trusted (words that follow "its index …"). Costs one pass over the box headers.
 */
export function checkIndex(moov: Uint8Array, fileBytes: number): TrakAt[] | string {
  const tracks: TrakAt[] = [];
  let problem: string | null = null;
  const fail = (why: string) => {
    problem ??= why;
  };
  let current: TrakAt | null = null;

  const leaf = (type: string, at: number, size: number, parent: string) => {
    const version = moov[at + 8];
    const need = (bytes: number, what: string) => {
      if (bytes > size) fail(`has a “${type}” box of ${plural(size, 'byte')} that claims ${what}`);
    };
    if (type === 'hdlr' && parent === 'mdia' && current) {
      // (QuickTime also puts a data-handler hdlr in minf: not the track's kind.)
      need(20, 'a handler');
      if (size >= 20) current.handler = fourcc(moov, at + 16);
    } else if (type in TABLE_ENTRY) {
      need(16, 'a table');
      if (size < 16) return;
      const n = u32(moov, at + 12);
      need(16 + n * TABLE_ENTRY[type](version), plural(n, 'entry', 'entries'));
    } else if (type === 'stsz' || type === 'stz2') {
      need(20, 'a sample table');
      if (size < 20 || !current) return;
      const n = u32(moov, at + 16);
      const bits = type === 'stsz' ? (u32(moov, at + 12) === 0 ? 32 : 0) : moov[at + 15];
      need(20 + Math.ceil((n * bits) / 8), plural(n, 'sample'));
      current.sampleCount = n;
    } else if (type === 'stsd' && current) {
      need(16, 'sample descriptions');
      if (size < 16) return;
      const n = u32(moov, at + 12);
      need(16 + 8 * n, plural(n, 'sample description'));
      for (let e = at + 16, k = 0; k < n && e + 8 <= at + size; k++) {
        const h = header(moov, e, at + size);
        if (!h || h.size < h.headerBytes || e + h.size > at + size) return fail(`has a sample description that runs past its “stsd” box`);
        current.entries.push(h.type);
        e += h.size;
      }
    }
  };

  // Depth-first over the containers, each child checked against its parent's end.
  const walk = (from: number, to: number, parent: string, depth: number) => {
    for (let at = from; at < to && problem === null; ) {
      const h = header(moov, at, to);
      if (!h || at + 8 > to) return fail(`has a box header cut off inside “${parent}”`);
      if (h.size < h.headerBytes) return fail(`has a “${h.type}” box with an impossible size (${h.size} bytes)`);
      if (h.size > to - at) return fail(`has a “${h.type}” box of ${plural(h.size, 'byte')} inside “${parent}”, which has only ${plural(to - at, 'byte')} left`);
      if (h.type === 'trak' && depth === 1) {
        current = { offset: at, size: h.size, handler: '', sampleCount: 0, entries: [] };
        tracks.push(current);
        walk(at + h.headerBytes, at + h.size, h.type, depth + 1);
        current = null;
      } else if (CONTAINERS.has(h.type) && depth < 8) walk(at + h.headerBytes, at + h.size, h.type, depth + 1);
      else leaf(h.type, at, h.size, parent);
      at += h.size;
    }
  };

  const top = header(moov, 0, moov.length);
  if (!top || top.type !== 'moov' || top.size !== moov.length) return 'is not one whole “moov” box';
  walk(top.headerBytes, moov.length, 'moov', 1);
  if (problem !== null) return problem;
  for (const t of tracks) {
    const kind = t.handler === 'vide' ? 'video' : t.handler === 'soun' ? 'audio' : `“${t.handler || '?'}”`;
    if (t.sampleCount > fileBytes) return `lists ${plural(t.sampleCount, 'sample')} in a ${kind} track, more than a file of ${plural(fileBytes, 'byte')} can hold`;
    if (t.handler === 'vide' && t.sampleCount > MAX_VIDEO_SAMPLES) return `lists ${plural(t.sampleCount, 'video frame')}, more than the ${MAX_VIDEO_SAMPLES.toLocaleString('en-US')} (over 9 hours at 30 fps) Clipscope reads`;
  }
  return tracks;
}

/**
 * Rename boxes of moov to 'free', in place, so a parser skips them: the tracks in `traks`
 * (offsets in `b`, as checkIndex gave them, shifted by `base`) and every user-data box (udta) of
 * moov and its tracks (this path needs none, and mp4box logs an error for QuickTime metadata keys
 * like '©swr'). Sizes are unchanged, so every other offset stays valid.
 */
export function hideBoxes(b: Uint8Array, base: number, traks: readonly TrakAt[]): void {
  const free = [0x66, 0x72, 0x65, 0x65];
  for (const t of traks) b.set(free, base + t.offset + 4);
  const walk = (from: number, to: number) => {
    for (let at = from; at + 8 <= to; ) {
      const size = u32(b, at);
      const type = fourcc(b, at + 4);
      if (size < 8 || at + size > to) return; // 64-bit or odd sizes: checkIndex vetted the tree; leave the rest
      if (type === 'udta') b.set(free, at + 4);
      else if (type === 'moov' || type === 'trak') walk(at + 8, at + size);
      at += size;
    }
  };
  walk(base, b.length);
}
