// A client written only against the OpenAPI document: openapi-typescript generates
// ./generated/gatehouse.d.ts from a running server's /docs-json, and this file must type-check
// against it (`tsc -p test/clients`) and then work against that server. Run by
// test/openapi.e2e-spec.ts; by hand: node test/clients/generated/build/typed-client.js <baseUrl>.
import createClient from 'openapi-fetch';
import type { paths } from './generated/gatehouse.js';

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

export async function walkThrough(baseUrl: string): Promise<string[]> {
  const client = createClient<paths>({ baseUrl });
  const steps: string[] = [];
  const email = `typed-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'typed client walks through';

  const registered = await client.POST('/auth/register', { body: { email, password, name: 'Typed Client' } });
  // 201 { user }, or 202 { message } when EMAIL_VERIFICATION=required: the types make the client tell them apart.
  check(registered.data && 'user' in registered.data, `register: ${registered.response.status}`);
  check(registered.data.user.email === email, 'register: the user comes back');
  steps.push(`register ${registered.response.status}`);

  // `transport` is optional: the document says so, and omitting it must type-check.
  const login = await client.POST('/auth/login', { body: { email, password } });
  check(login.data && 'accessToken' in login.data, `login: ${login.response.status}`);
  steps.push(`login ${login.response.status}`);

  const refreshed = await client.POST('/auth/refresh', { body: { refreshToken: login.data.refreshToken } });
  check(refreshed.data && 'accessToken' in refreshed.data, `refresh: ${refreshed.response.status}`);
  steps.push(`refresh ${refreshed.response.status}`);

  const headers = { Authorization: `Bearer ${refreshed.data.accessToken}` };
  const me = await client.GET('/users/me', { headers });
  check(me.data, `me: ${me.response.status}`);
  check(me.data.id === registered.data.user.id && me.data.role === 'user', 'me: the same user, role user');
  steps.push(`me ${me.response.status}`);

  const loggedOut = await client.POST('/auth/logout', { headers });
  check(loggedOut.response.status === 204, `logout: ${loggedOut.response.status}`);
  steps.push(`logout ${loggedOut.response.status}`);

  // Errors are typed too: a client branches on `code`.
  const after = await client.GET('/users/me', { headers });
  check(after.error, `me after logout: ${after.response.status}`);
  const code = after.error.code;
  check(after.response.status === 401 && code === 'AUTH_SESSION_ENDED', `me after logout: ${after.response.status} ${code}`);
  steps.push(`me after logout ${after.response.status} ${code}`);

  // The replaced refresh token is no longer a way back in.
  const reused = await client.POST('/auth/refresh', { body: { refreshToken: login.data.refreshToken } });
  check(reused.error?.statusCode === 401, `old refresh token after logout: ${reused.response.status}`);
  steps.push(`old refresh token ${reused.response.status} ${reused.error.code}`);
  return steps;
}

const baseUrl = process.argv[2];
if (baseUrl !== undefined) {
  walkThrough(baseUrl).then(
    (steps) => process.stdout.write(`${JSON.stringify(steps)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
