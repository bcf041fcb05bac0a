/**
 * zod's `z`, from its CommonJS build. Import it from here, never from 'zod' (types may come from
 * 'zod': they are the same for both builds).
 *
 * Why: zod 4's ES module build is about 95 files — every locale of its error messages among them
 * — and Node 20's ES module loader keeps about twice the memory per module that its CommonJS
 * loader does (see storage/sql/kysely.ts). The configuration is read with zod, so every server
 * loads it at start: from the CommonJS build, the server's memory a second after its start
 * measured about 4 MB less (one core, side by side). One build for the whole process: this
 * module is the only one that loads zod.
 */
import { createRequire } from 'node:module';
import type * as ZodModule from 'zod';

export const { z } = createRequire(import.meta.url)('zod') as typeof ZodModule;
// zod's `z` is a namespace of types too: those used here, under the same name, so that one import gives both.
export declare namespace z {
  export type ZodType<Output = unknown, Input = unknown> = ZodModule.z.ZodType<Output, Input>;
  export type infer<T> = ZodModule.z.infer<T>;
  export type input<T> = ZodModule.z.input<T>;
  export type output<T> = ZodModule.z.output<T>;
}
