// The benchmark groups `npm run bench` runs (scripts/bench.ts), by name, in the order a full run
// takes them. Each group but two opens bench.html, starts the bench worker on a backend
// (src/bench/bench.worker.ts) and sends it bench requests: GPU kernels (bench-kernels.ts),
// training and flow workloads (bench-workloads.ts); the sampling group runs on the page (no
// worker), and train-to-verdict drives the app itself, as a user would (bench-page.ts). The
// report: bench-report.ts.

import type { BenchContext, GroupResult } from './bench-context';
import { conv3dGroup, kernelsGroup } from './bench-kernels';
import { familiesGroup, flowGroup, memoryGroup } from './bench-workloads';
import { responsivenessGroup, samplingGroup, trainToVerdictGroup } from './bench-page';

export const GROUPS = {
  conv3d: conv3dGroup,
  families: familiesGroup,
  kernels: kernelsGroup,
  sampling: samplingGroup,
  flow: flowGroup,
  'train-to-verdict': trainToVerdictGroup,
  responsiveness: responsivenessGroup,
  memory: memoryGroup,
} satisfies Record<string, (ctx: BenchContext) => Promise<GroupResult>>;
export type GroupName = keyof typeof GROUPS;
