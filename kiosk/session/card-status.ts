import type { Logger } from '../../drivers/common/log.js';
import { maskId } from '../../drivers/common/mask.js';
import type { SocialSecurityBackend } from '../backend/interface.js';
import type { Blacklist } from '../blacklist/blacklist.js';
import type { CardInfo } from '../card/card-info.js';

export type CardStatus = 'normal' | 'lost' | 'temp-lost' | 'blacklisted' | 'dead-holder';

export interface CardStatusResult {
  status: CardStatus;
  source: 'backend' | 'local-blacklist' | 'offline';
}

/**
 * The local blacklist answers first and always (offline too); the backend then gives the card's
 * current status. When the backend cannot be reached the card is served on the local answer alone
 * (`offline`), so a network fault never keeps a citizen from their card's offline functions.
 */
export async function checkCardStatus(
  holder: CardInfo,
  deps: { blacklist: Blacklist; backend: SocialSecurityBackend; logger: Logger },
): Promise<CardStatusResult> {
  const listed = deps.blacklist.has(holder.cardIdCode);
  try {
    // A listed card still asks the backend: the list says "do not serve", the backend says why
    // (lost, blacklisted, deceased holder), which decides the policy and what the citizen reads.
    const r = await deps.backend.cardStatus(holder.ssn, holder.cardNumber);
    if (listed && r.status === 'normal') {
      // The list is newer than the backend's answer or they disagree: the safer answer wins.
      deps.logger.warn({ ssn: maskId(holder.ssn) }, 'card on the local blacklist but normal at the backend; treated as blacklisted');
      return { status: 'blacklisted', source: 'local-blacklist' };
    }
    return { status: r.status, source: 'backend' };
  } catch (e) {
    deps.logger.warn({ ssn: maskId(holder.ssn), err: (e as Error).message }, 'card status unavailable; local blacklist only');
    return listed ? { status: 'blacklisted', source: 'local-blacklist' } : { status: 'normal', source: 'offline' };
  }
}
