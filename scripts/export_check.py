"""Checks a Clipscope PyTorch export (npm run export) in PyTorch.

    python3 scripts/export_check.py DIR [DIR ...]

For each DIR: imports DIR/model.py (plain PyTorch), builds the model and compares its parameter
count (nn.Parameters) and batch-norm statistics (running_mean + running_var) with describe's in
check.json. When the export has weights, loads weights.safetensors (json + torch.frombuffer; no
safetensors package needed), runs check.json's inputs in eval mode and compares the output with
the browser model's (tfjs) within check.json's relative tolerance: max |torch − tfjs| ≤ tol ·
max |tfjs|. Prints one JSON line per DIR; exits 1 if any check fails.
"""

import contextlib
import importlib.util
import json
import os
import sys

import torch


@contextlib.contextmanager
def skipped_init():
    """Counting parameters needs no random initialisation: paper-scale models build 5x faster."""
    names = ["kaiming_uniform_", "kaiming_normal_", "uniform_", "normal_", "xavier_uniform_", "orthogonal_", "trunc_normal_"]
    saved = {n: getattr(torch.nn.init, n) for n in names}
    randn = torch.randn
    try:
        for n in names:
            setattr(torch.nn.init, n, lambda t, *a, **k: t)
        torch.randn = lambda *size, **k: torch.empty(*size, **k)
        yield
    finally:
        for n, f in saved.items():
            setattr(torch.nn.init, n, f)
        torch.randn = randn


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(folder, index):
    with open(os.path.join(folder, "check.json")) as f:
        expect = json.load(f)
    model_py = load_module(os.path.join(folder, "model.py"), f"clipscope_export_{index}")
    if expect["logits"] is None:
        with skipped_init():
            net = model_py.build_model()
    else:
        net = model_py.build_model()
    trainable = sum(p.numel() for p in net.parameters())
    stats = sum(b.numel() for n, b in net.named_buffers() if n.endswith(("running_mean", "running_var")))
    result = {
        "model": expect["model"],
        "params": trainable,
        "bn_stats": stats,
        "describe": expect["params"],
        "counts_ok": trainable == expect["params"]["trainable"] and stats == expect["params"]["nonTrainable"],
    }
    ok = result["counts_ok"]
    weights = os.path.join(folder, "weights.safetensors")
    if expect["logits"] is not None:
        model_py.load_weights(net, weights)
        net.eval()
        xs = [torch.tensor(i["data"], dtype=torch.float32).reshape(i["shape"]) for i in expect["inputs"]]
        with torch.no_grad():
            got = net(*xs)
        want = torch.tensor(expect["logits"], dtype=torch.float32)
        if got.shape != want.shape:
            result["logits_ok"] = False
            result["error"] = f"output shape {list(got.shape)}, expected {list(want.shape)}"
        else:
            err = (got - want).abs().max().item()
            scale = want.abs().max().item()
            rel = err / max(scale, 1e-12)
            result["max_abs_err"] = err
            result["rel_err"] = rel
            result["logits_ok"] = rel <= expect["tolerance"]["relative"]
            # the export is a trained model, not a constant one
            result["outputs_differ"] = bool((want - want.mean(0, keepdim=True)).abs().max().item() > 0)
        ok = ok and result["logits_ok"]
    elif os.path.exists(weights):
        result["error"] = "weights.safetensors without logits in check.json"
        ok = False
    result["ok"] = ok
    return result


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    torch.manual_seed(0)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    all_ok = True
    for i, folder in enumerate(argv):
        try:
            r = check(folder, i)
        except Exception as e:  # report and go on with the next folder
            r = {"model": folder, "ok": False, "error": f"{type(e).__name__}: {e}"}
        all_ok = all_ok and r["ok"]
        print(json.dumps(r), flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
