// A lost WebGPU device (driver reset, GPU process crash, `device.destroy()`): end the running
// loop cleanly, start a backend again, and rebuild every run's model from the weights it kept
// on the CPU side (training/train-loop.ts), so finished runs still evaluate and an interrupted
// one continues from its last epoch. The page hears a `backend` event (the badge) and each
// run's status.
//
//   device.lost, or a failed step ─▶ really gone? (a 4-byte mapAsync fails) ─▶ loops end, models freed
//               ─▶ restartBackend (WebGPU on a new device, else WebGL/CPU, saying why)
//               ─▶ loops rebuilt from their kept weights ─▶ {type:'backend', report} ─▶ page
//
// Measured in headless Chromium on SwiftShader: `lost` can resolve ("A valid external Instance
// reference no longer exists") while the device goes on computing correct results, so the
// device is probed before anything is torn down; a device that still maps a buffer is kept.
// Since `lost` resolves once, a step that fails later has the device probed again
// (`checkDeviceAfterFailure`).

import * as tf from '@tensorflow/tfjs';
import type { HandlerContext } from './protocol';
import { restartBackend } from './backend-start';
import type { TrainLoop } from '../training/train-loop';
import { backendLabel } from '../lib/tf-backend';
import { errorText } from '../lib/errors';

interface LostInfo {
  message: string;
  reason?: string;
}
interface WatchedDevice {
  lost: Promise<LostInfo>;
  createBuffer(desc: { size: number; usage: number }): { mapAsync(mode: number): Promise<void>; unmap(): void; destroy(): void };
}

// GPUBufferUsage.MAP_READ | COPY_DST and GPUMapMode.READ, as numbers (no WebGPU types here).
const MAP_READ_COPY_DST = 0x1 | 0x8;
const MAP_MODE_READ = 0x1;

const watched = new WeakSet<object>();
let recovering: Promise<void> | null = null;
/** The device watched last, with what its recovery needs. */
let current: { device: WatchedDevice; ctx: HandlerContext; loops: Loops; why?: string } | null = null;

/** A run request waits for a recovery in progress (the new backend and rebuilt models). */
export function deviceRecovery(): Promise<void> {
  return recovering ?? Promise.resolve();
}

/** The worker's training loops (handlers/train.ts), whatever their status. */
type Loops = () => TrainLoop[];

/** Watch the current WebGPU device's `lost` promise (once per device; nothing on other backends). */
export function watchDevice(ctx: HandlerContext, loops: Loops): void {
  if (tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: WatchedDevice }).device;
  if (!device?.lost || watched.has(device)) return;
  watched.add(device);
  const entry: NonNullable<typeof current> = { device, ctx, loops };
  current = entry;
  void device.lost.then(async (info) => {
    const why = `${(info.message || 'no reason given').replace(/\.$/, '')}; reason: ${info.reason ?? 'unknown'}`;
    entry.why = why; // a failed step's probe may finish first: it names this reason too
    if (!(await isGone(device))) {
      ctx.emit({ type: 'log', level: 'warn', message: `WebGPU reported the device lost (${why}) but it still computes; training goes on.` });
      return;
    }
    startRecovery(device, why);
  });
}

/** A training step failed: if the WebGPU device is gone (whatever `lost` said before), recover. */
export function checkDeviceAfterFailure(): void {
  const watchedNow = current;
  if (!watchedNow || recovering || tf.getBackend() !== 'webgpu') return;
  void isGone(watchedNow.device).then((gone) => {
    if (gone) startRecovery(watchedNow.device, watchedNow.why ?? 'a training step failed and the device no longer maps a buffer');
  });
}

function startRecovery(device: WatchedDevice, why: string): void {
  if (recovering || current?.device !== device) return;
  const { ctx, loops } = current;
  current = null;
  recovering = recover(why, ctx, loops).finally(() => (recovering = null));
}

async function isGone(device: WatchedDevice): Promise<boolean> {
  try {
    const probe = device.createBuffer({ size: 4, usage: MAP_READ_COPY_DST });
    await probe.mapAsync(MAP_MODE_READ);
    probe.unmap();
    probe.destroy();
    return false;
  } catch {
    return true;
  }
}

async function recover(why: string, ctx: HandlerContext, allLoops: Loops): Promise<void> {
  const lost = `The GPU device was lost (${why})`;
  const loops = allLoops();
  await Promise.all(loops.map((l) => l.loseDevice(`${lost} during training: the run stopped cleanly, and its model goes back to the weights kept after its last finished epoch once a backend runs again.`)));
  let report;
  try {
    report = await restartBackend(lost);
  } catch (e) {
    ctx.emit({ type: 'log', level: 'error', message: `${lost}, and no backend could start again: ${errorText(e)}. Reload the page.` });
    return;
  }
  watchDevice(ctx, allLoops);
  const on = backendLabel(report.backend);
  for (const l of loops) {
    try {
      l.recover(`${lost}. The model was rebuilt on ${on} from the weights kept after its last finished epoch: resume to continue.`);
    } catch (e) {
      ctx.emit({ type: 'log', level: 'error', message: `A run's model could not be rebuilt on ${on}: ${errorText(e)}.` });
    }
  }
  // The report's fallbackReason says what was lost and what runs now; the note, what became of the runs.
  ctx.emit({ type: 'backend', report, message: `Runs and clips are kept: each run's model was rebuilt on ${on} from the weights kept after its last finished epoch.` });
}
