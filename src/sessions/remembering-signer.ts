import { Signer } from '@fastify/cookie';
import { LRUCache } from 'lru-cache';

/** How many session cookies an instance remembers having checked. */
const CAPACITY = 10_000;

type Unsigned = { valid: boolean; renew: boolean; value: string | null };

/**
 * The session cookie's signer (HMAC-SHA256, @fastify/cookie's), remembering its results: a
 * signed-in browser sends the same cookie on every request, and @fastify/session checks it and
 * signs the id again each time, two HMACs per request for the same answer. Only cookies that
 * verified are remembered, by their exact text, so a forged or altered cookie is always checked
 * in full; the remembered answer is what the HMAC would say again. Whether the session is still
 * alive is the store's business, asked on every request.
 */
export class RememberingSigner {
  private readonly signer: Signer;
  private readonly verified = new LRUCache<string, Unsigned>({ max: CAPACITY });
  private readonly signed = new LRUCache<string, string>({ max: CAPACITY });

  constructor(secret: string) {
    this.signer = new Signer(secret, 'sha256');
  }

  sign(value: string): string {
    let signed = this.signed.get(value);
    if (signed === undefined) {
      signed = this.signer.sign(value);
      this.signed.set(value, signed);
    }
    return signed;
  }

  unsign(signedValue: string): Unsigned {
    const known = this.verified.get(signedValue);
    if (known !== undefined) return known;
    const result = this.signer.unsign(signedValue) as Unsigned;
    if (result.valid) this.verified.set(signedValue, Object.freeze(result) as Unsigned);
    return result;
  }
}
