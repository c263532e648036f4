// The page every govsim server answers at `/` (the control server's is the console's first page):
// what the server is, its API browser and OpenAPI document, the apps whose pages it serves, and
// the other servers of the stack — so that opening a server's address in a browser leads somewhere (H6).
import { anonymous } from './access.js';
import { html } from './html.js';
import type { Live } from './live.js';
import { Pages } from './pages.js';

export interface ServerLink {
  label: string;
  /** Base URL; a server not yet listening (or not in this stack) has none and is left out. */
  url?: string | undefined;
}

/** An app's first page, for the start pages and the console: its name and where it is. */
export interface AppLink {
  label: string;
  url: string;
}

/** The list of the stack's servers with their API browsers and documents. */
export function serverList(servers: ServerLink[]) {
  const listed = servers.filter((s): s is Required<ServerLink> => Boolean(s.url));
  return listed.length
    ? html`<ul>${listed.map(({ label, url }) => html`<li>${label} — <a href="${url}/">${url}</a>: <a href="${url}/docs/">API browser</a> (<a href="${url}/openapi.json">openapi.json</a>)</li>`)}</ul>`
    : '';
}

/** Links to apps' first pages. */
export const appList = (apps: AppLink[]) => (apps.length ? html`<ul>${apps.map((a) => html`<li><a href="${a.url}">${a.label}</a> — <code>${a.url}</code></li>`)}</ul>` : '');

export function startPage(live: Live, page: { title: string; intro: string; servers: () => ServerLink[]; apps: () => AppLink[] }): Pages {
  const pages = new Pages(live, { app: page.title, layout: 'desktop' });
  pages.page({
    path: '/',
    title: page.title,
    access: anonymous,
    view: () => html`<p>${page.intro}</p>
<p><a href="docs/">API browser</a> · <a href="openapi.json">openapi.json</a></p>
${page.apps().length ? html`<h2>Pages</h2>${appList(page.apps())}` : ''}
${page.servers().some((s) => s.url) ? html`<h2>The servers of this govsim</h2>${serverList(page.servers())}` : ''}`,
  });
  return pages;
}
