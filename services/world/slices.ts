// The world's enterprises by number (H4): enterprise i of seed s, with its legal representative,
// is always the same, whatever the world's size. Light enough for the generator threads.
import { fakeEnterprise, fakePerson, Rng } from './generate.js';
import type { Enterprise, Person } from './store.js';

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

export interface SliceRequest {
  seed: number;
  from: number;
  to: number;
  /** The run key as a COPY field. */
  run: string;
}

/**
 * Enterprises from..to of the world as COPY text, UTF-8 (generated names, numbers and labels hold
 * no tab, line break or backslash), a line per person and per entity, with the lines' keys (ID
 * numbers, USCCs) joined by line breaks.
 */
export function sliceLines({ seed, from, to, run }: SliceRequest) {
  const { persons, enterprises } = worldSlice(seed, from, to);
  const utf8 = new TextEncoder();
  return {
    persons: utf8.encode(persons.map((p) => `${run}\t${p.idNumber}\t${p.name}\t${p.mobile}\t${p.idValidFrom}\t${p.idValidTo}\n`).join('')),
    personKeys: persons.map((p) => p.idNumber).join('\n'),
    enterprises: utf8.encode(enterprises.map((e) => `${run}\t${e.uscc}\t${e.name}\t${e.kind}\t${e.status}\t${e.industry}\t${e.legalRepIdNumber}\t${e.legalRepName}\t${e.district}\t${e.office}\n`).join('')),
    enterpriseKeys: enterprises.map((e) => e.uscc).join('\n'),
  };
}

