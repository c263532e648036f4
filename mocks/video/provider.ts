// Video calls (云核查's video): a room per inspection, each participant joining on their own line,
// hanging up, the room ended by its host, and the room's state. Joining decides: a participant
// may fail to connect, or join and then drop mid-call — the join answers 已接通, the room's state
// shows them DROPPED until they join again, as a real call would.
import { randomUUID } from 'node:crypto';
import { z } from '../../kernel/zod.js';
import { defineOperation, verdict, type ProviderDefinition, type ProviderEnv } from '../core/provider.js';

export const videoOutcomes = {
  PASS: { message: '已接通', description: 'The participant joins the room (rooms are created, hung up and ended as asked).' },
  CONNECT_FAILED: { message: '视频连接失败，请检查网络后重试', description: 'The participant cannot connect: nobody joins.' },
  DROPPED: { message: '视频通话已中断', description: 'The participant joins (answer 已接通), then the call drops mid-call: the room shows them DROPPED until they join again.' },
};

const PARTICIPANT_LABEL = { JOINED: '通话中', LEFT: '已挂断', DROPPED: '视频通话已中断' } as const;
type ParticipantStatus = keyof typeof PARTICIPANT_LABEL;

const Participant = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    status: z.enum(['JOINED', 'LEFT', 'DROPPED']),
    label: z.string(),
    joins: z.number().int(),
    joinedAt: z.string(),
    leftAt: z.string().nullable(),
  })
  .openapi('VideoParticipant');
const Room = z
  .strictObject({
    roomId: z.string(),
    reference: z.string(),
    host: z.strictObject({ id: z.string(), name: z.string() }),
    status: z.enum(['OPEN', 'ENDED']),
    label: z.string(),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
    participants: z.array(Participant),
    roomUrl: z.string().openapi({ description: 'The room’s page (the call as a participant sees it), as a video service hands out a meeting link' }),
  })
  .openapi('VideoRoom');
// A dropped call drops after the answer: a join answers either through (PASS) or not connected.
const JoinAnswer = z
  .union([
    z.strictObject({ passed: z.literal(true), code: z.literal('PASS'), message: z.string(), participant: Participant }),
    z.strictObject({ passed: z.literal(false), code: z.literal('CONNECT_FAILED'), message: z.string() }),
  ])
  .openapi('VideoJoin');

/** Text PostgreSQL can store (no NUL). */
const text = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000]*$/);
const Person = z.object({ id: text(40), name: text(40) });

const NO_ROOM = { 404: ['ROOM_NOT_FOUND'] };

interface RoomRow {
  id: string;
  reference: string;
  host_id: string;
  host_name: string;
  status: 'OPEN' | 'ENDED';
  created_at: Date;
  ended_at: Date | null;
}
interface ParticipantRow {
  participant_id: string;
  name: string;
  status: ParticipantStatus;
  joins: number;
  joined_at: Date;
  left_at: Date | null;
}

const participantView = (p: ParticipantRow) => ({
  id: p.participant_id,
  name: p.name,
  status: p.status,
  label: PARTICIPANT_LABEL[p.status],
  joins: p.joins,
  joinedAt: p.joined_at.toISOString(),
  leftAt: p.left_at?.toISOString() ?? null,
});

/** The room's page on the providers server (mocks/video/page.ts). */
export const roomPagePath = (roomId: string) => `/video/rooms/${roomId}`;

/** The room with its participants, in one statement. */
export async function findRoom(env: ProviderEnv, id: string) {
  const { rows } = await env.db.query<RoomRow & { participants: (Omit<ParticipantRow, 'joined_at' | 'left_at'> & { joined_at: string; left_at: string | null })[] }>({
    name: 'govsim_video_room',
    text: `SELECT r.id, r.reference, r.host_id, r.host_name, r.status, r.created_at, r.ended_at,
                  COALESCE((SELECT json_agg(json_build_object('participant_id', p.participant_id, 'name', p.name, 'status', p.status, 'joins', p.joins,
                                                              'joined_at', p.joined_at, 'left_at', p.left_at) ORDER BY p.joined_at, p.participant_id)
                              FROM video_participants p WHERE p.run = r.run AND p.room_id = r.id), '[]') AS participants
             FROM video_rooms r WHERE r.run = $1 AND r.id = $2`,
    values: [env.run, id],
  });
  const row = rows[0];
  if (!row) return undefined;
  const participants = row.participants.map((p) => ({ ...p, joined_at: new Date(p.joined_at), left_at: p.left_at ? new Date(p.left_at) : null }));
  return { row, participants };
}

export const roomView = (found: { row: RoomRow; participants: ParticipantRow[] }, baseUrl: string) => ({
  roomId: found.row.id,
  reference: found.row.reference,
  host: { id: found.row.host_id, name: found.row.host_name },
  status: found.row.status,
  label: found.row.status === 'OPEN' ? '视频核查中' : '视频核查已结束',
  createdAt: found.row.created_at.toISOString(),
  endedAt: found.row.ended_at?.toISOString() ?? null,
  participants: found.participants.map(participantView),
  roomUrl: `${baseUrl}${roomPagePath(found.row.id)}`,
});

const roomNotFound = { status: 404, body: { code: 'ROOM_NOT_FOUND', message: '视频房间不存在' }, subject: null };
const roomEnded = (hostId: string) => ({ status: 409, body: { code: 'ROOM_ENDED', message: '视频核查已结束' }, subject: hostId });
const hostOf = async (env: ProviderEnv, roomId: string) => (await findRoom(env, roomId))?.row.host_id;

export const videoProvider: ProviderDefinition = {
  name: 'video',
  title: 'Video calls (云核查)',
  description: 'Create a room, join it per participant, hang up, end it, read its state.',
  outcomes: videoOutcomes,
  operations: [
    defineOperation({
      name: 'create',
      method: 'post',
      path: '/video/v1/rooms',
      summary: 'Create a room (room created); its host joins it with a join of their own',
      body: z.object({ reference: text(80), host: Person }),
      response: Room,
      status: 201,
      subject: ({ body }) => body.host.id.toUpperCase(),
      async handle({ body }, env) {
        const id = randomUUID();
        await env.db.query({
          name: 'govsim_video_create',
          text: `INSERT INTO video_rooms (run, id, reference, host_id, host_name, status, created_at) VALUES ($1, $2, $3, $4, $5, 'OPEN', $6)`,
          values: [env.run, id, body.reference, body.host.id.toUpperCase(), body.host.name, env.now],
        });
        return { status: 201, body: roomView({ row: { id, reference: body.reference, host_id: body.host.id.toUpperCase(), host_name: body.host.name, status: 'OPEN', created_at: env.now, ended_at: null }, participants: [] }, env.baseUrl) };
      },
    }),
    defineOperation({
      name: 'join',
      method: 'post',
      path: '/video/v1/rooms/:roomId/participants',
      summary: 'A participant joins the room (joined; again after hanging up or a dropped call), or fails to connect',
      body: Person,
      response: JoinAnswer,
      errors: { ...NO_ROOM, 409: ['ROOM_ENDED'] },
      decides: true,
      subject: ({ body }) => body.id.toUpperCase(),
      async handle({ params, body }, env) {
        const subject = body.id.toUpperCase();
        const answer = verdict(videoProvider, env.outcome);
        if (env.outcome === 'CONNECT_FAILED') return { status: 200, body: answer, subject };
        const status: ParticipantStatus = env.outcome === 'DROPPED' ? 'DROPPED' : 'JOINED';
        // Only into an open room; a participant seen before joins again on the same line.
        const { rows } = await env.db.query<ParticipantRow & { room_status: string | null }>({
          name: 'govsim_video_join',
          text: `WITH room AS (SELECT run, id FROM video_rooms WHERE run = $1 AND id = $2 AND status = 'OPEN'),
                 joined AS (
                   INSERT INTO video_participants (run, room_id, participant_id, name, status, joined_at, left_at)
                   SELECT run, id, $3, $4, $5, $6, CASE WHEN $5 = 'DROPPED' THEN $6::timestamptz END FROM room
                   ON CONFLICT (run, room_id, participant_id) DO UPDATE
                     SET name = EXCLUDED.name, status = EXCLUDED.status, joins = video_participants.joins + 1,
                         joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at
                   RETURNING participant_id, name, status, joins, joined_at, left_at)
                 SELECT j.*, NULL AS room_status FROM joined j
                 UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, r.status FROM video_rooms r
                  WHERE r.run = $1 AND r.id = $2 AND NOT EXISTS (SELECT 1 FROM joined)`,
          values: [env.run, params.roomId, subject, body.name, status, env.now],
        });
        const row = rows[0];
        if (!row) return { ...roomNotFound, subject };
        if (row.room_status) return { ...roomEnded(subject), subject };
        // A dropped call drops after the answer: the participant is told they are through.
        const view = participantView({ ...row, status: 'JOINED', left_at: null });
        return { status: 200, body: { ...verdict(videoProvider, 'PASS'), participant: view }, subject };
      },
    }),
    defineOperation({
      name: 'leave',
      method: 'post',
      path: '/video/v1/rooms/:roomId/participants/:participantId/leave',
      summary: 'A participant hangs up',
      response: Room,
      errors: { 404: ['ROOM_NOT_FOUND', 'NOT_IN_ROOM'] },
      subject: ({ params }) => params.participantId!.toUpperCase(),
      async handle({ params }, env) {
        const subject = params.participantId!.toUpperCase();
        const { rowCount } = await env.db.query({
          name: 'govsim_video_leave',
          text: `UPDATE video_participants SET status = 'LEFT', left_at = COALESCE(left_at, $4) WHERE run = $1 AND room_id = $2 AND participant_id = $3 AND status <> 'LEFT'`,
          values: [env.run, params.roomId, subject, env.now],
        });
        const found = await findRoom(env, params.roomId!);
        if (!found) return { ...roomNotFound, subject };
        if (!rowCount && !found.participants.some((p) => p.participant_id === subject))
          return { status: 404, body: { code: 'NOT_IN_ROOM', message: '该参与者不在视频房间中' }, subject };
        return { status: 200, body: roomView(found, env.baseUrl), subject };
      },
    }),
    defineOperation({
      name: 'end',
      method: 'post',
      path: '/video/v1/rooms/:roomId/end',
      summary: 'The host ends the room (ended): everyone still on the call is hung up; ending it again changes nothing',
      response: Room,
      errors: NO_ROOM,
      subject: (input, env) => hostOf(env, input.params.roomId!),
      async handle({ params }, env) {
        await env.db.query({
          name: 'govsim_video_end',
          text: `WITH ended AS (
                   UPDATE video_rooms SET status = 'ENDED', ended_at = $3 WHERE run = $1 AND id = $2 AND status = 'OPEN' RETURNING run, id)
                 UPDATE video_participants p SET status = 'LEFT', left_at = $3
                   FROM ended WHERE p.run = ended.run AND p.room_id = ended.id AND p.status = 'JOINED'`,
          values: [env.run, params.roomId, env.now],
        });
        const found = await findRoom(env, params.roomId!);
        return found ? { status: 200, body: roomView(found, env.baseUrl), subject: found.row.host_id } : roomNotFound;
      },
    }),
    defineOperation({
      name: 'state',
      method: 'get',
      path: '/video/v1/rooms/:roomId',
      summary: 'The room and each participant’s line: 通话中, 已挂断 or 视频通话已中断',
      response: Room,
      errors: NO_ROOM,
      subject: (input, env) => hostOf(env, input.params.roomId!),
      async handle({ params }, env) {
        const found = await findRoom(env, params.roomId!);
        return found ? { status: 200, body: roomView(found, env.baseUrl), subject: found.row.host_id } : roomNotFound;
      },
    }),
  ],
};
