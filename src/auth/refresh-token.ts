import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COUNTER = /^(0|[1-9][0-9]{0,8})$/;

export interface RefreshTokenParts {
  sessionId: string;
  counter: number;
}

/**
 * Refresh tokens are `<session id>.<rotation counter>.<HMAC-SHA256 of both>` under a server key:
 * 256 bits nobody can forge, while the database stores only the counter. A leaked sessions table
 * therefore yields no usable token, and the token a concurrent tab just replaced can be
 * recomputed to hand out the same successor.
 */
export class RefreshTokenCodec {
  constructor(private readonly key: KeyObject) {}

  encode({ sessionId, counter }: RefreshTokenParts): string {
    return `${sessionId}.${counter}.${this.mac(sessionId, counter).toString('base64url')}`;
  }

  /** The parts of an authentic token, or null for anything forged or malformed. */
  decode(token: unknown): RefreshTokenParts | null {
    if (typeof token !== 'string' || token.length > 160) return null;
    const [sessionId, counterText, mac, ...rest] = token.split('.');
    if (rest.length > 0 || !UUID.test(sessionId ?? '') || !COUNTER.test(counterText ?? '') || !mac) return null;
    const counter = Number(counterText);
    const expected = this.mac(sessionId, counter);
    const presented = Buffer.from(mac, 'base64url');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
    return { sessionId, counter };
  }

  private mac(sessionId: string, counter: number): Buffer {
    return createHmac('sha256', this.key).update(`${sessionId}.${counter}`).digest();
  }
}
