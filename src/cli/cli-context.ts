import type { Config } from '../core/config.js';
import type { ProviderEventName, ProviderEvents } from '../core/events.js';
import { toAuditEvent } from '../library/audit-log.js';
import { loadConfig } from '../server/load-config.js';
import { openStorage } from '../server/open-storage.js';
import type { Storage } from '../storage/types.js';
import { systemClock } from '../util/clock.js';

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
}

/** Opens the configured storage for one command, and closes it afterwards. */
export async function withStorage<T>(options: GlobalOptions, fn: (storage: Storage, config: Config) => Promise<T>, env?: NodeJS.ProcessEnv): Promise<T> {
  const config = loadConfig({ ...(options.config === undefined ? {} : { configPath: options.config }), ...(env === undefined ? {} : { env }) });
  const storage = await openStorage(config, systemClock);
  try {
    return await fn(storage, config);
  } finally {
    await storage.close();
  }
}

/**
 * Records an administrator's change made from the command line in the audit log (actor `cli`),
 * as the admin API records its own.
 */
export async function recordCliEvent<K extends ProviderEventName>(storage: Storage, name: K, data: Omit<ProviderEvents[K], 'actor'>): Promise<void> {
  await storage.audit.append([toAuditEvent(name, { ...data, actor: 'cli' } as ProviderEvents[K], systemClock.now())]);
}

/** Prints a JSON document on standard output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reads all of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A failure to report to the user: printed without a stack trace, exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
