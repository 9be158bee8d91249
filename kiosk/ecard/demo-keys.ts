/**
 * !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
 * DEMO KEYS ONLY. The private keys below are public (they are in this repository): anyone can sign
 * a code that a terminal trusting `demo-1` accepts. They exist so that the embedded backend, the
 * simulator and the tests can issue electronic card codes. A terminal in production trusts only
 * the public keys of its agency's issuer, set in config (`ecard.publicKeys`), never these.
 * !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
 *
 * Ed25519, generated once with node:crypto generateKeyPairSync('ed25519'): SPKI / PKCS#8 PEM.
 */

/** The embedded backend's issuing key id. */
export const DEMO_ECARD_KID = 'demo-1';

export const DEMO_ECARD_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEApIfZEE9HQILkXzfEbp0nTs/nBg4eorZ/f41w1r3sUIU=
-----END PUBLIC KEY-----
`;

/** DEMO ONLY: see the banner above. */
export const DEMO_ECARD_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKGCu7g4LE9Daw+SrMsD7FPKO73uAOr+fV5hbSVOCkK+
-----END PRIVATE KEY-----
`;

/**
 * A second issuer that no terminal trusts: codes signed with it exercise ECARD_FOREIGN (another
 * region's or a counterfeit issuer's code).
 */
export const FOREIGN_ECARD_KID = 'foreign-1';

export const FOREIGN_ECARD_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAhPJL2D03gRuHPq4UG2Twx8lKU9yPVf7u9EnLh0xmoAE=
-----END PUBLIC KEY-----
`;

/** DEMO ONLY: see the banner above. */
export const FOREIGN_ECARD_PRIVATE_KEY_PEM = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIMfJLKqIERQBeJnGmkVv1WewU81O05evOsEMg3OfsHAi
-----END PRIVATE KEY-----
`;

/** What a simulated terminal trusts: the demo issuer only. */
export const DEMO_ECARD_PUBLIC_KEYS: Readonly<Record<string, string>> = { [DEMO_ECARD_KID]: DEMO_ECARD_PUBLIC_KEY_PEM };
