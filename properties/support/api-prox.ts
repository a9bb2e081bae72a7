/** Proximal operators' public entry points, for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import {
  elasticNet,
  firmThreshold,
  groupSoftThreshold,
  hardThreshold,
  nonNegSoftThreshold,
  projL1Ball,
  projL2Ball,
  projLInfBall,
  softThreshold,
  tv1d,
  type ProxOperator,
} from '../../src/prox/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const x = tensor([
  [1, -2, 3],
  [0.5, 0, -1],
]);
const nonNegative = (valid: number): ArgSpec => ({ kind: 'number', valid, min: 0 });

/** prox(x, hyper, scaling) of an operator whose hyper is named `hyperName`. */
function proxEntry(
  name: string,
  op: ProxOperator,
  hyperName: string,
  ranks?: number[],
  scaling = true,
): ApiEntry {
  const args = [
    { name: 'x', spec: { kind: 'tensor', rank: ranks, valid: x } as ArgSpec },
    { name: hyperName, spec: nonNegative(0.5) },
    ...(scaling ? [{ name: 'scaling', spec: nonNegative(1) }] : []),
  ];
  return { fn: name, call: (t, h, s) => op.prox(t as Tensor, h as number, s as number | undefined), args };
}

export const proxApi: ApiEntry[] = [
  proxEntry('softThreshold', softThreshold, 'lambda'),
  proxEntry('nonNegSoftThreshold', nonNegSoftThreshold, 'lambda'),
  proxEntry('hardThreshold', hardThreshold, 'lambda'),
  proxEntry('firmThreshold', firmThreshold(3), 'lambda'),
  proxEntry('elasticNet', elasticNet(0.5), 'lambda'),
  proxEntry('groupSoftThreshold', groupSoftThreshold([[0, 1], [2]]), 'lambda', [1, 2]),
  proxEntry('tv1d', tv1d, 'lambda', [1, 2]),
  proxEntry('projL2Ball', projL2Ball, 'radius', [1, 2], false),
  proxEntry('projLInfBall', projLInfBall, 'radius', undefined, false),
  proxEntry('projL1Ball', projL1Ball, 'radius', [1, 2], false),
  {
    fn: 'firmThreshold',
    call: (g) => firmThreshold(g as number),
    args: [{ name: 'gamma', spec: { kind: 'number', valid: 2, min: 1, exclusiveMin: true } }],
  },
  {
    fn: 'elasticNet',
    call: (mu) => elasticNet(mu as number),
    args: [{ name: 'mu', spec: nonNegative(0.1) }],
  },
];
