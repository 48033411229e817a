// The tfjs model's weights as PyTorch's state_dict (safetensors.ts NamedTensors): every tensor
// TorchNet recorded (torch-net.ts) is read from the tfjs layer it names, by the weight's own name
// (originalName "<layer>/<weight>", unaffected by tfjs's _1 suffixes), and converted (layout.ts).
// Every tfjs weight must be used exactly once, with the shape TorchNet expected: a model the
// exporter has not understood is an error, never a silent half.

import type * as tf from '@tensorflow/tfjs';
import { convertLayout } from './layout';
import type { NamedTensor } from './safetensors';
import { ExportError, type TorchProgram } from './torch-net';

const baseName = (w: tf.LayerVariable): string => (w as unknown as { originalName?: string }).originalName ?? w.name.replace(/_\d+$/, '');

/** Reads with data(), not dataSync(): a synchronous read gives zeros on tfjs's WebGPU backend. */
export async function torchStateDict(model: tf.LayersModel, program: TorchProgram): Promise<NamedTensor[]> {
  const byName = new Map<string, tf.LayerVariable>();
  for (const layer of model.layers) for (const w of layer.weights) byName.set(baseName(w), w);
  const used = new Set<string>();
  const reads = program.tensors.map(async (t): Promise<NamedTensor> => {
    if (!t.tf) return { name: t.key, dtype: 'I64', shape: t.shape, data: [0] };
    const id = `${t.tf.layer}/${t.tf.weight}`;
    const w = byName.get(id);
    if (!w) throw new ExportError(`The tfjs model has no weight ${id} (for PyTorch's ${t.key}).`);
    if (w.shape.join() !== t.tf.shape.join()) throw new ExportError(`${id} is [${w.shape.join(', ')}], the exporter expected [${t.tf.shape.join(', ')}].`);
    used.add(id);
    const values = (await w.read().data()) as Float32Array;
    return { name: t.key, dtype: 'F32', shape: t.shape, data: convertLayout(values, t.tf.shape, t.tf.layout) };
  });
  const out = await Promise.all(reads);
  const left = [...byName.keys()].filter((k) => !used.has(k));
  if (left.length > 0) throw new ExportError(`The exporter does not know where ${left.length} tfjs weight${left.length === 1 ? '' : 's'} go in PyTorch: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}.`);
  return out;
}
