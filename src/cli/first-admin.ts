/**
 * The first administrator. When `latchkey start` finds no account with the admin role, it offers
 * to create one — at a terminal only: a password is typed, never passed on a command line or read
 * from a pipe that a service manager or a container would feed. Without a terminal it says how to
 * create one (`latchkey users create … --admin --password-stdin`).
 */
import type { ReadStream } from 'node:tty';
import { AccountInputError, createAccount } from '../accounts/create-account.js';
import type { Config } from '../core/config.js';
import type { Storage } from '../storage/types.js';
import { systemClock } from '../util/clock.js';
import { recordCliEvent } from './cli-context.js';

/** The terminal the offer is made at. */
export interface Terminal {
  input: NodeJS.ReadableStream & Partial<Pick<ReadStream, 'isTTY' | 'setRawMode'>>;
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Whether any account has the admin role. */
export async function hasAdministrator(storage: Storage): Promise<boolean> {
  return (await storage.accounts.list({ limit: 1, role: 'admin' })).items.length > 0;
}

/** Offers to create the first administrator when there is none (see the module comment). */
export async function offerFirstAdministrator(storage: Storage, config: Config, terminal: Terminal): Promise<void> {
  if (await hasAdministrator(storage)) return;
  const { input, output } = terminal;
  const say = (text: string) => output.write(text);
  if (!input.isTTY || !output.isTTY || input.setRawMode === undefined) {
    say(`latchkey: no administrator yet. Create one with: latchkey users create --username NAME --admin --password-stdin\n`);
    return;
  }
  const answer = (await ask(terminal, 'No administrator exists yet. Create one now? [Y/n] ')).trim().toLowerCase();
  if (answer !== '' && answer !== 'y' && answer !== 'yes') {
    say('Later, then: latchkey users create --username NAME --admin --password-stdin\n');
    return;
  }
  for (;;) {
    const username = (await ask(terminal, 'Username: ')).trim();
    const password = await ask(terminal, 'Password (at least 8 characters): ', { hidden: true });
    const again = await ask(terminal, 'Password again: ', { hidden: true });
    if (password !== again) {
      say('The passwords differ; once more.\n');
      continue;
    }
    try {
      const account = await createAccount({ username, password, roles: ['admin'] }, storage, systemClock);
      await recordCliEvent(storage, 'user.created', { sub: account.sub, username: account.username, roles: account.roles });
      say(`Administrator ${account.username} created. Sign in at ${config.issuer}/admin\n`);
      return;
    } catch (error) {
      if (!(error instanceof AccountInputError)) throw error;
      say(`${error.message}; once more.\n`);
    }
  }
}

/**
 * Reads one line typed at the terminal, in raw mode so that a hidden answer is never echoed.
 * Backspace erases; Ctrl-C and Ctrl-D give up (the process exits as a Ctrl-C would).
 */
function ask(terminal: Terminal, prompt: string, options: { hidden?: boolean } = {}): Promise<string> {
  const { input, output } = terminal;
  output.write(prompt);
  input.setRawMode!(true);
  input.resume();
  return new Promise((resolve) => {
    let line = '';
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          output.write('\n');
          resolve(line);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          output.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') {
          if (line.length > 0) {
            line = [...line].slice(0, -1).join('');
            if (!options.hidden) output.write('\b \b');
          }
          continue;
        }
        line += char;
        if (!options.hidden) output.write(char);
      }
    };
    const finish = () => {
      input.removeListener('data', onData);
      input.setRawMode!(false);
      input.pause();
    };
    input.on('data', onData);
  });
}
