// Who may call a route. Every route declares an Access; the kernel resolves the caller once per
// request (one database round trip at most), before the body is read, and hands the handler a
// typed caller. A refusal is 401 (no valid session) or 403 with a stable code; no handler checks
// access by hand.
import type { Request } from 'express';
import type { ErrorCodes, RunContext } from './http.js';

export interface AccessRequest {
  ctx: RunContext;
  req: Request;
  /** The session token the request carries, read by the kernel: an API call's bearer token, a page's session cookie. */
  credential: string | undefined;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The body as sent (not yet validated): for access that names its subject in the body. */
  rawBody: unknown;
}

export interface Access<C> {
  /** Stable name: 'anonymous', 'harness', 'yst.person', 'yst.enterprise', 'sdreg.user', … */
  kind: string;
  /** One line for the OpenAPI document. */
  description: string;
  /** A bearer session is needed (documented as the `session` security scheme). */
  secured: boolean;
  /** The requirement as data, for tests that derive what each caller may do from the declarations. */
  policy: Readonly<object>;
  /** The refusals resolve() may answer, documented on every route that declares this access. */
  errors?: ErrorCodes;
  resolve(request: AccessRequest): Promise<C>;
}

/** Anyone: login starts, links a person opens from an SMS, provider mocks. */
export const anonymous: Access<undefined> = {
  kind: 'anonymous',
  description: 'No session needed.',
  secured: false,
  policy: {},
  resolve: async () => undefined,
};

/** The harness control API: any test client, scoped by its run key (x-govsim-run). */
export const harness: Access<undefined> = {
  kind: 'harness',
  description: 'Harness control: open to test clients, scoped by the run key.',
  secured: false,
  policy: {},
  resolve: async () => undefined,
};
