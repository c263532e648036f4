// The world's enterprises by number (H4): enterprise i of seed s, with its legal representative,
// is always the same, whatever the world's size. Light enough for the generator threads.
import { fakeEnterprise, fakePerson, fnv1a32, Rng } from './generate.js';
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

/** COPY text, UTF-8, a line per row, with each line's key: joined by line breaks, and hashed. */
export interface Lines {
  text: Uint8Array<ArrayBuffer>;
  keys: string;
  hashes: Uint32Array<ArrayBuffer>;
}

const utf8 = new TextEncoder();
const linesOf = (lines: string[], keys: string[]): Lines => ({ text: utf8.encode(lines.join('')), keys: keys.join('\n'), hashes: Uint32Array.from(keys, fnv1a32) });

/**
 * Enterprises from..to of the world as COPY lines, people and entities (generated names, numbers
 * and labels hold no tab, line break or backslash), keyed by ID number and USCC.
 */
export function sliceLines({ seed, from, to, run }: SliceRequest): { persons: Lines; enterprises: Lines } {
  const { persons, enterprises } = worldSlice(seed, from, to);
  return {
    persons: linesOf(
      persons.map((p) => `${run}\t${p.idNumber}\t${p.name}\t${p.mobile}\t${p.idValidFrom}\t${p.idValidTo}\n`),
      persons.map((p) => p.idNumber),
    ),
    enterprises: linesOf(
      enterprises.map((e) => `${run}\t${e.uscc}\t${e.name}\t${e.kind}\t${e.status}\t${e.industry}\t${e.legalRepIdNumber}\t${e.legalRepName}\t${e.district}\t${e.office}\n`),
      enterprises.map((e) => e.uscc),
    ),
  };
}

