// govsim/testing: for tests that drive a running govsim (`npx govsim start`, or a stack of one's
// own) through its control API: clock, provider scripts, journal, SMS outbox, registry, footprint,
// reset — every call under the test's own run key.
export { controlClient, ControlError, type ControlClient, type ControlClientOptions } from './client.js';
export type { ProviderControl, ScriptOptions, SmsControl } from '../mocks/create-providers.js';
export type { ProviderCall, Script, Fault } from '../mocks/core/store.js';
export type { SmsMessage } from '../mocks/sms/provider.js';
export type { ProviderView, ScriptRequest } from '../mocks/control.js';
export type { ClockView, ScheduledJob } from '../services/harness/routes.js';
export type { NewEnterprise, NewPerson, RegistryEnterprise, RegistryPerson, SeededWorld } from '../services/world/control.js';
export { RUN_HEADER } from '../kernel/runs.js';
