// The deployment files, checked offline (no Docker engine, no cluster here: neither is run).
// docker/compose.yaml: valid against the Compose Specification's schema once interpolated as
// compose does; PostgreSQL with a health check, the migrations once, replicas of govsim behind
// nginx (whose configuration balances each server's port over the replicas), k6 running the
// shipped load scripts against nginx; every file it mounts is in the clone.
// deploy/k8s: every kustomization rendered (test/support/kustomize.ts, and compared with
// `kubectl kustomize` where kubectl is installed), every object valid against the Kubernetes
// schemas or its CRD, with no unknown field; govsim's probes, ports, settings and migration
// Job agree with the code; a TestRun per load script.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { LOAD_DIR, loadScripts } from '../bin/build-load.js';
import { settings } from '../kernel/config.js';
import type { Db } from '../kernel/db.js';
import { Live } from '../kernel/live.js';
import { probesApi } from '../kernel/probes.js';
import { migrationSets } from '../services/stack.js';
import { idOf, kustomize, readYamlDocuments, type K8sObject } from './support/kustomize.js';
import { checkBuiltIn, crdChecker } from './support/kubernetes.js';

const root = path.resolve(import.meta.dirname, '..');
const at = (...parts: string[]) => path.join(root, ...parts);
const PORTS = { services: settings.servicesPort.default, providers: settings.providersPort.default, control: settings.controlPort.default };
const SCRIPTS = loadScripts().map((file) => path.basename(file));
const DECLARED = new Set(Object.values(settings).map((s) => s.env));
/** Settings whose default depends on the machine (one worker per core): a deployment pins them. */
const PINNED = ['GOVSIM_WORKERS'].filter((env) => DECLARED.has(env));
const packageScripts = JSON.parse(readFileSync(at('package.json'), 'utf8')).scripts as Record<string, string>;
const { declared: probeRoutes } = probesApi({ db: {} as Db, live: await Live.start({} as Db, undefined) }, migrationSets);
const probe = (name: 'healthz' | 'readyz') => {
  const route = probeRoutes.find((r) => r.path === `/${name}`);
  assert.ok(route?.method === 'get', `the servers serve GET /${name}`);
  return route.path;
};

// --- docker/compose.yaml ---------------------------------------------------------------------------

/** ${NAME}, ${NAME:-default}, ${NAME-default} and $$, as compose interpolates them with `env`. */
function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|\$(.?)/g, (whole, name?: string, op?: string, fallback?: string, bare?: string) => {
      if (whole === '$$') return '$';
      if (bare !== undefined) throw new Error(`unsupported interpolation in ${JSON.stringify(value)}: $${bare}`);
      const set = env[name!];
      if (op === ':-') return set ? set : fallback!;
      if (op === '-') return set ?? fallback!;
      return set ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  deploy?: { replicas?: string | number };
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
  network_mode?: string;
}

describe('docker/compose.yaml', () => {
  const file = at('docker', 'compose.yaml');
  const raw = parse(readFileSync(file, 'utf8'), { merge: true });
  const compose = interpolate(raw, {}) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
  const { services } = compose;
  const named = (name: string) => {
    const service = services[name];
    assert.ok(service, `a service ${name}`);
    return service;
  };
  const dependsOn = (name: string) => Object.fromEntries(Object.entries(named(name).depends_on ?? {}).map(([k, v]) => [k, v.condition]));
  const nginx = readFileSync(at('docker', 'nginx.conf'), 'utf8');

  test('is valid against the Compose Specification, interpolated with no variable set (the defaults)', () => {
    const { $schema: _, ...schema } = JSON.parse(readFileSync(at('test', 'schemas', 'compose-spec.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));
  });

  test('PostgreSQL with a health check; the migrations applied once it is healthy, by `npm run migrate`', () => {
    assert.match(named('postgres').image!, /^postgres:\d+/);
    assert.ok(named('postgres').healthcheck?.test.includes('pg_isready'));
    assert.deepEqual(named('migrate').command, ['npm', 'run', 'migrate']);
    assert.match(packageScripts.migrate!, /bin\/govsim\.ts migrate$/);
    assert.deepEqual(dependsOn('migrate'), { postgres: 'service_healthy' });
    assert.equal(named('migrate').environment?.DATABASE_URL, named('govsim').environment?.DATABASE_URL);
  });

  test('replicas of govsim, built from docker/Dockerfile, waiting for the migrations, healthy once /readyz answers on the three ports', () => {
    const govsim = named('govsim');
    assert.ok(Number(govsim.deploy?.replicas) >= 2, `replicas: ${govsim.deploy?.replicas}`);
    assert.ok(existsSync(path.resolve(at('docker'), govsim.build!.context, govsim.build!.dockerfile)));
    assert.equal(govsim.ports, undefined, 'replicas publish no host port: the load balancer does');
    assert.deepEqual(govsim.expose, Object.values(PORTS).map(String));
    assert.deepEqual(dependsOn('govsim'), { postgres: 'service_healthy', migrate: 'service_completed_successfully' });
    const env = govsim.environment!;
    assert.equal(env.GOVSIM_MIGRATIONS, 'wait');
    assert.match(env.DATABASE_URL!, /^postgres:\/\/[^@]+@postgres:5432\//);
    for (const key of Object.keys(env)) assert.ok(DECLARED.has(key), `${key} is a setting of kernel/config.ts`);
    for (const key of PINNED) assert.ok(env[key], `${key} is pinned`);
    const check = govsim.healthcheck!.test.join(' ');
    assert.ok(check.includes(probe('readyz')) && Object.values(PORTS).every((port) => check.includes(String(port))), check);
    const dockerfile = readFileSync(at('docker', 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^ENV GOVSIM_HOST=0\.0\.0\.0$/m);
    assert.match(dockerfile, /^RUN npm run build:load$/m);
  });

  test('an official nginx balances each server’s port over the replicas, and is healthy once govsim is', () => {
    const lb = named('lb');
    assert.match(lb.image!, /^nginx:[\d.]+(-alpine)?$/);
    assert.deepEqual(lb.volumes, ['./nginx.conf:/etc/nginx/nginx.conf:ro']);
    assert.deepEqual(lb.ports, Object.values(PORTS).map((p) => `${p}:${p}`));
    assert.deepEqual(dependsOn('lb'), { govsim: 'service_healthy' });
    for (const [server, port] of Object.entries(PORTS)) {
      const upstream = new RegExp(`upstream ${server} \\{[^}]*server govsim:${port} resolve;[^}]*\\}`);
      assert.match(nginx, upstream, `upstream ${server} → every replica's ${port}`);
      assert.match(nginx, new RegExp(`server \\{\\s*listen ${port};\\s*location / \\{\\s*proxy_pass http://${server};`), `port ${port} → upstream ${server}`);
    }
    assert.match(nginx, /resolver 127\.0\.0\.11 /, "Docker's DNS, asked again as replicas come and go");
  });

  test('k6 (grafana/k6) runs a shipped load script, built in the image, against the load balancer', () => {
    const k6 = named('k6');
    assert.match(k6.image!, /^grafana\/k6:\d+\.\d+\.\d+$/);
    assert.deepEqual(k6.profiles, ['load']);
    const [verb, script] = k6.command!;
    assert.equal(verb, 'run');
    assert.ok(SCRIPTS.includes(path.basename(script!)), `${script} is one of ${SCRIPTS.join(', ')}`);
    // The scripts: load/dist/, which `npm run build:load` writes in the image, copied into a volume.
    assert.equal(path.relative(root, path.join(LOAD_DIR, 'dist')), 'load/dist');
    assert.deepEqual(named('load-scripts').command, ['sh', '-c', 'cp load/dist/*.js /scripts/']);
    assert.deepEqual(named('load-scripts').volumes, ['load-scripts:/scripts']);
    assert.ok(k6.volumes!.includes('load-scripts:/scripts:ro'));
    assert.ok(compose.volumes && 'load-scripts' in compose.volumes);
    // Against the load balancer: k6 shares its network, where the servers' public host points.
    assert.equal(k6.network_mode, 'service:lb');
    assert.equal(k6.environment!.CONTROL_URL, `http://${named('govsim').environment!.GOVSIM_PUBLIC_HOST}:${PORTS.control}`);
    assert.deepEqual(dependsOn('k6'), { lb: 'service_healthy', 'load-scripts': 'service_completed_successfully' });
    assert.ok(k6.volumes!.includes(`../reports:${k6.environment!.SUMMARY_DIR}`), 'the summary lands in reports/');
  });

  test('every file or folder it mounts or builds from is in the clone', () => {
    const sources = Object.values(services).flatMap((s) => [...(s.volumes ?? []).map((v) => v.split(':')[0]!), ...(s.build ? [s.build.context] : [])]);
    const paths = sources.filter((s) => s.startsWith('.'));
    assert.ok(paths.length >= 3);
    for (const source of paths) assert.ok(existsSync(path.resolve(at('docker'), source)), `${source} (from docker/)`);
    for (const volume of sources.filter((s) => !s.startsWith('.'))) assert.ok(compose.volumes && volume in compose.volumes, `named volume ${volume} declared`);
  });
});

// --- deploy/k8s --------------------------------------------------------------------------------------

const K8S = at('deploy', 'k8s');
const kustomizations = ['base', 'load', ...readdirSync(path.join(K8S, 'overlays')).map((o) => `overlays/${o}`)];
const crd = crdChecker(readYamlDocuments(at('test', 'schemas', 'k6.io_testruns.yaml'))[0] as never);
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const byId = (objects: K8sObject[]) => [...objects].sort((a, b) => idOf(a).localeCompare(idOf(b)));
const rendered = new Map(kustomizations.map((k) => [k, kustomize(path.join(K8S, k))]));
const find = (k: string, kind: string, name: string) => {
  const object = rendered.get(k)!.find((o) => o.kind === kind && o.metadata.name === name);
  assert.ok(object, `${k}: ${kind}/${name}`);
  return object as any;
};

describe('deploy/k8s', () => {
  test(`every kustomization renders${kubectl ? ', as `kubectl kustomize` renders it' : ' (kubectl is not installed: rendered by test/support/kustomize.ts alone)'}`, () => {
    assert.deepEqual(kustomizations, ['base', 'load', 'overlays/large', 'overlays/large-load', 'overlays/managed-postgres']);
    for (const [k, objects] of rendered) {
      assert.ok(objects.length, k);
      if (kubectl) {
        const theirs = parseAllDocuments(execFileSync('kubectl', ['kustomize', path.join(K8S, k)], { encoding: 'utf8' })).map((d) => d.toJS() as K8sObject);
        assert.deepEqual(byId(objects), byId(theirs), k);
      }
    }
  });

  for (const k of kustomizations) {
    test(`${k}: every object is valid against the Kubernetes schemas (or the k6-operator's CRD), with no unknown field`, async () => {
      for (const object of rendered.get(k)!) {
        const problems = object.apiVersion.startsWith('k6.io/') ? crd.check(object) : await checkBuiltIn(object);
        assert.deepEqual(problems, [], `${k} ${idOf(object)}`);
      }
    });
  }

  test('govsim: replicas whose probes are the servers’ own (/healthz alive, /readyz ready), on the ports the servers listen on', () => {
    const deployment = find('base', 'Deployment', 'govsim');
    assert.ok(deployment.spec.replicas >= 2);
    const pod = deployment.spec.template;
    for (const [key, value] of Object.entries(deployment.spec.selector.matchLabels)) assert.equal(pod.metadata.labels[key], value, 'the selector picks its pods');
    const [container] = pod.spec.containers;
    assert.deepEqual(Object.fromEntries(container.ports.map((p: any) => [p.name, p.containerPort])), PORTS);
    assert.equal(container.livenessProbe.httpGet.path, probe('healthz'));
    assert.equal(container.startupProbe.httpGet.path, probe('healthz'));
    assert.equal(container.readinessProbe.httpGet.path, probe('readyz'));
    for (const p of [container.livenessProbe, container.startupProbe, container.readinessProbe]) assert.ok(PORTS[p.httpGet.port as keyof typeof PORTS], `probe port ${p.httpGet.port}`);
    assert.ok(container.readinessProbe.timeoutSeconds * 1000 > 2000, '/readyz answers within 2 s: the probe waits longer');
    const service = find('base', 'Service', 'govsim');
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    assert.deepEqual(Object.fromEntries(service.spec.ports.map((p: any) => [p.targetPort, p.port])), PORTS);
    const hosts = find('base', 'Ingress', 'govsim').spec.rules.map((r: any) => r.http.paths[0].backend.service);
    assert.deepEqual(hosts, Object.keys(PORTS).map((name) => ({ name: 'govsim', port: { name } })));
  });

  test('settings: declared in kernel/config.ts; the pods wait for the migration Job, which runs `npm run migrate`; the database URL from a Secret', () => {
    const data = find('base', 'ConfigMap', 'govsim-settings').data as Record<string, string>;
    for (const key of Object.keys(data)) assert.ok(DECLARED.has(key), `${key} is a setting of kernel/config.ts`);
    for (const key of PINNED) assert.ok(data[key], `${key} is pinned`);
    assert.equal(data.GOVSIM_MIGRATIONS, 'wait');
    assert.equal(data.GOVSIM_PUBLIC_HOST, 'govsim', 'the stack control names the Service');
    const job = find('base', 'Job', 'govsim-migrate').spec.template.spec.containers[0];
    const server = find('base', 'Deployment', 'govsim').spec.template.spec.containers[0];
    assert.deepEqual(job.command, ['npm', 'run', 'migrate']);
    assert.equal(job.image, server.image);
    for (const container of [job, server]) {
      assert.deepEqual(container.envFrom, [{ configMapRef: { name: 'govsim-settings' } }]);
      assert.deepEqual(container.env, [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'govsim-database', key: 'url' } } }]);
    }
    assert.match(find('base', 'Secret', 'govsim-database').stringData.url, /^postgres:\/\/[^@]+@postgres:5432\//, 'base: its own PostgreSQL');
  });

  test('managed-postgres: no PostgreSQL of its own nor its Secret; govsim and the Job read yours', () => {
    const ids = rendered.get('overlays/managed-postgres')!.map(idOf);
    for (const id of ['StatefulSet/postgres', 'Service/postgres', 'Secret/govsim-database']) assert.ok(!ids.includes(id), id);
    assert.deepEqual(ids.sort(), rendered.get('base')!.map(idOf).filter((id) => !/postgres$|govsim-database$/.test(id)).sort());
  });

  test('large: more replicas, fan-out lanes and database cores than the base', () => {
    const replicas = (k: string) => find(k, 'Deployment', 'govsim').spec.replicas;
    const lanes = (k: string) => Number(find(k, 'ConfigMap', 'govsim-settings').data.GOVSIM_FANOUT_LANES);
    const cores = (k: string) => Number(find(k, 'StatefulSet', 'postgres').spec.template.spec.containers[0].resources.requests.cpu);
    assert.ok(replicas('overlays/large') > replicas('base'));
    assert.ok(lanes('overlays/large') > lanes('base'));
    assert.equal(lanes('overlays/large'), cores('overlays/large'), 'a lane per database core');
    const pool = Number(find('overlays/large', 'ConfigMap', 'govsim-settings').data.GOVSIM_DB_POOL);
    const maxConnections = Number(/max_connections=(\d+)/.exec(find('overlays/large', 'StatefulSet', 'postgres').spec.template.spec.containers[0].args.join(' '))![1]);
    assert.ok(replicas('overlays/large') * (2 * pool + 1) < maxConnections, 'every replica’s connections fit');
  });

  test('load: a k6-operator TestRun per shipped load script, its VUs split across runner pods, against the govsim Service', () => {
    const runs = rendered.get('load')!;
    assert.deepEqual(runs.map((r: any) => path.basename(r.spec.script.localFile)).sort(), SCRIPTS);
    for (const run of runs as any[]) {
      const env = Object.fromEntries(run.spec.runner.env.map((e: any) => [e.name, e.value]));
      assert.equal(env.CONTROL_URL, `http://govsim:${PORTS.control}`);
      assert.ok(env.SUMMARY_DIR?.startsWith('/'), 'a folder the runner has');
      const [copy] = run.spec.runner.initContainers;
      assert.equal(copy.image, find('base', 'Deployment', 'govsim').spec.template.spec.containers[0].image, 'the scripts built in the govsim image');
      assert.equal(copy.command.at(-1), `cp /app/load/dist/*.js ${path.dirname(run.spec.script.localFile)}/`);
    }
    const fanout = find('load', 'TestRun', 'govsim-weekly-fanout');
    assert.ok(fanout.spec.parallelism >= 2, 'the weekly fan-out’s VUs split across pods');
    assert.equal(find('load', 'TestRun', 'govsim-reminders').spec.parallelism, 1, 'one VU, one iteration: nothing to split');
    assert.ok(find('overlays/large-load', 'TestRun', 'govsim-weekly-fanout').spec.parallelism > fanout.spec.parallelism);
    const profile = find('overlays/large-load', 'TestRun', 'govsim-weekly-fanout').spec.runner.env.find((e: any) => e.name === 'PROFILE').value;
    assert.match(readFileSync(at('load', 'lib', 'k6.js'), 'utf8'), new RegExp(`^  ${profile}: `, 'm'), `${profile} is a profile of load/lib/k6.js`);
  });
});
