// What every flow of the licence uses: its dependencies, finding an application in the caller's
// scope, explaining a refused move, images on the way in, and the video provider as the
// inspection needs it (its failures in the words the app shows).
import { createHash } from 'node:crypto';
import type { Config } from '../../kernel/config.js';
import type { Db } from '../../kernel/db.js';
import { AppError, badRequest, conflict, notFound, verificationFailed } from '../../kernel/errors.js';
import type { RunContext } from '../../kernel/http.js';
import type { Providers } from '../verification/clients.js';
import { IMAGE, type ImageType } from './rules.js';
import * as store from './store.js';
import { MOVES, type MoveName } from './workflow.js';

export interface Deps {
  db: Db;
  providers: Pick<Providers, 'video' | 'sms'>;
  config?: Pick<Config, 'jobLeaseSeconds'> | undefined;
}

export const applicationNotFound = () => notFound('APPLICATION_NOT_FOUND', '未找到该申报');

export async function applicationIn(deps: Deps, ctx: RunContext, id: string, scope: store.Scope): Promise<store.Application> {
  const application = await store.findApplication(deps.db, ctx.run, id, scope);
  if (!application) throw applicationNotFound();
  return application;
}

/** Why a move was refused: gone, changed since the caller looked (409 VERSION_CONFLICT), or not in a status it leaves from. */
export async function refusedMove(deps: Deps, ctx: RunContext, id: string, version: number, name: MoveName): Promise<AppError> {
  const now = await store.standing(deps.db, ctx.run, id);
  if (!now) return applicationNotFound();
  if (now.version !== version) return conflict('VERSION_CONFLICT', '申报已被更新，请刷新后重试');
  return conflict('INVALID_STATUS', MOVES[name].refusal);
}

/** Checks a move against what the caller saw, before any provider is called (the move itself re-checks). */
export async function expectMove(deps: Deps, ctx: RunContext, application: store.Application, version: number, name: MoveName): Promise<void> {
  if (application.version !== version || !(MOVES[name].from as readonly string[]).includes(application.status)) throw await refusedMove(deps, ctx, application.id, version, name);
}

export interface Image {
  mimeType: ImageType;
  data: Buffer;
  sha256: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A signature or photo as sent (base64): PNG or JPEG by its first bytes too, within the size limit. */
export function parseImage(input: { mimeType: string; data: string }): Image {
  const signature = IMAGE.types[input.mimeType as ImageType] as readonly number[] | undefined;
  if (!signature) throw badRequest('INVALID_IMAGE_TYPE', '请上传PNG或JPG格式的图片');
  if (!BASE64.test(input.data) || input.data.length % 4 !== 0) throw badRequest('INVALID_IMAGE', '图片内容不正确，请重新上传');
  const data = Buffer.from(input.data, 'base64');
  if (data.length > IMAGE.maxBytes) throw badRequest('IMAGE_TOO_LARGE', `图片不能超过${IMAGE.label}`);
  if (data.length < signature.length || signature.some((byte, i) => data[i] !== byte)) throw badRequest('INVALID_IMAGE', '图片内容不正确，请重新上传');
  return { mimeType: input.mimeType as ImageType, data, sha256: createHash('sha256').update(data).digest('hex') };
}

const videoUnavailable = () => new AppError(502, 'VIDEO_UNAVAILABLE', '视频服务暂不可用，请稍后重试');

/** The provider's calls, each failure (unreachable, 5xx, a refusal) as 502 VIDEO_UNAVAILABLE. */
export function videoOf(deps: Deps) {
  const guard = <T>(call: Promise<T>) =>
    call.catch((error: unknown) => {
      throw error instanceof AppError && error.status === 502 ? videoUnavailable() : error;
    });
  const { video } = deps.providers;
  return {
    createRoom: (ctx: RunContext, reference: string, host: { id: string; name: string }) => guard(video.createRoom(ctx, reference, host)),
    /** Joins, or 422 VIDEO_CONNECT_FAILED 视频连接失败，请检查网络后重试. */
    join: async (ctx: RunContext, roomId: string, who: { id: string; name: string }) => {
      const answer = await guard(video.join(ctx, roomId, who));
      if (!answer.passed) throw verificationFailed('VIDEO_CONNECT_FAILED', answer.message);
    },
    leave: (ctx: RunContext, roomId: string, participantId: string) => guard(video.leave(ctx, roomId, participantId)),
    end: (ctx: RunContext, roomId: string) => guard(video.end(ctx, roomId)),
    room: (ctx: RunContext, roomId: string) => guard(video.room(ctx, roomId)),
  };
}
