/**
 * Where a login session was signed in from, as the consoles show it to people: the browser and
 * system its `User-Agent` names (read by `bowser`, loaded at the first use) and the address — "Firefox on Linux, from
 * 198.51.100.4". Nothing when the session kept neither (sessions from before latchkey kept them).
 */
import type Bowser from 'bowser';
import { onFirstUse } from '../util/on-first-use.js';

const bowser = onFirstUse<typeof Bowser>('bowser');

export function sessionOrigin(session: { user_agent?: string | undefined; address?: string | undefined }): string | undefined {
  const parsed = session.user_agent === undefined ? undefined : bowser().parse(session.user_agent);
  const browser = parsed?.browser.name === undefined ? undefined : `${parsed.browser.name}${parsed.os.name === undefined ? '' : ` on ${parsed.os.name}`}`;
  const parts = [browser, session.address === undefined ? undefined : `from ${session.address}`].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}
