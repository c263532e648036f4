// Renders a kustomization as `kubectl kustomize` does, for the few features deploy/k8s uses, so
// that the manifests' test needs no kubectl: `resources` (YAML files and other kustomizations)
// and `patches` — RFC 6902 JSON patches (add, replace, remove) on a `target` by kind and name,
// and strategic-merge patches that delete an object (`$patch: delete`). Anything else in a
// kustomization or a patch is refused by name rather than rendered differently. Tests only; where
// kubectl is installed, test/deploy.test.ts compares this with `kubectl kustomize`.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface Patch {
  path?: string;
  patch?: string;
  target?: { kind: string; name: string; [key: string]: unknown };
}

const KNOWN = new Set(['apiVersion', 'kind', 'resources', 'patches']);

/** Every YAML document of a file (comments and empty documents left out). */
export function readYamlDocuments(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const d of documents) if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
  return documents.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

export const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

/** The objects the kustomization in `dir` renders to, in kustomize's order of resources. */
export function kustomize(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const [k] = readYamlDocuments(file) as Record<string, unknown>[];
  if (!k || k.kind !== 'Kustomization') throw new Error(`${file}: not a Kustomization`);
  const unknown = Object.keys(k).filter((key) => !KNOWN.has(key));
  if (unknown.length) throw new Error(`${file}: ${unknown.join(', ')} not rendered by test/support/kustomize.ts`);
  let objects: K8sObject[] = [];
  for (const entry of (k.resources ?? []) as string[]) {
    const at = path.resolve(dir, entry);
    const added = statSync(at).isDirectory() ? kustomize(at) : (readYamlDocuments(at) as K8sObject[]);
    for (const o of added) {
      if (objects.some((p) => idOf(p) === idOf(o))) throw new Error(`${file}: ${idOf(o)} comes twice`);
      objects.push(o);
    }
  }
  for (const patch of (k.patches ?? []) as Patch[]) objects = applyPatch(objects, patch, dir);
  return objects;
}

function applyPatch(objects: K8sObject[], patch: Patch, dir: string): K8sObject[] {
  const text = patch.path ? readFileSync(path.resolve(dir, patch.path), 'utf8') : patch.patch;
  if (text === undefined) throw new Error(`${dir}: a patch with neither path nor patch`);
  const documents = parseAllDocuments(text).map((d) => d.toJS());
  if (documents.length !== 1) throw new Error(`${dir}: one document per patch`);
  const [body] = documents;
  if (Array.isArray(body)) {
    if (!patch.target) throw new Error(`${dir}: a JSON patch needs a target`);
    const { kind, name, ...rest } = patch.target;
    if (Object.keys(rest).length) throw new Error(`${dir}: target by ${Object.keys(rest).join(', ')} not rendered here`);
    const matched = objects.filter((o) => o.kind === kind && o.metadata.name === name);
    if (!matched.length) throw new Error(`${dir}: no ${kind}/${name} to patch`);
    return objects.map((o) => (matched.includes(o) ? jsonPatch(o, body as Operation[]) : o));
  }
  const { $patch: directive, ...identity } = body as K8sObject & { $patch?: string };
  if (patch.target || directive !== 'delete' || Object.keys(identity).sort().join() !== 'apiVersion,kind,metadata' || Object.keys(identity.metadata).join() !== 'name') {
    throw new Error(`${dir}: of strategic-merge patches only \`$patch: delete\` of an object (apiVersion, kind, metadata.name) is rendered here`);
  }
  const left = objects.filter((o) => !(o.apiVersion === identity.apiVersion && idOf(o) === idOf(identity)));
  if (left.length === objects.length) throw new Error(`${dir}: no ${idOf(identity)} to delete`);
  return left;
}

type Operation = { op: string; path: string; value?: unknown };

/** RFC 6902 add, replace and remove on a copy of `target` (JSON pointers, `-` to append). */
export function jsonPatch<T>(target: T, operations: Operation[]): T {
  const doc = structuredClone(target);
  for (const { op, path: pointer, value } of operations) {
    if (!['add', 'replace', 'remove'].includes(op)) throw new Error(`JSON patch op ${op} not rendered here`);
    const keys = pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`JSON patch of the whole document: ${pointer}`);
    let parent: unknown = doc;
    for (const key of keys) {
      parent = (parent as Record<string, unknown>)?.[key];
      if (parent === null || typeof parent !== 'object') throw new Error(`JSON patch ${op} ${pointer}: no ${key}`);
    }
    const container = parent as Record<string, unknown> | unknown[];
    if (Array.isArray(container)) {
      const index = last === '-' && op === 'add' ? container.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > container.length || (op !== 'add' && index === container.length)) throw new Error(`JSON patch ${op} ${pointer}: no index ${last}`);
      if (op === 'add') container.splice(index, 0, structuredClone(value));
      else if (op === 'replace') container[index] = structuredClone(value);
      else container.splice(index, 1);
    } else {
      if (op !== 'add' && !(last in container)) throw new Error(`JSON patch ${op} ${pointer}: no ${last}`);
      if (op === 'remove') delete container[last];
      else container[last] = structuredClone(value);
    }
  }
  return doc;
}
