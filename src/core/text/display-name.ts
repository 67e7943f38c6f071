import { registerDecorator, type ValidationOptions } from 'class-validator';
import { hasControlCharacters } from './control-characters.js';

/**
 * Bidirectional controls (embeddings, overrides, isolates, marks): in a name they reorder what
 * an admin sees around it ("Trojan Source" in a user list). Joiners (U+200C, U+200D) stay:
 * several scripts and emoji sequences need them.
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const displayNameViolation = (name: string): string | undefined =>
  hasControlCharacters(name) || BIDI_CONTROL.test(name) ? 'must not contain control or bidirectional formatting characters' : undefined;

/** A name shown to people: no control characters, no bidi controls. */
export function IsDisplayName(validationOptions?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isDisplayName',
      target: target.constructor,
      propertyName,
      options: validationOptions,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && displayNameViolation(value) === undefined,
        defaultMessage: () => `${propertyName} must not contain control or bidirectional formatting characters`,
      },
    });
  };
}
