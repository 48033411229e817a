import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { useConv3DKernels } from '../lib/webgpu-conv3d/conv3d-kernels';
import { checkConv3DKernels } from '../lib/webgpu-conv3d/conv3d-check';
(window as unknown as Record<string, unknown>).__dbg = { tf, useConv3DKernels, checkConv3DKernels };
