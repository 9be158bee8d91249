export { gateMachine, type GateMachine } from './machine.js';
export { GateConfigSchema, type GateConfig, type GateConfigInput } from './config.js';
export { gateScreenOf, type GateSnapshot } from './snapshot.js';
export { denyReasonOf } from './errors.js';
export * from './types.js';
