// SMS gateway: accepts a text for a mobile and keeps every accepted message in the outbox,
// which tests and people read (verification codes arrive this way).
import { randomUUID } from 'node:crypto';
import { z } from '../../kernel/zod.js';
import type { Queryable } from '../../kernel/db.js';
import { defineOperation, verdict, type ProviderDefinition } from '../core/provider.js';

export const smsOutcomes = {
  PASS: { message: '发送成功', description: 'Accepted by the gateway and delivered to the outbox.' },
  SEND_FAILED: { message: '短信发送失败', description: 'The gateway refused the message (nothing reaches the outbox).' },
};

export interface SmsMessage {
  id: string;
  mobile: string;
  text: string;
  sentAt: Date;
}

export const SmsMessage = z.strictObject({ id: z.uuid(), mobile: z.string(), text: z.string(), sentAt: z.date() }).openapi('SmsMessage');

export async function readOutbox(db: Queryable, run: string, mobile?: string): Promise<SmsMessage[]> {
  const { rows } = await db.query<SmsMessage>(
    `SELECT id, mobile, text, sent_at AS "sentAt" FROM sms_messages WHERE run = $1 AND ($2::text IS NULL OR mobile = $2) ORDER BY seq`,
    [run, mobile ?? null],
  );
  return rows;
}

/** The last 4–8 digit code in the latest message to a mobile. */
export async function latestCode(db: Queryable, run: string, mobile: string): Promise<{ code: string; message: SmsMessage } | undefined> {
  const messages = await readOutbox(db, run, mobile);
  for (const message of messages.reverse()) {
    const code = /(?<!\d)(\d{4,8})(?!\d)/.exec(message.text)?.[1];
    if (code) return { code, message };
  }
  return undefined;
}

export const smsProvider: ProviderDefinition = {
  name: 'sms',
  title: 'SMS gateway',
  description: 'Send a text to a mainland mobile; every accepted message is kept in the outbox.',
  outcomes: smsOutcomes,
  operations: [
    defineOperation({
      name: 'send',
      method: 'post',
      path: '/sms/v1/messages',
      summary: 'Send a text message',
      body: z.object({ mobile: z.string().regex(/^1[3-9]\d{9}$/), text: z.string().min(1).max(500) }),
      response: z
        .strictObject({ passed: z.boolean(), code: z.enum(Object.keys(smsOutcomes) as [keyof typeof smsOutcomes]), message: z.string(), messageId: z.uuid().optional() })
        .openapi('SmsVerdict'),
      decides: true,
      subject: ({ body }) => body.mobile,
      async handle({ body }, env) {
        const answer = verdict(smsProvider, env.outcome);
        if (!answer.passed) return { status: 200, body: answer };
        const messageId = randomUUID();
        await env.db.query({ name: 'govsim_sms_send', text: 'INSERT INTO sms_messages (run, id, mobile, text, sent_at) VALUES ($1, $2, $3, $4, $5)', values: [env.run, messageId, body.mobile, body.text, env.now] });
        return { status: 200, body: { ...answer, messageId } };
      },
    }),
    defineOperation({
      name: 'outbox',
      method: 'get',
      path: '/sms/v1/outbox/:mobile',
      summary: 'Messages sent to a mobile, oldest first',
      response: z.strictObject({ messages: z.array(SmsMessage) }),
      passive: true,
      subject: () => undefined,
      handle: async ({ params }, env) => ({ status: 200, body: { messages: await readOutbox(env.db, env.run, params.mobile) } }),
    }),
  ],
};
