/** The chip contract lives with the reader simulator; re-exported for the chip modules. */
export type { SimChip } from '../chip-interface.js';
