/**
 * The admin console as one of latchkey's consoles (`console/site.ts`): its public client
 * `latchkey-admin`, registered for `openid latchkey:admin`.
 */
import { ACR_TWO_FACTORS } from '../interaction/assurance.js';
import { ACCOUNT_CONSOLE } from '../account/account-site.js';
import type { ConsoleSite } from '../console/site.js';
import { ADMIN_SCOPE } from '../core/scopes.js';

/** client_id of the admin console. */
export const ADMIN_CLIENT_ID = 'latchkey-admin';

/** The admin console under `<issuer>/admin`. */
export const ADMIN_CONSOLE: ConsoleSite = {
  name: 'admin',
  clientId: ADMIN_CLIENT_ID,
  scope: `openid ${ADMIN_SCOPE}`,
  clientName: 'latchkey admin console',
  // The admin API would refuse a one-factor login's token anyway (authenticate.ts).
  requiredAcr: (ctx) => (ctx.config.adminRequiresTwoStep ? ACR_TWO_FACTORS : undefined),
};

/** The console whose own client `client_id` is, if any: latchkey manages those clients, and the admin API does not change them. */
export function consoleOwning(client_id: string): ConsoleSite | undefined {
  return [ADMIN_CONSOLE, ACCOUNT_CONSOLE].find((site) => site.clientId === client_id);
}
