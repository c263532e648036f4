// How the services reach providers: real HTTP to configured base URLs, the run key forwarded,
// a timeout on every call. Unreachable, slow, reset or 5xx → PROVIDER_UNAVAILABLE (验证失败，请稍后重试).
import { AppError, providerUnavailable } from '../../kernel/errors.js';
import { RUN_HEADER, type ErrorCodes, type RunContext } from '../../kernel/http.js';

/** What a call to a provider may answer (ProviderClient.call), for the routes that make one. */
export const PROVIDER_ERRORS: ErrorCodes = { 502: ['PROVIDER_UNAVAILABLE', 'PROVIDER_REJECTED'] };
/** What sending an SMS may answer. */
export const SMS_ERRORS: ErrorCodes = { 502: ['PROVIDER_UNAVAILABLE', 'PROVIDER_REJECTED', 'SMS_SEND_FAILED'] };
/** The identity provider's refusals a service passes on (its other outcomes are not failures). */
export const IDENTITY_FAILURES = ['MISMATCH', 'NOT_SYNCED'] as const;

export interface Verdict {
  passed: boolean;
  code: string;
  message: string;
}

export interface FaceSession {
  sessionId: string;
  status: 'PENDING' | 'PASSED' | 'FAILED';
  idNumber: string;
  name: string;
  code: string | null;
  message: string | null;
  miniProgramUrl: string;
}

export interface VideoParticipant {
  id: string;
  name: string;
  status: 'JOINED' | 'LEFT' | 'DROPPED';
  label: string;
}

export interface VideoRoom {
  roomId: string;
  status: 'OPEN' | 'ENDED';
  participants: VideoParticipant[];
  /** The room's page: the call as a participant sees it. */
  roomUrl: string;
}

export interface ProviderUrls {
  identity: string;
  face: string;
  ctid: string;
  sms: string;
  video: string;
}

export class ProviderClient {
  constructor(
    private readonly provider: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async call<T>(ctx: RunContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', [RUN_HEADER]: ctx.run },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw providerUnavailable(this.provider);
    }
    if (response.status >= 500) throw providerUnavailable(this.provider);
    const json = (await response.json().catch(() => undefined)) as T | undefined;
    if (json === undefined) throw providerUnavailable(this.provider);
    if (response.status >= 400) throw new AppError(502, 'PROVIDER_REJECTED', '验证失败，请稍后重试', { provider: this.provider, status: response.status, body: json });
    return json;
  }
}

export function providerClients(urls: ProviderUrls, timeoutMs: number) {
  const identity = new ProviderClient('identity', urls.identity, timeoutMs);
  const face = new ProviderClient('face', urls.face, timeoutMs);
  const ctid = new ProviderClient('ctid', urls.ctid, timeoutMs);
  const sms = new ProviderClient('sms', urls.sms, timeoutMs);
  const video = new ProviderClient('video', urls.video, timeoutMs);
  const room = (roomId: string) => `/video/v1/rooms/${encodeURIComponent(roomId)}`;
  return {
    identity: {
      verify: (ctx: RunContext, person: { name: string; idNumber: string; idValidFrom?: string; idValidTo?: string }) =>
        identity.call<Verdict>(ctx, 'POST', '/identity/v1/verifications', person),
    },
    face: {
      start: (ctx: RunContext, person: { name: string; idNumber: string; purpose: string }) => face.call<FaceSession>(ctx, 'POST', '/face/v1/sessions', person),
      result: (ctx: RunContext, sessionId: string) => face.call<FaceSession>(ctx, 'GET', `/face/v1/sessions/${encodeURIComponent(sessionId)}`),
    },
    ctid: {
      verify: (ctx: RunContext, person: { name: string; idNumber: string }) => ctid.call<Verdict>(ctx, 'POST', '/ctid/v1/verifications', person),
    },
    sms: {
      /** Sends a text; a gateway refusal is 502 SMS_SEND_FAILED (短信发送失败，请稍后重试). */
      send: async (ctx: RunContext, mobile: string, text: string) => {
        const verdict = await sms.call<Verdict & { messageId?: string }>(ctx, 'POST', '/sms/v1/messages', { mobile, text });
        if (!verdict.passed) throw new AppError(502, 'SMS_SEND_FAILED', '短信发送失败，请稍后重试');
        return { messageId: verdict.messageId };
      },
    },
    video: {
      createRoom: (ctx: RunContext, reference: string, host: { id: string; name: string }) => video.call<VideoRoom>(ctx, 'POST', '/video/v1/rooms', { reference, host }),
      /** Joins a participant; `passed: false` when they cannot connect. */
      join: (ctx: RunContext, roomId: string, participant: { id: string; name: string }) => video.call<Verdict>(ctx, 'POST', `${room(roomId)}/participants`, participant),
      leave: (ctx: RunContext, roomId: string, participantId: string) => video.call<VideoRoom>(ctx, 'POST', `${room(roomId)}/participants/${encodeURIComponent(participantId)}/leave`),
      end: (ctx: RunContext, roomId: string) => video.call<VideoRoom>(ctx, 'POST', `${room(roomId)}/end`),
      room: (ctx: RunContext, roomId: string) => video.call<VideoRoom>(ctx, 'GET', room(roomId)),
    },
  };
}

export type Providers = ReturnType<typeof providerClients>;
