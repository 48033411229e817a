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

import * as tf from '@tensorflow/tfjs';
import { attentionRow, convRow, denseRow, mlpRow, paramRow, sumTotals } from './describe';
import type { BuiltModel, ClipSpec, Description, FamilyDef, LayerRow, Preset } from './types';
import { DividedBlock, EncoderBlock, NormPool, PatchEmbed, TokenEmbed } from './attention-layers';

export type AttentionKind = 'joint' | 'divided' | 'factorised';

export interface TransformerConfig {
  attention: AttentionKind; // 'divided' (TimeSformer's best)
  patchSize: number; // 16: spatial patch side p
  tubeletFrames: number; // 1: frames per tubelet tt (ViViT uses 2)
  dim: number; // 768: token width D
  depth: number; // 12: blocks (factorised: spatial encoder blocks)
  temporalDepth: number; // 4: temporal encoder blocks (factorised only)
  heads: number; // 12
  mlpDim: number; // 3072 (4·D)
  pooling: 'cls' | 'mean'; // 'cls': a learned class token is read out; 'mean': average of all tokens
  layerNormEps: number; // 1e-6
}

export const DEFAULT_TRANSFORMER: TransformerConfig = {
  attention: 'divided',
  patchSize: 16,
  tubeletFrames: 1,
  dim: 768,
  depth: 12,
  temporalDepth: 4,
  heads: 12,
  mlpDim: 3072,
  pooling: 'cls',
  layerNormEps: 1e-6,
};

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

// ───────────────────────────── describe ─────────────────────────────

const fmt = (x: number): string => x.toLocaleString('en-US');

export function describeTransformer(c: TransformerConfig, clip: ClipSpec): Description {
  const { t, n, h, w } = tokenGrid(c, clip);
  const d = c.dim;
  const rows: LayerRow[] = [];
  rows.push(
    convRow([clip.numFrames, clip.height, clip.width, clip.channels], {
      name: 'patch_embed',
      kernel: [c.tubeletFrames, c.patchSize, c.patchSize],
      strides: [c.tubeletFrames, c.patchSize, c.patchSize],
      padding: 'valid',
      filters: d,
      temporal: c.tubeletFrames > 1,
      note: `frames centred to [−1, 1]; ${c.tubeletFrames}×${c.patchSize}×${c.patchSize} tubelets → ${t}×${h}×${w} tokens`,
    }),
  );

  const k = c.pooling === 'cls' ? 1 : 0; // class tokens per sequence
  const readout = k ? 'LayerNorm, then the class token' : 'LayerNorm, then the mean of the tokens';
  if (c.attention === 'factorised') {
    rows.push(
      paramRow([t, k + n, d], 'spatial_tokens', 'embedding', k * d + (k + n) * d, {
        note: `${k ? 'class token per frame + ' : ''}${k + n} space position embeddings (shared by all frames)`,
      }),
    );
    for (let i = 0; i < c.depth; i++) {
      rows.push(
        attentionRow([t, k + n, d], {
          name: `spatial${i}.attn`,
          sequences: t,
          seqLen: k + n,
          dim: d,
          heads: c.heads,
          temporal: false,
        }),
      );
      rows.push(mlpRow([t, k + n, d], c.mlpDim, `spatial${i}.mlp`));
    }
    rows.push(
      paramRow([t, d], 'spatial_norm', 'layernorm', 2 * d, { note: `${readout}, per frame` }),
    );
    rows.push(
      paramRow([k + t, d], 'temporal_tokens', 'embedding', k * d + (k + t) * d, {
        temporal: true,
        note: `${k ? 'class token + ' : ''}${k + t} time position embeddings`,
      }),
    );
    for (let i = 0; i < c.temporalDepth; i++) {
      rows.push(
        attentionRow([k + t, d], {
          name: `temporal${i}.attn`,
          sequences: 1,
          seqLen: k + t,
          dim: d,
          heads: c.heads,
          temporal: true,
        }),
      );
      rows.push(mlpRow([k + t, d], c.mlpDim, `temporal${i}.mlp`));
    }
    rows.push(paramRow([d], 'temporal_norm', 'layernorm', 2 * d, { note: readout }));
  } else {
    const len = k + t * n;
    rows.push(
      paramRow([len, d], 'tokens', 'embedding', k * d + (k + n) * d + t * d, {
        temporal: true,
        note: `${k ? 'class token + ' : ''}${k + n} space + ${t} time position embeddings`,
      }),
    );
    for (let i = 0; i < c.depth; i++) {
      if (c.attention === 'joint') {
        rows.push(
          attentionRow([len, d], {
            name: `block${i}.attn`,
            sequences: 1,
            seqLen: len,
            dim: d,
            heads: c.heads,
            temporal: true,
          }),
        );
      } else {
        rows.push(
          attentionRow([t * n, d], {
            name: `block${i}.time_attn`,
            sequences: n,
            seqLen: t,
            dim: d,
            heads: c.heads,
            temporal: true,
          }),
        );
        rows.push(denseRow([t * n, d], d, `block${i}.temporal_fc`, { temporal: true }));
        rows.push(
          attentionRow([len, d], {
            name: `block${i}.space_attn`,
            sequences: t,
            seqLen: k + n,
            dim: d,
            heads: c.heads,
            temporal: false,
          }),
        );
      }
      rows.push(mlpRow([len, d], c.mlpDim, `block${i}.mlp`));
    }
    rows.push(paramRow([d], 'norm', 'layernorm', 2 * d, { note: readout }));
  }
  rows.push(denseRow([d], clip.numClasses, 'head', { note: 'then softmax' }));

  const attnRows = rows.filter((r) => r.kind === 'attention');
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
  return {
    family: 'transformer',
    variant: c.attention,
    clip,
    layers: rows,
    totals: sumTotals(rows),
    extras,
  };
}

// ───────────────────────────── build ─────────────────────────────

export function buildTransformer(c: TransformerConfig, clip: ClipSpec): BuiltModel {
  const { t } = tokenGrid(c, clip);
  const eps = c.layerNormEps;
  const input = tf.input({
    shape: [clip.numFrames, clip.height, clip.width, clip.channels],
    name: 'frames',
  });
  let x = new PatchEmbed({
    name: 'patch_embed',
    patchSize: c.patchSize,
    tubeletFrames: c.tubeletFrames,
    dim: c.dim,
  }).apply(input) as tf.SymbolicTensor; // [N, T', N_p, D]
  const classToken = c.pooling === 'cls';
  const pool = (name: string) => new NormPool({ name, eps, pool: c.pooling });
  const block = (i: number, prefix: string) =>
    new EncoderBlock({ name: `${prefix}${i}`, heads: c.heads, mlpDim: c.mlpDim, eps });
  if (c.attention === 'factorised') {
    x = new TokenEmbed({ name: 'spatial_tokens', mode: 'frames', classToken }).apply(
      x,
    ) as tf.SymbolicTensor; // [N, T', (1+)N_p, D]
    for (let i = 0; i < c.depth; i++) x = block(i, 'spatial').apply(x) as tf.SymbolicTensor;
    x = pool('spatial_norm').apply(x) as tf.SymbolicTensor; // [N, T', D]
    x = new TokenEmbed({ name: 'temporal_tokens', mode: 'sequence', classToken }).apply(
      x,
    ) as tf.SymbolicTensor; // [N, (1+)T', D]
    for (let i = 0; i < c.temporalDepth; i++)
      x = block(i, 'temporal').apply(x) as tf.SymbolicTensor;
    x = pool('temporal_norm').apply(x) as tf.SymbolicTensor; // [N, D]
  } else {
    x = new TokenEmbed({ name: 'tokens', mode: 'spacetime', classToken }).apply(
      x,
    ) as tf.SymbolicTensor; // [N, (1+)T'·N_p, D]
    for (let i = 0; i < c.depth; i++) {
      const b =
        c.attention === 'joint'
          ? block(i, 'block')
          : new DividedBlock({
              name: `block${i}`,
              heads: c.heads,
              mlpDim: c.mlpDim,
              eps,
              numFrames: t,
              classToken,
            });
      x = b.apply(x) as tf.SymbolicTensor;
    }
    x = pool('norm').apply(x) as tf.SymbolicTensor; // [N, D]
  }
  // Softmax probabilities: the training loop's loss is categorical cross-entropy on probabilities.
  const probs = tf.layers
    .dense({ units: clip.numClasses, activation: 'softmax', name: 'head' })
    .apply(x) as tf.SymbolicTensor;
  return {
    model: tf.model({ inputs: input, outputs: probs, name: `transformer_${c.attention}` }),
    inputs: ['frames'],
  };
}

// ───────────────────────────── presets ─────────────────────────────

const TINY_CLIP: ClipSpec = { numFrames: 8, height: 32, width: 32, channels: 3, numClasses: 2 };
// Tiny presets embed 2×8×8 tubelets (ViViT's tubelet embedding) for every attention kind: the
// embedding then sees two consecutive frames, so a token can tell which way its patch moved.
// With per-frame patches (TimeSformer's embedding) the tiny models sat at chance on
// order-direction: at init the attention is near uniform over time, the two orders of a clip
// look alike, and 48–150 Adam steps did not leave that plateau (not even to overfit 16 clips);
// with 2-frame tubelets they overfit 16 clips in ~100 steps and learn the lesson. Patches stay
// 8×8 so a 32×32 clip is 4 × 16 tokens: 4×4 patches (4 × 64 tokens) learned as well but made a
// WebGPU step ~17× slower on SwiftShader (tfjs's BatchMatMul on 1,024 tiny 4×4 matrices).
const tiny = (attention: AttentionKind): TransformerConfig => ({
  ...DEFAULT_TRANSFORMER,
  attention,
  patchSize: 8,
  tubeletFrames: 2,
  dim: 32,
  depth: 2,
  temporalDepth: 1,
  heads: 4,
  mlpDim: 64,
});

export const TRANSFORMER_PRESETS: Record<string, Preset<TransformerConfig>> = {
  tiny: {
    config: tiny('divided'),
    clip: TINY_CLIP,
    note: 'Divided space-time attention, 8×32×32, 2×8×8 tubelets (4 × 16 tokens), D=32, 2 blocks: trains in seconds.',
  },
  tiny_joint: {
    config: tiny('joint'),
    clip: TINY_CLIP,
    note: 'Joint space-time attention over all 64 tokens (+ class token).',
  },
  tiny_divided: {
    config: tiny('divided'),
    clip: TINY_CLIP,
    note: 'TimeSformer-style divided attention.',
  },
  tiny_factorised: {
    config: tiny('factorised'),
    clip: TINY_CLIP,
    note: 'ViViT factorised encoder over the 2×8×8 tubelets.',
  },
  tiny_mean: {
    config: { ...tiny('joint'), pooling: 'mean' },
    clip: TINY_CLIP,
    note: 'Joint attention without a class token: the mean of the tokens is classified.',
  },
  timesformer_base: {
    config: {
      ...DEFAULT_TRANSFORMER,
      attention: 'divided',
      patchSize: 16,
      tubeletFrames: 1,
      dim: 768,
      depth: 12,
      heads: 12,
      mlpDim: 3072,
    },
    clip: { numFrames: 8, height: 224, width: 224, channels: 3, numClasses: 400 },
    paper: true,
    note: 'TimeSformer (divided space-time), 8×224×224, ViT-B/16; 121,566,352 parameters in the official code.',
  },
  vivit_b_fe: {
    config: {
      ...DEFAULT_TRANSFORMER,
      attention: 'factorised',
      patchSize: 16,
      tubeletFrames: 2,
      dim: 768,
      depth: 12,
      temporalDepth: 4,
      heads: 12,
      mlpDim: 3072,
    },
    clip: { numFrames: 32, height: 224, width: 224, channels: 3, numClasses: 400 },
    paper: true,
    note: 'ViViT-B factorised encoder (scenic config), 2×16×16 tubelets on 32×224×224, spatial 12 + temporal 4 blocks; 115,062,928 parameters.',
  },
};

export const transformerFamily: FamilyDef<TransformerConfig> = {
  id: 'transformer',
  defaultConfig: TRANSFORMER_PRESETS.tiny.config,
  presets: TRANSFORMER_PRESETS,
  build: buildTransformer,
  describe: describeTransformer,
};
