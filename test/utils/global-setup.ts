// Jest loads global setup and teardown through require(), outside its ESM module mapper, so
// they import the TypeScript source by its real file name.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/core/database/embedded-postgres.ts';

/**
 * One real PostgreSQL for the whole run: TEST_DATABASE_URL or DATABASE_URL when set, otherwise an
 * embedded server in a temporary directory, removed again by global-teardown.ts. Variables set
 * here are inherited by the Jest workers.
 */
export default async function globalSetup(): Promise<void> {
  process.env.NODE_ENV = 'test';
  process.env.LOG_LEVEL ??= 'silent';
  process.env.JWT_SECRET ??= randomBytes(48).toString('base64url');
  // bcrypt's floor keeps the suite fast; one test boots the app with the default cost of 12.
  process.env.BCRYPT_COST ??= '4';
  // Every spec logs in from 127.0.0.1 at once; brute-force.e2e-spec.ts tests the real limits.
  process.env.RATE_LIMIT_AUTH ??= '100000';
  // Apps without MAIL_URL write their mail as .eml files: keep those out of the working tree.
  process.env.MAIL_OUTBOX_DIR ??= await mkdtemp(join(tmpdir(), 'gatehouse-test-outbox-'));
  // Spec files run in parallel on one database, hence one outbox: only the apps that test mail
  // (they set MAIL_WORKER=on) deliver it, so no other app takes their messages to its .eml files.
  process.env.MAIL_WORKER ??= 'off';
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (external) {
    process.env.DATABASE_URL = external;
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-test-pg-'));
  const database = await startEmbeddedPostgres(dataDir);
  process.env.DATABASE_URL = database.url;
  (globalThis as Record<string, unknown>).__gatehouseTestDatabase = { ...database, dataDir };
}
