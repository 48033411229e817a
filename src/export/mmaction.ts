// mmaction2_config.py: an MMAction2 (1.x, MMEngine-style) config for the exported model. The
// app's sampling (data/sampling.ts) becomes the pipeline's frame sampler for the train and test
// views, the model's input size the resize + centre crop, and the app's input scaling ([0, 1]
// pixels, no mean/std) the data preprocessor. The model is a small custom recognizer, registered
// by mmaction2_clipscope.py, that builds model.py (and loads weights.safetensors); the closest
// built-in MMAction2 recognizer is named beside it for whoever wants to start from there.

import type { Strategy } from '../data/sampling';
import type { ExportContext } from './bundle';

/** The sampling settings the export carries (the page's sampling explorer, or the defaults). */
export interface ExportSampling {
  strategy: Strategy;
  /** Frame interval s of the page's plan (every s-th frame of the video). */
  stride: number;
  /** K windows at test time (chunks, dense). */
  chunks: number;
}

export interface SamplerViews {
  /** Python dict literals of the train and test views' samplers. */
  train: string;
  test: string;
  /** What the app does and how MMAction2's sampler matches it. */
  words: string;
  /** The same numbers for train.py. */
  clipLen: number;
  frameInterval: number;
  testClips: number;
}

/** The app's strategy as MMAction2 samplers (train and test views). */
export function samplerViews(s: ExportSampling, numFrames: number): SamplerViews {
  const t = numFrames;
  const sf = (interval: number, clips: number, test: boolean) => `dict(type="SampleFrames", clip_len=${t}, frame_interval=${interval}, num_clips=${clips}${test ? ', test_mode=True' : ''})`;
  switch (s.strategy) {
    case 'spread':
      return {
        train: `dict(type="UniformSampleFrames", clip_len=${t}, num_clips=1)`,
        test: `dict(type="UniformSampleFrames", clip_len=${t}, num_clips=1, test_mode=True)`,
        words: `spread: ${t} frames at the centres of ${t} equal segments of the whole clip (TSN style); MMAction2's UniformSampleFrames draws one frame per segment (at random in training, centred at test).`,
        clipLen: t,
        frameInterval: 0,
        testClips: 1,
      };
    case 'chunks':
      return {
        train: sf(s.stride, s.chunks, false),
        test: sf(s.stride, s.chunks, true),
        words: `chunks: K = ${s.chunks} windows of ${t} frames every ${s.stride} frames, evenly spaced over the clip; the scores of the K windows are averaged.`,
        clipLen: t,
        frameInterval: s.stride,
        testClips: s.chunks,
      };
    case 'dense':
      return {
        train: sf(1, 1, false),
        test: sf(1, s.chunks, true),
        words: `dense: every frame; training reads a random window of ${t} consecutive frames, validation and inference K = ${s.chunks} windows.`,
        clipLen: t,
        frameInterval: 1,
        testClips: s.chunks,
      };
    case 'random-crop':
    case 'uniform':
      return {
        train: sf(s.stride, 1, false),
        test: sf(s.stride, 1, true),
        words:
          s.strategy === 'uniform'
            ? `uniform: ${t} frames every ${s.stride} frames from a fixed start; MMAction2's SampleFrames draws the window's start at random in training and centres it at test (closest view).`
            : `random-crop: a window of ${t} frames every ${s.stride} frames at a random start in training, the centred window at test.`,
        clipLen: t,
        frameInterval: s.stride,
        testClips: 1,
      };
  }
}

/** The closest built-in MMAction2 recognizer, as a config dict (a starting point, not these weights). */
function closestRecognizer(c: ExportContext): { dict: string; words: string } {
  const cfg = c.config as { variant?: string; attention?: string };
  const k = c.clip.numClasses;
  const pre = `data_preprocessor=dict(type="ActionDataPreprocessor", mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], format_shape="NCTHW")`;
  const pre2d = pre.replace('NCTHW', 'NCHW');
  if (c.family === 'conv3d') {
    if (cfg.variant === 'c3d') return { words: 'C3D', dict: `dict(type="Recognizer3D", backbone=dict(type="C3D", dropout_ratio=0.5), cls_head=dict(type="I3DHead", num_classes=${k}, in_channels=4096, spatial_type=None), ${pre})` };
    if (cfg.variant === 'r2plus1d') return { words: 'R(2+1)D', dict: `dict(type="Recognizer3D", backbone=dict(type="ResNet2Plus1d", depth=34, pretrained=None, pretrained2d=False, norm_eval=False, conv_cfg=dict(type="Conv2plus1d"), norm_cfg=dict(type="SyncBN", requires_grad=True, eps=1e-3), act_cfg=dict(type="ReLU"), conv1_kernel=(3, 7, 7), conv1_stride_t=1, pool1_stride_t=1, inflate=(1, 1, 1, 1), spatial_strides=(1, 2, 2, 2), temporal_strides=(1, 2, 2, 2), zero_init_residual=False), cls_head=dict(type="I3DHead", num_classes=${k}, in_channels=512), ${pre})` };
    return { words: '3D ResNet (ResNet3d)', dict: `dict(type="Recognizer3D", backbone=dict(type="ResNet3d", depth=18, pretrained=None, pretrained2d=False, inflate=(1, 1, 1, 1)), cls_head=dict(type="I3DHead", num_classes=${k}, in_channels=512), ${pre})` };
  }
  if (c.family === 'two-stream' && cfg.variant === 'slowfast')
    return { words: 'SlowFast', dict: `dict(type="Recognizer3D", backbone=dict(type="ResNet3dSlowFast", pretrained=None, resample_rate=8, speed_ratio=8, channel_ratio=8), cls_head=dict(type="SlowFastHead", in_channels=2304, num_classes=${k}), ${pre})` };
  if (c.family === 'transformer') {
    const attention = cfg.attention === 'joint' ? 'joint_space_time' : 'divided_space_time';
    return { words: `TimeSformer (${attention})`, dict: `dict(type="Recognizer3D", backbone=dict(type="TimeSformer", num_frames=${c.clip.numFrames}, img_size=${c.clip.height}, patch_size=16, embed_dims=768, attention_type="${attention}"), cls_head=dict(type="TimeSformerHead", num_classes=${k}, in_channels=768), ${pre.replace('mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375]', 'mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5]')})` };
  }
  // single frame, late / early fusion, CNN+RNN, the two-stream CNNs: TSN-style 2D recognizer
  return { words: 'TSN-style 2D recognizer (ResNet + TSNHead, average consensus)', dict: `dict(type="Recognizer2D", backbone=dict(type="ResNet", depth=18, pretrained=None), cls_head=dict(type="TSNHead", num_classes=${k}, in_channels=512, consensus=dict(type="AvgConsensus", dim=1)), ${pre2d})` };
}

const pipeline = (sampler: string, h: number, w: number) => `[
    dict(type="DecordInit"),
    ${sampler},
    dict(type="DecordDecode"),
    dict(type="Resize", scale=(-1, ${Math.max(h, w)})),  # short side, aspect kept (the app's centreCrop)
    dict(type="CenterCrop", crop_size=(${w}, ${h})),
    dict(type="FormatShape", input_format="NCTHW"),
    dict(type="PackActionInputs"),
]`;

export function mmactionConfig(c: ExportContext): string {
  const v = samplerViews(c.sampling, c.clip.numFrames);
  const { height: h, width: w, numClasses: k } = c.clip;
  const closest = closestRecognizer(c);
  return `# MMAction2 (1.x) config for ${c.label}, exported from Clipscope.
#
# Sampling, as in the app: ${v.words}
# Input: ${c.clip.numFrames} frames of ${h}x${w} RGB, pixels scaled to [0, 1] (mean 0, std 255), no
# other normalisation: what the browser's model was trained on.
#
# Run:  python tools/train.py mmaction2_config.py                   (from an MMAction2 checkout,
#       bash tools/dist_train.sh mmaction2_config.py N               with this folder on PYTHONPATH)
# The model is model.py, wrapped by mmaction2_clipscope.py (ClipscopeRecognizer); the closest
# built-in recognizer, ${closest.words}, is \`closest_recognizer\` below (its own layers and names,
# not these weights).

custom_imports = dict(imports=["mmaction2_clipscope"], allow_failed_imports=False)
default_scope = "mmaction"

model = dict(
    type="ClipscopeRecognizer",
    weights=${c.hasWeights ? '"weights.safetensors"' : 'None'},
    data_preprocessor=dict(type="ActionDataPreprocessor", mean=[0.0, 0.0, 0.0], std=[255.0, 255.0, 255.0], format_shape="NCTHW"),
)

closest_recognizer = ${closest.dict}

num_classes = ${k}
clip_len = ${v.clipLen}
frame_interval = ${v.frameInterval}

dataset_type = "VideoDataset"
data_root = "data/train"
data_root_val = "data/val"
ann_file_train = "data/train_list.txt"  # lines "<class>/<clip>.mp4 <label>"
ann_file_val = "data/val_list.txt"

train_pipeline = ${pipeline(v.train, h, w)}
val_pipeline = ${pipeline(v.test, h, w)}
test_pipeline = val_pipeline

train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type="DefaultSampler", shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file_train, data_prefix=dict(video=data_root), pipeline=train_pipeline),
)
val_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type="DefaultSampler", shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file_val, data_prefix=dict(video=data_root_val), pipeline=val_pipeline, test_mode=True),
)
test_dataloader = val_dataloader
val_evaluator = dict(type="AccMetric")
test_evaluator = val_evaluator

train_cfg = dict(type="EpochBasedTrainLoop", max_epochs=12, val_begin=1, val_interval=1)
val_cfg = dict(type="ValLoop")
test_cfg = dict(type="TestLoop")
optim_wrapper = dict(optimizer=dict(type="Adam", lr=0.003))  # the app's defaults
default_hooks = dict(checkpoint=dict(type="CheckpointHook", interval=1), logger=dict(type="LoggerHook", interval=20))
env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend="nccl"))
`;
}

/** mmaction2_clipscope.py: registers ClipscopeRecognizer (model.py inside MMAction2). */
export function mmactionModule(c: ExportContext): string {
  return `"""Registers ClipscopeRecognizer with MMAction2: ${c.label} (model.py) as a recognizer.
Imported by mmaction2_config.py through custom_imports; keep this folder on PYTHONPATH."""

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmaction.registry import MODELS

import model as exported


@MODELS.register_module()
class ClipscopeRecognizer(BaseModel):
    def __init__(self, weights=None, data_preprocessor=None):
        super().__init__(data_preprocessor=data_preprocessor)
        self.net = exported.build_model()
        if weights:
            exported.load_weights(self.net, weights)

    def forward(self, inputs, data_samples=None, mode="tensor"):
        # inputs [B, K, C, T, H, W] (K views per video); scores averaged over the K views
        b, k = inputs.shape[:2]
        clips = inputs.reshape(b * k, *inputs.shape[2:])
        probs = self.net(*exported.make_inputs(clips)).reshape(b, k, -1).mean(1)
        if mode == "tensor":
            return probs
        if mode == "loss":
            labels = torch.cat([d.gt_label.view(-1) for d in data_samples]).to(probs.device)
            return {"loss_cls": F.nll_loss(torch.log(probs.clamp_min(1e-7)), labels)}
        for d, p in zip(data_samples, probs):
            d.set_pred_score(p)
            d.set_pred_label(p.argmax(keepdim=True))
        return data_samples
`;
}
