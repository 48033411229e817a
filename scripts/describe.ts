// `npm run describe -- <family|preset> [--frames N] [--size S] [--classes K] [--json]`
//
// Prints a model's self-description (src/models/blocks/rows.ts conventions): one aligned row per
// layer, temporal layers marked with ◆, then totals and the family's teaching figures; or, with
// --json, the whole Description (totals.trainableParams, totals.nonTrainableParams, totals.macs).
// Describing allocates no weights, so paper-scale presets (resnet18, r3d_18, …) print instantly.
//
//   npm run describe -- resnet18
//   npm run describe -- late-fusion --frames 16 --size 64 --json

import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { clipWith, findPreset, registeredFamilies } from '../src/models/registry';
import type { Description } from '../src/models/types';
import { errorText } from '../src/lib/errors';
import { formatApprox, formatBytes, formatInt } from '../src/lib/format';

const USAGE = 'usage: npm run describe -- <family|preset> [--frames N] [--size S] [--classes K] [--json]';

function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got "${raw}".`);
  return n;
}

/** The description for command-line arguments (without the leading `node script`). */
export function describeFromArgs(argv: string[]): { description: Description; json: boolean; presetLabel: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { frames: { type: 'string' }, size: { type: 'string' }, classes: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) {
    const known = registeredFamilies().flatMap((f) => [f.id, ...Object.keys(f.presets).map((p) => `${f.id}:${p}`)]);
    throw new Error(`${USAGE}\nknown: ${known.join(', ')}`);
  }
  const found = findPreset(positionals[0]);
  const size = positiveInt('size', values.size);
  const clip = clipWith(found.preset.clip, { numFrames: positiveInt('frames', values.frames), height: size, width: size, numClasses: positiveInt('classes', values.classes) });
  return { description: found.family.describe(found.preset.config, clip), json: values.json ?? false, presetLabel: `${found.family.id}:${found.name}` };
}

/** An aligned text table of a description. */
export function formatTable(d: Description, presetLabel: string): string {
  const { clip } = d;
  const header = ['', 'layer', 'kind', 'output shape', 'trainable', 'non-train.', 'MACs', 'note'];
  const rows = d.layers.map((r) => [r.temporal ? '◆' : '', r.name, r.kind, r.outputShape.join('×'), formatInt(r.trainableParams), formatInt(r.nonTrainableParams), formatInt(r.macs), r.note ?? '']);
  const numeric = new Set([4, 5, 6]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const t = d.totals;
  return [
    `${presetLabel} (${d.family}, ${d.variant}) on a clip of ${clip.numFrames}×${clip.height}×${clip.width}×${clip.channels}, ${clip.numClasses} classes`,
    '',
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
    '',
    `trainable parameters      ${formatInt(t.trainableParams)} (${formatApprox(t.trainableParams)})`,
    `non-trainable (BN stats)  ${formatInt(t.nonTrainableParams)}`,
    `multiply-accumulates      ${formatInt(t.macs)} (${formatApprox(t.macs)}) per clip`,
    `activations               ${formatBytes(t.activationBytes)} per clip (float32 outputs of the rows above)`,
    '◆ = mixes information across time',
    ...d.extras.map((e) => `${e.label}: ${e.value}`),
  ].join('\n');
}

export function runDescribe(argv: string[]): { stdout: string; stderr: string; code: number } {
  try {
    const { description, json, presetLabel } = describeFromArgs(argv);
    return { stdout: json ? JSON.stringify(description, null, 2) : formatTable(description, presetLabel), stderr: '', code: 0 };
  } catch (e) {
    return { stdout: '', stderr: errorText(e), code: 2 };
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = runDescribe(process.argv.slice(2));
  if (r.stdout) process.stdout.write(r.stdout + '\n');
  if (r.stderr) process.stderr.write(r.stderr + '\n');
  process.exitCode = r.code;
}
