/**
 * The benches of the printing and payment work, run by `npm run bench` after the card-read figures.
 */
import { paymentJournalReport } from './payment-journal.js';
import { printTouchReport } from './print-touch.js';
import { benchPrinter } from './printer.js';

export async function extraBenches(): Promise<void> {
  console.log('\n5. Statement encoding: bytes on the wire against receiptline, node-thermal-printer and the plain text-mode floor.');
  await benchPrinter();
  console.log('\n6.');
  await printTouchReport();
  console.log('\n7.');
  paymentJournalReport();
}
