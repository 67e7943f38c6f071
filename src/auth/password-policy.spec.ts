import { IsEmail, IsOptional, IsString, validate } from 'class-validator';
import { COMMON_PASSWORDS } from './common-passwords.js';
import { IsAcceptablePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordPolicyViolation } from './password-policy.js';

const TOO_COMMON = 'password is too common; choose something less guessable';

describe('passwordPolicyViolation (NIST SP 800-63B)', () => {
  it.each([
    'correct horse battery staple',
    'Tr0ub4dor&3x',
    'pässwörter sind lang',
    '密码是一棵大树下的',
    '🐢🦊🐙🦉🐝🦀🐧🦔',
    '   leading and trailing spaces   ',
    'onlylowercaseletters',
    '90210453178',
    'NO LOWER CASE AT ALL',
  ])('accepts %p: any characters, no composition rules', (password) => {
    expect(passwordPolicyViolation(password)).toBeUndefined();
  });

  describe('length, in code points after NFKC', () => {
    it('has the NIST bounds', () => {
      expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([8, 128]);
    });

    it('refuses 7 characters and accepts 8', () => {
      expect(passwordPolicyViolation('tr0ub4d')).toBe('password must be at least 8 characters');
      expect(passwordPolicyViolation('tr0ub4do')).toBeUndefined();
    });

    it('accepts 128 characters and refuses 129', () => {
      const passphrase = 'the quick brown fox jumps over the lazy dog ';
      const exactly = (n: number) => passphrase.repeat(3).slice(0, n);
      expect(passwordPolicyViolation(exactly(128))).toBeUndefined();
      expect(passwordPolicyViolation(exactly(129))).toBe('password must be at most 128 characters');
    });

    it('counts an emoji as one character, not two UTF-16 units', () => {
      const emoji = ['🐢', '🦊', '🐙', '🦉', '🐝', '🦀', '🐧', '🦔'];
      expect(passwordPolicyViolation(emoji.slice(0, 7).join(''))).toBe('password must be at least 8 characters');
      expect(passwordPolicyViolation(emoji.join(''))).toBeUndefined();
      const many = Array.from({ length: 128 }, (_, i) => emoji[(i * 3 + Math.floor(i / 8)) % 8]).join('');
      expect(many.length).toBe(256);
      expect(passwordPolicyViolation(many)).toBeUndefined();
    });

    it('counts after NFKC: the ligature "ﬃ" is three letters', () => {
      const password = '\uFB03ne dog';
      expect([...password]).toHaveLength(7);
      expect(passwordPolicyViolation(password)).toBeUndefined();
    });
  });

  describe('common passwords', () => {
    it.each(['password', 'qwertyuiop', 'iloveyou1', 'football', 'trustno1', 'passw0rd', 'gatehouse', 'gatehouse123'])('refuses %p', (password) => {
      expect(passwordPolicyViolation(password)).toBe(TOO_COMMON);
    });

    it.each(['PASSWORD', 'PaSsW0rD', 'Gatehouse1', 'ＰＡＳＳＷＯＲＤ', '  password  ', 'i love you'])(
      'refuses %p whatever its case, width or spacing',
      (password) => {
        expect(passwordPolicyViolation(password)).toBe(TOO_COMMON);
      },
    );

    it('holds at least 500 lower-case, normalised entries of 8 characters or more, without spaces', () => {
      expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(500);
      const malformed = [...COMMON_PASSWORDS].filter(
        (entry) => entry !== entry.normalize('NFKC').toLowerCase() || /\s/u.test(entry) || [...entry].length < PASSWORD_MIN_LENGTH,
      );
      expect(malformed).toEqual([]);
    });
  });

  describe('repetitive or sequential passwords', () => {
    it.each([
      ['one character repeated', 'nnnnnnnnnn'],
      ['one emoji repeated', '🙂🙂🙂🙂🙂🙂🙂🙂'],
      ['only spaces', '          '],
      ['ascending digits', '23456789'],
      ['descending digits', '98765432'],
      ['ascending letters', 'bcdefghijk'],
      ['descending letters', 'zyxwvuts'],
      ['a keyboard row', 'sdfghjkl'],
      ['a keyboard row backwards', 'lkjhgfds'],
      ['two runs glued together', 'wxyz6789'],
      ['a run and a repeat', 'mnopqrs!!!'],
      ['a short block repeated', 'k9#mk9#m'],
      ['a sequence with spaces', '1 2 3 4 5 6 7 8'],
    ])('refuses %s (%p)', (_, password) => {
      expect(COMMON_PASSWORDS.has(password)).toBe(false);
      expect(passwordPolicyViolation(password)).toBe(TOO_COMMON);
    });

    it('judges the whole password, not repeated characters inside it', () => {
      expect(passwordPolicyViolation('bookkeeper balloon 2000')).toBeUndefined();
      expect(passwordPolicyViolation('abcdefgh and then a story')).toBeUndefined();
    });
  });

  describe('the account’s own details', () => {
    const context = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' };

    it.each(['ada.lovelace@example.com', 'Ada.Lovelace@Example.COM', 'ada.lovelace', 'ADA.LOVELACE'])('refuses the email or its local part: %p', (password) => {
      expect(passwordPolicyViolation(password, context)).toBe('password must not be the email address');
    });

    it.each(['Ada Lovelace', 'adalovelace', 'ADA LOVELACE'])('refuses the name: %p', (password) => {
      expect(passwordPolicyViolation(password, context)).toBe('password must not be the name');
    });

    it('accepts the same words for another account, or when nothing is known', () => {
      const other = { email: 'grace.hopper@example.com', name: 'Grace Hopper' };
      expect(passwordPolicyViolation('ada.lovelace', other)).toBeUndefined();
      expect(passwordPolicyViolation('Ada Lovelace', other)).toBeUndefined();
      expect(passwordPolicyViolation('ada.lovelace@example.com')).toBeUndefined();
    });
  });

  it.each([12345678, null, undefined, ['correct horse battery staple'], { length: 12 }])('refuses the non-string %p', (password) => {
    expect(passwordPolicyViolation(password)).toBe('password must be a string');
  });
});

describe('@IsAcceptablePassword', () => {
  class Signup {
    @IsEmail()
    email: string;

    @IsOptional()
    @IsString()
    name?: string;

    @IsAcceptablePassword({ contextFields: { email: 'email', name: 'name' } })
    password: unknown;
  }

  // The options of the project's ValidationPipe: every property must carry a decorator.
  const check = (body: Partial<Signup> & Record<string, unknown>) =>
    validate(Object.assign(new Signup(), body), { whitelist: true, forbidNonWhitelisted: true });
  const messages = async (body: Partial<Signup> & Record<string, unknown>) =>
    (await check(body)).map((error) => ({ property: error.property, constraints: error.constraints }));

  it('passes a good password next to the other decorators', async () => {
    expect(await check({ email: 'ada@example.com', name: 'Ada Lovelace', password: 'correct horse battery staple' })).toEqual([]);
    expect(await check({ email: 'ada@example.com', password: '🐢🦊🐙🦉🐝🦀🐧🦔' })).toEqual([]);
  });

  it.each([
    ['the email', { email: 'ada@example.com', password: 'ADA@example.com' }, 'password must not be the email address'],
    ['the local part', { email: 'ada.lovelace@example.com', password: 'ada.lovelace' }, 'password must not be the email address'],
    ['the name', { email: 'ada@example.com', name: 'Ada Lovelace', password: 'ada lovelace' }, 'password must not be the name'],
    ['a common password', { email: 'ada@example.com', password: 'Password123' }, TOO_COMMON],
    ['a sequence', { email: 'ada@example.com', password: '12345678' }, TOO_COMMON],
    ['a short password', { email: 'ada@example.com', password: 'short' }, 'password must be at least 8 characters'],
    ['a number', { email: 'ada@example.com', password: 12345678 }, 'password must be a string'],
  ])('refuses %s with its specific reason', async (_, body, reason) => {
    expect(await messages(body)).toEqual([{ property: 'password', constraints: { isAcceptablePassword: reason } }]);
  });

  it('still refuses unknown properties, and only those', async () => {
    const errors = await messages({ email: 'ada@example.com', password: 'correct horse battery staple', isAdmin: true });
    expect(errors).toEqual([{ property: 'isAdmin', constraints: { whitelistValidation: 'property isAdmin should not exist' } }]);
  });

  it('reads nothing from siblings it was not pointed at', async () => {
    class ChangePassword {
      @IsEmail()
      email: string;

      @IsAcceptablePassword()
      newPassword: unknown;
    }
    expect(await validate(Object.assign(new ChangePassword(), { email: 'ada@example.com', newPassword: 'ada@example.com' }))).toEqual([]);
  });

  it('lets a DTO override the message', async () => {
    class Custom {
      @IsAcceptablePassword({}, { message: 'choose another password' })
      password: unknown;
    }
    const [error] = await validate(Object.assign(new Custom(), { password: 'password' }));
    expect(error.constraints).toEqual({ isAcceptablePassword: 'choose another password' });
  });
});
