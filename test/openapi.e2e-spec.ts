import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { ABOUT_RESPONSE_SCHEMA } from '../src/app.controller.js';
import { PRINCIPAL_RESPONSE_SCHEMA } from '../src/auth/dto/token-response.dto.js';
import { createTestApp, PASSWORD, uniqueEmail, useTestApp, type TestApp } from './utils/test-app.js';

// The checks below run tools nobody here wrote (Redocly, openapi-typescript + openapi-fetch,
// openapi-to-postmanv2 + newman) against the live document of a listening server, each as a
// child process with a time limit, so a hung tool fails its test instead of the run.
const ROOT = resolve(import.meta.dirname, '..');
const CLIENTS = join(ROOT, 'test', 'clients');
const TOOL_TIMEOUT_MS = 120_000;
/** A test that runs tools one after another: their limits, plus slack. */
const TOOL_TEST_TIMEOUT_MS = 3 * TOOL_TIMEOUT_MS;
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

function tool(command: string, args: string[], env: Record<string, string> = {}): Promise<ToolResult> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      // No telemetry or update checks from the tools: CI runs offline-friendly and quiet.
      { cwd: ROOT, timeout: TOOL_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: Json }[];
  requestBody?: Json;
  responses: Record<string, Json>;
}
type OpenApi = { servers?: { url: string }[]; info: Json; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Json>; responses?: Record<string, Json> } };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function operations(document: OpenApi): { method: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** The operation a concrete request hit: `/admin/users/{id}` matches `/admin/users/3f…`. */
function operationFor(document: OpenApi, method: string, path: string): Operation | undefined {
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(path)) return item[method.toLowerCase()];
  }
  return undefined;
}

/** Validators for response bodies, straight from the document's schemas (OpenAPI 3.0 `nullable` is Ajv's too). */
function responseValidator(document: OpenApi): (operation: Operation, status: number, body: unknown) => string | null {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const rewrite = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi#/definitions/'));
  ajv.addSchema({ $id: 'openapi', definitions: rewrite(document.components.schemas) as Json });
  const compiled = new Map<unknown, ValidateFunction>();
  return (operation, status, body) => {
    let response = operation.responses[String(status)];
    if (response === undefined) return `status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`;
    if (typeof response.$ref === 'string') response = document.components.responses?.[response.$ref.split('/').pop() as string] as Json;
    const schema = (response.content as Record<string, { schema: Json }> | undefined)?.['application/json']?.schema;
    if (schema === undefined) return body === '' || body === undefined ? null : `status ${status} documents no body, got ${JSON.stringify(body).slice(0, 200)}`;
    if (!compiled.has(schema)) compiled.set(schema, ajv.compile(rewrite(schema) as Json));
    const validate = compiled.get(schema) as ValidateFunction;
    return validate(body) ? null : `${status} body does not match its schema: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`;
  };
}

describe('the OpenAPI document, as tools nobody here wrote read it', () => {
  const admin = { email: uniqueEmail('openapi-admin'), password: PASSWORD };
  const test = useTestApp({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  let baseUrl: string;
  let documentUrl: string;
  let document: OpenApi;
  let work: string;

  beforeAll(async () => {
    await test.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = await test.app.getUrl();
    documentUrl = `${baseUrl}/docs-json`;
    document = (await (await fetch(documentUrl)).json()) as OpenApi;
    work = await mkdtemp(join(tmpdir(), 'gatehouse-openapi-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('names the listening address in servers when PUBLIC_URL is unset, and has a license', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: baseUrl })]);
    expect(document.info.license).toEqual(expect.objectContaining({ name: 'MIT' }));
  });

  it('lints with 0 errors and 0 warnings under Redocly’s recommended rules', async () => {
    const result = await tool(bin('redocly'), ['lint', documentUrl, '--extends=recommended', '--format=json']);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
    expect(report.totals).toEqual(expect.objectContaining({ errors: 0, warnings: 0 }));
  }, TOOL_TEST_TIMEOUT_MS);

  it('gives every operation a summary, a camelCase operationId and real credential alternatives', () => {
    const listed = operations(document);
    expect(listed.length).toBeGreaterThanOrEqual(20);
    for (const { method, path, operation } of listed) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(`${where}: ${operation.summary ?? ''}`).toMatch(/: \S/);
      expect(`${where}: ${operation.operationId ?? ''}`).toMatch(/: [a-z][A-Za-z0-9]*$/);
      expect(operation.security).toBeDefined();
      for (const requirement of operation.security ?? []) {
        const schemes = Object.keys(requirement);
        // The CSRF header is never a credential on its own, and only ever goes with a cookie.
        if (schemes.includes('csrf')) expect(`${where}: ${schemes.sort().join('+')}`).toMatch(/: (access_token|refresh_token|sid)\+csrf$|: csrf\+(access_token|refresh_token|sid)$/);
      }
      const protectedRoute = (operation.security ?? []).length > 0 && !(operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0);
      const statuses = Object.keys(operation.responses);
      if (protectedRoute) expect(`${where}: ${statuses.join(',')}`).toContain('401');
      if (protectedRoute && method !== 'get') {
        expect(`${where}: ${statuses.join(',')}`).toContain('403');
        expect(operation.security).toEqual(expect.arrayContaining([{ bearer: [] }, { sid: [], csrf: [] }, { access_token: [], csrf: [] }]));
      }
      if (operation.requestBody !== undefined || (operation.parameters ?? []).length > 0) expect(`${where}: ${statuses.join(',')}`).toContain('400');
      for (const parameter of operation.parameters ?? []) expect(`${where} ${parameter.name}: ${String(parameter.schema?.type ?? parameter.schema?.$ref ?? parameter.schema?.allOf ?? '')}`).not.toMatch(/: $/);
    }
    expect(document.components.schemas.ErrorResponse).toEqual(expect.objectContaining({ required: ['statusCode', 'message', 'error', 'code'] }));
  });

  it('gives the answers written by a compiled serializer exactly the properties and types the document lists', () => {
    // fast-json-stringify writes only what its schema lists: a property missing there would
    // vanish from the answer, one of another type would be coerced.
    const compiled = [
      { path: '/', schema: ABOUT_RESPONSE_SCHEMA },
      { path: '/auth/me', schema: PRINCIPAL_RESPONSE_SCHEMA },
    ];
    const typeOf = (property: Json): string => {
      const types = [property.type ?? (property.enum ? 'string' : '?')].flat().concat(property.nullable === true ? ['null'] : []);
      const items = property.items as Json | undefined;
      return types.map((type) => (type === 'array' && items ? `array of ${typeOf(items)}` : String(type))).sort().join('|');
    };
    for (const { path, schema } of compiled) {
      const reference = (document.paths[path].get.responses['200'].content as Record<string, { schema: { $ref: string } }>)['application/json'].schema.$ref;
      const documented = document.components.schemas[reference.split('/').pop() as string] as { properties: Record<string, Json>; required?: string[] };
      expect(`${path}: ${Object.keys(schema.properties).sort().join(',')}`).toBe(`${path}: ${Object.keys(documented.properties).sort().join(',')}`);
      expect(`${path}: ${[...schema.required].sort().join(',')}`).toBe(`${path}: ${[...(documented.required ?? [])].sort().join(',')}`);
      for (const [name, property] of Object.entries(documented.properties)) {
        expect(`${path} ${name}: ${typeOf(schema.properties[name as keyof typeof schema.properties] as Json)}`).toBe(`${path} ${name}: ${typeOf(property)}`);
      }
    }
  });

  it('documents as public exactly the routes the guard lets through without a credential', async () => {
    for (const { method, path, operation } of operations(document)) {
      const response = await fetch(`${baseUrl}${path.replace(/\{[^}]+\}/g, randomUUID())}`, {
        method: method.toUpperCase(),
        headers: method === 'get' || method === 'delete' ? {} : { 'content-type': 'application/json' },
        body: method === 'get' || method === 'delete' ? undefined : '{}',
      });
      const body = response.status === 204 ? {} : ((await response.json()) as { code?: string });
      const guarded = body.code === 'AUTH_REQUIRED';
      const documentedPublic = (operation.security ?? []).length === 0 || (operation.security ?? []).some((requirement) => Object.keys(requirement).length === 0);
      expect(`${method.toUpperCase()} ${path}: ${guarded ? 'guarded' : 'public'}`).toBe(`${method.toUpperCase()} ${path}: ${documentedPublic ? 'public' : 'guarded'}`);
    }
  });

  it('generates types with openapi-typescript; the committed openapi-fetch client type-checks against them and works', async () => {
    await mkdir(join(CLIENTS, 'generated'), { recursive: true });
    const generated = await tool(bin('openapi-typescript'), [documentUrl, '-o', join(CLIENTS, 'generated', 'gatehouse.d.ts')]);
    expect(generated.stderr + generated.stdout).not.toMatch(/error/i);
    expect(generated.code).toBe(0);
    const typeCheck = await tool(bin('tsc'), ['-p', CLIENTS]);
    expect(typeCheck.stdout + typeCheck.stderr).toBe('');
    expect(typeCheck.code).toBe(0);
    const walk = await tool(process.execPath, [join(CLIENTS, 'generated', 'build', 'typed-client.js'), baseUrl]);
    expect(walk.stderr).toBe('');
    expect(JSON.parse(walk.stdout)).toEqual([
      'register 201', 'login 200', 'refresh 200', 'me 200', 'logout 204', 'me after logout 401 AUTH_SESSION_ENDED', 'old refresh token 401 AUTH_REFRESH_INVALID',
    ]);
  }, TOOL_TEST_TIMEOUT_MS);

  it('runs the whole document through openapi-to-postmanv2 and newman: every status is documented, every body matches its schema', async () => {
    const spec = join(work, 'openapi.json');
    const collectionFile = join(work, 'collection.json');
    const reportFile = join(work, 'newman.json');
    await writeFile(spec, JSON.stringify(document));
    const converted = await tool(bin('openapi2postmanv2'), ['-s', spec, '-o', collectionFile, '-O', 'folderStrategy=Tags,requestNameSource=Fallback,parametersResolution=Example']);
    expect(converted.code).toBe(0);

    // Each request gets a fresh admin session first, so logout or logout-all earlier in the run
    // does not turn every later request into a 401.
    const collection = JSON.parse(await readFile(collectionFile, 'utf8')) as { event?: unknown[] };
    collection.event = [
      ...(collection.event ?? []),
      {
        listen: 'prerequest',
        script: {
          type: 'text/javascript',
          exec: [
            `pm.sendRequest({ url: pm.variables.get('baseUrl') + '/auth/login', method: 'POST', header: { 'Content-Type': 'application/json' },`,
            `  body: { mode: 'raw', raw: JSON.stringify({ email: ${JSON.stringify(admin.email)}, password: ${JSON.stringify(admin.password)} }) } },`,
            `  (error, response) => { pm.variables.set('bearerToken', error ? '' : response.json().accessToken); });`,
          ],
        },
      },
    ];
    await writeFile(collectionFile, JSON.stringify(collection));
    const run = await tool(bin('newman'), ['run', collectionFile, '--reporters', 'json', '--reporter-json-export', reportFile, '--timeout-request', '10000', '--timeout', String(TOOL_TIMEOUT_MS - 10_000)]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
      run: {
        failures: { error: { message: string } }[];
        executions: { id: string; request: { method: string; url: { path: string[] } }; response?: { code: number; stream?: { data: number[] } }; requestError?: { message: string } }[];
      };
    };
    const validate = responseValidator(document);
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    for (const execution of report.run.executions) {
      const method = execution.request.method;
      const path = `/${execution.request.url.path.join('/')}`;
      if (execution.response === undefined) {
        problems.push(`${method} ${path}: no response (${execution.requestError?.message ?? 'request failed'})`);
        continue;
      }
      const status = execution.response.code;
      statuses[status] = (statuses[status] ?? 0) + 1;
      const text = Buffer.from(execution.response.stream?.data ?? []).toString('utf8');
      const operation = operationFor(document, method, path);
      if (operation === undefined) {
        problems.push(`${method} ${path}: not in the document`);
        continue;
      }
      const problem = validate(operation, status, text === '' ? '' : (JSON.parse(text) as unknown));
      if (problem !== null) problems.push(`${method} ${path}: ${problem}`);
    }
    expect(problems).toEqual([]);
    expect(report.run.failures.map((failure) => failure.error.message)).toEqual([]);
    // Every request of the document ran (each after its pre-request login, under the same id),
    // and the run is not a wall of 401s: the requests that need nothing but the admin's token
    // and the examples in the document succeeded.
    const requests = [...new Map(report.run.executions.map((execution) => [execution.id, execution])).values()];
    expect(requests).toHaveLength(operations(document).length);
    const answered = Object.fromEntries(requests.map((execution) => [`${execution.request.method} /${execution.request.url.path.join('/')}`, execution.response?.code]));
    expect(answered).toEqual(expect.objectContaining({
      'POST /auth/login': 200, 'POST /auth/session/login': 200, 'GET /auth/me': 200, 'GET /auth/sessions': 200,
      'GET /users/me': 200, 'PATCH /users/me': 200, 'GET /admin/users': 200, 'GET /admin/audit': 200, 'POST /auth/logout': 204, 'GET /health': 200,
    }));
    // The document's example email may be registered already by an earlier run on the same database.
    expect([201, 409]).toContain(answered['POST /auth/register']);
    expect(Object.values(statuses).reduce((sum, count) => sum + count, 0)).toBe(report.run.executions.length);
  }, TOOL_TEST_TIMEOUT_MS);
});

describe('where the OpenAPI document and Swagger UI are served', () => {
  async function served(env: Record<string, string>): Promise<{ docs: number; json: number; servers?: unknown; link?: unknown }> {
    const app: TestApp = await createTestApp(env);
    try {
      const docs = await app.http().get('/docs');
      const json = await app.http().get('/docs-json');
      const about = await app.http().get('/');
      return { docs: docs.status, json: json.status, servers: json.body.servers, link: about.body.docs };
    } finally {
      await app.close();
    }
  }

  it('names PUBLIC_URL in servers when it is set', async () => {
    expect(await served({ PUBLIC_URL: 'https://auth.example.org' })).toEqual({ docs: 200, json: 200, servers: [expect.objectContaining({ url: 'https://auth.example.org' })], link: '/docs' });
  });

  it('refuses a PUBLIC_URL that is not an absolute http(s) URL without a trailing slash, in one line', async () => {
    for (const bad of ['auth.example.org', 'https://auth.example.org/', 'ftp://auth.example.org']) {
      await expect(createTestApp({ PUBLIC_URL: bad })).rejects.toThrow(/^Invalid configuration: PUBLIC_URL must be an absolute http\(s\) URL/);
    }
    await expect(createTestApp({ SWAGGER: 'maybe' })).rejects.toThrow('SWAGGER must be true or false');
  });

  it('is off in production unless SWAGGER=true, and SWAGGER=false turns it off anywhere', async () => {
    const production = { NODE_ENV: 'production', COOKIE_SECURE: 'true', EMAIL_FLOWS: 'off' };
    // GET / points at the docs only while they are served.
    expect(await served(production)).toEqual(expect.objectContaining({ docs: 404, json: 404, link: null }));
    expect(await served({ ...production, SWAGGER: 'true' })).toEqual(expect.objectContaining({ docs: 200, json: 200 }));
    expect(await served({ SWAGGER: 'false' })).toEqual(expect.objectContaining({ docs: 404, json: 404, link: null }));
  });
});
