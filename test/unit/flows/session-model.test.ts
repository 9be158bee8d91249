import { getStateNodes } from 'xstate/graph';
import { sessionMachine, type SessionConfig } from '../../../flows/session/index.js';
import { HOSPITAL_ONLY_NODES, MODEL_EVENTS } from './model.js';
import { lastNode, modelSuite } from './model-suite.js';

/**
 * The citizen kiosk's machine walked by xstate/graph in three configurations (model-suite.ts). The
 * hospital profile's states are unreachable here (its menu services are not offered): they are
 * walked by hospital-model.test.ts.
 */

const RETURN_ALL = { lost: 'return', blacklisted: 'return', 'dead-holder': 'return' } as const;

/** Each configuration makes some branches impossible: the state nodes it cannot reach. */
const CONFIGS: [string, Partial<SessionConfig>, string[]][] = [
  [
    'defaults',
    {},
    [
      // Transient (`always`): the graph never rests there.
      'payDone.choosing',
      'takeCard.reminding',
      'cardError.reminding',
      'unavailable.reminding',
      // Status policy retain: a blocked card is never handed back.
      'cardBlocked.ejecting',
      'cardBlocked.atGate',
      'cardBlocked.reminding',
      // retainAfterLossReport false.
      'lossReported.retaining',
      'lossReported.reminding',
    ],
  ],
  [
    'retain disabled',
    { retainOnTakeTimeout: false },
    ['payDone.choosing', 'retaining', 'cardBlocked.ejecting', 'cardBlocked.atGate', 'cardBlocked.reminding', 'lossReported.retaining'],
  ],
  [
    'PIN only when needed, blocked cards returned, card kept after a loss report',
    { pinAtStart: false, statusPolicy: RETURN_ALL, retainAfterLossReport: true },
    [
      // Transient (`always`): the graph never rests there.
      'payDone.choosing',
      'takeCard.reminding',
      'cardError.reminding',
      'unavailable.reminding',
      'cardBlocked.retaining',
      'cardBlocked.reminding',
      'lossReported.ejecting',
      'lossReported.atGate',
      'lossReported.reminding',
    ],
  ],
];

/** State node ids the default configuration reaches (for sampling the other configurations' paths). */
const DEFAULT_NODES = new Set(
  getStateNodes(sessionMachine.root)
    .map((n) => n.id)
    .filter((id) => !CONFIGS[0]![2].map((u) => `session.${u}`).includes(id)),
);

for (const [i, [name, config, unreachable]] of CONFIGS.entries()) {
  modelSuite({
    name,
    config,
    unreachable: [...unreachable, ...HOSPITAL_ONLY_NODES],
    events: MODEL_EVENTS,
    // Every path for the default configuration; for the others (most of whose paths are the same
    // walk under another setting) every sixth, plus every path to a state node the defaults never
    // reach. The graph checks still cover every vertex of every configuration.
    ...(i === 0 ? {} : { sample: (p: { state: unknown }, n: number) => n % 6 === 0 || !DEFAULT_NODES.has(lastNode(p)) }),
  });
}
