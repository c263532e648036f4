// govsim's provider mocks: each provider's behaviour once, served two ways.
//   HTTP:  providersApi({ db, live }, providers)   (npm start, integrators' apps)
//   MSW:   providerHandlers(db, providers, opts)   (setupServer in a consumer's own tests)
// The journal is written in batches: flushJournals() before closing the pool the mocks write through.
import { ctidProvider } from './ctid/provider.js';
import { faceProvider } from './face/provider.js';
import { identityProvider } from './identity/provider.js';
import { smsProvider } from './sms/provider.js';
import { videoProvider } from './video/provider.js';
import type { ProviderDefinition } from './core/provider.js';

export const providers: ProviderDefinition[] = [identityProvider, faceProvider, ctidProvider, smsProvider, videoProvider];
export const providerByName = (name: string) => providers.find((p) => p.name === name);

export { ctidProvider, faceProvider, identityProvider, smsProvider, videoProvider };
export { providersApi } from './core/express.js';
export { providerHandlers } from './core/msw.js';
export { invoke, type ProviderDefinition } from './core/provider.js';
export { addScript, clearScripts, readJournal, FAULTS, type Fault } from './core/store.js';
export { flushJournals } from './core/journal.js';
export { readOutbox, latestCode } from './sms/provider.js';
