// One call a scenario made — request and answer — as attached to a failed step
// (features/support/exchanges.ts) and shown by the conformance report.
import type { Party } from '../features/support/client.js';

export interface Exchange {
  /** Whose server answered (conformance: govsim's, or the implementation under test). */
  party: Party;
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown };
  response: { status: number; body?: unknown };
}

/** The media type of an exchange attached to a step. */
export const EXCHANGE_MEDIA_TYPE = 'application/vnd.govsim.exchange+json';
