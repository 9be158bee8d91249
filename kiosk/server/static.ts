import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file strictly inside `root`, or undefined. Decoding happens before the
 * containment check so `%2e%2e` cannot climb out.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const abs = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  const rel = path.relative(root, abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return abs;
}

export async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Streams a file. Vite names assets by content hash, so they may be cached for good; HTML must
 * not be, or a kiosk would keep running an old UI after an update.
 */
export async function sendFile(res: ServerResponse, file: string, head: boolean): Promise<boolean> {
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  const isHtml = file.endsWith('.html');
  const hashed = /[/\\]assets[/\\]/.test(file);
  res.writeHead(200, {
    'Content-Type': contentType(file),
    'Content-Length': size,
    'Cache-Control': isHtml ? 'no-cache' : hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (head) {
    res.end();
    return true;
  }
  await new Promise<void>((resolve) => {
    const stream = createReadStream(file);
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', resolve);
    stream.pipe(res);
  });
  return true;
}

export function notBuiltPage(staticDir: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>UI not built</title>
<style>body{font:24px/1.5 "Noto Sans CJK SC",sans-serif;margin:10vh auto;max-width:48em;color:#10243e}
code{background:#eef3fb;padding:.1em .3em;border-radius:4px}</style></head>
<body><h1>触摸屏界面尚未构建 · Touchscreen UI not built</h1>
<p>The UI files were not found in <code>${escapeHtml(staticDir)}</code>.</p>
<p>Run <code>npm run build</code> (or <code>npx vite build --config ui/vite.config.ts</code>) and reload.</p>
</body></html>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
