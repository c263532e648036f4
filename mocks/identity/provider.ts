// Identity check against the national population database: name + ID number, and for a
// four-element check the ID validity dates too.
import { isValidResidentId, normaliseCode } from '../../kernel/identifiers.js';
import { z } from '../../kernel/zod.js';
import { defineOperation, verdict, verdictOf, type ProviderDefinition } from '../core/provider.js';

export const identityOutcomes = {
  PASS: { message: '核验通过', description: 'Name, ID number (and validity dates) match the population database.' },
  MISMATCH: { message: '验证失败，请检查输入信息', description: 'Name or ID number entered wrongly; always the answer for an ID number that is not a valid GB 11643 number (region, birth date, check character), whatever is scripted.' },
  NOT_SYNCED: { message: '实名核验未通过，最近换领或申请的身份证信息尚未同步', description: 'FAQ 1: an ID card renewed or applied for recently is not yet in the database.' },
  PROVINCE_ACTIVATION: { message: '省用户需要在国家平台激活', description: 'A provincial user who must activate on the national platform (name + ID + face).' },
};

export const identityProvider: ProviderDefinition = {
  name: 'identity',
  title: 'Identity check (national population database)',
  description: 'Verify name + ID number, optionally with the ID validity dates (four elements).',
  outcomes: identityOutcomes,
  operations: [
    defineOperation({
      name: 'verify',
      method: 'post',
      path: '/identity/v1/verifications',
      summary: 'Verify a person’s name + ID number (+ ID validity dates)',
      body: z.object({ name: z.string().min(1), idNumber: z.string().min(1).transform(normaliseCode), idValidFrom: z.string().optional(), idValidTo: z.string().optional() }),
      response: verdictOf('Identity', identityOutcomes),
      decides: true,
      refuse: ({ body }, env) => (isValidResidentId(body.idNumber, env.now) ? undefined : 'MISMATCH'),
      subject: ({ body }) => body.idNumber,
      handle: async (_input, env) => ({ status: 200, body: verdict(identityProvider, env.outcome) }),
    }),
  ],
};
