// The registry's harness controls (H4): seed a deterministic world, add and list people and
// market entities of the caller's run.
import { harness } from '../../kernel/access.js';
import type { Db } from '../../kernel/db.js';
import { badRequest } from '../../kernel/errors.js';
import { calendarDay, idNumber, mobile, personName, seed, uscc } from '../../kernel/fields.js';
import { Api } from '../../kernel/http.js';
import type { Live } from '../../kernel/live.js';
import { z } from '../../kernel/zod.js';
import { seedWorld } from './seed.js';
import { findEnterprise, findPerson, insertEnterprises, insertPersons, listEnterprises, listPersons } from './store.js';

const TAG = 'Harness control · registry';

const PersonBody = z.object({ name: personName, idNumber, mobile, idValidFrom: calendarDay, idValidTo: z.union([calendarDay, z.literal('长期')]) }).openapi('Person');
const EnterpriseBody = z
  .object({
    uscc,
    name: z.string().min(2),
    kind: z.enum(['company', 'individual', 'cooperative']).default('company'),
    status: z.string().default('存续'),
    industry: z.string().default('软件和信息技术服务业'),
    legalRepIdNumber: idNumber,
    district: z.string().default('天河区市场监督管理局'),
    office: z.string().default('天河区市场监督管理局石牌监管所'),
  })
  .openapi('Enterprise');

const RegistryPerson = z
  .strictObject({ idNumber: z.string(), name: z.string(), mobile: z.string(), idValidFrom: z.string(), idValidTo: z.string().openapi({ example: '长期' }) })
  .openapi('RegistryPerson');
const RegistryEnterprise = z
  .strictObject({
    uscc: z.string(),
    name: z.string(),
    kind: z.enum(['company', 'individual', 'cooperative']),
    status: z.string(),
    industry: z.string(),
    legalRepName: z.string(),
    legalRepIdNumber: z.string(),
    district: z.string(),
    office: z.string(),
  })
  .openapi('RegistryEnterprise');

export type NewPerson = z.input<typeof PersonBody>;
export type NewEnterprise = z.input<typeof EnterpriseBody>;
export type RegistryPerson = z.output<typeof RegistryPerson>;
export type RegistryEnterprise = z.output<typeof RegistryEnterprise>;
const SeededWorld = z.strictObject({ seed: z.number().int(), persons: z.number().int(), enterprises: z.number().int() }).openapi({ description: 'Rows added (a world seeded before adds none)' });
export type SeededWorld = z.output<typeof SeededWorld>;

export function worldControl(deps: { db: Db; live: Live }): Api {
  const { db } = deps;
  const api = new Api(deps.live, { title: 'govsim registry controls', description: 'Seed and read the registry of a run (H4).' }, { fenceWrites: true });

  api.route({
    method: 'post',
    path: '/harness/v1/world',
    tag: TAG,
    summary: 'Seed a deterministic world: N enterprises, each with its legal representative (H4)',
    body: z.object({ seed, enterprises: z.number().int().min(0).max(1_000_000) }),
    response: SeededWorld,
    access: harness,
    handler: async ({ body, ctx }) => seedWorld(db, ctx.run, body),
  });
  api.route({
    method: 'post',
    path: '/harness/v1/registry/persons',
    tag: TAG,
    summary: 'Add a person to the registry',
    body: PersonBody,
    response: RegistryPerson,
    access: harness,
    handler: async ({ body, ctx }) => {
      await insertPersons(db, ctx.run, [body]);
      return findPerson(db, ctx.run, body.idNumber);
    },
  });
  api.route({
    method: 'post',
    path: '/harness/v1/registry/enterprises',
    tag: TAG,
    summary: 'Add a market entity; its legal representative must be a registered person',
    body: EnterpriseBody,
    response: RegistryEnterprise,
    errors: { 400: ['UNKNOWN_LEGAL_REP'] },
    access: harness,
    handler: async ({ body, ctx }) => {
      const rep = await findPerson(db, ctx.run, body.legalRepIdNumber);
      if (!rep) throw badRequest('UNKNOWN_LEGAL_REP', '法定代表人不在登记信息中');
      await insertEnterprises(db, ctx.run, [{ ...body, legalRepName: rep.name }]);
      return findEnterprise(db, ctx.run, body.uscc);
    },
  });
  api.route({
    method: 'get',
    path: '/harness/v1/registry/enterprises',
    tag: TAG,
    summary: 'Market entities of the run',
    response: z.array(RegistryEnterprise),
    query: z.object({ legalRepIdNumber: idNumber.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
    access: harness,
    handler: async ({ query, ctx }) => listEnterprises(db, ctx.run, query),
  });
  api.route({
    method: 'get',
    path: '/harness/v1/registry/persons',
    tag: TAG,
    summary: 'People of the run',
    response: z.array(RegistryPerson),
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), offset: z.coerce.number().int().min(0).default(0) }),
    access: harness,
    handler: async ({ query, ctx }) => listPersons(db, ctx.run, query),
  });
  return api;
}
