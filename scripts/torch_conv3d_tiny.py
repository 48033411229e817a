"""The conv3d:tiny training step in PyTorch on the CPU, as the reference for the app's CPU-only gap.

The same net as the app's conv3d:tiny preset (`npm run describe -- conv3d:tiny`): on a clip of
8×32×32×3, conv3d 3×3×3 'same' → 8 ch (no bias) → batch norm → ReLU → max pool 1×2×2 →
conv3d 3×3×3 'same' → 16 ch (no bias) → batch norm → ReLU → max pool 2×2×2 → mean over
T·H·W → dense 16 → 4 → softmax; the same step as the bench's (src/bench/workloads.ts
trainStep): batch of 4 random clips, categorical cross-entropy, Adam (lr 1e-3), loss read back.

Prints one JSON object: torch version, threads, first-step and median ms over the timed steps.
Run by scripts/bench-workloads.ts (families group) when Python can import torch; optional.
Usage: python3 scripts/torch_conv3d_tiny.py [--steps N] [--threads N]
"""

import argparse
import json
import os
import statistics
import time

import torch
from torch import nn


def tiny_net() -> nn.Module:
    # NCDHW: [N, 3, 8, 32, 32]; 'same' padding 1 for 3×3×3 at stride 1.
    return nn.Sequential(
        nn.Conv3d(3, 8, 3, padding=1, bias=False),  # 8×32×32×8: 648 weights
        nn.BatchNorm3d(8, eps=1e-3, momentum=0.01),
        nn.ReLU(),
        nn.MaxPool3d((1, 2, 2)),  # 8×16×16×8
        nn.Conv3d(8, 16, 3, padding=1, bias=False),  # 8×16×16×16: 3,456 weights
        nn.BatchNorm3d(16, eps=1e-3, momentum=0.01),
        nn.ReLU(),
        nn.MaxPool3d((2, 2, 2)),  # 4×8×8×16
        nn.AdaptiveAvgPool3d(1),
        nn.Flatten(),  # 16
        nn.Linear(16, 4),  # logits; softmax + cross-entropy below
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.steps < 2 or args.threads < 1:
        raise SystemExit("--steps must be ≥ 2 and --threads ≥ 1")
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = tiny_net()
    params = sum(p.numel() for p in net.parameters() if p.requires_grad)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(4, 3, 8, 32, 32)
    y = torch.arange(4) % 4
    loss_fn = nn.CrossEntropyLoss()
    ms = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        v = loss.item()  # the read-back
        ms.append((time.perf_counter() - t0) * 1000)
        if v != v:
            raise SystemExit("the loss became NaN")
    timed = ms[1:]
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "trainableParams": params,
                "steps": len(timed),
                "firstStepMs": round(ms[0], 2),
                "medianMs": round(statistics.median(timed), 2),
                "minMs": round(min(timed), 2),
            }
        )
    )


if __name__ == "__main__":
    main()
