// The MP4 fast path's demuxer: find the index (moov) of an MP4 without reading the rest of the
// file, parse it with mp4box, and return the video track's sample table and decoder setup, or
// the reason this path does not cover the file (the caller then seeks a <video> as before).
// No DOM: bytes come through a `read(offset, length)` callback (Blob.slice on the page, a Buffer
// in the unit tests).
//
//   top-level boxes ─16-byte header reads─▶ ftyp, moov (often at the end: cameras and ffmpeg
//                                           without +faststart write it last)
//   ftyp + moov ─mp4box─▶ video track: codec string, avcC/hvcC bytes, samples (dts, cts, sync,
//                         offset, size), edit list, matrix, pixel aspect, colour
//
// Refused here (reason given): no moov (truncated), fragmented files (samples live in moof
// boxes), not exactly one video track, several sample descriptions, a rotation/flip matrix,
// non-square pixels, codecs other than H.264 / HEVC / VP9 / AV1.

import { createFile, MP4BoxBuffer, type Movie, type Track } from 'mp4box';
import type { EditEntry, Mp4Sample } from './mp4-index';
import { errorText } from '../lib/errors';

/** Read `length` bytes at `offset` (fewer at the end of the file). */
export type ReadBytes = (offset: number, length: number) => Promise<Uint8Array>;

export interface Mp4VideoTrack {
  /** RFC 6381 codec string, as VideoDecoder wants it: avc1.64001f, vp09.00.10.08, av01.… */
  codec: string;
  codedWidth: number;
  codedHeight: number;
  /** The decoder configuration record (avcC / hvcC payload), as VideoDecoderConfig.description. */
  description?: Uint8Array;
  /** Colour signalled by the container (colr nclx), passed on as the <video> would use it. */
  colorSpace?: VideoColorSpaceInit;
  /** Track ticks per second. */
  timescale: number;
  /** Movie ticks per second (edit-list segment durations count in these). */
  movieTimescale: number;
  /** Decode order. */
  samples: Mp4Sample[];
  edits?: EditEntry[];
}

export type DemuxResult = { ok: true; track: Mp4VideoTrack } | { ok: false; reason: string };

/** Largest index this path will read (an index this big belongs to a file hours long at a high rate). */
const MAX_MOOV_BYTES = 256 * 2 ** 20;
/** Top-level boxes walked before giving up on finding the index. */
const MAX_TOP_LEVEL_BOXES = 10_000;

interface BoxAt {
  type: string;
  offset: number;
  size: number;
}

/** The top-level boxes up to and including moov (each a 16-byte header read), or a reason. */
async function findTopLevelBoxes(read: ReadBytes, fileSize: number): Promise<BoxAt[] | string> {
  const boxes: BoxAt[] = [];
  let offset = 0;
  for (let i = 0; i < MAX_TOP_LEVEL_BOXES && offset + 8 <= fileSize; i++) {
    const h = await read(offset, 16);
    if (h.length < 8) break;
    const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
    let size = dv.getUint32(0);
    const type = String.fromCharCode(h[4], h[5], h[6], h[7]);
    if (size === 1) {
      if (h.length < 16) return 'a box header is cut off';
      size = Number(dv.getBigUint64(8));
    } else if (size === 0) size = fileSize - offset; // the last box runs to the end of the file
    if (size < 8) return `a ${JSON.stringify(type)} box has an impossible size`;
    boxes.push({ type, offset, size });
    if (type === 'moov') return boxes;
    if (type === 'moof') return 'fragmented MP4 (moof before moov)';
    offset += size;
  }
  return 'no moov box (truncated file?)';
}

/**
 * Rename user-data boxes (udta) in moov and its tracks to 'free', in place: this path needs none
 * of them, and mp4box logs an error (console.error) for QuickTime metadata keys like '©swr'.
 */
function hideUserData(b: Uint8Array, start: number, end: number): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const walk = (from: number, to: number) => {
    for (let at = from; at + 8 <= to; ) {
      const size = dv.getUint32(at);
      const type = String.fromCharCode(b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
      if (size < 8 || at + size > to) return; // 64-bit or odd sizes: leave the rest to mp4box
      if (type === 'udta') b.set([0x66, 0x72, 0x65, 0x65], at + 4);
      else if (type === 'moov' || type === 'trak') walk(at + 8, at + size);
      at += size;
    }
  };
  walk(start, end);
}

const identity = (m: ArrayLike<number>) => m[0] === 0x10000 && m[1] === 0 && m[3] === 0 && m[4] === 0x10000;

/** ISO/IEC 23091-2 code points → WebCodecs names (2: unspecified). Others (BT.2020, PQ, HLG) are refused: HDR is not on the fast path. */
const PRIMARIES: Record<number, VideoColorPrimaries | null> = { 1: 'bt709', 2: null, 5: 'bt470bg', 6: 'smpte170m' };
const TRANSFER: Record<number, VideoTransferCharacteristics | null> = { 1: 'bt709', 2: null, 6: 'smpte170m', 13: 'iec61966-2-1' };
const MATRIX: Record<number, VideoMatrixCoefficients | null> = { 0: 'rgb', 1: 'bt709', 2: null, 5: 'bt470bg', 6: 'smpte170m' };

/** Read the index of an MP4 and describe its video track for WebCodecs, reading only ftyp + moov. */
export async function readMp4VideoTrack(read: ReadBytes, fileSize: number): Promise<DemuxResult> {
  const no = (reason: string): DemuxResult => ({ ok: false, reason });
  const boxes = await findTopLevelBoxes(read, fileSize);
  if (typeof boxes === 'string') return no(boxes);
  const ftyp = boxes.find((b) => b.type === 'ftyp');
  const moov = boxes[boxes.length - 1];
  if (!ftyp) return no('no ftyp box');
  if (moov.size > MAX_MOOV_BYTES) return no(`the index is ${Math.round(moov.size / 2 ** 20)} MiB`);
  if (moov.offset + moov.size > fileSize) return no('the moov box is cut off (truncated file?)');

  // mp4box wants ftyp first; give it ftyp then moov as one buffer. Sample offsets come from the
  // chunk offset table (absolute file positions), so the gap between them does not matter.
  const [ftypBytes, moovBytes] = await Promise.all([read(ftyp.offset, ftyp.size), read(moov.offset, moov.size)]);
  const buf = new Uint8Array(ftypBytes.length + moovBytes.length);
  buf.set(ftypBytes, 0);
  buf.set(moovBytes, ftypBytes.length);
  hideUserData(buf, ftypBytes.length, buf.length);
  const file = createFile();
  let info: Movie | null = null;
  let parseError: string | null = null;
  file.onReady = (m) => (info = m);
  file.onError = (module, msg) => (parseError = `${module}: ${msg}`);
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(buf.buffer, 0));
    file.flush();
  } catch (e) {
    return no(`mp4box could not parse the index: ${errorText(e)}`);
  }
  const movie = info as Movie | null;
  if (!movie) return no(parseError ?? 'mp4box found no complete moov');
  if (movie.isFragmented) return no('fragmented MP4');
  if (movie.videoTracks.length !== 1) return no(`${movie.videoTracks.length} video tracks`);
  const t: Track = movie.videoTracks[0];
  if (!identity(t.matrix)) return no('the track has a rotation or flip matrix');
  const trak = file.getTrackById(t.id);
  const entries = trak?.mdia?.minf?.stbl?.stsd?.entries ?? [];
  if (entries.length !== 1) return no(`${entries.length} sample descriptions`);
  const entry = entries[0] as (typeof entries)[number] & {
    width?: number;
    height?: number;
    avcC?: { start?: number; size: number; hdr_size?: number };
    hvcC?: { start?: number; size: number; hdr_size?: number };
    pasp?: { hSpacing: number; vSpacing: number };
    colr?: { colour_type: string; colour_primaries: number; transfer_characteristics: number; matrix_coefficients: number; full_range_flag: number };
  };
  const codec = t.codec;
  if (!/^(avc[13]|hvc1|hev1|vp09|av01)\./.test(codec)) return no(`codec ${codec} is not on the fast path`);
  if (entry.pasp && entry.pasp.hSpacing !== entry.pasp.vSpacing) return no('non-square pixels');
  const samples = trak.samples ?? [];
  if (samples.length === 0 || samples.length !== t.nb_samples) return no('no sample table');

  // The configuration record exactly as stored: its payload after the 8-byte box header.
  const record = entry.avcC ?? entry.hvcC;
  let description: Uint8Array | undefined;
  if (record) {
    const start = (record.start ?? -1) + (record.hdr_size ?? 8);
    if (!(record.start! >= 0) || start > buf.length || record.start! + record.size > buf.length) return no('cannot locate the decoder configuration record');
    description = buf.slice(start, record.start! + record.size);
  } else if (/^(avc1|hvc1)/.test(codec)) return no('no decoder configuration record');

  let colorSpace: VideoColorSpaceInit | undefined;
  const colr = entry.colr;
  if (colr && (colr.colour_type === 'nclx' || colr.colour_type === 'nclc')) {
    const [primaries, transfer, matrix] = [PRIMARIES[colr.colour_primaries], TRANSFER[colr.transfer_characteristics], MATRIX[colr.matrix_coefficients]];
    if (primaries === undefined || transfer === undefined || matrix === undefined) return no(`colour (${colr.colour_primaries}/${colr.transfer_characteristics}/${colr.matrix_coefficients}) is not on the fast path`);
    colorSpace = { primaries, transfer, matrix, fullRange: colr.full_range_flag === 1 };
  }

  const rows: Mp4Sample[] = samples.map((s) => ({ dts: s.dts, cts: s.cts, duration: s.duration, isSync: s.is_sync, offset: s.offset, size: s.size }));
  const last = rows[rows.length - 1];
  if (rows.some((s) => !(s.size > 0)) || last.offset + last.size > fileSize || rows.some((s) => s.offset + s.size > fileSize)) return no('sample data lies past the end of the file (truncated?)');
  const edits = t.edits?.map((e) => ({ segmentDuration: e.segment_duration, mediaTime: e.media_time, mediaRate: e.media_rate_integer + e.media_rate_fraction / 65536 }));
  return {
    ok: true,
    track: { codec, codedWidth: entry.width ?? t.video?.width ?? 0, codedHeight: entry.height ?? t.video?.height ?? 0, description, colorSpace, timescale: t.timescale, movieTimescale: movie.timescale, samples: rows, edits },
  };
}
