import { validate } from 'class-validator';
import { IsAcceptablePassword, passwordPolicyViolation } from './password-policy.js';

describe('password policy (NIST SP 800-63B)', () => {
  it.each(['correct horse battery staple', 'Tr0ub4dor&3x', 'pässwörter sind lang', '🐢🐢🐢🐢🐇🐇🐇🐇', '        spaces count too'])(
    'accepts %s: any characters, no composition rules',
    (password) => {
      expect(passwordPolicyViolation(password)).toBeUndefined();
    },
  );

  it('measures length in characters, not UTF-16 units or bytes', () => {
    expect(passwordPolicyViolation('🐢🐇🐢🐇🐢🐇🐢🐇')).toBeUndefined();
    expect(passwordPolicyViolation('🐢🐇🐢🐇🐢🐇🐢')).toMatch(/at least 8/);
    expect(passwordPolicyViolation('x'.repeat(127) + 'y')).toBeUndefined();
    expect(passwordPolicyViolation('x'.repeat(128) + 'y')).toMatch(/at most 128/);
  });

  it.each(['password', 'PASSWORD1', 'Passw0rd', 'qwertyuiop', 'iloveyou', 'gatehouse123'])('refuses the common password %s', (password) => {
    expect(passwordPolicyViolation(password)).toMatch(/too common/);
  });

  it.each(['aaaaaaaaaa', '12345678', '87654321', 'abcdefghij', 'asdfghjkl'])('refuses the trivial password %s', (password) => {
    expect(passwordPolicyViolation(password)).toMatch(/too common/);
  });

  it('refuses the account’s own email, its local part, or name', () => {
    expect(passwordPolicyViolation('Ada.Lovelace@example.com', { email: 'ada.lovelace@example.com' })).toMatch(/email/);
    expect(passwordPolicyViolation('ada.lovelace', { email: 'ada.lovelace@example.com' })).toMatch(/email/);
    expect(passwordPolicyViolation('Ada Lovelace', { name: 'ada lovelace' })).toMatch(/name/);
    expect(passwordPolicyViolation('ada.lovelace', { email: 'grace@example.com' })).toBeUndefined();
  });

  it('refuses non-strings', () => {
    expect(passwordPolicyViolation(12345678)).toMatch(/string/);
  });

  describe('@IsAcceptablePassword', () => {
    class Signup {
      email: string;

      @IsAcceptablePassword({ emailField: 'email' })
      password: unknown;
    }
    const check = (email: string, password: unknown) => validate(Object.assign(new Signup(), { email, password }));

    it('passes a good password and explains a refusal', async () => {
      expect(await check('ada@example.com', 'correct horse battery staple')).toEqual([]);
      const [error] = await check('ada@example.com', 'ada@example.com');
      expect(error.constraints).toEqual({ isAcceptablePassword: 'password must not be the email address' });
      const [common] = await check('ada@example.com', 'password123');
      expect(common.constraints?.isAcceptablePassword).toMatch(/too common/);
    });
  });
});
