import type { Command } from 'commander';
import { loadConfig } from '../server/load-config.js';
import { openStorage } from '../server/open-storage.js';
import { systemClock } from '../util/clock.js';
import type { GlobalOptions } from './cli-context.js';

/** `latchkey migrate`: applies pending database migrations (they also run at startup). */
export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async (_options: unknown, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const config = loadConfig(global.config === undefined ? {} : { configPath: global.config });
      const storage = await openStorage(config, systemClock, { migrate: true });
      await storage.close();
      process.stdout.write('migrations applied\n');
    });
}
