import { Signer } from '@fastify/cookie';
import { RememberingSigner } from './remembering-signer.js';

describe('RememberingSigner', () => {
  const secret = 's'.repeat(43);
  const plain = new Signer(secret, 'sha256');

  it('signs and verifies as @fastify/cookie does, and still refuses what does not verify', () => {
    const signer = new RememberingSigner(secret);
    const cookie = signer.sign('session-id');
    expect(cookie).toBe(plain.sign('session-id'));
    expect(signer.sign('session-id')).toBe(cookie);
    expect(signer.unsign(cookie)).toMatchObject({ valid: true, value: 'session-id' });
    expect(signer.unsign(cookie)).toMatchObject({ valid: true, value: 'session-id' });
    const tampered = `other-id${cookie.slice('session-id'.length)}`;
    expect(signer.unsign(tampered).valid).toBe(false);
    expect(signer.unsign(`${cookie}x`).valid).toBe(false);
    expect(new RememberingSigner('t'.repeat(43)).unsign(cookie).valid).toBe(false);
  });
});
