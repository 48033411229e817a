// model.py: the PyTorch module a TorchProgram (torch-net.ts) describes, as readable plain PyTorch
// (no Clipscope import): the helper modules the model uses (explicit tfjs-exact LSTM / GRU,
// attention blocks), one nn.Module per family whose __init__ puts every layer at the tfjs layer's
// dotted name and whose forward runs the recorded lines, build_model(), and load_weights() that
// reads weights.safetensors with `safetensors` when it is installed and with json + torch.frombuffer
// otherwise.

import { FLOW_PY } from './flow-py';
import type { Helper, TorchProgram } from './torch-net';

const HELPERS: Record<Helper, string> = {
  LSTMLayer: `
class LSTMLayer(nn.Module):
    """The LSTM tfjs computes (tf.layers.lstm defaults): hard-sigmoid gates, tanh, one bias per
    gate. Gates are stacked as PyTorch's nn.LSTM stacks them, i, f, g, o (tfjs's i, f, c, o).
    [N, T, F] → [N, U] (last state) or [N, T, U] (every state)."""

    def __init__(self, input_size, units, return_sequences=False):
        super().__init__()
        self.units = units
        self.return_sequences = return_sequences
        self.weight_ih = nn.Parameter(torch.empty(4 * units, input_size))
        self.weight_hh = nn.Parameter(torch.empty(4 * units, units))
        self.bias = nn.Parameter(torch.zeros(4 * units))
        nn.init.xavier_uniform_(self.weight_ih)
        nn.init.orthogonal_(self.weight_hh)

    def forward(self, x):
        n, t, _ = x.shape
        h = x.new_zeros(n, self.units)
        c = x.new_zeros(n, self.units)
        gx = x @ self.weight_ih.t() + self.bias  # [N, T, 4U]
        states = []
        for s in range(t):
            i, f, g, o = (gx[:, s] + h @ self.weight_hh.t()).chunk(4, 1)
            c = hard_sigmoid(f) * c + hard_sigmoid(i) * torch.tanh(g)
            h = hard_sigmoid(o) * torch.tanh(c)
            states.append(h)
        return torch.stack(states, 1) if self.return_sequences else h
`,
  GRULayer: `
class GRULayer(nn.Module):
    """The GRU tfjs computes (tf.layers.gru: hard-sigmoid gates, one bias per gate, and the reset
    gate applied BEFORE the recurrent matmul, n = tanh(W_n x + b_n + U_n (r ⊙ h)); PyTorch's nn.GRU
    resets after it). Gates stacked in PyTorch's order r, z, n (tfjs keeps z, r, h).
    h' = z ⊙ h + (1 − z) ⊙ n.  [N, T, F] → [N, U] or [N, T, U]."""

    def __init__(self, input_size, units, return_sequences=False):
        super().__init__()
        self.units = units
        self.return_sequences = return_sequences
        self.weight_ih = nn.Parameter(torch.empty(3 * units, input_size))
        self.weight_hh = nn.Parameter(torch.empty(3 * units, units))
        self.bias = nn.Parameter(torch.zeros(3 * units))
        nn.init.xavier_uniform_(self.weight_ih)
        nn.init.orthogonal_(self.weight_hh)

    def forward(self, x):
        n, t, _ = x.shape
        u = self.units
        h = x.new_zeros(n, u)
        gx = x @ self.weight_ih.t() + self.bias  # [N, T, 3U]: r, z, n
        w_rz, w_n = self.weight_hh[: 2 * u], self.weight_hh[2 * u :]
        states = []
        for s in range(t):
            xr, xz, xn = gx[:, s].chunk(3, 1)
            hr, hz = (h @ w_rz.t()).chunk(2, 1)
            r = hard_sigmoid(xr + hr)
            z = hard_sigmoid(xz + hz)
            cand = torch.tanh(xn + (r * h) @ w_n.t())
            h = z * h + (1 - z) * cand
            states.append(h)
        return torch.stack(states, 1) if self.return_sequences else h
`,
  Attention: `
class Attention(nn.Module):
    """Multi-head self-attention on [B, L, D]: qkv, softmax(q·kᵀ/√d_h)·v, proj."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, l, d = x.shape
        dh = d // self.heads
        q, k, v = self.qkv(x).reshape(b, l, 3, self.heads, dh).permute(2, 0, 3, 1, 4)  # 3 × [B, H, L, dh]
        attn = torch.softmax(q @ k.transpose(-2, -1) * (1 / math.sqrt(dh)), -1)  # [B, H, L, L]
        return self.proj((attn @ v).transpose(1, 2).reshape(b, l, d))
`,
  Mlp: `
class Mlp(nn.Module):
    """fc1 → exact GELU → fc2."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))
`,
  EncoderBlock: `
class EncoderBlock(nn.Module):
    """Pre-norm block x + MHSA(LN(x)), x + MLP(LN(x)) on [N, (S,) L, D]: attention runs within
    each group of L tokens (all tokens, or one frame's tokens)."""

    def __init__(self, dim, heads, mlp_dim, eps):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_dim)

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-2], shape[-1])  # [N·S, L, D]
        x = x + self.attn(self.norm1(x))
        x = x + self.mlp(self.norm2(x))
        return x.reshape(shape)
`,
  DividedBlock: `
class DividedBlock(nn.Module):
    """TimeSformer's divided space-time block on [N, (1 +) T·P, D] (class token first, then the
    tokens frame by frame): each patch position attends over its T frames (temporal_norm1,
    temporal_attn, temporal_fc); then within each frame, with the class token joining every frame
    and its T results averaged (norm1, attn); then the MLP (norm2, mlp)."""

    def __init__(self, dim, heads, mlp_dim, eps, frames, class_token=True):
        super().__init__()
        self.frames = frames
        self.class_token = class_token
        self.temporal_norm1 = nn.LayerNorm(dim, eps=eps)
        self.temporal_attn = Attention(dim, heads)
        self.temporal_fc = nn.Linear(dim, dim)
        self.norm1 = nn.LayerNorm(dim, eps=eps)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=eps)
        self.mlp = Mlp(dim, mlp_dim)

    def forward(self, x):
        n, length, d = x.shape
        t = self.frames
        k = 1 if self.class_token else 0
        p = (length - k) // t
        tokens = x[:, k:]  # [N, T·P, D]
        xt = tokens.reshape(n, t, p, d).transpose(1, 2).reshape(n * p, t, d)  # [N·P, T, D]
        res_t = self.temporal_attn(self.temporal_norm1(xt))
        res_t = res_t.reshape(n, p, t, d).transpose(1, 2).reshape(n, t * p, d)
        xt_out = tokens + self.temporal_fc(res_t)  # [N, T·P, D]
        frames = xt_out.reshape(n * t, p, d)  # [N·T, P, D]
        if k:
            cls = x[:, :1]  # [N, 1, D]
            xs = torch.cat([cls.expand(n, t, d).reshape(n * t, 1, d), frames], 1)  # [N·T, 1+P, D]
            res_s = self.attn(self.norm1(xs))
            res_cls = res_s[:, :1].reshape(n, t, d).mean(1, keepdim=True)  # [N, 1, D]
            y = torch.cat([cls, xt_out], 1) + torch.cat([res_cls, res_s[:, 1:].reshape(n, t * p, d)], 1)
        else:
            y = xt_out + self.attn(self.norm1(frames)).reshape(n, t * p, d)
        return y + self.mlp(self.norm2(y))
`,
  TokenEmbed: `
class TokenEmbed(nn.Module):
    """Class token and learned position embeddings.
    'spacetime' [N, T, P, D] → [N, (1 +) T·P, D]: space (P) and time (T) embeddings (TimeSformer);
    'frames'    [N, T, P, D] → [N, T, (1 +) P, D]: a class token per frame (ViViT spatial encoder);
    'sequence'  [N, T, D]    → [N, (1 +) T, D]: positions over time (ViViT temporal encoder)."""

    def __init__(self, mode, dim, positions, frames=0, class_token=True):
        super().__init__()
        self.mode = mode
        if class_token:
            self.cls_token = nn.Parameter(torch.randn(1, dim))
        else:
            self.register_parameter("cls_token", None)
        self.pos_embed = nn.Parameter(torch.randn(positions, dim) * 0.02)
        if mode == "spacetime":
            self.time_embed = nn.Parameter(torch.randn(frames, dim) * 0.02)

    def forward(self, x):
        d = x.shape[-1]
        k = 0 if self.cls_token is None else 1
        cls = None if k == 0 else (self.cls_token + self.pos_embed[:1]).reshape(1, 1, d)
        if self.mode == "sequence":
            n, t, _ = x.shape
            body = x + self.pos_embed[k : k + t]
            return body if cls is None else torch.cat([cls.expand(n, 1, d), body], 1)
        n, t, p, _ = x.shape
        body = x + self.pos_embed[k : k + p]
        if self.mode == "frames":
            return body if cls is None else torch.cat([cls.reshape(1, 1, 1, d).expand(n, t, 1, d), body], 2)
        body = (body + self.time_embed.reshape(1, t, 1, d)).reshape(n, t * p, d)  # frame by frame
        return body if cls is None else torch.cat([cls.expand(n, 1, d), body], 1)
`,
  NormPool: `
class NormPool(nn.LayerNorm):
    """Final LayerNorm, then the class token (token 0) or the mean of the tokens:
    [N, (S,) L, D] → [N, (S,) D]."""

    def __init__(self, dim, eps, pool="cls"):
        super().__init__(dim, eps=eps)
        self.pool = pool

    def forward(self, x):
        if self.pool == "cls":
            return super().forward(x[..., 0, :])
        return super().forward(x).mean(-2)
`,
};

const HARD_SIGMOID = `
def hard_sigmoid(x):
    """tfjs's default recurrent activation (Keras 2): clip(0.2·x + 0.5, 0, 1)."""
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)

`;

const BASE = `
class LayerTree(nn.Module):
    """Holds every layer at the tfjs layer's dotted name ("layer1.0.conv1"), so state_dict keys
    are the tfjs names plus PyTorch's own parameter names; self["layer1.0.conv1"] fetches it."""

    def put(self, path, module):
        parent = self
        *heads, last = path.split(".")
        for part in heads:
            child = parent._modules.get(part)
            if child is None:
                child = nn.Module()
                parent.add_module(part, child)
            parent = child
        placeholder = parent._modules.get(last)
        if placeholder is not None:  # a container made earlier for children ("conv1.bn" before "conv1")
            for name, child in placeholder._modules.items():
                module.add_module(name, child)
        parent.add_module(last, module)

    def __getitem__(self, path):
        return self.get_submodule(path)
`;

const LOADER = `
def read_safetensors(path):
    """name → tensor from a .safetensors file: with the safetensors package when it is installed,
    else read directly (8-byte little-endian header length, JSON header, raw little-endian data)."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        load_file = None
    if load_file is not None:
        return load_file(path)
    with open(path, "rb") as f:
        data = f.read()
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size].decode("utf-8"))
    dtypes = {"F32": torch.float32, "I64": torch.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = bytearray(data[8 + size + start : 8 + size + end])
        dtype = dtypes[info["dtype"]]
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.zeros(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).clone()
    return tensors


def load_weights(model, path=None):
    """Loads weights.safetensors (default: the one beside this file) into the model; every key must match."""
    if path is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.safetensors")
    model.load_state_dict(read_safetensors(path), strict=True)
    return model
`;

export interface ModelPyInfo {
  /** e.g. 'conv3d:r3d_18'. */
  label: string;
  className: string;
  /** One paragraph on what the model is, from the family's description. */
  summary: string;
  numClasses: number;
}

/** The text of model.py. */
export function modelPy(p: TorchProgram, info: ModelPyInfo): string {
  const args = p.inputs.map((i) => i.name);
  const inputDoc = p.inputs
    .map((i, k) => `        ${i.name}: [N, ${i.torchShape.join(', ')}] (${k + 1}${k === 0 ? 'st' : k === 1 ? 'nd' : 'th'} argument; ${inputWords(i.kind)})`)
    .join('\n');
  const helpers = [...new Set(p.helpers.flatMap(helperOrder))];
  const recurrent = helpers.includes('LSTMLayer') || helpers.includes('GRULayer');
  const helperText = (recurrent ? HARD_SIGMOID : '') + helpers.map((h) => HELPERS[h]).join('');
  const makeInputs = makeInputsPy(p);
  const init = p.modules.map((m) => `        self.put("${m.path}", ${m.ctor})`).join('\n');
  const forward = p.forward.map((l) => `        ${l}`).join('\n');
  return `"""${info.label}, exported from Clipscope: plain PyTorch, no Clipscope import.

${info.summary}

Inputs are channels-first clips (N, C, T, H, W) with values in [0, 1]; forward(${args.join(', ')})
takes them in that order and returns class probabilities [N, ${info.numClasses}] (softmax, as the
browser's model: its loss is cross-entropy on probabilities). Layer names are the tfjs layer names,
so state_dict keys read "<tfjs layer>.<PyTorch parameter>" (e.g. "layer1.0.conv1.weight").
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

INPUTS = [${p.inputs.map((i) => `("${i.name}", (${i.torchShape.join(', ')}))`).join(', ')}]  # forward's arguments: name, (C, T, H, W)
NUM_CLASSES = ${info.numClasses}

${BASE}${helperText}

class ${info.className}(LayerTree):
    """${info.label}."""

    def __init__(self):
        super().__init__()
${init}

    def forward(self, ${args.join(', ')}):
        """
${inputDoc}
        returns class probabilities [N, ${info.numClasses}]
        """
${forward}
        return ${p.output}


def build_model():
    return ${info.className}()


${makeInputs}
${LOADER}`;
}

/** make_inputs(frames): the model's inputs from RGB clips, as the app makes them. */
function makeInputsPy(p: TorchProgram): string {
  const lines: string[] = [];
  const needsFlow = p.inputs.some((i) => i.kind === 'flow');
  for (const i of p.inputs) {
    if (i.kind === 'frames') {
      if (i.name !== 'frames') lines.push(`    ${i.name} = frames`);
    }
    else if (i.kind === 'frame-diff') lines.push(`    ${i.name} = frames[:, :, 1:] - frames[:, :, :-1]  # [N, C, T-1, H, W], exactly as the app`);
    else if (i.kind === 'flow') {
      const l = i.torchShape[1];
      lines.push(
        `    # ${l} consecutive flows from the centred window of frames (the app's flowWindowStart)`,
        `    start = (frames.shape[2] - 1 - ${l}) // 2`,
        `    g = grey(frames)`,
        `    pairs = [optical_flow(g[:, :, start + k], g[:, :, start + k + 1]) for k in range(${l})]`,
        `    ${i.name} = torch.stack(pairs, 2)  # [N, 2, ${l}, H, W]`,
      );
    } else lines.push(`    raise ValueError("input ${i.name} (${i.kind}) cannot be made from frames")`);
  }
  const head = `def make_inputs(frames):
    """The arguments of forward() from RGB clips [N, C, T, H, W] in [0, 1], in order."""
`;
  return `${needsFlow ? FLOW_PY.trimStart() + '\n\n' : ''}${head}${lines.join('\n')}
    return (${p.inputs.map((i) => i.name).join(', ')},)
`;
}

/** Helpers a helper needs, before it. */
function helperOrder(h: Helper): Helper[] {
  if (h === 'EncoderBlock' || h === 'DividedBlock') return ['Attention', 'Mlp', h];
  return [h];
}

function inputWords(kind: string): string {
  if (kind === 'flow') return 'optical flow, channels (dx, dy), L flows between consecutive frames';
  if (kind === 'frame-diff') return 'differences of consecutive frames';
  return 'RGB frames';
}
