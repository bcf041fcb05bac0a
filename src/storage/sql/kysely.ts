/**
 * Kysely's values (`Kysely`, `sql`, the dialects), from its CommonJS build. Import them from here,
 * never from 'kysely' (types may come from 'kysely': they are the same for both builds).
 *
 * Why: Kysely's ES module build is 262 files, and Node 20's ES module loader keeps about twice
 * the memory per module that its CommonJS loader does (measured: 300 small modules cost 12 MB of
 * resident memory as ES modules, 7 MB as CommonJS). Loading the CommonJS build, which the package
 * publishes for `require`, takes about 2.5 MB off the server's idle memory and some 50 ms off its
 * start. One build for the whole process: this module is the only one that loads Kysely.
 */
import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

const kysely = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

export const { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } = kysely;
// The types of the same names, so that one import gives both.
export type CompiledQuery<O = unknown> = KyselyModule.CompiledQuery<O>;
export type Kysely<DB> = KyselyModule.Kysely<DB>;
