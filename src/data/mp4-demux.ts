// The MP4 index, read off the main thread (data/mp4-index.worker.ts runs this): find the index
// (moov) anywhere in the file by walking its top-level boxes, refuse what cannot be played with a
// reason in words (no index, the index or the media cut off, an index that claims more than the
// file holds), and describe the video track for the WebCodecs fast path, or say why this path
// does not cover the file (the caller then seeks a <video> as before). No DOM: bytes come through
// a `read(offset, length)` callback (Blob.slice in the worker, a Buffer in the unit tests).
//
//   top-level boxes ─mp4-boxes: a 16-byte header read each─▶ ftyp, moov (at the start with
//                    +faststart, at the end as cameras, phones and plain ffmpeg write it), the
//                    box the file is cut inside
//   moov ─checkIndex (caps tied to the file size)─▶ tracks; all but the video tracks hidden
//   ftyp + moov ─mp4box─▶ video track: codec string, avcC/hvcC bytes, samples (dts, cts, sync,
//                         offset, size), edit list, matrix, pixel aspect, colour
//   a cut file ─▶ the frames whose bytes are in the file: the clip is sampled up to there
//
// Not on the fast path (reason given): fragmented files (samples live in moof boxes), not exactly
// one video track, several sample descriptions, a rotation/flip matrix, non-square pixels, codecs
// other than H.264 / HEVC / VP9 / AV1.

import { createFile, MP4BoxBuffer, type ISOFile, type Movie, type Track } from 'mp4box';
import { checkIndex, cutWords, hideBoxes, MAX_MOOV_BYTES, walkTopLevel, type ReadBytes, type TrakAt } from './mp4-boxes';
import { presentationShift, type EditEntry, type Mp4Sample } from './mp4-index';
import { formatBytes } from '../lib/format';
import { errorText } from '../lib/errors';

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
  /** Decode order; for a cut file, only the samples whose bytes are in it. */
  samples: Mp4Sample[];
  edits?: EditEntry[];
}

export type DemuxResult = { ok: true; track: Mp4VideoTrack } | { ok: false; reason: string };

/** A file cut inside its media data whose index survived: what of it is left. */
export interface Mp4Cut {
  /** Bytes in the file, and bytes its boxes claim (its length before it was cut). */
  readableBytes: number;
  claimedBytes: number;
  /**
   * Bytes up to the end of the last whole video frame. The <video> gets only these: past them it
   * would read a frame (or audio packet) cut in two, fail to decode it, and stop for good.
   */
  playableBytes: number;
  /** Every video frame presented before this instant has its bytes in the file, s. */
  readableS: number;
  /** The clip's duration had it not been cut, s. */
  durationS: number;
}

/**
 * What the index says: a refusal (words that finish the sentence "“name” …"), or the video
 * tracks' sample-entry four-CCs (they name the codec), what is left of a cut file, and the fast
 * path's track or why there is none.
 */
export type Mp4Index = { ok: false; refusal: string } | { ok: true; entries: string[]; cut: Mp4Cut | null; fast: DemuxResult };

/** Largest ftyp read (an honest one lists a handful of brands). */
const MAX_FTYP_BYTES = 4096;
/** Stands in for a missing ftyp (old QuickTime files) so mp4box parses the moov: 'qt  ' brand. */
const QT_FTYP = new Uint8Array([0, 0, 0, 20, 0x66, 0x74, 0x79, 0x70, 0x71, 0x74, 0x20, 0x20, 0, 0, 0, 0, 0x71, 0x74, 0x20, 0x20]);

/** Read and vet the index of an MP4 (reading only box headers, ftyp and moov), and describe its video track. */
export async function readMp4Index(read: ReadBytes, fileSize: number): Promise<Mp4Index> {
  const refuse = (refusal: string): Mp4Index => ({ ok: false, refusal });
  const again = 'Re-download or re-copy it (or re-export it from the camera or editor).';
  const top = await walkTopLevel(read, fileSize);
  const moov = top.boxes.find((b) => b.type === 'moov');
  const claimedBytes = top.cut ? top.cut.offset + top.cut.size : fileSize;
  const cutAt = cutWords(fileSize, claimedBytes);
  if (!moov) {
    if (top.cut) return refuse(`is truncated: it ${cutAt}: the last part of the clip is missing, and with it the index (the “moov” box), which this file keeps after its media. ${again}`);
    if (top.broken) return refuse(`is damaged: at byte ${top.broken.offset.toLocaleString('en-US')} it has ${top.broken.reason}, and no index (“moov” box) before that. ${again}`);
    return refuse(`is an MP4/MOV file without its index (no “moov” box anywhere in it): the recording was not finished (stopped before it was saved?), or the file is incomplete. ${again}`);
  }
  if (moov === top.cut) return refuse(`is truncated: its index (the “moov” box, at the end) is cut off, with ${formatBytes(fileSize - moov.offset)} of its ${formatBytes(moov.size)} in the file. ${again}`);
  if (moov.size > MAX_MOOV_BYTES) return refuse(`has an index of ${formatBytes(moov.size)}, more than the ${formatBytes(MAX_MOOV_BYTES)} Clipscope reads (an index that size lists many hours): cut the clip into parts, e.g. \`ffmpeg -i in.mp4 -c copy -f segment -segment_time 3600 part%d.mp4\`.`);

  const moovBytes = await read(moov.offset, moov.size);
  const traks = checkIndex(moovBytes, claimedBytes);
  if (typeof traks === 'string') return refuse(`has an index that cannot be trusted: it ${traks}. The file is damaged, or not a video.`);
  const entries = traks.filter((t) => t.handler === 'vide').flatMap((t) => t.entries);

  const ftyp = top.boxes.find((b) => b.type === 'ftyp' && b.size <= MAX_FTYP_BYTES && b !== top.cut);
  const parsed = await parseMoov(ftyp ? await read(ftyp.offset, ftyp.size) : QT_FTYP, moovBytes, traks);
  if (typeof parsed === 'string') {
    if (top.cut) return refuse(`is truncated: it ${cutAt}: the last part of the clip is missing, and its index could not be read to find the part that is left (${parsed}). ${again}`);
    return { ok: true, entries, cut: null, fast: { ok: false, reason: parsed } };
  }
  const [t] = parsed.movie.videoTracks;
  const samples = t ? (parsed.file.getTrackById(t.id)?.samples ?? []) : [];
  // A cut file: the frames whose bytes are all in it, a prefix in decode (= file) order.
  let readable = samples.length;
  let cut: Mp4Cut | null = null;
  if (top.cut && t) {
    readable = samples.findIndex((s) => !(s.offset + s.size <= fileSize));
    if (readable < 0) readable = samples.length; // only other tracks' bytes are missing: every frame is there
    if (readable < 2) return refuse(`is truncated: it ${cutAt}, and fewer than two of its frames are in the part that is left. ${again}`);
    // (Loops, not Math.min(...): a spread of a million arguments overflows the stack.)
    let firstCts = Infinity;
    let lostCts = Infinity;
    let endCts = -Infinity;
    let playableBytes = 0;
    samples.forEach((s, d) => {
      firstCts = Math.min(firstCts, s.cts);
      endCts = Math.max(endCts, s.cts + s.duration);
      if (d >= readable) lostCts = Math.min(lostCts, s.cts);
      else playableBytes = Math.max(playableBytes, s.offset + s.size);
    });
    const shift = presentationShift(edits(t), t.timescale, parsed.movie.timescale) ?? firstCts;
    const durationS = (endCts - shift) / t.timescale;
    cut = { readableBytes: fileSize, claimedBytes, playableBytes, readableS: lostCts === Infinity ? durationS : (lostCts - shift) / t.timescale, durationS };
  }
  const fast = !ftyp ? { ok: false as const, reason: 'no ftyp box' } : describeVideoTrack(parsed, fileSize, readable);
  return { ok: true, entries, cut, fast };
}

interface Parsed {
  file: ISOFile;
  movie: Movie;
  /** ftyp + moov as mp4box saw them (the configuration record is cut from these bytes). */
  buf: Uint8Array;
}

/** mp4box over ftyp + moov, with the tracks that are not video (and user data) hidden. */
async function parseMoov(ftypBytes: Uint8Array, moovBytes: Uint8Array, traks: readonly TrakAt[]): Promise<Parsed | string> {
  // mp4box wants ftyp first; give it ftyp then moov as one buffer. Sample offsets come from the
  // chunk offset table (absolute file positions), so the gap between them does not matter.
  const buf = new Uint8Array(ftypBytes.length + moovBytes.length);
  buf.set(ftypBytes, 0);
  buf.set(moovBytes, ftypBytes.length);
  // Audio and other tracks can list far more samples than video (PCM: one per audio sample): unparsed.
  hideBoxes(buf, ftypBytes.length, traks.filter((t) => t.handler !== 'vide'));
  const file = createFile();
  let info: Movie | null = null;
  let parseError: string | null = null;
  file.onReady = (m) => (info = m);
  file.onError = (module, msg) => (parseError = `${module}: ${msg}`);
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(buf.buffer, 0));
    file.flush();
  } catch (e) {
    return `mp4box could not parse the index: ${errorText(e)}`;
  }
  const movie = info as Movie | null;
  if (!movie) return parseError ?? 'mp4box found no complete moov';
  return { file, movie, buf };
}

const edits = (t: Track): EditEntry[] | undefined => t.edits?.map((e) => ({ segmentDuration: e.segment_duration, mediaTime: e.media_time, mediaRate: e.media_rate_integer + e.media_rate_fraction / 65536 }));

const identity = (m: ArrayLike<number>) => m[0] === 0x10000 && m[1] === 0 && m[3] === 0 && m[4] === 0x10000;

/** ISO/IEC 23091-2 code points → WebCodecs names (2: unspecified). Others (BT.2020, PQ, HLG) are refused: HDR is not on the fast path. */
const PRIMARIES: Record<number, VideoColorPrimaries | null> = { 1: 'bt709', 2: null, 5: 'bt470bg', 6: 'smpte170m' };
const TRANSFER: Record<number, VideoTransferCharacteristics | null> = { 1: 'bt709', 2: null, 6: 'smpte170m', 13: 'iec61966-2-1' };
const MATRIX: Record<number, VideoMatrixCoefficients | null> = { 0: 'rgb', 1: 'bt709', 2: null, 5: 'bt470bg', 6: 'smpte170m' };

/** The video track for WebCodecs (its first `readable` samples), or why the fast path does not cover it. */
function describeVideoTrack({ file, movie, buf }: Parsed, fileSize: number, readable: number): DemuxResult {
  const no = (reason: string): DemuxResult => ({ ok: false, reason });
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

  const rows: Mp4Sample[] = samples.slice(0, readable).map((s) => ({ dts: s.dts, cts: s.cts, duration: s.duration, isSync: s.is_sync, offset: s.offset, size: s.size }));
  // A table whose runs do not add up leaves NaN behind in mp4box's samples.
  if (rows.some((s) => !(s.size > 0) || ![s.dts, s.cts, s.duration, s.offset].every(Number.isFinite))) return no('the sample table is inconsistent');
  if (rows.some((s) => s.offset + s.size > fileSize)) return no('sample data lies past the end of the file (truncated?)');
  return {
    ok: true,
    track: { codec, codedWidth: entry.width ?? t.video?.width ?? 0, codedHeight: entry.height ?? t.video?.height ?? 0, description, colorSpace, timescale: t.timescale, movieTimescale: movie.timescale, samples: rows, edits: edits(t) },
  };
}

