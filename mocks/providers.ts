// Every provider govsim mocks, in the order its documents list them.
import type { ProviderDefinition } from './core/provider.js';
import { ctidProvider } from './ctid/provider.js';
import { faceProvider } from './face/provider.js';
import { identityProvider } from './identity/provider.js';
import { smsProvider } from './sms/provider.js';
import { videoProvider } from './video/provider.js';

export const providers: ProviderDefinition[] = [identityProvider, faceProvider, ctidProvider, smsProvider, videoProvider];
export const providerByName = (name: string) => providers.find((p) => p.name === name);
