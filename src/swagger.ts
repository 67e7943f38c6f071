import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder, SwaggerModule, type OpenAPIObject, type OperationObject, type ResponseObject, type SecurityRequirementObject,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { COOKIE_CREDENTIALS, CREDENTIAL_SCHEMES } from './access/decorators/api-credentials.decorator.js';
import { appConfig, type AppConfig } from './core/config/app.config.js';
import { cookieConfig, type CookieConfig } from './core/config/cookie.config.js';
import { packageInfo } from './core/config/package-info.js';
import { ErrorResponse } from './core/http/error-response.dto.js';

export const DOCS_PATH = 'docs';
const JSON_PATH = `${DOCS_PATH}-json`;

/** Methods the guard lets through without a CSRF token (its SAFE_METHODS). */
const SAFE_METHODS = new Set(['get', 'head', 'options']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const DESCRIPTION = `Authentication backend for NestJS: Bearer tokens, cookie sessions and the JWT-in-cookie hybrid behind one guard.

Every protected route accepts any one credential: a Bearer access token, the \`access_token\` cookie
(login with \`transport: "cookie"\`) or the \`sid\` session cookie (\`POST /auth/session/login\`). A
request authenticated by a cookie that changes state (POST, PUT, PATCH, DELETE) must also send
\`X-CSRF-Token\`; Bearer requests never need it. Errors are \`{ statusCode, message, error, code }\`:
match \`code\`.

**In this page** — with a token: *Try it out* on \`POST /auth/login\`, copy \`accessToken\`, open
**Authorize** and paste it under \`bearer\`. With a cookie: *Try it out* on \`POST /auth/session/login\`
(the browser keeps the httpOnly \`sid\` cookie; this page cannot set cookies itself), copy
\`csrfToken\` from the response and paste it under \`csrf\` in **Authorize**.`;

/** Browsers do not let a page's script set a cookie header, so Authorize cannot fill these in. */
const BROWSER_SETS_COOKIES = 'In Swagger UI, run that login in the page and leave this field empty: the browser keeps and sends the cookie itself.';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json (both off in production unless
 * SWAGGER=true). The document is completed in one pass after Nest builds it (see completeDocument).
 */
export function setupSwagger(app: NestFastifyApplication): void {
  const { swagger, publicUrl, name } = app.get<AppConfig>(appConfig.KEY);
  if (!swagger) return;
  const { names } = app.get<CookieConfig>(cookieConfig.KEY);
  const config = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription(DESCRIPTION)
    .setVersion(packageInfo.version)
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .addTag('auth', 'Sign in and out: tokens, the cookie hybrid, cookie sessions')
    .addTag('users', "The caller's own account")
    .addTag('admin', 'Accounts, audit and keys; role admin only')
    .addTag('keys', 'Public keys for verifying Gatehouse tokens')
    .addTag('projects', 'The example feature module: your own routes behind the same guard')
    .addTag('operations', 'Liveness and service information')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: '`accessToken` from POST /auth/login' }, CREDENTIAL_SCHEMES.bearer)
    .addCookieAuth(names.accessToken, { type: 'apiKey', in: 'cookie', description: `Set by POST /auth/login with \`transport: "cookie"\`. ${BROWSER_SETS_COOKIES}` }, CREDENTIAL_SCHEMES.accessTokenCookie)
    .addCookieAuth(names.session, { type: 'apiKey', in: 'cookie', description: `Set by POST /auth/session/login. ${BROWSER_SETS_COOKIES}` }, CREDENTIAL_SCHEMES.sessionCookie)
    .addCookieAuth(names.refreshToken, { type: 'apiKey', in: 'cookie', description: `Set (Path=/auth) by POST /auth/login with \`transport: "cookie"\`. ${BROWSER_SETS_COOKIES}` }, CREDENTIAL_SCHEMES.refreshTokenCookie)
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: `Only together with a cookie, on POST/PUT/PATCH/DELETE: the \`csrfToken\` from the login response (also the readable \`${names.csrf}\` cookie, and GET /auth/csrf)` },
      CREDENTIAL_SCHEMES.csrfHeader,
    )
    .build();
  const document = completeDocument(
    SwaggerModule.createDocument(app, config, {
      extraModels: [ErrorResponse],
      // `AuthController.login` → `authLogin`: stable, unique, and a good method name in generated clients.
      operationIdFactory: (controllerKey, methodKey) =>
        `${controllerKey.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}${methodKey.replace(/^./, (c) => c.toUpperCase())}`,
    }),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Gatehouse API',
    swaggerOptions: { persistAuthorization: true },
    patchDocumentOnRequest: <TRequest>(request: TRequest, _reply: unknown, built: OpenAPIObject): OpenAPIObject => {
      // Swagger UI calls the API where the page came from (any host name, a LAN address) unless
      // PUBLIC_URL says otherwise; the document itself names one absolute address for tools.
      if (publicUrl === undefined && (request as FastifyRequest).url.includes('swagger-ui-init.js')) return { ...built, servers: [] };
      return { ...built, servers: [{ url: publicUrl ?? listeningUrl(app), description: publicUrl === undefined ? 'This server' : name }] };
    },
  });
}

/** `http://<host>:<port>` the server is listening on (an unspecified address as `localhost`). */
function listeningUrl(app: NestFastifyApplication): string {
  const address = app.getHttpServer().address() as AddressInfo | string | null;
  if (address === null || typeof address === 'string') return 'http://localhost';
  const host = ['0.0.0.0', '::', '::1'].includes(address.address) ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };

/**
 * What holds for every operation is written here once, rather than on each route:
 * - public routes (no credential documented) say `security: []`;
 * - on a state-changing method each cookie credential is paired with the CSRF header, and the
 *   route documents the 403 the guard answers without it;
 * - a route taking parameters, or any state-changing one (a body is parsed before the route
 *   runs), documents 400, and the latter 413/415 too;
 * - every error response has the error schema; 429 says Retry-After;
 * - 431, which Fastify answers for any route when the headers are too large.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.responses = {
    ...document.components.responses,
    HeadersTooLarge: {
      description: 'Request headers over the HTTP server limit (Node: 16 KiB), answered before any route runs',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              statusCode: { type: 'integer', example: 431 },
              error: { type: 'string' },
              message: { type: 'string' },
              code: { $ref: '#/components/schemas/ErrorCode' },
            },
            required: ['statusCode', 'error', 'message', 'code'],
          },
        },
      },
    },
  };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as OperationObject | undefined;
      if (operation === undefined) continue;
      const security = dedupe(operation.security ?? []);
      const stateChanging = !SAFE_METHODS.has(method);
      operation.security = stateChanging ? security.map(withCsrf) : security;
      const responses = operation.responses as Record<string, ResponseObject>;
      if (stateChanging && security.some(usesCookie)) {
        responses['403'] ??= { description: '' };
        const csrf = 'A cookie credential without a valid X-CSRF-Token header (AUTH_CSRF)';
        responses['403'].description = responses['403'].description ? `${responses['403'].description}; or: ${csrf}` : csrf;
      }
      // Any POST/PUT/PATCH/DELETE may carry a body, documented or not: it is parsed (or refused) first.
      if (stateChanging || operation.requestBody !== undefined || (operation.parameters ?? []).length > 0) {
        responses['400'] ??= { description: 'Invalid input (VALIDATION_FAILED, BAD_REQUEST, BODY_TOO_DEEP)' };
      }
      if (stateChanging || operation.requestBody !== undefined) {
        responses['413'] ??= { description: `Body larger than BODY_LIMIT (PAYLOAD_TOO_LARGE)` };
        responses['415'] ??= { description: 'A body that is not application/json (UNSUPPORTED_MEDIA_TYPE)' };
      }
      // Fastify answers this itself, for any route, before routing (its client error handler).
      (responses as Record<string, unknown>)['431'] = { $ref: '#/components/responses/HeadersTooLarge' };
      for (const [status, response] of Object.entries(responses)) {
        if ('$ref' in response) continue;
        if (Number(status) >= 400) response.content ??= errorContent;
        if (status === '429') response.headers ??= { 'Retry-After': { description: 'Seconds until a retry can succeed', schema: { type: 'integer' } } };
      }
      operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return document;
}

const usesCookie = (requirement: SecurityRequirementObject) => Object.keys(requirement).some((scheme) => COOKIE_CREDENTIALS.includes(scheme));

const withCsrf = (requirement: SecurityRequirementObject): SecurityRequirementObject =>
  usesCookie(requirement) ? { ...requirement, [CREDENTIAL_SCHEMES.csrfHeader]: [] } : requirement;

/** Class- and method-level decorators both add requirements; each alternative is listed once. */
function dedupe(requirements: SecurityRequirementObject[]): SecurityRequirementObject[] {
  const seen = new Map(requirements.map((requirement) => [JSON.stringify(Object.keys(requirement).sort()), requirement]));
  return [...seen.values()];
}
