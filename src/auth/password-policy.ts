import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** Bounds in Unicode code points after NFKC, as NIST SP 800-63B counts them (not UTF-16 units). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** What the account already says about its owner; a password equal to it is the first guess. */
export interface PasswordContext {
  email?: string;
  name?: string;
  /** At a change: the password being replaced (a "change" to the same password changes nothing). */
  currentPassword?: string;
}

const TOO_COMMON = 'password is too common; choose something less guessable';

/** Key runs people type as "sequences" though their code points are not consecutive. */
const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/** Lower-cased NFKC with all whitespace removed, the form every comparison is made in. */
function squash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** One character repeated, consecutive code points either way ("abcd", "4321"), or a keyboard row walk. */
function isSimpleRun(chars: readonly string[]): boolean {
  if (chars.length <= 1) return true;
  const step = chars[1].codePointAt(0)! - chars[0].codePointAt(0)!;
  if (Math.abs(step) <= 1 && chars.every((char, i) => i === 0 || char.codePointAt(0)! - chars[i - 1].codePointAt(0)! === step)) {
    return true;
  }
  const run = chars.join('');
  const backwards = [...chars].reverse().join('');
  return KEYBOARD_ROWS.some((row) => row.includes(run) || row.includes(backwards));
}

/**
 * "Repetitive or sequential characters" in NIST's words: one simple run ("aaaaaaaa", "12345678"),
 * two of them glued together ("1234abcd", "qwerty123"), or a block of up to four characters
 * repeated ("abcabcabc"). Judged on the whole password only: repeated characters inside an
 * otherwise good password are fine, as NIST forbids that kind of composition rule.
 */
function isTrivial(password: string): boolean {
  const chars = [...password];
  if (isSimpleRun(chars)) return true;
  for (let split = 1; split < chars.length; split += 1) {
    if (isSimpleRun(chars.slice(0, split)) && isSimpleRun(chars.slice(split))) return true;
  }
  for (let block = 2; block <= 4; block += 1) {
    if (chars.length % block === 0 && chars.every((char, i) => char === chars[i % block])) return true;
  }
  return false;
}

/**
 * Why a new password is refused, or undefined when it is acceptable. NIST SP 800-63B §5.1.1.2:
 * 8 to 128 code points after NFKC, every character allowed (spaces, accents, emoji), no
 * composition rules, and nothing common, repetitive, sequential, or equal to the account's email,
 * its local part, name or (at a change) current password. The one policy for registration,
 * password change, reset and the seeded admin. Messages never repeat the password: they reach the HTTP response.
 */
export function passwordPolicyViolation(password: unknown, context: PasswordContext = {}): string | undefined {
  if (typeof password !== 'string') return 'password must be a string';
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;

  // Compared without spaces: " Pass word " is the same guess as "password" (the list has no spaces).
  const squashed = squash(password);
  if (COMMON_PASSWORDS.has(squashed) || isTrivial(squashed)) return TOO_COMMON;

  if (context.email) {
    const email = squash(context.email);
    const at = email.lastIndexOf('@');
    if (squashed === email || (at > 0 && squashed === email.slice(0, at))) return 'password must not be the email address';
  }
  if (context.name && squashed === squash(context.name)) return 'password must not be the name';
  if (context.currentPassword !== undefined && password.normalize('NFKC') === context.currentPassword.normalize('NFKC')) {
    return 'password must differ from the current password';
  }
  return undefined;
}

export interface AcceptablePasswordOptions {
  /** Sibling properties holding the account's email and name: `{ email: 'email', name: 'name' }`. */
  contextFields?: { email?: string; name?: string };
}

/**
 * Validates a DTO property with passwordPolicyViolation and reports its specific reason. The
 * email and name come from sibling properties of the object being validated, after any
 * `@Transform` has run, so a normalised email is compared. Non-strings are refused here, so no
 * `@IsString` is needed; `each` is not supported because a password is never a list.
 */
export function IsAcceptablePassword(options: AcceptablePasswordOptions = {}, validationOptions?: Omit<ValidationOptions, 'each'>) {
  const emailField = options.contextFields?.email;
  const nameField = options.contextFields?.name;

  const violation = (value: unknown, args: ValidationArguments | undefined): string | undefined => {
    const siblings = (args?.object ?? {}) as Record<string, unknown>;
    const text = (field: string | undefined) => (field !== undefined && typeof siblings[field] === 'string' ? (siblings[field] as string) : undefined);
    return passwordPolicyViolation(value, { email: text(emailField), name: text(nameField) });
  };

  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => violation(value, args) === undefined,
        defaultMessage: (args?: ValidationArguments) => violation(args?.value, args) ?? 'password is not acceptable',
      },
    });
  };
}
