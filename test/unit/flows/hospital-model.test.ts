import { HOSPITAL_EVENTS, HOSPITAL_ONLY_NODES } from './model.js';
import { lastNode, modelSuite } from './model-suite.js';

/**
 * The hospital profile's machine (config `services: 'hospital'`) walked by xstate/graph with the
 * same invariants as the citizen kiosk's (model-suite.ts): a way back to idle from every state,
 * finish while the card is inside, valid screens in both languages with no PIN and no full ssn,
 * offered controls act and others are ignored, and the live actor following the model.
 */
const HOSPITAL_NODES = HOSPITAL_ONLY_NODES.map((n) => `session.${n}`);

modelSuite({
  name: 'hospital',
  config: { services: 'hospital' },
  unreachable: [
    // Transient (`always`): the graph never rests there.
    'regDone.choosing',
    'payDone.choosing',
    'takeCard.reminding',
    'cardError.reminding',
    'unavailable.reminding',
    // Status policy retain (default): a blocked card is never handed back.
    'cardBlocked.ejecting',
    'cardBlocked.atGate',
    'cardBlocked.reminding',
    // The citizen kiosk's own services are not offered here (the contributions screen is, and is
    // walked with the kiosk's configurations).
    'changePin', 'changePin.old', 'changePin.new', 'changePin.confirm', 'changePin.applying', 'pinChanged',
    'reportLoss', 'reportLoss.asking', 'reportLoss.submitting',
    'lossReported', 'lossReported.retaining', 'lossReported.ejecting', 'lossReported.atGate', 'lossReported.reminding', 'lossReported.taken', 'lossReported.noCard',
    'liftLoss', 'liftLoss.asking', 'liftLoss.submitting', 'lossLifted',
    'serviceError',
    'records', 'records.loading', 'records.showing', 'printing', 'takeReceipt', 'printFailed',
    'payLoading', 'payNothingDue', 'paySelect', 'payAmount', 'payConfirm', 'payPin', 'paying',
    'payDone', 'payDone.printing', 'payDone.printed', 'payDone.noReceipt', 'payFailed', 'reprinting',
  ],
  events: HOSPITAL_EVENTS,
  // Every path to a registration state; of the rest (the shared card, PIN and ending states, the
  // kiosk's walk replays them all) every sixth.
  sample: (p, i) => i % 6 === 0 || HOSPITAL_NODES.includes(lastNode(p)),
});
