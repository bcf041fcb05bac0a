/**
 * Where a login session was signed in from, as the consoles show it to people: the browser and
 * system its `User-Agent` names (read by `bowser`) and the address — "Firefox on Linux, from
 * 198.51.100.4". Nothing when the session kept neither (sessions from before latchkey kept them).
 */
import Bowser from 'bowser';

export function sessionOrigin(session: { user_agent?: string | undefined; address?: string | undefined }): string | undefined {
  const parsed = session.user_agent === undefined ? undefined : Bowser.parse(session.user_agent);
  const browser = parsed?.browser.name === undefined ? undefined : `${parsed.browser.name}${parsed.os.name === undefined ? '' : ` on ${parsed.os.name}`}`;
  const parts = [browser, session.address === undefined ? undefined : `from ${session.address}`].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}
