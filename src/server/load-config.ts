import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, parseConfig, readConfigSources, type Config } from '../core/config.js';

/** The config file read when none is named and it exists in the working directory. */
export const DEFAULT_CONFIG_FILE = 'latchkey.config.json';

/**
 * Loads the server's configuration: the JSON config file (`--config`, `LATCHKEY_CONFIG`, or
 * `./latchkey.config.json` when present), overridden by `LATCHKEY_*` environment variables.
 * @throws ConfigError listing every problem, including an unreadable config file.
 */
export function loadConfig(options: { configPath?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const env = options.env ?? process.env;
  const named = options.configPath ?? env.LATCHKEY_CONFIG;
  const path = named ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  let fileValues: Record<string, unknown> = {};
  if (path !== undefined) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(resolve(path), 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      fileValues = parsed as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError([`config file ${path}: ${(error as Error).message}`]);
    }
  }
  return parseConfig(readConfigSources(env, fileValues));
}
