// The page every govsim server answers at `/`: what the server is, its API browser and OpenAPI
// document, and the other servers of the stack — so that opening a server's address in a browser
// leads somewhere (H6).
import express, { type Router } from 'express';

export interface ServerLink {
  label: string;
  /** Base URL; a server not yet listening (or not in this stack) has none and is left out. */
  url?: string | undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function startPage(page: { title: string; intro: string; servers: () => ServerLink[] }): Router {
  const router = express.Router();
  router.get('/', (_req, res) => {
    const servers = page
      .servers()
      .filter((s): s is Required<ServerLink> => Boolean(s.url))
      .map(({ label, url }) => {
        const base = escapeHtml(url);
        return `<li>${escapeHtml(label)} — <a href="${base}/">${base}</a>: <a href="${base}/docs/">API browser</a> (<a href="${base}/openapi.json">openapi.json</a>)</li>`;
      });
    res.type('html').send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body style="font-family:sans-serif;max-width:48em;margin:2em auto">
<h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.intro)}</p>
<p><a href="docs/">API browser</a> · <a href="openapi.json">openapi.json</a></p>
${servers.length ? `<h2>The servers of this govsim</h2><ul>\n${servers.join('\n')}\n</ul>` : ''}
</body></html>`,
    );
  });
  return router;
}
