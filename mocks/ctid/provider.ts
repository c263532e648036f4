// CTID (network identity credential): the remedy when no portrait is on file.
import { isValidResidentId, normaliseCode } from '../../kernel/identifiers.js';
import { z } from '../../kernel/zod.js';
import { defineOperation, verdict, verdictOf, type ProviderDefinition } from '../core/provider.js';

export const ctidOutcomes = {
  PASS: { message: 'CTID认证通过', description: 'The person holds a valid CTID.' },
  FAIL: { message: 'CTID认证未通过', description: 'No CTID opened, or it does not match; always the answer for an ID number that is not a valid GB 11643 number, whatever is scripted.' },
};

export const ctidProvider: ProviderDefinition = {
  name: 'ctid',
  title: 'CTID (network identity credential)',
  description: 'Verify a person holding a CTID.',
  outcomes: ctidOutcomes,
  operations: [
    defineOperation({
      name: 'verify',
      method: 'post',
      path: '/ctid/v1/verifications',
      summary: 'Verify a person by their CTID',
      body: z.object({ name: z.string().min(1), idNumber: z.string().min(1).transform(normaliseCode) }),
      response: verdictOf('Ctid', ctidOutcomes),
      decides: true,
      refuse: ({ body }, env) => (isValidResidentId(body.idNumber, env.now) ? undefined : 'FAIL'),
      subject: ({ body }) => body.idNumber,
      handle: async (_input, env) => ({ status: 200, body: verdict(ctidProvider, env.outcome) }),
    }),
  ],
};
