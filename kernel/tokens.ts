// Opaque bearer tokens: random, handed out once, stored only as their SHA-256.
import { createHash, randomBytes } from 'node:crypto';

export const newToken = () => randomBytes(24).toString('base64url');
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The token of an `Authorization: Bearer …` header, if any. */
export const bearerToken = (authorization: string | undefined) => /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
