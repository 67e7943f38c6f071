import { ValidationPipe, type ArgumentMetadata, type INestApplication, type PipeTransform, type Type, type ValidationPipeOptions } from '@nestjs/common';
import { PIPES_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
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

/** One instance for every app of the process: the metadata it goes into is per class, not per app. */
const routeValidationPipe: PipeTransform = createValidationPipe();

/** The parameter kinds ValidationPipe acts on (custom decorators such as @CurrentUser it leaves alone). */
const VALIDATED_PARAMS = new Set<number>([
  RouteParamtypes.BODY, RouteParamtypes.RAW_BODY, RouteParamtypes.QUERY, RouteParamtypes.PARAM, RouteParamtypes.HOST,
  RouteParamtypes.FILE, RouteParamtypes.FILES, RouteParamtypes.COOKIES, RouteParamtypes.SIGNED_COOKIES,
]);

/**
 * The validation pipe on exactly the handlers with a body, query, path parameter (or another
 * input ValidationPipe reads), first in their pipe list as a global pipe would be. A global pipe
 * would also run, as a promise per parameter and per request, on every `@CurrentUser()` of every
 * guarded route, only to hand the value back. Call before the app is initialised (routes are
 * built at init); controllers added by any module are covered.
 */
export function validateWhereNeeded(app: INestApplication): void {
  const pipe = routeValidationPipe;
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      for (const [name, handler] of handlersOf(metatype as Type)) {
        const params: Record<string, unknown> = Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, name) ?? {};
        const hasInput = Object.keys(params).some((key) => VALIDATED_PARAMS.has(Number(key.split(':')[0])));
        if (!hasInput) continue;
        const pipes: unknown[] = Reflect.getMetadata(PIPES_METADATA, handler) ?? [];
        if (!pipes.includes(pipe)) Reflect.defineMetadata(PIPES_METADATA, [pipe, ...pipes], handler);
      }
    }
  }
}

function handlersOf(controller: Type): Array<[string, object]> {
  const handlers: Array<[string, object]> = [];
  for (let prototype = controller.prototype; prototype && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const value = Object.getOwnPropertyDescriptor(prototype, name)?.value;
      if (name !== 'constructor' && typeof value === 'function') handlers.push([name, value]);
    }
  }
  return handlers;
}
