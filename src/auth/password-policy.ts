import { registerDecorator, type ValidationArguments } from 'class-validator';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];

/** Every character the same, or a run of a keyboard/alphabet/digit sequence (either direction). */
function isTrivial(password: string): boolean {
  if (new Set(password).size === 1) return true;
  return SEQUENCES.some((sequence) => sequence.includes(password) || [...sequence].reverse().join('').includes(password));
}

export interface PasswordContext {
  email?: string;
  name?: string;
}

/**
 * Why a new password is refused, or undefined when it is acceptable. The rules follow NIST SP
 * 800-63B: a length between 8 and 128 characters (code points, after NFKC), any character
 * allowed, no composition rules, and no password that is common, trivial or the account's own
 * email or name.
 */
export function passwordPolicyViolation(password: unknown, context: PasswordContext = {}): string | undefined {
  if (typeof password !== 'string') return 'password must be a string';
  const normalised = password.normalize('NFKC');
  const length = [...normalised].length;
  if (length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = normalised.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || isTrivial(lower)) return 'password is too common; choose something less guessable';
  const email = context.email?.normalize('NFKC').trim().toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) return 'password must not be the email address';
  if (context.name && lower === context.name.normalize('NFKC').trim().toLowerCase()) return 'password must not be the name';
  return undefined;
}

/**
 * Validates a DTO property with passwordPolicyViolation, reading the email and name from sibling
 * properties: `@IsAcceptablePassword({ emailField: 'email', nameField: 'name' })`.
 */
export function IsAcceptablePassword(options: { emailField?: string; nameField?: string } = {}) {
  return (target: object, propertyName: string) => {
    const violation = (value: unknown, args: ValidationArguments) => {
      const object = args.object as Record<string, unknown>;
      const text = (field?: string) => (field && typeof object[field] === 'string' ? (object[field] as string) : undefined);
      return passwordPolicyViolation(value, { email: text(options.emailField), name: text(options.nameField) });
    };
    registerDecorator({
      name: 'isAcceptablePassword',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => violation(value, args) === undefined,
        defaultMessage: (args: ValidationArguments) => violation(args.value, args) ?? 'password is not acceptable',
      },
    });
  };
}
