import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Environment } from './env.validation.js';

/**
 * Outside production an unset secret is replaced by a random one kept in `file` (mode 0600), so
 * a developer needs no setup and tokens survive restarts. Never used in production: there the
 * environment check refuses to start without a real secret.
 */
export function loadOrCreateDevSecret(file: string): string {
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not created yet
  }
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** JWT_SECRET, or outside production the generated one kept in .data/jwt-secret. */
export function jwtSecretOf(env: Pick<Environment, 'JWT_SECRET'>): string {
  return env.JWT_SECRET ?? loadOrCreateDevSecret(join('.data', 'jwt-secret'));
}
