import { assign } from 'xstate';
import { CARD_PULLED, FINISH } from '../hand-back.js';
import { MENU_SERVICES } from '../services.js';
import { registerSetup } from '../register-setup.js';

/** The menu: the holder's services, with a warning before an idle menu ends the visit. */
export const menuStates = {
  menu: registerSetup.createStateConfig({
    meta: { screen: 'menu' },
    // Nothing of a finished service lingers: the next one starts clean.
    entry: [
      assign({
        pinPurpose: undefined,
        pinDigits: undefined,
        pinNotice: undefined,
        lastError: undefined,
        serviceRef: undefined,
      }),
      'forgetRecords',
      'forgetReg',
    ],
    initial: 'active',
    on: {
      TOUCH: [
        FINISH,
        ...MENU_SERVICES.flatMap((s) => [
          ...(s.pinPurpose
            ? [
                {
                  guard: { type: 'service' as const, params: { control: s.control, needsPin: true } },
                  target: '#session.pin',
                  actions: { type: 'startPin' as const, params: { purpose: s.pinPurpose } },
                },
              ]
            : []),
          {
            guard: { type: 'service' as const, params: { control: s.control, needsPin: false } },
            target: `#session.${s.state}`,
            actions: 'clearPinNotice' as const,
          },
        ]),
      ],
      CARD_REMOVED: CARD_PULLED,
    },
    states: {
      active: { after: { menuActive: 'warning' } },
      // WCAG 2.2.1: warn and let the citizen extend with one touch before the card comes out.
      warning: {
        after: { menuWarning: '#session.ejecting' },
        on: { TOUCH: { guard: { type: 'touched', params: { control: 'confirm' } }, target: 'active' } },
      },
    },
  }),
};
