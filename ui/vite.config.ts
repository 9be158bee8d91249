import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/** In `vite dev`, API and socket calls go to a running host (default: the host's UI port). */
const hostUrl = process.env.YKT_HOST_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: here('.'),
  // Relative URLs so the host can serve the build from any static directory.
  base: './',
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    target: 'chrome110',
    sourcemap: true,
    rolldownOptions: {
      input: { index: here('index.html'), sim: here('sim.html') },
    },
  },
  server: {
    proxy: {
      '/ws': { target: hostUrl.replace(/^http/, 'ws'), ws: true },
      '/sim/api': { target: hostUrl },
    },
  },
});
