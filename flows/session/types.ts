import type { CardInfo } from '../../kiosk/card/card-info.js';
import type { CardPlace } from '../view/protocol.js';
import type { SessionConfig } from './config.js';
import type { SessionError } from './errors.js';

export type { CardPlace };
export type Lang = 'zh-CN' | 'en';

/** Where the reader's sensors put a card when it starts (power-on or after a fault). */
export type ReaderPosition = 'none' | 'gate' | 'inside';

export interface PrepareReaderOutput {
  position: ReaderPosition;
}

export interface RetainCardInput {
  /** Why the card was kept: `not-taken` (take-card timeout) or `error-not-taken:<CODE>`. */
  reason: string;
}

export interface SessionInput {
  /** Missing fields take the defaults of SessionConfigSchema. */
  config: Partial<SessionConfig>;
  lang?: Lang;
}

export interface SessionContext {
  config: SessionConfig;
  lang: Lang;
  /** Exactly what a scenario's `expect.card` reads. */
  card: CardPlace;
  /** The card holder, from a successful read until the next idle screen. */
  holder?: CardInfo;
  lastError?: SessionError;
  retainReason?: string;
}

export type SessionEvent =
  | { type: 'CARD_INSERTED' }
  | { type: 'CARD_AT_GATE' }
  | { type: 'CARD_REMOVED' }
  | { type: 'READER_FAULT'; code: string; message: string }
  | { type: 'READER_OK' }
  | { type: 'TOUCH'; control: string };

export const SCREEN_IDS = [
  'starting',
  'idle',
  'reading',
  'menu',
  'take-card',
  'card-error',
  'card-retained',
  'out-of-service',
] as const;
export type ScreenId = (typeof SCREEN_IDS)[number];

export const CONTROL_IDS = ['finish', 'confirm', 'language'] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** State meta: every state names the screen it shows. */
export interface SessionMeta {
  screen: ScreenId;
}
