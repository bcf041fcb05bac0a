import type { Command } from 'commander';
import { isKeyAlgorithm, KEY_ALGORITHMS } from '../keys/algorithms.js';
import { ensureKeys, rotateKeys } from '../keys/rotation.js';
import { resolveSecret } from '../server/open-storage.js';
import type { KeyRecord } from '../storage/types.js';
import { systemClock } from '../util/clock.js';
import { CliError, printJson, recordCliEvent, withStorage, type GlobalOptions } from './cli-context.js';

function showKey(key: KeyRecord) {
  return { kid: key.kid, alg: key.alg, state: key.state, created_at: key.created_at, updated_at: key.updated_at };
}

/** `latchkey keys list|rotate`. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage signing and decryption keys');

  keys
    .command('list')
    .description('list signing and decryption keys with their state (next, current, previous, retired)')
    .action(async (_options: unknown, command: Command) => {
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        await ensureKeys(storage, resolveSecret(config), systemClock);
        printJson((await storage.keys.list()).map(showKey));
      });
    });

  keys
    .command('rotate')
    .description('rotate keys: next becomes current, current becomes previous, a new next is published')
    .option('--alg <alg>', `rotate only this algorithm (${KEY_ALGORITHMS.join(', ')})`)
    .action(async (options: { alg?: string }, command: Command) => {
      if (options.alg !== undefined && !isKeyAlgorithm(options.alg)) {
        throw new CliError(`--alg must be one of ${KEY_ALGORITHMS.join(', ')}`);
      }
      const algorithms = options.alg === undefined ? KEY_ALGORITHMS : [options.alg];
      await withStorage(command.optsWithGlobals<GlobalOptions>(), async (storage, config) => {
        const secret = resolveSecret(config);
        await ensureKeys(storage, secret, systemClock);
        const rotated = await rotateKeys(storage, secret, systemClock, algorithms);
        await recordCliEvent(storage, 'key.rotated', { algorithms: [...algorithms] });
        printJson(rotated.filter((key) => key.state !== 'retired').map(showKey));
      });
    });
}
