/** What a citizen reads, in English. */
import type { Strings } from './strings.js';

export const en: Strings = {
  controls: { finish: 'Return card', confirm: 'OK', continue: 'Continue', language: '中文', cancel: 'Cancel', back: 'Back' },
  services: { 'change-pin': 'Change PIN', 'report-loss': 'Report card lost', 'lift-loss': 'Cancel temporary loss report' },
  checking: { line: 'Checking the card, please wait and do not pull it out.' },
  cardBlocked: {
    status: {
      lost: {
        title: 'This card was reported lost',
        lines: [
          'This card has been reported lost and can no longer be used.',
          'For questions or a replacement card, go to a social security counter or partner bank with your ID card.',
        ],
      },
      blacklisted: {
        title: 'This card is suspended',
        lines: ['This card cannot be used at self-service machines at present.', 'Please go to a social security counter with your ID card.'],
      },
      'dead-holder': {
        title: 'This card is no longer in use',
        lines: [
          'According to the social security records, this card is no longer in use.',
          "If you are a relative of the card holder, please accept our condolences. For the next steps (such as the personal account balance or funeral grant), bring the holder's and your own ID to a social security counter.",
          'If the records are wrong, the card holder can have them checked at a counter with their ID card.',
        ],
      },
    },
    retaining: 'As required, the machine keeps this card safely; it is not lost. Please wait.',
    ejecting: 'Returning your card, please wait.',
    takeCard: 'Please take your card from the slot.',
    retainWarning: 'If it is not taken, the machine will keep it for safety.',
    help: 'Hotline: 12333',
  },
  pin: {
    title: 'Please enter your PIN',
    enter: 'Enter your card PIN on the PIN pad, then press Enter on the pad.',
    shield: 'Cover the keypad with your hand while typing.',
    entered: 'Entered',
    none: 'nothing yet',
    wrong: (n) =>
      n === 1 ? 'Wrong PIN. 1 try left; one more wrong PIN locks it.' : `Wrong PIN. ${n} tries left.`,
    cancelReturnsCard: 'To stop, touch "Cancel" and your card will be returned.',
    cancelBack: 'To stop, touch "Cancel" to go back.',
  },
  pinLocked: {
    title: 'PIN locked',
    lines: [
      'The PIN was entered wrongly too many times and is now locked. Services that need the PIN cannot be used for now.',
      'To reset it, bring your ID card and this card to a social security counter or partner bank.',
      'Hotline: 12333',
    ],
    takeCard: 'Touch "Return card" to take your card.',
  },
  changePin: {
    title: 'Change PIN',
    step: (n) => `Step ${n} of 3`,
    old: 'Enter your current PIN on the PIN pad, then press Enter.',
    new: 'Enter your new PIN, then press Enter.',
    newAdvice: 'Do not use repeated or consecutive digits, or your birthday.',
    confirm: 'Enter the new PIN once more, then press Enter.',
    applying: 'Changing your PIN, please wait and do not pull the card out.',
    wrongOld: (n) =>
      n === 1 ? 'Current PIN wrong. 1 try left; one more wrong PIN locks it.' : `Current PIN wrong. ${n} tries left.`,
    mismatch: 'The two new PINs were different. Please choose the new PIN again.',
    weak: {
      repeated: 'The new PIN cannot be all the same digit. Please choose another.',
      sequence: 'The new PIN cannot be consecutive digits. Please choose another.',
      initial: 'The new PIN is too simple or the same as the initial PIN. Please choose another.',
    },
    cancel: 'To stop, touch "Cancel" to go back.',
  },
  pinChanged: { title: 'PIN changed', lines: ['Your PIN has been changed.', 'Remember the new PIN and never tell it to anyone.'] },
  reportLoss: {
    title: 'Report this card lost',
    lines: [
      'After reporting, every function of this card stops working, both social security and bank.',
      'Use this for a card you are about to give up, for example before applying for a replacement.',
      'If a card is missing, report it by calling 12333 or at a counter; no card is needed.',
      'Report this card lost? Touch "Report lost" to go ahead, or "Back".',
    ],
    cardKept: 'Once reported, this machine keeps the card; it will not be given back.',
    cardReturned: 'Once reported, the card is given back to you, but it no longer works.',
    submitting: 'Reporting the card lost, please wait and do not pull it out.',
    confirmLabel: 'Report lost',
  },
  lossReported: {
    title: 'Card reported lost',
    done: 'This card is reported lost; all its functions have stopped.',
    ref: (ref) => `Reference: ${ref}`,
    next: 'For a replacement card, apply at a social security counter or partner bank with your ID card.',
    ejecting: 'Returning your card, please wait.',
    takeCard: 'Please take your card. It can no longer be used.',
    retaining: 'The machine keeps this card, please wait.',
    taken: 'Please note the reference.',
  },
  liftLoss: {
    title: 'Cancel the temporary loss report',
    lines: [
      'Your card is temporarily reported lost.',
      'After cancelling the report, its social security and bank functions work again.',
      'Cancel the report? Touch "Cancel report" to go ahead, or "Back".',
    ],
    submitting: 'Working on it, please wait and do not pull the card out.',
    confirmLabel: 'Cancel report',
  },
  lossLifted: { title: 'Loss report cancelled', lines: ['Your card works again.'] },
  serviceError: {
    title: 'Service temporarily unavailable',
    lines: ['This service cannot be provided right now.', 'Please try again later or go to a social security counter.'],
  },
  unavailable: {
    'card-functions': {
      title: 'Card services paused',
      lines: ['This machine cannot serve social security cards right now; your card is fine.', 'Take your card and use another machine or a counter.'],
    },
    'card-status': {
      title: 'Card cannot be checked now',
      lines: ['The card status cannot be checked right now; your card is fine.', 'Take your card and try again later, or go to a counter.'],
    },
    pin: {
      title: 'PIN services unavailable',
      lines: [
        'The PIN pad cannot be used right now, so services that need the PIN are unavailable. Your card is fine.',
        'Take your card and try again later, or go to a counter.',
      ],
    },
    operatorPsam: (code) => `[Staff] The reader's PSAM is missing or faulty (${code}); check the SAM slot.`,
  },
  menuStatus: {
    tempLost: 'Your card is temporarily reported lost. If you found it, touch "Cancel temporary loss report" to use it again.',
    choose: 'Choose a service.',
  },
  retainedBy: {
    status: (at, terminalId) => [
      'The machine keeps your card safely; it is not lost.',
      `Time: ${at}   Terminal: ${terminalId}`,
      'Please go to a social security counter with your ID card.',
      'Hotline: 12333',
    ],
    lossReported: (at, terminalId) => [
      'This card is reported lost and kept by the machine.',
      `Time: ${at}   Terminal: ${terminalId}`,
      'For a replacement card, apply at a social security counter or partner bank with your ID card.',
    ],
  },
  starting: {
    title: 'Starting up',
    line: 'Checking the card reader, please wait.',
    cardInside: 'A card is inside; it will be returned when the reader is ready.',
  },
  idle: {
    title: 'Social Security Card Self-Service',
    insert: 'Please insert your social security card (请插入社会保障卡)',
    services: [
      'Here you can view your details and contributions, print a statement and pay premiums.',
      'Insert the card chip side up.',
    ],
    retainedHint: 'The previous card was kept by this machine; collect it at a service counter with your ID.',
  },
  reading: { title: 'Reading card', line: 'Reading your card, please do not pull it out.' },
  menu: {
    title: 'Choose a service',
    greeting: (name) => `Hello, ${name}`,
    fields: { name: 'Name', ssn: 'Social security number', cardNumber: 'Card number', validity: 'Valid' },
    hint: 'When you are done, touch "Return card" and take your card.',
    warning: 'You have been inactive for a while; the card will be returned soon. Touch "Continue" to stay.',
  },
  ejecting: { title: 'Returning card', line: 'Your card is coming out, please wait.' },
  takeCard: {
    title: 'Please take your card',
    line: 'Your card is at the slot. Please take it.',
    retainWarning: 'If it is not taken, the machine will keep it for safety.',
    reminder: 'Please take your card from the slot now.',
  },
  cardError: {
    ejecting: 'Returning your card, please wait.',
    takeCard: 'Please take your card from the slot.',
    retainWarning: 'If it is not taken, the machine will keep it for safety.',
    code: (code) => `Error code: ${code}`,
    removedNotice: 'Please insert the card again.',
  },
  retaining: { title: 'Keeping the card', line: 'The card was not taken; the machine is keeping it safe.' },
  retained: {
    title: 'Card kept by the machine',
    lines: (at, terminalId) => [
      'Your card was not taken in time. The machine has kept it safely; it is not lost.',
      `Time: ${at}   Terminal: ${terminalId}`,
      'Collect it at a service counter with your ID card (bring the slip if one was printed).',
      'Hotline: 12333',
    ],
  },
  outOfService: {
    title: 'Out of service',
    line: 'The card reader is not available. It is recovering by itself; please wait or go to a counter.',
    reason: (code) => `Reason code: ${code}`,
    cardInside: 'Your card is still inside and will be returned when the reader recovers. Touch "Return card" to retry.',
    cardAtGate: 'Please take your card from the slot.',
    help: 'For help ask the staff or call 12333.',
  },
  cardErrors: {
    CARD_NO_ATR: {
      title: 'Card not recognised',
      lines: [
        'The card does not respond; it may be upside down or its chip damaged.',
        'Insert it chip side up; if it still fails, get a replacement at a service counter.',
      ],
    },
    CARD_NOT_SSC: {
      title: 'Not a social security card',
      lines: ['This machine only accepts social security cards; this may be a bank card.', 'Take it back and insert your social security card.'],
    },
    CARD_EXPIRED: {
      title: 'Card expired',
      lines: ['Your social security card has expired and cannot be used here.', 'Renew it at a service counter or partner bank.'],
    },
    CARD_NOT_GENUINE: {
      title: 'Card check failed',
      lines: ['This card did not pass the authenticity check.', 'Please ask at a service counter with your ID.'],
    },
    CARD_SECURITY: {
      title: 'Card security check failed',
      lines: ['The card failed its security check and cannot be used here.', 'Please ask at a service counter with your ID.'],
    },
    CARD_COMM: {
      title: 'Could not read the card',
      lines: ['Talking to the card failed; the chip may be dirty.', 'Take the card, wipe the chip and insert it again.'],
    },
    CARD_BAD_DATA: {
      title: 'Card data unreadable',
      lines: ['The information on the card cannot be understood.', 'Take the card and have it checked or replaced at a service counter.'],
    },
    CARD_REMOVED: {
      title: 'Card removed',
      lines: ['The card was pulled out while it was being read.'],
    },
    CARD_SW: {
      title: 'Card cannot be used',
      lines: ['The card refused the operation.', 'Take the card and try again; if it keeps failing, ask at a counter.'],
    },
    default: {
      title: 'Card cannot be read',
      lines: ['This machine cannot read the card.', 'Take the card and try again; if it keeps failing, ask at a counter.'],
    },
  },
};
