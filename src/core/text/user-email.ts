import { isEmail, registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * The form an email is stored and compared in. NFKC first, so look-alikes such as the Kelvin sign
 * (U+212A) or full-width letters fold to their ASCII letter before lower-casing and cannot open a
 * second account for what a human reads as the same address.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/**
 * What NFKC leaves in place and no one can see: controls (Cc), format characters (Cf: U+200B
 * zero-width space, U+00AD soft hyphen, U+2060 word joiner, bidi marks), and any separator or
 * whitespace. "ada\u200B@example.com" would otherwise be a second account that looks identical.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

export const hasInvisibleCharacters = (email: string): boolean => INVISIBLE.test(email);

/** A new account's email: an address (class-validator's isEmail) with no invisible characters. */
export function IsUserEmail(validationOptions?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isUserEmail',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !hasInvisibleCharacters(value) && isEmail(value),
        defaultMessage: () => `${propertyName} must be an email address without invisible characters`,
      },
    });
  };
}
