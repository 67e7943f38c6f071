import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
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

export const createValidationPipe = () => new ValidationPipe(validationOptions);
