import { ValidationPipe, type ArgumentMetadata, type ValidationPipeOptions } from '@nestjs/common';
import { findControlCharacter } from '../text/control-characters.js';
import { AppError } from './app-error.js';

/**
 * The one set of input rules: unknown fields are refused rather than silently dropped (a smuggled
 * `role` is an error, not a no-op) and bodies are turned into their DTO classes.
 */
export const validationOptions: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  // Values are echoed back in messages only by name, never their content (passwords).
  validationError: { target: false, value: false },
  exceptionFactory: (errors) =>
    new AppError(
      'VALIDATION_FAILED',
      errors.flatMap((error) =>
        Object.values(error.constraints ?? { [error.property]: `${error.property} is invalid` }),
      ),
    ),
};

/**
 * The DTO rules, plus one rule for every string from the client (body, query, route params, keys
 * included): no control characters. One global check rather than a decorator per field, so a
 * new field cannot forget it.
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const path = findControlCharacter(value, metadata.data ?? metadata.type);
      if (path !== undefined) throw new AppError('VALIDATION_FAILED', [`${path} must not contain control characters`]);
    }
    return super.transform(value, metadata);
  }
}

export const createValidationPipe = (): ValidationPipe => new InputValidationPipe(validationOptions);
