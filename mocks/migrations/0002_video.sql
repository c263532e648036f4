-- The video provider's rooms (cloud inspection): a room per call, and each participant's line.
CREATE TABLE video_rooms (
  run         text NOT NULL,
  id          text NOT NULL,
  reference   text NOT NULL,               -- what the caller calls the room (e.g. an application number)
  host_id     text NOT NULL,               -- the subject of create / end / state (an ID number)
  host_name   text NOT NULL,
  status      text NOT NULL CHECK (status IN ('OPEN', 'ENDED')),
  created_at  timestamptz NOT NULL,        -- harness time
  ended_at    timestamptz,
  PRIMARY KEY (run, id)
);

CREATE TABLE video_participants (
  run             text NOT NULL,
  room_id         text NOT NULL,
  participant_id  text NOT NULL,           -- the subject of join / leave (an ID number)
  name            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('JOINED', 'LEFT', 'DROPPED')),
  joins           integer NOT NULL DEFAULT 1,
  joined_at       timestamptz NOT NULL,
  left_at         timestamptz,
  PRIMARY KEY (run, room_id, participant_id),
  FOREIGN KEY (run, room_id) REFERENCES video_rooms (run, id)
);
