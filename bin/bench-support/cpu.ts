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
  /** Every postgres process, µs; undefined without /proc. */
  postgres: number | undefined;
}

function postgresMicros(): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const fields = stat.slice(close + 2).split(' '); // from field 3 (state) on
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone meanwhile
    }
  }
  return ticks * TICK_US;
}

export function cpuMark(): CpuMark {
  const { user, system } = process.cpuUsage();
  return { node: user + system, postgres: postgresMicros() };
}

/** CPU spent between two marks, µs. */
export function cpuSince(from: CpuMark, to: CpuMark = cpuMark()): CpuMark {
  return { node: to.node - from.node, postgres: to.postgres === undefined || from.postgres === undefined ? undefined : to.postgres - from.postgres };
}
