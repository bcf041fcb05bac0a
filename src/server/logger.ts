import { pino, type DestinationStream } from 'pino';
import type { Logger } from '../core/context.js';

/**
 * The server's JSON logger (pino), by default on standard output. Lines are written
 * asynchronously: under load, the lines logged while one write is in flight go out together in
 * the next, so that a request costs no system call of its own; pino writes what is left when the
 * process exits.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: false })): Logger & { level: string } {
  return pino({ level, base: { service: 'latchkey' } }, destination);
}
