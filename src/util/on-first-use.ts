/**
 * A CommonJS package loaded at its first use, not at start: for a package only some requests
 * need (a browser's name for the consoles, an authenticator code), so that every server does not
 * keep it in memory. `require` is synchronous: the caller stays synchronous too. The package's
 * types come from a type-only import; its values only through the function this returns.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
