// The "Export to PyTorch" action: the worker writes the export's files (handlers/export.ts →
// src/export/bundle.ts) and hands them back as one transferred byte array; here they are split
// and zipped (fflate) into clipscope-<family>-<preset>.zip, ready for the view to download.

import { zipSync } from 'fflate';
import { client } from './worker-client';
import type { ArgsOf } from '../worker/protocol';

export type ExportArgs = ArgsOf<'export-pytorch'>;

export interface ExportedZip {
  fileName: string;
  zip: Uint8Array;
  /** The files inside, in order. */
  files: string[];
  weightsFrom: string;
  backend: string;
}

export async function exportToPytorch(args: ExportArgs): Promise<ExportedZip> {
  const r = await client.request('export-pytorch', args);
  const entries: Record<string, Uint8Array> = {};
  let at = 0;
  r.names.forEach((name, i) => {
    entries[name] = r.data.subarray(at, at + r.sizes[i]);
    at += r.sizes[i];
  });
  if (at !== r.data.length) throw new Error(`The export's files add up to ${at} bytes but ${r.data.length} came back.`);
  const [family, preset] = r.label.split(':');
  return { fileName: `clipscope-${family}-${preset}.zip`, zip: zipSync(entries, { level: 6 }), files: r.names, weightsFrom: r.weightsFrom, backend: r.backend };
}
