/**
 * Checks that hold for every catalog of words in every language (the sign-in's, `src/i18n/`, and
 * the account console's, `src/account/messages/`): each says all the English one does, and every
 * message function says each value it is given.
 */
import assert from 'node:assert/strict';

/** Every member of `value` as [path, leaf]: strings and functions. */
export function leaves(value: unknown, path = ''): [string, unknown][] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.entries(value).flatMap(([key, inner]) => leaves(inner, path === '' ? key : `${path}.${key}`));
  return [[path, value]];
}

/** Sample values for a message function's parameters, each one recognizable in the result. */
function samplesFor(fn: (...args: never[]) => unknown): unknown[] {
  // `(a, b) => …`, or `a => …` as a one-parameter arrow may be compiled.
  const source = fn.toString();
  const names = (/^\(([^)]*)\)/.exec(source)?.[1] ?? /^([A-Za-z_$][\w$]*)\s*=>/.exec(source)?.[1])?.split(',').map((name) => name.trim().split(':')[0]!.trim()).filter(Boolean) ?? [];
  return names.map((name, index) => {
    if (/^(first|mayCreate|synced|byAdministrator)$/.test(name)) return false;
    if (/^(minutes|min|max|most|count)$/.test(name)) return 70 + index;
    if (/problems|methods/.test(name)) return [`«${name}-${index}a»`, `«${name}-${index}b»`];
    return `«${name}-${index}»`;
  });
}

/** Each catalog of `catalogs` has exactly `english`'s members, each of the same kind, none empty but where English is. */
export function assertSameMembers(english: object, catalogs: Readonly<Record<string, object>>): void {
  const model = new Map(leaves(english));
  for (const [lang, catalog] of Object.entries(catalogs)) {
    const members = new Map(leaves(catalog));
    assert.deepEqual([...members.keys()], [...model.keys()], `${lang}: the same members, in the same order`);
    for (const [path, value] of members) {
      const like = model.get(path);
      assert.equal(typeof value, typeof like, `${lang}: ${path} is a ${typeof like}`);
      if (typeof value === 'function') assert.equal(value.length, (like as (...args: never[]) => unknown).length, `${lang}: ${path} takes as many values`);
      if (typeof value === 'string' && like !== '') assert.notEqual(value.trim(), '', `${lang}: ${path} says something`);
    }
  }
}

/** Every message function of every catalog says each text and number it is given (each item of a list). */
export function assertSaysWhatItIsGiven(catalogs: Readonly<Record<string, object>>): void {
  for (const [lang, catalog] of Object.entries(catalogs)) {
    for (const [path, value] of leaves(catalog)) {
      if (typeof value !== 'function') continue;
      const samples = samplesFor(value as (...args: never[]) => unknown);
      const said = String((value as (...args: unknown[]) => unknown)(...samples));
      for (const sample of samples.flat()) {
        if (typeof sample === 'boolean') continue;
        assert.ok(said.includes(String(sample)), `${lang}: ${path} says ${String(sample)} — ${said}`);
      }
    }
  }
}
