import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { packageInfo } from './core/config/package-info.js';

export const DOCS_PATH = 'docs';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with a working Authorize button. */
export function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Gatehouse')
    .setDescription('Authentication backend for NestJS: Bearer tokens, cookie sessions and the JWT-in-cookie hybrid behind one guard.')
    .setVersion(packageInfo.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth('access_token', { type: 'apiKey', in: 'cookie', description: 'The hybrid: login with transport "cookie"' }, 'access_token')
    .addCookieAuth('sid', { type: 'apiKey', in: 'cookie', description: 'Cookie session from POST /auth/session/login' }, 'sid')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Required with cookie credentials on POST/PUT/PATCH/DELETE' }, 'csrf')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json`, swaggerOptions: { persistAuthorization: true } });
}
