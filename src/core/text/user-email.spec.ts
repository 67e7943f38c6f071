import { normaliseEmail } from './user-email.js';

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it('folds Unicode look-alikes before lower-casing', () => {
    expect(normaliseEmail('\u212Aate@example.com')).toBe('kate@example.com');
    expect(normaliseEmail('ｋａｔｅ@example.com')).toBe('kate@example.com');
  });
});
