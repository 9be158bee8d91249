import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const uiDist = path.join(repoRoot, 'dist', 'ui');
const lockDir = path.join(repoRoot, 'dist', '.ui-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Stale when missing or older than any UI source, so tests never run against an old build. */
function needsBuild(): boolean {
  const index = path.join(uiDist, 'index.html');
  if (!existsSync(index) || !existsSync(path.join(uiDist, 'sim.html'))) return true;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(path.join(repoRoot, 'ui')), statSync(path.join(repoRoot, 'flows/view/protocol.ts')).mtimeMs);
  return sources > built;
}

/**
 * Builds dist/ui once. Test files run in parallel workers, so a lock directory (mkdir is atomic)
 * keeps two workers from writing the same output at the same time.
 */
export async function ensureUiBuilt(): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (needsBuild()) {
    mkdirSync(path.dirname(lockDir), { recursive: true });
    let mine = false;
    try {
      mkdirSync(lockDir);
      mine = true;
    } catch {
      // Someone else is building; a lock older than 2 min is left over from a killed run.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 120_000) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        /* lock vanished meanwhile */
      }
    }
    if (mine) {
      try {
        const { build } = await import('vite');
        await build({ configFile: path.join(repoRoot, 'ui/vite.config.ts'), logLevel: 'warn' });
      } finally {
        rmSync(lockDir, { recursive: true, force: true });
      }
      return;
    }
    if (Date.now() > deadline) throw new Error('timed out waiting for another worker to build dist/ui');
    await new Promise((r) => setTimeout(r, 250));
  }
}
