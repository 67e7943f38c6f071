import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layout's one rule, checked on every run: imports point down. A folder may import from a
 * lower layer, never from its own layer's siblings or from above. Outside auth/, only auth's
 * public surface (auth/index.ts) may be imported.
 */
const LAYERS: string[][] = [
  ['core', 'migrations'],
  ['access'],
  ['audit', 'throttling', 'mail'],
  ['users', 'sessions', 'keys', 'mfa', 'health'],
  ['auth'],
  ['projects'],
  ['.'],
];

const src = resolve(dirname(fileURLToPath(import.meta.url)));
const rankOf = (folder: string): number => LAYERS.findIndex((layer) => layer.includes(folder));
const folderOf = (file: string): string => {
  const parts = relative(src, file).split('/');
  return parts.length > 1 ? parts[0] : '.';
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

const imports = sourceFiles(src).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((match) => ({
    file: relative(src, file),
    from: folderOf(file),
    target: resolve(dirname(file), match[1]),
  })),
);

describe('layout', () => {
  it('places every top-level folder of src/ in a layer', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.filter((folder) => rankOf(folder) < 0)).toEqual([]);
  });

  it('has every import point to a lower layer (or stay in its folder)', () => {
    const upward = imports
      .filter(({ from, target }) => {
        const to = folderOf(target);
        return to !== from && rankOf(to) >= rankOf(from);
      })
      .map(({ file, target }) => `${file} → ${relative(src, target)}`);
    expect(upward).toEqual([]);
  });

  it('reaches auth/ from outside only through its public surface', () => {
    const internal = imports
      .filter(({ from, target }) => from !== 'auth' && from !== '.' && folderOf(target) === 'auth' && !/\/auth\/index(\.js)?$/.test(target))
      .map(({ file, target }) => `${file} → ${relative(src, target)}`);
    expect(internal).toEqual([]);
  });

  it('keeps core/ free of anything but core/', () => {
    const leaks = imports
      .filter(({ from, target }) => from === 'core' && !['core'].includes(folderOf(target)))
      .map(({ file, target }) => `${file} → ${relative(src, target)}`);
    expect(leaks).toEqual([]);
  });
});
