import type { DataSource } from 'typeorm';

/** Any constant shared by every Gatehouse instance; it names the migration lock. */
const MIGRATION_LOCK_ID = 0x6761_7465; // "gate"

/**
 * Applies pending migrations while holding a PostgreSQL advisory lock, so instances (or test
 * workers) that start together run them once, one after the other, instead of racing.
 */
export async function runMigrationsExclusively(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
