/**
 * TEST KEYS for simulated devices only. A production pad receives its master key in a key
 * ceremony and the host only ever sees the working key's cryptogram and check value (config).
 */
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'ascii'));

export const DEMO_PIN_MASTER_KEY = ascii('TEST-PINPAD-MK01');
/** The working PIN key; the simulated bank shares it to verify online PIN blocks. */
export const DEMO_PIN_WORKING_KEY = ascii('TEST-PINPAD-PK01');
