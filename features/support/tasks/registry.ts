// Tasks and questions on the world itself: the registry and the harness (clock, outcome
// tables, journal, outbox, footprint).
import type { HttpClient } from '../client.js';
import type { Actor, GovsimWorld, Question, Task } from '../world.js';

/** This scenario's run, or another run of the same stack (GovsimWorld.otherRun()). */
export type Harness = { control: HttpClient };

export const beRegisteredPerson: Task = async (actor) => {
  await actor.world.control.post('/harness/v1/registry/persons', actor.person);
};

export const becomeLegalRepresentativeOf =
  (enterpriseName: string): Task =>
  async (actor) => {
    await beRegisteredPerson(actor);
    const enterprise = actor.world.enterpriseNamed(enterpriseName, actor);
    await actor.world.control.post('/harness/v1/registry/enterprises', enterprise);
  };

export async function scriptProvider(world: GovsimWorld, provider: string, script: { subject: string; outcome?: string; fault?: string; latencyMs?: number; times?: number; operation?: string }) {
  await world.control.post(`/harness/v1/providers/${provider}/scripts`, script);
}

export const setClock = (h: Harness, at: string) => h.control.put('/harness/v1/clock', { at });
export const advanceClock = (world: GovsimWorld, by: string) => world.control.post('/harness/v1/clock/advance', { by });
export const readClock = (world: GovsimWorld) => world.control.get('/harness/v1/clock');

export const journal = (world: GovsimWorld, filter: { provider?: string; subject?: string; operation?: string } = {}) =>
  world.control.get<{ provider: string; operation: string; subject: string; outcome: string | null; fault: string | null; latencyMs: number; status: number | null }[]>(
    `/harness/v1/journal?${new URLSearchParams(filter as Record<string, string>)}`,
  );

export const smsReceived: Question<{ text: string; sentAt: string }[]> = (actor) => actor.world.control.get(`/harness/v1/sms/outbox?mobile=${actor.person.mobile}`);

export const latestCode: Question<string> = async (actor) => (await actor.world.control.get(`/harness/v1/sms/outbox/${actor.person.mobile}/latest-code`)).code;

export const footprint = (h: Harness) => h.control.get<Record<string, number>>('/harness/v1/footprint');
export const seedWorld = (h: Harness, seed: number, enterprises: number) => h.control.post('/harness/v1/world', { seed, enterprises });
export const registryEnterprises = (h: Harness) => h.control.get<{ uscc: string; legalRepIdNumber: string }[]>('/harness/v1/registry/enterprises?limit=1000');
export const resetRun = (h: Harness) => h.control.post('/harness/v1/reset');

/** Rows of the services' business tables (harness, provider and registry tables left out). */
export async function businessFootprint(world: GovsimWorld): Promise<Record<string, number>> {
  const all = await footprint(world);
  return Object.fromEntries(Object.entries(all).filter(([table]) => !/^(harness_|provider_|registry_|face_sessions|sms_messages)/.test(table)));
}

export function faceCallsFor(actor: Actor) {
  return journal(actor.world, { provider: 'face', subject: actor.person.idNumber });
}

/** The API browser (/docs/) of one of the stack's servers, and the document it shows. */
export async function apiBrowser(world: GovsimWorld, server: 'services' | 'providers' | 'control') {
  const client = world[server];
  const page = await fetch(`${client.baseUrl}/docs/`).then(async (r) => ({ status: r.status, html: await r.text() }));
  const document = await client.get<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');
  return { page, document };
}
