import { rm } from 'node:fs/promises';
import type { EmbeddedDatabase } from '../../src/core/database/embedded-postgres.ts';

export default async function globalTeardown(): Promise<void> {
  const database = (globalThis as Record<string, unknown>).__gatehouseTestDatabase as (EmbeddedDatabase & { dataDir: string }) | undefined;
  if (!database) return;
  await database.stop();
  await rm(database.dataDir, { recursive: true, force: true });
}
