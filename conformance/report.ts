// The conformance report, built from Cucumber's message stream. Each scenario counts for the SPEC
// capabilities it is tagged with (@A1 … @F7; the harness's @H tags are govsim's own, not the
// implementation under test's). A capability conforms when every one of its scenarios passed;
// otherwise the report gives the first scenario that did not, its first failing step, and the
// request and answer that led to it (the last call before the failure, attached by
// features/support/exchanges.ts). Verdicts, worst first:
//   failed           a step failed: a wrong answer, or one govsim's OpenAPI document does not describe;
//   not implemented  a route of govsim's document was answered 404 or 405 (NotImplemented);
//   not runnable     the scenario needs a harness endpoint the implementation under test does not offer (NotRunnable);
//   passed.
import type { Envelope, Pickle, TestStepResult } from '@cucumber/messages';
import { EXCHANGE_MEDIA_TYPE, type Exchange } from './exchange.js';

export type Verdict = 'passed' | 'failed' | 'not implemented' | 'not runnable';
const WORST_FIRST: Verdict[] = ['failed', 'not implemented', 'not runnable', 'passed'];

/** A SPEC capability tag; the harness's (H) are not the implementation under test's. */
const CAPABILITY = /^@([A-Z])(\d+)$/;
const HARNESS = 'H';

/** The capability IDs among a scenario's tags, e.g. ['D7'] for `@D7 @H1 @api`. */
export const capabilitiesOf = (tags: readonly string[]): string[] =>
  tags.flatMap((tag) => {
    const m = CAPABILITY.exec(tag);
    return m && m[1] !== HARNESS ? [`${m[1]}${m[2]}`] : [];
  });

/** A1 < A2 < A10 < B1. */
export const byCapability = (a: string, b: string) => a[0]!.localeCompare(b[0]!) || Number(a.slice(1)) - Number(b.slice(1));

export interface Failure {
  scenario: string;
  /** feature file:line */
  location: string;
  /** The first step that did not pass, as written (a hook: "Before hook (file:line)", "After hook (…)"). */
  step: string;
  /** What it failed with (the error's class and message). */
  error: string;
  /** The last call before the failure: request and answer. */
  exchange?: Exchange;
}

export interface ScenarioResult {
  name: string;
  location: string;
  capabilities: string[];
  verdict: Verdict;
  failure?: Failure;
}

export interface CapabilityResult {
  id: string;
  verdict: Verdict;
  passed: number;
  scenarios: number;
  /** The first of its scenarios with the capability's verdict. */
  failure?: Failure;
}

export interface ConformanceReport {
  target: string;
  /** `N of M capabilities conform` */
  summary: string;
  conform: number;
  total: number;
  capabilities: CapabilityResult[];
  scenarios: ScenarioResult[];
}

const VERDICT_OF_ERROR: Record<string, Verdict> = { NotImplemented: 'not implemented', NotRunnable: 'not runnable' };

/** The report of a Cucumber run against `target`, from the run's messages (in the order they were emitted). */
export function conformanceReport(target: string, envelopes: readonly Envelope[]): ConformanceReport {
  const pickles = new Map<string, Pickle>();
  const keywords = new Map<string, string>(); // Gherkin step id → its keyword ("Given ", "And ")
  const hooks = new Map<string, { after: boolean; where: string }>();
  const testCases = new Map<string, { pickleId: string; steps: { id: string; pickleStepId?: string; hookId?: string }[] }>();
  const attempts = new Map<string, { testCaseStartedId: string; results: Map<string, TestStepResult>; exchanges: Map<string, Exchange> }>(); // by test case: its last attempt

  for (const envelope of envelopes) {
    if (envelope.gherkinDocument) collectKeywords(envelope.gherkinDocument.feature, keywords);
    if (envelope.pickle) pickles.set(envelope.pickle.id, envelope.pickle);
    if (envelope.hook) {
      const { id, type, sourceReference } = envelope.hook;
      hooks.set(id, { after: type === 'AFTER_TEST_CASE', where: `${sourceReference.uri}:${sourceReference.location?.line ?? '?'}` });
    }
    if (envelope.testCase) testCases.set(envelope.testCase.id, { pickleId: envelope.testCase.pickleId, steps: [...envelope.testCase.testSteps] });
    if (envelope.testCaseStarted) attempts.set(envelope.testCaseStarted.testCaseId, { testCaseStartedId: envelope.testCaseStarted.id, results: new Map(), exchanges: new Map() });
  }
  const attemptOf = new Map([...attempts.values()].map((a) => [a.testCaseStartedId, a]));
  for (const envelope of envelopes) {
    const finished = envelope.testStepFinished;
    if (finished) attemptOf.get(finished.testCaseStartedId)?.results.set(finished.testStepId, finished.testStepResult);
    const attachment = envelope.attachment;
    if (attachment?.mediaType === EXCHANGE_MEDIA_TYPE && attachment.testCaseStartedId) {
      attemptOf.get(attachment.testCaseStartedId)?.exchanges.set(attachment.testStepId ?? '', JSON.parse(attachment.body) as Exchange);
    }
  }

  const scenarios: ScenarioResult[] = [];
  for (const [testCaseId, testCase] of testCases) {
    const pickle = pickles.get(testCase.pickleId)!;
    const capabilities = capabilitiesOf(pickle.tags.map((t) => t.name));
    if (!capabilities.length) continue;
    const location = `${pickle.uri}:${pickle.location?.line ?? '?'}`;
    const attempt = attempts.get(testCaseId);
    if (!attempt) {
      scenarios.push({ name: pickle.name, location, capabilities, verdict: 'failed', failure: { scenario: pickle.name, location, step: '(not run)', error: 'the scenario did not run' } });
      continue;
    }
    const failedAt = testCase.steps.findIndex((s) => attempt.results.get(s.id)?.status !== 'PASSED');
    if (failedAt < 0) {
      scenarios.push({ name: pickle.name, location, capabilities, verdict: 'passed' });
      continue;
    }
    const step = testCase.steps[failedAt]!;
    const result = attempt.results.get(step.id);
    const pickleStep = pickle.steps.find((s) => s.id === step.pickleStepId);
    const hook = hooks.get(step.hookId ?? '');
    const stepText = pickleStep ? `${keywords.get(pickleStep.astNodeIds[0]!) ?? ''}${pickleStep.text}` : `${hook?.after ? 'After' : 'Before'} hook (${hook?.where ?? 'unknown'})`;
    const error = result
      ? result.exception
        ? `${result.exception.type}: ${result.exception.message ?? ''}`
        : `${result.status}${result.message ? `: ${result.message}` : ''}`
      : 'the step did not finish';
    const exchange = attempt.exchanges.get(step.id) ?? [...attempt.exchanges.values()][0];
    scenarios.push({
      name: pickle.name,
      location,
      capabilities,
      verdict: (result?.exception && VERDICT_OF_ERROR[result.exception.type]) || 'failed',
      failure: { scenario: pickle.name, location, step: stepText, error, ...(exchange ? { exchange } : {}) },
    });
  }

  const ids = [...new Set(scenarios.flatMap((s) => s.capabilities))].sort(byCapability);
  const capabilities = ids.map((id): CapabilityResult => {
    const own = scenarios.filter((s) => s.capabilities.includes(id));
    const verdict = WORST_FIRST.find((v) => own.some((s) => s.verdict === v))!;
    const first = own.find((s) => s.verdict === verdict);
    return { id, verdict, passed: own.filter((s) => s.verdict === 'passed').length, scenarios: own.length, ...(first?.failure ? { failure: first.failure } : {}) };
  });
  const conform = capabilities.filter((c) => c.verdict === 'passed').length;
  return { target, summary: `${conform} of ${capabilities.length} capabilities conform`, conform, total: capabilities.length, capabilities, scenarios };
}

/** Every Gherkin step's keyword, by step id (backgrounds, scenarios and rules alike). */
function collectKeywords(node: unknown, into: Map<string, string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectKeywords(n, into));
  if (!node || typeof node !== 'object') return;
  const step = node as { id?: string; keyword?: string; text?: string };
  if (step.id && step.keyword !== undefined && step.text !== undefined) into.set(step.id, step.keyword);
  for (const value of Object.values(node)) collectKeywords(value, into);
}

// Renderings ------------------------------------------------------------------------------------------

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
/** Text for an element's content (quotes stay as they are, to be read)… */
const escapeText = (text: string) => text.replace(/[&<>]/g, (c) => ENTITIES[c]!);
/** …and for an attribute's value (in double quotes). */
const escapeAttribute = (text: string) => text.replace(/[&<>"]/g, (c) => ENTITIES[c]!);
/** Outside the characters XML 1.0 allows (an answer may carry any). */
const xmlSafe = (text: string) => text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

/** The request and answer as text: the method and URL, the headers, the bodies as JSON. */
export function exchangeText(exchange: Exchange): string {
  const { request, response } = exchange;
  const json = (body: unknown) => (body === undefined ? '' : `\n${typeof body === 'string' ? body : JSON.stringify(body, null, 2)}`);
  return [
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    json(request.body).trimStart(),
    '',
    `→ ${response.status} (${exchange.party === 'govsim' ? 'answered by govsim' : 'answered by the implementation under test'})${json(response.body)}`,
  ]
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n');
}

const failureText = (failure: Failure) =>
  [`${failure.scenario} (${failure.location})`, `step: ${failure.step}`, failure.error, ...(failure.exchange ? ['', 'last call before the failure:', exchangeText(failure.exchange)] : [])].join('\n');

export function junitXml(report: ConformanceReport): string {
  const count = (verdict: Verdict) => report.capabilities.filter((c) => c.verdict === verdict).length;
  const failures = count('failed') + count('not implemented');
  const cases = report.capabilities.map((c) => {
    const open = `  <testcase classname="govsim.conformance" name="${c.id}" assertions="${c.scenarios}">`;
    if (c.verdict === 'passed') return `${open}</testcase>`;
    const detail = xmlSafe(escapeText(failureText(c.failure!)));
    const message = xmlSafe(escapeAttribute(`${c.verdict}: ${c.failure!.step}`));
    const element = c.verdict === 'not runnable' ? `<skipped message="${message}"/>` : `<failure type="${c.verdict}" message="${message}">${detail}</failure>`;
    return `${open}\n    ${element}\n  </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="govsim conformance: ${xmlSafe(escapeAttribute(report.target))}" tests="${report.total}" failures="${failures}" errors="0" skipped="${count('not runnable')}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

const VERDICT_STYLE: Record<Verdict, string> = { passed: '#1a7f37', failed: '#cf222e', 'not implemented': '#9a6700', 'not runnable': '#57606a' };

export function html(report: ConformanceReport): string {
  const rows = report.capabilities.map((c) => {
    const verdict = `<td style="color:${VERDICT_STYLE[c.verdict]};font-weight:600">${c.verdict}</td>`;
    const detail = c.failure
      ? `<details><summary>${escapeText(c.failure.scenario)} — ${escapeText(c.failure.step)}</summary><pre>${escapeText(failureText(c.failure))}</pre></details>`
      : '';
    return `<tr id="${c.id}"><th scope="row">${c.id}</th>${verdict}<td>${c.passed} of ${c.scenarios}</td><td>${detail}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>govsim conformance: ${escapeText(report.summary)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .75rem; border-bottom: 1px solid #d0d7de; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .75rem; font-size: 13px; }
</style>
</head>
<body>
<h1>govsim conformance</h1>
<p>Implementation under test: <code>${escapeText(report.target)}</code></p>
<p><strong>${escapeText(report.summary)}</strong></p>
<table>
<thead><tr><th scope="col">capability</th><th scope="col">verdict</th><th scope="col">scenarios passed</th><th scope="col">first failure</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
