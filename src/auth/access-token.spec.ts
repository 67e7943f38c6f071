import { bearerCandidate, bearerToken, MAX_TOKEN_LENGTH } from './access-token.js';

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

describe('bearerCandidate', () => {
  it('takes what follows "Bearer " as sent, for a lookup only', () => {
    expect(bearerCandidate(withHeader('Bearer a.b.c'))).toBe('a.b.c');
    expect(bearerCandidate(withHeader('bEaReR a.b.c'))).toBe('a.b.c');
    // Unchecked: such a candidate matches no verified token, and bearerToken() then decides.
    expect(bearerCandidate(withHeader('Bearer a b'))).toBe('a b');
  });

  // Lookalikes: a character one bit off one of the scheme's letters, or a non-ASCII one whose low
  // byte is one of them. Case folding by `| 0x20` must let none of them through.
  it.each([undefined, '', 'Bearer', 'Bearer ', 'Bearer\ta.b.c', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 100)}`, 'Bearez a.b.c', 'Bearer_a.b.c', '\u0142earer a.b.c', 'Be\u0161rer a.b.c', 'BEARE\u0152 a.b.c'])(
    'has none for %s',
    (header) => {
      expect(bearerCandidate(withHeader(header))).toBeNull();
    },
  );
});
