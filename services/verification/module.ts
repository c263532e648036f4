// Face checks the services start and use (粤信签, the registration app's face control), with the
// CTID remedy: shared by 粤商通 and the registration app.
import { folder, type Module } from '../../kernel/module.js';
import type { ServiceDeps } from '../deps.js';

export const verificationModule: Module<ServiceDeps> = {
  name: 'verification',
  migrations: folder(import.meta.url, 'migrations/'),
};
