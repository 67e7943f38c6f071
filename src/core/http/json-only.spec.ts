import { exceedsJsonDepth } from './json-only.js';

const depthOf = (text: string, max: number) => exceedsJsonDepth(Buffer.from(text), max);

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays', () => {
    expect(depthOf('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(depthOf('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(depthOf('{"a":"[[[[\\"[[[["}', 1)).toBe(false);
    expect(depthOf('["\\\\",[[]]]', 2)).toBe(true);
  });

  it('is not fooled by multi-byte characters', () => {
    expect(depthOf('{"ž":"ǻ[","b":{}}', 2)).toBe(false);
  });
});
