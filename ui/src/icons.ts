import { svg, type SVGTemplateResult } from 'lit';
import type { ScreenView } from '../../flows/view/protocol.js';

type Tone = ScreenView['tone'];

/** A shape per tone, so colour is never the only signal (age-friendly rules). */
export function toneIcon(tone: Tone): SVGTemplateResult {
  switch (tone) {
    case 'success':
      return svg`<circle cx="24" cy="24" r="22" /><path d="M13 25l7 7 15-16" class="stroke" />`;
    case 'warning':
      return svg`<path d="M24 3L46 43H2z" /><path d="M24 17v12M24 35v1" class="stroke" />`;
    case 'error':
      return svg`<circle cx="24" cy="24" r="22" /><path d="M16 16l16 16M32 16L16 32" class="stroke" />`;
    default:
      return svg`<circle cx="24" cy="24" r="22" /><path d="M24 21v13M24 14v1" class="stroke" />`;
  }
}

/** The emblem in the header: a stylised card. */
export const cardEmblem = svg`
  <rect x="3" y="9" width="42" height="30" rx="5" fill="#fff" />
  <rect x="8" y="17" width="10" height="8" rx="1.5" fill="#e8b84a" />
  <path d="M23 18h16M23 23h12M8 31h31" stroke="#0b4a9e" stroke-width="2.4" stroke-linecap="round" />
`;

/**
 * Decorative pictures for the screens where a citizen must act on the machine itself (insert,
 * wait, take). Purely presentational and aria-hidden: the host's text says the same in words.
 */
export function illustration(screen: string): SVGTemplateResult | undefined {
  switch (screen) {
    case 'idle':
      return svg`
        <rect x="30" y="112" width="140" height="22" rx="6" class="ill-slot" />
        <g class="ill-card-in">
          <rect x="52" y="14" width="96" height="120" rx="10" class="ill-card" />
          <rect x="68" y="32" width="26" height="20" rx="3" class="ill-chip" />
          <path d="M68 72h64M68 86h48" class="ill-line" />
        </g>
        <path d="M100 150v22M90 162l10 10 10-10" class="ill-arrow" />`;
    case 'reading':
      return svg`
        <circle cx="100" cy="90" r="56" class="ill-track" />
        <path d="M100 34a56 56 0 0 1 56 56" class="ill-spin" />`;
    case 'take-card':
      return svg`
        <g class="ill-card-out">
          <rect x="52" y="44" width="96" height="96" rx="10" class="ill-card" />
          <rect x="68" y="60" width="26" height="20" rx="3" class="ill-chip" />
        </g>
        <rect x="30" y="112" width="140" height="22" rx="6" class="ill-slot" />
        <path d="M100 34V8M88 20l12-12 12 12" class="ill-arrow" />`;
    default:
      return undefined;
  }
}
