// Turn a batch of clips [N, T, H, W, C] into the inputs a model asks for (its InputKind list),
// in order. Frames and frame differences are made here; optical flow comes ready from the flow
// store (flow/flow-store.ts, via the training loop). Only rank ≤ 3 slices touch the data, so
// nothing here meets the rank-5 WebGPU bugs (shared/TFJS-NOTES.md). The caller owns the
// returned tensors.

import * as tf from '@tensorflow/tfjs';
import type { InputKind } from '../models/types';

/** Inputs already made elsewhere (the flow store's optical flow), by kind; the maker hands them on. */
export type ReadyInputs = Partial<Record<InputKind, tf.Tensor>>;
export type InputMaker = (frames: tf.Tensor5D, ready?: ReadyInputs) => tf.Tensor[];

/** Differences of consecutive frames: [N, T, H, W, C] → [N, T−1, H, W, C]. */
function frameDiff(frames: tf.Tensor5D): tf.Tensor5D {
  const [n, t, h, w, c] = frames.shape;
  if (t < 2) throw new Error(`Frame differences need at least 2 frames, got T = ${t}.`);
  return tf.tidy(() => {
    const flat = frames.reshape([n, t, h * w * c]); // [N, T, H, W, C] → [N, T, H·W·C]
    const next = flat.slice([0, 1, 0], [n, t - 1, h * w * c]);
    const prev = flat.slice([0, 0, 0], [n, t - 1, h * w * c]);
    return next.sub(prev).reshape([n, t - 1, h, w, c]) as tf.Tensor5D; // [N, T−1, H·W·C] → [N, T−1, H, W, C]
  });
}

export function inputMaker(kinds: readonly InputKind[], model: tf.LayersModel): InputMaker {
  if (kinds.length !== model.inputs.length) throw new Error(`The model has ${model.inputs.length} inputs but declares ${kinds.length} input kinds.`);
  return (frames, ready) => {
    const out: tf.Tensor[] = [];
    try {
      kinds.forEach((kind, i) => {
        const made = ready?.[kind];
        if (made) out.push(made);
        else if (kind === 'frames') out.push(frames.clone());
        else if (kind === 'frame-diff') out.push(frameDiff(frames));
        else throw new Error(`The model's input ${i + 1} (“${kind}”) was not given: optical flow comes ready from the flow store.`);
      });
      return out;
    } catch (e) {
      tf.dispose(out);
      throw e;
    }
  };
}
