// Does canonicalJson give one stable, whitespace-free text per value and refuse what JSON can't carry?
import { canonicalJson, CanonicalJsonError } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and writes no whitespace', () => {
    const value = { b: 1, a: { z: [3, { y: true, x: null }], m: 'n' } };
    expect(canonicalJson(value)).toBe('{"a":{"m":"n","z":[3,{"x":null,"y":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    expect(canonicalJson({ one: 1, two: 2, three: 3 })).toBe(canonicalJson({ three: 3, two: 2, one: 1 }));
  });

  it('orders keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 0, B: 0, a: 0, _: 0, 'é': 0 })).toBe('{"B":0,"_":0,"a":0,"b":0,"é":0}');
  });

  it('writes numbers in shortest round-trip form and -0 as 0', () => {
    expect(canonicalJson([1, 1.5, 1e21, 0.1 + 0.2, -0, 9007199254740991])).toBe(
      '[1,1.5,1e+21,0.30000000000000004,0,9007199254740991]',
    );
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson('a"b\\c\n\u0001ü')).toBe('"a\\"b\\\\c\\n\\u0001ü"');
  });

  it('drops undefined object properties, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('is stable under parse → canonicalJson', () => {
    const text = canonicalJson({ z: [0.1, -2, 'x'], a: { q: false, p: 1e-7 } });
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', [Infinity]],
    ['bigint', { n: BigInt(1) }],
    ['undefined in an array', [undefined]],
    ['a Date', { at: new Date(0) }],
    ['bytes', new Uint8Array([1])],
    ['a function', () => 1],
  ])('refuses %s', (_label, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
  });
});
