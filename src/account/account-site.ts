/**
 * The account console as one of latchkey's consoles (`console/site.ts`): its public client
 * `latchkey-account`, which asks for `openid` alone — who is signed in, nothing more.
 */
import type { ConsoleSite } from '../console/site.js';

/** client_id of the account console. */
export const ACCOUNT_CLIENT_ID = 'latchkey-account';

/** The account console under `<issuer>/account`. */
export const ACCOUNT_CONSOLE: ConsoleSite = { name: 'account', clientId: ACCOUNT_CLIENT_ID, scope: 'openid', clientName: 'your account settings' };
