// What every page loads, served by every govsim server under /assets/: htmx (pinned), the Chinese
// web font Noto Sans SC (from npm, so that pages look the same on any machine — a bare Chromium
// has no CJK font) and govsim.css. The font is split by fontsource into ~100 unicode-range slices
// per weight; a browser fetches only the slices holding characters a page shows, and only the two
// weights the pages use (400, 700) are served. Files named by their package's version are cached
// for a year; govsim.css is revalidated (ETag) on every load.
import express, { type Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const packageOf = (name: string, file: string) => {
  const dir = path.dirname(require.resolve(`${name}/${file}`));
  return { dir, version: (require(`${name}/package.json`) as { version: string }).version };
};

const htmx = packageOf('htmx.org', 'dist/htmx.min.js');
const font = packageOf('@fontsource/noto-sans-sc', '400.css');
const WEIGHTS = ['400', '700'];

/** The URLs a page's <head> loads. */
export const ASSETS = {
  htmx: `/assets/htmx.org@${htmx.version}/htmx.min.js`,
  fonts: WEIGHTS.map((w) => `/assets/noto-sans-sc@${font.version}/${w}.css`),
  css: '/assets/govsim.css',
};

const FONT_FILE = new RegExp(`^/(${WEIGHTS.join('|')})\\.css$|^/files/noto-sans-sc-\\d+-(${WEIGHTS.join('|')})-normal\\.woff2$`);
const forever = { immutable: true, maxAge: '365d', fallthrough: false, index: false } as const;

export function assets(): Router {
  const router = express.Router();
  router.get(`/assets/htmx.org@${htmx.version}/htmx.min.js`, (_req, res) => res.sendFile(path.join(htmx.dir, 'htmx.min.js'), forever));
  router.use(`/assets/noto-sans-sc@${font.version}`, (req, res, next) => (FONT_FILE.test(req.path) ? next() : res.status(404).end()), express.static(font.dir, forever));
  router.get(ASSETS.css, (_req, res) => res.sendFile(fileURLToPath(new URL('assets/govsim.css', import.meta.url)), { headers: { 'cache-control': 'no-cache' } }));
  return router;
}
