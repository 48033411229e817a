// train.py: a short PyTorch training script for the exported model on a folder of clips, with
// the app's sampling (mmaction.ts samplerViews) and its loss (cross-entropy on the model's
// probabilities) and optimiser defaults (Adam, 0.003, batch 8). One process, or several under
// `torchrun --nproc_per_node=N` with DistributedDataParallel (gloo on CPU, nccl on GPUs).
// Clips are decoded by the ffmpeg binary (resize the short side, centre crop), or read as .npy
// arrays [T, H, W, 3] uint8, so nothing beyond torch is needed.

import type { ExportContext } from './bundle';
import { samplerViews } from './mmaction';

export function trainPy(c: ExportContext): string {
  const v = samplerViews(c.sampling, c.clip.numFrames);
  const { height: h, width: w, numClasses: k } = c.clip;
  return `"""Train ${c.label} (model.py) on a folder of clips, on one machine or many.

    python train.py --data DIR [--val DIR] [--epochs 12] [--batch-size 8] [--lr 0.003]
    torchrun --nproc_per_node=N train.py --data DIR ...          (N processes, DDP)
    torchrun --nnodes=M --nproc_per_node=N --rdzv_backend=c10d --rdzv_endpoint=HOST:PORT train.py ...

DIR holds one folder per class: DIR/<class>/<clip>.mp4 (any format ffmpeg reads) or .npy
([T, H, W, 3] uint8). Classes are the sorted folder names (${k} for the exported head).
Sampling, as in the app: ${v.words}
"""

import argparse
import json
import os
import random
import subprocess

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from torch.utils.data.distributed import DistributedSampler

import model as exported

STRATEGY = "${c.sampling.strategy}"
CLIP_LEN = ${v.clipLen}
FRAME_INTERVAL = ${v.frameInterval}  # 0: spread over the whole clip
TEST_CLIPS = ${v.testClips}
HEIGHT, WIDTH = ${h}, ${w}
VIDEO_EXT = (".mp4", ".webm", ".mkv", ".avi", ".mov", ".gif", ".m4v")


def decode(path):
    """All frames of a clip as uint8 [F, H, W, 3] at the model's size (short side resized, centre crop)."""
    if path.endswith(".npy"):
        import numpy as np

        return torch.from_numpy(np.load(path))
    vf = f"scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=increase,crop={WIDTH}:{HEIGHT}"
    cmd = ["ffmpeg", "-v", "error", "-i", path, "-vf", vf, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    if not raw:
        raise ValueError(f"{path}: ffmpeg decoded no frames")
    return torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(-1, HEIGHT, WIDTH, 3)


def windows(total, train, rng):
    """Frame indices [K][T] of one read of a clip with \`total\` frames (short clips repeat the last frame)."""
    if STRATEGY == "spread":
        seg = total / CLIP_LEN
        pick = (lambda i: int(seg * i + rng.random() * seg)) if train else (lambda i: int(seg * (i + 0.5)))
        return [[min(pick(i), total - 1) for i in range(CLIP_LEN)]]
    span = (CLIP_LEN - 1) * FRAME_INTERVAL + 1
    room = max(total - span, 0)
    if STRATEGY == "uniform":
        starts = [0]
    elif train and STRATEGY in ("random-crop", "dense"):
        starts = [rng.randint(0, room)]
    elif STRATEGY in ("chunks", "dense") or (not train and TEST_CLIPS > 1):
        n = TEST_CLIPS
        starts = [round(i * room / (n - 1)) if n > 1 else room // 2 for i in range(n)]
        if train:  # one of the K windows per read
            starts = [rng.choice(starts)]
    else:
        starts = [room // 2]
    return [[min(s + i * FRAME_INTERVAL, total - 1) for i in range(CLIP_LEN)] for s in starts]


class ClipFolder(Dataset):
    def __init__(self, root, train, classes=None, seed=0):
        self.classes = classes or sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.items = [
            (os.path.join(root, c, f), label)
            for label, c in enumerate(self.classes)
            for f in sorted(os.listdir(os.path.join(root, c)))
            if f.lower().endswith(VIDEO_EXT + (".npy",))
        ]
        if not self.items:
            raise SystemExit(f"{root}: no clips (expected {root}/<class>/<clip>.mp4 or .npy)")
        self.train = train
        self.rng = random.Random(seed)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        frames = decode(path)  # [F, H, W, 3] uint8
        idx = windows(frames.shape[0], self.train, self.rng)
        clips = frames[torch.tensor(idx)].float().div(255)  # [K, T, H, W, 3] in [0, 1]
        return clips.permute(0, 4, 1, 2, 3), label  # [K, C, T, H, W]


def scores(net, clips):
    """Class probabilities [B, classes] of [B, K, C, T, H, W], averaged over the K windows."""
    b, k = clips.shape[:2]
    flat = clips.reshape(b * k, *clips.shape[2:])
    return net(*exported.make_inputs(flat)).reshape(b, k, -1).mean(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--val")
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--batch-size", type=int, default=8, help="per process")
    ap.add_argument("--lr", type=float, default=0.003)
    ap.add_argument("--weights", default=${c.hasWeights ? '"weights.safetensors"' : 'None'}, help="start from these (safetensors); empty: from scratch")
    ap.add_argument("--out", default="trained.pt")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(args.seed)

    train_set = ClipFolder(args.data, train=True, seed=args.seed + rank)
    if len(train_set.classes) != exported.NUM_CLASSES:
        raise SystemExit(f"{args.data} has {len(train_set.classes)} classes; the exported head has {exported.NUM_CLASSES}")
    sampler = DistributedSampler(train_set, shuffle=True, seed=args.seed) if world > 1 else None
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=sampler is None, sampler=sampler, num_workers=args.workers)

    net = exported.build_model()
    if args.weights:
        exported.load_weights(net, args.weights)
    net = net.to(device)
    if world > 1:
        if cuda:
            net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
        net = torch.nn.parallel.DistributedDataParallel(net, device_ids=[local] if cuda else None)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)

    summary = {}
    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        seen, loss_sum, right = 0, 0.0, 0
        for clips, labels in loader:
            clips, labels = clips.to(device), labels.to(device)
            probs = scores(net, clips)
            # the app's loss: cross-entropy on the model's probabilities (clipped at 1e-7, as tfjs)
            loss = F.nll_loss(torch.log(probs.clamp(1e-7, 1.0)), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            seen += labels.numel()
            loss_sum += loss.item() * labels.numel()
            right += (probs.argmax(1) == labels).sum().item()
        stats = torch.tensor([seen, loss_sum, right], dtype=torch.float64, device=device)
        if world > 1:
            dist.all_reduce(stats)
        summary = {"epoch": epoch + 1, "train_loss": stats[1].item() / stats[0].item(), "train_acc": stats[2].item() / stats[0].item(), "clips": int(stats[0].item())}
        if args.val:
            summary["val_acc"] = evaluate(net, args.val, train_set.classes, device)
        if rank == 0:
            print(json.dumps(summary), flush=True)
    if rank == 0:
        state = (net.module if world > 1 else net).state_dict()
        torch.save(state, args.out)
    if world > 1:
        dist.destroy_process_group()


@torch.no_grad()
def evaluate(net, root, classes, device):
    net.eval()
    data = ClipFolder(root, train=False, classes=classes)
    right = 0
    for clips, labels in DataLoader(data, batch_size=4):
        right += (scores(net, clips.to(device)).argmax(1).cpu() == labels).sum().item()
    return right / len(data)


if __name__ == "__main__":
    main()
`;
}
