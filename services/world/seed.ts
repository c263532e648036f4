// A deterministic world (H4): enterprise i of seed s is always the same, whatever the world's
// size, so a world of 100 is the first 100 of a world of 1,000.
import type { Queryable } from '../../kernel/db.js';
import { fakeEnterprise, fakePerson, Rng } from './generate.js';
import { insertEnterprises, insertPersons, type Enterprise, type Person } from './store.js';

export function worldSlice(seed: number, from: number, to: number): { persons: Person[]; enterprises: Enterprise[] } {
  const root = new Rng(seed);
  const persons: Person[] = [];
  const enterprises: Enterprise[] = [];
  for (let i = from; i < to; i++) {
    const rng = root.child(`enterprise ${i}`);
    const person = fakePerson(rng);
    const roll = rng.next();
    const kind = roll < 0.7 ? 'company' : roll < 0.93 ? 'individual' : 'cooperative';
    persons.push(person);
    enterprises.push(fakeEnterprise(rng, person, { kind }) as Enterprise);
  }
  return { persons, enterprises };
}

export async function seedWorld(db: Queryable, run: string, options: { seed: number; enterprises: number; onProgress?: (done: number) => void }) {
  const chunk = 10_000;
  let persons = 0;
  let enterprises = 0;
  for (let from = 0; from < options.enterprises; from += chunk) {
    const slice = worldSlice(options.seed, from, Math.min(from + chunk, options.enterprises));
    persons += await insertPersons(db, run, slice.persons);
    enterprises += await insertEnterprises(db, run, slice.enterprises);
    options.onProgress?.(Math.min(from + chunk, options.enterprises));
  }
  return { seed: options.seed, persons, enterprises };
}
