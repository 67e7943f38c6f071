import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MigrationInterface } from 'typeorm';

export type MigrationClass = new () => MigrationInterface;

/** `src/migrations` when running from the sources (Jest), `dist/src/migrations` in the build. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Imports every module in the migrations folder and returns the classes it exports, so a new file
 * there runs at the next start without being listed anywhere.
 *
 * Hand-written rather than TypeORM's `migrations: ['…/*.js']` glob: TypeORM imports the files
 * through `new Function('return (p) => import(p)')`, which Jest's ESM runtime cannot intercept, so
 * the e2e tests (which boot the app from the TypeScript sources) could not load them. An ordinary
 * `import()` works under Jest, under `node dist/src/main.js` and in the TypeORM CLI alike.
 * Only files with this module's own extension are read: `.ts` from the sources, `.js` in the build
 * (never the `.js.map` or `.d.ts` beside them).
 */
export async function discoverMigrations(directory = MIGRATIONS_DIR): Promise<MigrationClass[]> {
  const extension = extname(fileURLToPath(import.meta.url));
  const files = (await readdir(directory))
    .filter((file) => extname(file) === extension && !file.endsWith(`.d${extension}`))
    .sort();
  const classes: MigrationClass[] = [];
  for (const file of files) {
    const exported = (await import(pathToFileURL(join(directory, file)).href)) as Record<string, unknown>;
    const found = Object.values(exported).filter(isMigrationClass);
    if (found.length === 0) throw new Error(`${join(directory, file)} exports no migration class`);
    classes.push(...found);
  }
  return classes;
}

function isMigrationClass(value: unknown): value is MigrationClass {
  return typeof value === 'function' && typeof (value.prototype as Partial<MigrationInterface> | undefined)?.up === 'function';
}
