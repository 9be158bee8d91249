import type { DenyReason } from './types.js';

/**
 * What a failed identification means for the citizen. Codes come from the card layer (CARD_*),
 * the reader (READER_*, LINK_*), the PSAM and the electronic card code check (ECARD_*).
 */
export function denyReasonOf(err: unknown): DenyReason {
  const code = (err as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'CARD_REMOVED':
    case 'READER_CARD_REMOVED':
    case 'READER_NO_CONTACTLESS':
      return 'tap-again';
    case 'READER_SEVERAL_CARDS':
      return 'several-cards';
    case 'CARD_NOT_SSC':
      return 'not-ssc';
    case 'CARD_NOT_GENUINE':
      return 'not-genuine';
    case 'CARD_EXPIRED':
      return 'card-expired';
    case 'ECARD_EXPIRED':
    case 'ECARD_NOT_YET_VALID':
      return 'code-expired';
    case 'ECARD_TAMPERED':
      return 'code-tampered';
    case 'ECARD_FOREIGN':
      return 'code-foreign';
    case 'ECARD_MALFORMED':
      return 'code-malformed';
    case 'ECARD_REVOKED':
    case 'ECARD_UNKNOWN':
      return 'code-revoked';
    default:
      return 'unreadable';
  }
}
