// CPU time spent while a load ran, by whom: this process (the servers in it and the load
// generator's thread) and PostgreSQL (every `postgres` process of the machine, read from /proc).
// Divided by the answers, it says where a request's time goes across processes — what a profile
// of one process cannot.
import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports process times in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const TICK_US = 1e6 / 100;

export interface CpuMark {
  /** This process, all threads, µs. */
  node: number;
  /** Every postgres process by pid, µs; undefined without /proc. */
  postgres: Map<string, number> | undefined;
}

/** CPU spent between two marks, µs. */
export interface CpuSpent {
  node: number;
  /** By processes alive at the second mark (one that ended between the marks took its last share with it). */
  postgres: number | undefined;
}

function postgresMicros(): Map<string, number> | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const byPid = new Map<string, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' '); // from field 3 (state) on
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_US); // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

export function cpuMark(): CpuMark {
  const { user, system } = process.cpuUsage();
  return { node: user + system, postgres: postgresMicros() };
}

export function cpuSince(from: CpuMark, to: CpuMark = cpuMark()): CpuSpent {
  let postgres: number | undefined;
  if (from.postgres && to.postgres) {
    postgres = 0;
    // A process started meanwhile spent all it has (a pid reused by another postgres is not told apart).
    for (const [pid, micros] of to.postgres) postgres += Math.max(0, micros - (from.postgres.get(pid) ?? 0));
  }
  return { node: to.node - from.node, postgres };
}
