import { bearerToken, MAX_TOKEN_LENGTH } from './access-token.js';

const withHeader = (authorization?: string) => ({ headers: { authorization } });

describe('bearerToken', () => {
  it('reads the token whatever the case of the scheme', () => {
    expect(bearerToken(withHeader('Bearer a.b.c'))).toBe('a.b.c');
    expect(bearerToken(withHeader('bearer a.b.c'))).toBe('a.b.c');
    expect(bearerToken(withHeader('BEARER   a.b.c '))).toBe('a.b.c');
  });

  it.each([undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Bearer a.b.c; drop table', `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 100)}`])(
    'returns null for %s',
    (header) => {
      expect(bearerToken(withHeader(header))).toBeNull();
    },
  );
});
