import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * A key for one purpose derived from a master secret (HKDF-SHA256 with a distinct label), so one
 * configured secret is enough and a key leaked from one use says nothing about the others.
 */
export function deriveKey(secret: string, label: string): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), `gatehouse ${label}`, 32)));
}
