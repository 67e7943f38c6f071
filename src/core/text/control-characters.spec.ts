import { findControlCharacter } from './control-characters.js';
import { displayNameViolation } from './display-name.js';
import { hasInvisibleCharacters } from './user-email.js';

describe('findControlCharacter', () => {
  it('names the first string, nested or not, that holds a control character', () => {
    expect(findControlCharacter({ a: 'fine', b: ['ok', 'n\u0000ul'] }, 'body')).toBe('body.b[1]');
    expect(findControlCharacter('tab\there', 'param')).toBe('param');
    expect(findControlCharacter({ ['k\u001b']: 'v' }, 'body')).toBe('body');
  });

  it('passes ordinary text, numbers and emoji', () => {
    expect(findControlCharacter({ name: 'Zoë 👩\u200D💻', n: 3, ok: true, nothing: null }, 'body')).toBeUndefined();
  });

  it('walks very deep values without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(() => findControlCharacter(deep, 'body')).not.toThrow();
  });
});

describe('displayNameViolation', () => {
  it.each(['a\u202Eb', 'a\u2066b', 'a\u200Fb', 'a\rb', 'a\u007fb'])('refuses %j', (name) => {
    expect(displayNameViolation(name)).toBeDefined();
  });
});

describe('hasInvisibleCharacters', () => {
  it.each(['\u200B', '\u00AD', '\u2060', '\uFEFF', ' ', '\u3000', '\u0000'])('finds %j even after NFKC', (char) => {
    expect(hasInvisibleCharacters(`ad${char}a@example.com`.normalize('NFKC'))).toBe(true);
  });

  it('passes a plain address', () => {
    expect(hasInvisibleCharacters('ada.lovelace+tag@example.com')).toBe(false);
  });
});
