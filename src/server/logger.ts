import { pino } from 'pino';
import type { Logger } from '../core/context.js';

/** The server's JSON logger (pino) on standard output. */
export function createLogger(level: string): Logger & { level: string } {
  return pino({ level, base: { service: 'latchkey' } });
}
