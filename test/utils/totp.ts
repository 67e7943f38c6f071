import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP written from the RFC with node:crypto only, independent of the library the server
 * uses, so the tests check the server against the standard rather than against itself.
 */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP with dynamic truncation. */
export function hotp(key: Buffer, counter: number, digits = 6, algorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

export const PERIOD = 30;
export const stepAt = (unixSeconds: number) => Math.floor(unixSeconds / PERIOD);

/** The code an authenticator app shows at `unixSeconds` (default: now) for a base32 secret. */
export function totp(secretBase32: string, unixSeconds = Date.now() / 1000, digits = 6, algorithm = 'sha1'): string {
  return hotp(base32Decode(secretBase32), stepAt(unixSeconds), digits, algorithm);
}
