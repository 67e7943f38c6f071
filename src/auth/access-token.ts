import type { FastifyRequest } from 'fastify';

/**
 * Longer than any token Gatehouse issues by a wide margin; anything bigger is refused before
 * it reaches base64 decoding or a signature check.
 */
export const MAX_TOKEN_LENGTH = 4096;

const SCHEME = 'bearer';
const BEARER = /^bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i;

/**
 * The access token of a request, from `Authorization: Bearer …` (scheme matched
 * case-insensitively). Never from the query string: URLs end up in logs and Referer headers.
 */
export function bearerToken(request: Pick<FastifyRequest, 'headers'>): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.length > MAX_TOKEN_LENGTH + 16) return null;
  const match = BEARER.exec(header);
  return match ? match[1] : null;
}

/**
 * What follows `Bearer ` in the Authorization header, unchecked: only for looking up a token
 * verified before (which then proves its syntax); anything else goes through bearerToken().
 */
export function bearerCandidate(request: Pick<FastifyRequest, 'headers'>): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || header.length <= 7 || header.length > MAX_TOKEN_LENGTH + 16) return null;
  if (header.charCodeAt(6) !== 0x20) return null;
  // The scheme compared case-insensitively without making a lower-cased copy per request: `| 0x20`
  // lower-cases an ASCII letter, and no other character turns into one of b, e, a or r by it.
  for (let i = 0; i < 6; i += 1) if ((header.charCodeAt(i) | 0x20) !== SCHEME.charCodeAt(i)) return null;
  return header.slice(7);
}

/** The access token carried in the hybrid transport's httpOnly cookie. */
export function cookieToken(request: Pick<FastifyRequest, 'cookies'>, cookieName: string): string | null {
  const value = request.cookies?.[cookieName];
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TOKEN_LENGTH ? value : null;
}
