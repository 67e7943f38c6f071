import { deriveKey } from '../config/derive-key.js';
import { open, seal } from './key-encryption.js';

describe('private key encryption at rest', () => {
  const key = deriveKey('x'.repeat(40), 'signing key encryption v1');
  const secret = Buffer.from('-----BEGIN PRIVATE KEY----- not really');

  it('round-trips and never stores the plaintext', () => {
    const sealed = seal(secret, key, 'kid-1');
    expect(Buffer.from(sealed, 'base64').includes(secret)).toBe(false);
    expect(open(sealed, key, 'kid-1')).toEqual(secret);
  });

  it('refuses another key id, another master key or a flipped bit', () => {
    const sealed = seal(secret, key, 'kid-1');
    expect(() => open(sealed, key, 'kid-2')).toThrow();
    expect(() => open(sealed, deriveKey('y'.repeat(40), 'signing key encryption v1'), 'kid-1')).toThrow();
    const bytes = Buffer.from(sealed, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => open(bytes.toString('base64'), key, 'kid-1')).toThrow();
  });
});
