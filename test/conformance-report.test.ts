// The conformance report from Cucumber's messages (conformance/report.ts), on messages shaped as
// Cucumber emits them: the verdict of a capability is its worst scenario's, the harness's @H tags
// count for nothing, the failure named is the first step that did not pass (a hook by its place)
// with the call attached to it, and the JUnit file has a test case per capability.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { EXCHANGE_MEDIA_TYPE, type Exchange } from '../conformance/exchange.js';
import { conformanceReport, junitXml } from '../conformance/report.js';

const TIME = { seconds: 0, nanos: 0 };
const BEFORE_HOOK = 'hook-before';

/** What one step of a scenario ended with: passed, or an error of a class (Cucumber sends the class name as the exception's type). */
type Outcome = 'passed' | 'skipped' | { type: string; message: string; exchange?: Exchange };

/** The messages of one scenario run: its Gherkin, pickle, test case (a Before hook, then its steps) and results. */
function scenario(id: string, tags: string[], steps: [text: string, outcome: Outcome][], before: Outcome = 'passed'): Envelope[] {
  const stepIds = steps.map((_, i) => `${id}-step-${i}`);
  const testSteps = [{ id: `${id}-ts-hook`, hookId: BEFORE_HOOK }, ...steps.map((_, i) => ({ id: `${id}-ts-${i}`, pickleStepId: `${id}-ps-${i}` }))];
  const outcomes = [before, ...steps.map(([, outcome]) => outcome)];
  return [
    {
      gherkinDocument: {
        uri: `features/${id}.feature`,
        comments: [],
        feature: {
          location: { line: 1 },
          tags: [],
          language: 'en',
          keyword: 'Feature',
          name: id,
          description: '',
          children: [
            {
              scenario: {
                id: `${id}-scenario`,
                location: { line: 3 },
                tags: [],
                keyword: 'Scenario',
                name: id,
                description: '',
                examples: [],
                steps: steps.map(([text], i) => ({ id: stepIds[i]!, location: { line: 4 + i }, keyword: i ? 'Then ' : 'When ', text })),
              },
            },
          ],
        },
      },
    },
    {
      pickle: {
        id: `${id}-pickle`,
        uri: `features/${id}.feature`,
        location: { line: 3 },
        name: id,
        language: 'en',
        astNodeIds: [`${id}-scenario`],
        tags: tags.map((name) => ({ name, astNodeId: 'tag' })),
        steps: steps.map(([text], i) => ({ id: `${id}-ps-${i}`, astNodeIds: [stepIds[i]!], text })),
      },
    },
    { testCase: { id: `${id}-tc`, pickleId: `${id}-pickle`, testSteps } },
    { testCaseStarted: { id: `${id}-started`, testCaseId: `${id}-tc`, attempt: 0, timestamp: TIME } },
    ...testSteps.flatMap((step, i): Envelope[] => {
      const outcome = outcomes[i]!;
      const status = outcome === 'passed' ? 'PASSED' : outcome === 'skipped' ? 'SKIPPED' : 'FAILED';
      const exception = typeof outcome === 'object' ? { exception: { type: outcome.type, message: outcome.message } } : {};
      const attached: Envelope[] =
        typeof outcome === 'object' && outcome.exchange
          ? [{ attachment: { testCaseStartedId: `${id}-started`, testStepId: step.id, mediaType: EXCHANGE_MEDIA_TYPE, contentEncoding: 'IDENTITY' as never, body: JSON.stringify(outcome.exchange) } }]
          : [];
      return [...attached, { testStepFinished: { testCaseStartedId: `${id}-started`, testStepId: step.id, timestamp: TIME, testStepResult: { status: status as never, duration: TIME, ...exception } } }];
    }),
    { testCaseFinished: { testCaseStartedId: `${id}-started`, timestamp: TIME, willBeRetried: false } },
  ];
}

const exchange: Exchange = {
  party: 'target',
  request: { method: 'PUT', url: 'http://target/sdreg/v1/me/mobile', headers: { 'x-govsim-run': 'w0-x' }, body: { mobile: '13912345678' } },
  response: { status: 404, body: 'Cannot PUT /sdreg/v1/me/mobile' },
};

test('a capability takes its worst scenario’s verdict; the failure named is the first step that did not pass, with its call', () => {
  const report = conformanceReport('http://target', [
    { hook: { id: BEFORE_HOOK, type: 'BEFORE_TEST_CASE' as never, sourceReference: { uri: 'features/support/world.ts', location: { line: 170 } } } },
    ...scenario('a', ['@C6', '@api'], [['he changes his mobile', { type: 'NotImplemented', message: 'PUT /sdreg/v1/me/mobile → 404', exchange }], ['it shows', 'skipped']]),
    ...scenario('b', ['@C6', '@H1', '@api'], [['he looks', { type: 'AssertionError', message: 'expected 1' }]]),
    ...scenario('c', ['@C7', '@api'], [['he registers', 'passed'], ['nothing was stored', { type: 'NotRunnable', message: 'GET /harness/v1/footprint: …' }]]),
    ...scenario('d', ['@C7', '@C8', '@api'], [['he registers', 'passed']]),
    ...scenario('e', ['@C9', '@api'], [['he logs in', 'skipped']], { type: 'Error', message: 'the control API did not answer' }),
    ...scenario('f', ['@H2', '@api'], [['the harness', { type: 'Error', message: 'not the target’s' }]]),
  ]);

  assert.deepEqual(
    report.capabilities.map((c) => [c.id, c.verdict, `${c.passed}/${c.scenarios}`]),
    [
      ['C6', 'failed', '0/2'], // failed outweighs not implemented
      ['C7', 'not runnable', '1/2'],
      ['C8', 'passed', '1/1'],
      ['C9', 'failed', '0/1'],
    ],
  );
  assert.equal(report.summary, '1 of 4 capabilities conform');
  assert.deepEqual(report.capabilities[0]!.failure, { scenario: 'b', location: 'features/b.feature:3', step: 'When he looks', error: 'AssertionError: expected 1' });
  assert.deepEqual(report.scenarios.find((s) => s.name === 'a')!.failure, {
    scenario: 'a',
    location: 'features/a.feature:3',
    step: 'When he changes his mobile',
    error: 'NotImplemented: PUT /sdreg/v1/me/mobile → 404',
    exchange,
  });
  assert.equal(report.capabilities[1]!.failure!.step, 'Then nothing was stored');
  assert.equal(report.capabilities[3]!.failure!.step, 'Before hook (features/support/world.ts:170)');

  const junit = junitXml(report);
  assert.match(junit, /<testsuite name="govsim conformance: http:\/\/target" tests="4" failures="2" errors="0" skipped="1">/);
  assert.match(junit, /<testcase classname="govsim.conformance" name="C7" assertions="2">\n {4}<skipped message="not runnable: Then nothing was stored"\/>/);
  assert.match(junit, /<testcase classname="govsim.conformance" name="C8" assertions="1"><\/testcase>/);
});
