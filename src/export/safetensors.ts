// The safetensors format (huggingface/safetensors), written and read here: an 8-byte
// little-endian header length, a JSON header { name: { dtype, shape, data_offsets: [begin, end] },
// "__metadata__": { string: string } }, then the raw little-endian data. Small enough that no
// library is needed. Offsets are relative to the data block; tensors are laid out in the order
// given, 8-byte aligned (the header is padded with spaces so the data starts aligned).

export interface NamedTensor {
  name: string;
  dtype: 'F32' | 'I64';
  shape: number[];
  /** F32: the values; I64: the values as numbers (exact below 2⁵³). */
  data: Float32Array | number[];
}

const BYTES = { F32: 4, I64: 8 } as const;
const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

export function writeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const t of tensors) {
    if (t.name in header) throw new Error(`safetensors: the name "${t.name}" appears twice.`);
    if (t.data.length !== prod(t.shape)) throw new Error(`safetensors: ${t.name} has ${t.data.length} values for shape [${t.shape.join(', ')}].`);
    const size = t.data.length * BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  while ((8 + new TextEncoder().encode(json).length) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    if (t.dtype === 'F32') {
      for (let i = 0; i < t.data.length; i++) view.setFloat32(at + 4 * i, t.data[i], true);
      at += 4 * t.data.length;
    } else {
      for (let i = 0; i < t.data.length; i++) view.setBigInt64(at + 8 * i, BigInt(t.data[i]), true);
      at += 8 * t.data.length;
    }
  }
  return out;
}

/** Reads what writeSafetensors writes (F32 and I64), for tests and the round trip. */
export function readSafetensors(bytes: Uint8Array): { tensors: NamedTensor[]; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error('safetensors: the file is shorter than its 8-byte header length.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`safetensors: the header says ${n} bytes but the file has ${bytes.length - 8} after the length.`);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const base = 8 + n;
  const tensors: NamedTensor[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, v] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = v as Record<string, string>;
      continue;
    }
    const info = v as { dtype: 'F32' | 'I64'; shape: number[]; data_offsets: [number, number] };
    const [a, b] = info.data_offsets;
    const count = (b - a) / BYTES[info.dtype];
    if (info.dtype === 'F32') {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(base + a + 4 * i, true);
      tensors.push({ name, dtype: 'F32', shape: info.shape, data });
    } else if (info.dtype === 'I64') {
      const data = Array.from({ length: count }, (_, i) => Number(view.getBigInt64(base + a + 8 * i, true)));
      tensors.push({ name, dtype: 'I64', shape: info.shape, data });
    } else throw new Error(`safetensors: dtype ${String(info.dtype)} is not read here.`);
  }
  return { tensors, metadata };
}
