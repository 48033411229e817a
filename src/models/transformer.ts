// Video transformer family [transformer]: tubelet / patch tokens, space and time position
// embeddings, pre-norm transformer blocks, and three ways to spend attention on a clip.
//
//  - joint      (ViViT model 1 / TimeSformer "joint space-time"): all T'·N tokens attend to each
//               other, so the attention matrix per head is (T'·N + 1)².
//  - divided    (TimeSformer, Bertasius et al. 2021): each block attends over time (each patch
//               position over its T' frames, with temporal_fc) then over space (within a frame):
//               each query sees T' + N + 1 tokens.
//  - factorised (ViViT model 2 "factorised encoder", Arnab et al. 2021): a spatial encoder per
//               frame (with a per-frame class token), then a temporal encoder over the T' frame
//               tokens (with its own class token).
//
//   frames [N, T, H, W, C]
//     │ PatchEmbed (conv with kernel = stride = [tt, p, p], computed as conv2d on tt·C channels)
//     ▼
//   [N, T', N_p, D]                    T' = T / tt, N_p = (H/p)·(W/p)
//     ├─ joint / divided: TokenEmbed 'spacetime' (cls + pos[1+N_p] + time[T']) → [N, 1+T'·N_p, D]
//     │     → depth × (EncoderBlock | DividedBlock) → LN, class token (or mean) → [N, D]
//     └─ factorised: TokenEmbed 'frames' (per-frame cls + pos[1+N_p]) → [N, T', 1+N_p, D]
//           → depth × EncoderBlock (within each frame) → LN, class tokens → [N, T', D]
//           → TokenEmbed 'sequence' (cls + pos[1+T']) → [N, 1+T', D]
//           → temporalDepth × EncoderBlock → LN, class token → [N, D]
//     ▼
//   Dense → logits [N, classes]
//
// Reference presets (describe-only at paper scale):
//  - timesformer_base: facebookresearch/TimeSformer `TimeSformer(img_size=224, num_classes=400,
//    num_frames=8, attention_type='divided_space_time')`: ViT-B/16 (768, 12 blocks, 12 heads, MLP
//    3072, qkv bias), cls_token, pos_embed (197), time_embed (8), temporal_norm1/attn/fc per block,
//    final norm, head. Exactly 121,566,352 parameters in that code (the paper's table says 121.4 M).
//  - vivit_b_fe: scenic's ViViT-B factorised encoder (configs/kinetics400/
//    vivit_base_factorised_encoder.py): tubelet conv 2×16×16 with bias on 32×224×224 → 16×14×14
//    tokens, classifier 'token' (a class token for the spatial and for the temporal encoder),
//    learned 1D position embeddings (197 spatial, shared by all frames; 17 temporal), spatial
//    encoder 12 blocks, temporal encoder 4 blocks, each ViT-B (768, 12 heads, MLP 3072) with its
//    own final LayerNorm, no representation layer, Dense(768 → 400). Exactly 115,062,928
//    parameters by this definition (the paper publishes no exact count).
// Our token order is time-major (frame by frame) rather than TimeSformer's patch-major; it does
// not change any count.
// Config and presets: presets/transformer.ts.

import { describeNet } from './blocks/describe-net';
import { buildNet } from './blocks/layers-net';
import { framesInput, type NetSpec } from './blocks/net';
import {
  TRANSFORMER_PRESETS,
  type AttentionKind,
  type TransformerConfig,
} from './presets/transformer';
import type { BuiltModel, ClipSpec, Description, FamilyDef } from './types';

/** Token grid of a clip: T' time steps × N spatial patches. */
export function tokenGrid(
  c: TransformerConfig,
  clip: ClipSpec,
): { t: number; n: number; h: number; w: number } {
  const p = c.patchSize;
  if (clip.height % p !== 0 || clip.width % p !== 0) {
    throw new Error(
      `Transformer: the ${clip.height}×${clip.width} frame does not split into ${p}×${p} patches; pick a size that is a multiple of ${p}.`,
    );
  }
  if (clip.numFrames % c.tubeletFrames !== 0) {
    throw new Error(
      `Transformer: ${clip.numFrames} frames do not split into tubelets of ${c.tubeletFrames} frames.`,
    );
  }
  if (c.dim % c.heads !== 0)
    throw new Error(`Transformer: dim ${c.dim} is not divisible by ${c.heads} heads.`);
  const h = clip.height / p;
  const w = clip.width / p;
  return { t: clip.numFrames / c.tubeletFrames, n: h * w, h, w };
}

// ───────────────────────────── attention arithmetic ─────────────────────────────

export interface AttentionCost {
  attention: AttentionKind;
  /** Keys each (patch) query attends to, class tokens excluded: T·N, T + N, or N then T. */
  tokensPerQuery: number;
  /** Attention-matrix entries per head, summed over one layer (one block; factorised: one
   *  spatial plus one temporal layer), class tokens excluded. */
  entriesPerHeadPerLayer: number;
  /** q·kᵀ and attn·v multiply-accumulates of that layer, all heads: 2 · entries · D. */
  attentionMacsPerLayer: number;
}

/**
 * Joint vs divided vs factorised on the same T × N token grid (class tokens left out so the
 * lecture's formulas read plainly): joint (T·N)², divided N·T² + T·N², factorised T·N² + T².
 */
export function compareAttention(t: number, n: number, dim: number): AttentionCost[] {
  const rows: [AttentionKind, number, number][] = [
    ['joint', t * n, (t * n) ** 2],
    ['divided', t + n, n * t * t + t * n * n],
    ['factorised', t + n, t * n * n + t * t],
  ];
  return rows.map(([attention, tokensPerQuery, entries]) => ({
    attention,
    tokensPerQuery,
    entriesPerHeadPerLayer: entries,
    attentionMacsPerLayer: 2 * entries * dim,
  }));
}

// ───────────────────────────── the network ─────────────────────────────

function transformerNet(c: TransformerConfig, clip: ClipSpec): NetSpec {
  const { t } = tokenGrid(c, clip);
  const { heads, mlpDim, layerNormEps: eps } = c;
  const classToken = c.pooling === 'cls';
  const pool = c.pooling;
  return {
    inputs: [framesInput(clip)],
    body: (net, [frames]) => {
      let x = net.patchEmbed(frames, {
        name: 'patch_embed',
        patchSize: c.patchSize,
        tubeletFrames: c.tubeletFrames,
        dim: c.dim,
      }); // [N, T', N_p, D]
      if (c.attention === 'factorised') {
        x = net.tokenEmbed(x, { name: 'spatial_tokens', mode: 'frames', classToken }); // [N, T', (1+)N_p, D]
        for (let i = 0; i < c.depth; i++)
          x = net.encoderBlock(x, { name: `spatial${i}`, heads, mlpDim, eps, temporal: false });
        x = net.normPool(x, { name: 'spatial_norm', eps, pool }); // [N, T', D]
        x = net.tokenEmbed(x, { name: 'temporal_tokens', mode: 'sequence', classToken }); // [N, (1+)T', D]
        for (let i = 0; i < c.temporalDepth; i++)
          x = net.encoderBlock(x, { name: `temporal${i}`, heads, mlpDim, eps, temporal: true });
        x = net.normPool(x, { name: 'temporal_norm', eps, pool }); // [N, D]
      } else {
        x = net.tokenEmbed(x, { name: 'tokens', mode: 'spacetime', classToken }); // [N, (1+)T'·N_p, D]
        for (let i = 0; i < c.depth; i++) {
          const name = `block${i}`;
          x =
            c.attention === 'joint'
              ? net.encoderBlock(x, { name, heads, mlpDim, eps, temporal: true })
              : net.dividedBlock(x, { name, heads, mlpDim, eps, numFrames: t, classToken });
        }
        x = net.normPool(x, { name: 'norm', eps, pool }); // [N, D]
      }
      // Softmax probabilities: the training loop's loss is categorical cross-entropy on probabilities.
      return net.dense(x, clip.numClasses, 'head', 'softmax');
    },
  };
}

export function buildTransformer(c: TransformerConfig, clip: ClipSpec): BuiltModel {
  return buildNet(transformerNet(c, clip), `transformer_${c.attention}`);
}

const fmt = (x: number): string => x.toLocaleString('en-US');

export function describeTransformer(c: TransformerConfig, clip: ClipSpec): Description {
  const { t, n } = tokenGrid(c, clip);
  const d = c.dim;
  const { layers, totals } = describeNet(transformerNet(c, clip));
  const k = c.pooling === 'cls' ? 1 : 0; // class tokens per sequence
  const attnRows = layers.filter((r) => r.kind === 'attention');
  const totalEntries = attnRows.reduce(
    (a, r) => a + Number(/\(([\d,]+) entries/.exec(r.note ?? '')?.[1].replace(/,/g, '') ?? 0),
    0,
  );
  const extras = [
    {
      label: 'Token grid',
      value: `T' = ${t} × N = ${n} patches = ${fmt(t * n)} tokens ${k ? ` (+ class token${c.attention === 'factorised' ? 's' : ''})` : ''}`,
    },
    ...compareAttention(t, n, d).map((a) => ({
      label: `${a.attention}${a.attention === c.attention ? ' (this model)' : ''}`,
      value:
        a.attention === 'joint'
          ? `each query attends T·N = ${fmt(a.tokensPerQuery)} tokens; ${fmt(a.entriesPerHeadPerLayer)} attention entries per head per layer; ${fmt(a.attentionMacsPerLayer)} attention MACs per layer`
          : a.attention === 'divided'
            ? `each query attends T + N = ${t} + ${n} = ${fmt(a.tokensPerQuery)} tokens; N·T² + T·N² = ${fmt(a.entriesPerHeadPerLayer)} entries per head per layer; ${fmt(a.attentionMacsPerLayer)} attention MACs per layer`
            : `N = ${n} tokens per query in the spatial encoder, then T = ${t} in the temporal one; T·N² + T² = ${fmt(a.entriesPerHeadPerLayer)} entries per head per (spatial + temporal) layer; ${fmt(a.attentionMacsPerLayer)} attention MACs`,
    })),
    {
      label: 'This model, all layers',
      value: `${fmt(totalEntries)} attention-matrix entries (all heads, class tokens included)`,
    },
  ];
  return { family: 'transformer', variant: c.attention, clip, layers, totals, extras };
}

// ───────────────────────────── family ─────────────────────────────

export const transformerFamily: FamilyDef<TransformerConfig> = {
  id: 'transformer',
  defaultConfig: TRANSFORMER_PRESETS.tiny.config,
  presets: TRANSFORMER_PRESETS,
  build: buildTransformer,
  describe: describeTransformer,
  net: transformerNet,
};
