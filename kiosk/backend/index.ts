export * from './interface.js';
export { createBackendClient, type BackendClient, type BackendClientOptions } from './http-client.js';
export { paths as backendPaths } from './wire.js';
