// Runs a command against a fresh, migrated PostgreSQL (DATABASE_URL, testcontainers or embedded,
// as kernel/database.ts decides), then stops it:  tsx bin/with-database.ts -- cmd args…
import { spawn } from 'node:child_process';
import { loadConfig } from '../kernel/config.js';
import { acquireDatabase } from '../kernel/database.js';
import { createDb } from '../kernel/db.js';
import { migrateAll } from '../services/stack.js';

const separator = process.argv.indexOf('--');
const [command, ...args] = separator >= 0 ? process.argv.slice(separator + 1) : [];
if (!command) {
  console.error('usage: tsx bin/with-database.ts -- <command> [args…]');
  process.exit(2);
}

const database = await acquireDatabase(loadConfig(), { log: (line) => console.log(`[govsim] ${line}`) });
const db = createDb(database.url, 1);
await migrateAll(db);
await db.end();

const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: database.url, GOVSIM_DATABASE: 'url', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import tsx`.trim() },
});
const forward = (signal: NodeJS.Signals) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code: number = await new Promise((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
await database.stop();
process.exit(code);
