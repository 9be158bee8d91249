export * from './interface.js';
export { createHisClient, type HisClient, type HisClientOptions } from './http-client.js';
