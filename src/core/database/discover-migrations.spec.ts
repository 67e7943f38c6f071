import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverMigrations, MIGRATIONS_DIR } from './discover-migrations.js';

const migration = (name: string) => `export class ${name} { name = '${name}'; async up() {} async down() {} }\n`;

describe('discoverMigrations', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gatehouse-migrations-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('imports every module of the folder with its own extension, and nothing else', async () => {
    await writeFile(join(directory, '2-second.ts'), migration('Second2'));
    await writeFile(join(directory, '1-first.ts'), migration('First1'));
    await writeFile(join(directory, 'types.d.ts'), 'export declare const x: number;\n');
    await writeFile(join(directory, '1-first.js.map'), '{}');
    await writeFile(join(directory, 'README.md'), '# notes\n');
    const found = await discoverMigrations(directory);
    expect(found.map((migrationClass) => migrationClass.name)).toEqual(['First1', 'Second2']);
  });

  it('refuses a module that exports no migration, rather than skipping it silently', async () => {
    await writeFile(join(directory, '1-helper.ts'), 'export const notAMigration = 1;\n');
    await expect(discoverMigrations(directory)).rejects.toThrow(/exports no migration class/);
  });

  it('finds the real migrations folder', async () => {
    const found = await discoverMigrations(MIGRATIONS_DIR);
    expect(found.map((migrationClass) => migrationClass.name)).toContain('CreateUsers1764000000000');
  });
});
