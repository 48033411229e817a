// README.md of an export: what each file is and how to run it on one machine and on many.

import type { ExportContext } from './bundle';
import { samplerViews } from './mmaction';

export function readmeMd(c: ExportContext): string {
  const v = samplerViews(c.sampling, c.clip.numFrames);
  const args = c.program.inputs.map((i) => `${i.name} [N, ${i.torchShape.join(', ')}]`).join(', ');
  const t = c.description.totals;
  return `# ${c.label}, exported from Clipscope

Plain PyTorch (≥ 1.13) for the model you explored in the browser, its weights, and its sampling.

| file | what |
|---|---|
| \`model.py\` | the model, one \`nn.Module\` with the tfjs layer names; \`build_model()\`, \`load_weights()\`, \`make_inputs(frames)\` |
| \`weights.safetensors\` | ${c.hasWeights ? `the weights (${c.weightsFrom}), named as \`state_dict()\` expects` : 'not included: a paper-scale preset is exported as code only (train it from scratch)'} |
| \`check.json\` | ${c.hasWeights ? `a seeded input and the browser model's output for it (tfjs, ${c.backend} backend, eval mode), and describe's parameter counts` : "describe's parameter counts"} |
| \`mmaction2_config.py\`, \`mmaction2_clipscope.py\` | an MMAction2 config with the same sampling and input, and the recognizer that wraps model.py |
| \`train.py\` | a short training script: one process, or many with \`torchrun\` |

Model: ${t.trainableParams.toLocaleString('en-US')} trainable parameters and ${t.nonTrainableParams.toLocaleString('en-US')} batch-norm statistics.
\`forward(${c.program.inputs.map((i) => i.name).join(', ')})\` takes ${args} (channels-first clips (N, C, T, H, W), pixels in [0, 1]${c.program.inputs.length > 1 ? '; make the second from RGB clips with `make_inputs`' : ''}) and returns class probabilities [N, ${c.clip.numClasses}].

Sampling: ${v.words}

## Check it

\`\`\`python
import json, torch, model
net = model.load_weights(model.build_model()).eval()
check = json.load(open("check.json"))
xs = [torch.tensor(i["data"]).reshape(i["shape"]) for i in check["inputs"]]
print((net(*xs) - torch.tensor(check["logits"])).abs().max())   # ~1e-6
\`\`\`

## Train on one machine

\`\`\`sh
python train.py --data clips/train --val clips/val --epochs 12
\`\`\`

\`clips/train/<class>/<clip>.mp4\` (any format the \`ffmpeg\` binary reads, or \`.npy\` [T, H, W, 3] uint8);
${c.clip.numClasses} class folders for the exported head.

## When one machine is not enough

\`train.py\` runs under \`torchrun\` with DistributedDataParallel (one process per GPU, NCCL; gloo on CPUs):

\`\`\`sh
torchrun --nproc_per_node=8 train.py --data clips/train --epochs 12                      # one machine, 8 GPUs
torchrun --nnodes=4 --nproc_per_node=8 --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 \\
         train.py --data clips/train --epochs 12                                           # 4 machines
\`\`\`

\`--batch-size\` is per process; scale \`--lr\` with the total batch. torchrun only sets
\`MASTER_ADDR\`, \`MASTER_PORT\`, \`WORLD_SIZE\`, \`RANK\` and \`LOCAL_RANK\` for each process; where its
launcher fails (PyTorch 1.13 on Python 3.11: \`AttributeError\` in \`to_map\`), start the processes
with those variables yourself:

\`\`\`sh
for r in 0 1; do MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 WORLD_SIZE=2 RANK=$r LOCAL_RANK=$r python train.py --data clips/train & done; wait
\`\`\`

Or use MMAction2's engine:

\`\`\`sh
cd mmaction2 && PYTHONPATH=/path/to/this/folder bash tools/dist_train.sh /path/to/this/folder/mmaction2_config.py 8
\`\`\`
`;
}
