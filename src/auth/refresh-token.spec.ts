import { randomUUID } from 'node:crypto';
import { deriveKey } from '../core/config/derive-key.js';
import { RefreshTokenCodec } from './refresh-token.js';

describe('RefreshTokenCodec', () => {
  const codec = new RefreshTokenCodec(deriveKey('a'.repeat(40), 'refresh token v1'));
  const sessionId = randomUUID();

  it('round-trips the session id and counter', () => {
    expect(codec.decode(codec.encode({ sessionId, counter: 7 }))).toEqual({ sessionId, counter: 7 });
  });

  it('gives each counter its own 256-bit token', () => {
    const [a, b] = [codec.encode({ sessionId, counter: 1 }), codec.encode({ sessionId, counter: 2 })];
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split('.')[2], 'base64url')).toHaveLength(32);
  });

  it('refuses tokens under another key, edited tokens and junk', () => {
    const token = codec.encode({ sessionId, counter: 3 });
    const other = new RefreshTokenCodec(deriveKey('b'.repeat(40), 'refresh token v1'));
    expect(other.decode(token)).toBeNull();
    expect(codec.decode(token.replace('.3.', '.4.'))).toBeNull();
    expect(codec.decode(`${token}.extra`)).toBeNull();
    for (const junk of [undefined, 42, '', 'a.b.c', `${sessionId}.-1.x`, 'x'.repeat(500)]) expect(codec.decode(junk)).toBeNull();
  });
});
