import { z } from 'zod';

// The host serves the UI under a CSP without 'unsafe-eval'. Zod would probe `new Function` for its
// JIT and the browser reports that probe as a CSP violation; interpreted parsing is fast enough
// for one snapshot at a time. Imported first by every entry.
z.config({ jitless: true });
