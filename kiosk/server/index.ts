export { createUiServer, type UiServer, type UiServerOptions } from './ui-server.js';
export type { SnapshotHub, SimPanelApi, SimPanelState, SimResult, ReceiptPng } from './hub.js';
