// conv (no bias: BN's shift replaces it) → BN (→ ReLU): the unit the 2D conv stacks, the C3D
// stack, the video ResNets and SlowFast repeat, in 2D or 3D by the kernel's shape.
//
//   [..., H, W, C] ─▶ conv ─▶ BN ─▶ ReLU ─▶ [..., H', W', F]    (names: name, name.bn, name.relu)

import type { ConvSpec, Net } from './net';

export interface ConvBnNames {
  /** Layer name of the BN, default `<conv>.bn`. */
  bn?: string;
  /** Start the BN's scale at 0 (the last BN of a residual branch). */
  zeroGamma?: boolean;
}

/** conv → BN. */
export function convBn<X>(net: Net<X>, x: X, o: Omit<ConvSpec, 'bias'>, n: ConvBnNames = {}): X {
  return net.batchNorm(net.conv(x, { ...o, bias: false }), n.bn ?? `${o.name}.bn`, {
    zeroGamma: n.zeroGamma,
  });
}

/** conv → BN → ReLU; the ReLU is named `<conv>.relu` unless `n.relu` says otherwise. */
export function convBnRelu<X>(
  net: Net<X>,
  x: X,
  o: Omit<ConvSpec, 'bias'>,
  n: ConvBnNames & { relu?: string } = {},
): X {
  return net.relu(convBn(net, x, o, n), n.relu ?? `${o.name}.relu`);
}
