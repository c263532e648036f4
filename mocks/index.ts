// govsim's provider mocks: each provider's behaviour once, served two ways.
//   MSW, in a consumer's own tests:  createProviders()  (PGlite in the process, or a given PostgreSQL)
//   HTTP:  providersApi({ db, live }, providers)        (npm start, integrators' apps)
// Lower down, providerHandlers(db, providers, opts) gives the MSW handlers over a database of one's
// own; the journal is written in batches: flushJournals() before closing the pool they write through.
export { createProviders, type CreateProvidersOptions, type Providers, type ProviderControl, type SmsControl, type ScriptOptions } from './create-providers.js';
export { providers, providerByName } from './providers.js';
export { ctidProvider, ctidOutcomes } from './ctid/provider.js';
export { faceProvider, faceOutcomes } from './face/provider.js';
export { identityProvider, identityOutcomes } from './identity/provider.js';
export { smsProvider, smsOutcomes, readOutbox, latestCode, type SmsMessage } from './sms/provider.js';
export { videoProvider, videoOutcomes } from './video/provider.js';
export { providersApi } from './core/express.js';
export { providerHandlers, type HandlerOptions } from './core/msw.js';
export { invoke, type ProviderDefinition } from './core/provider.js';
export { addScript, clearScripts, readJournal, FAULTS, type Fault, type Script, type ProviderCall } from './core/store.js';
export { flushJournals } from './core/journal.js';
