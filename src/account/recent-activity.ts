/**
 * The account console's Recent activity: what the audit log holds of one account — its sign-ins,
 * the applications it allowed and removed, every change to how it signs in — newest first, each
 * said in the page's language, with whether an administrator did it.
 */
import type { ProviderContext } from '../core/context.js';
import { displayOf } from '../interaction/interaction-steps.js';
import type { AuditEvent } from '../storage/types.js';
import { whoActed } from '../accounts/account-data.js';
import { clientName } from '../ui/client-header.js';
import type { AccountMessages } from './messages/index.js';
import { ACCOUNT_CLIENT_ID } from './account-site.js';

type ActivityWords = AccountMessages['activity'];

/** One thing that happened to the account. */
export interface ActivityView {
  at: number;
  /** What happened, in a language's words. */
  say: (words: ActivityWords) => string;
  /** Someone other than the person did it: an administrator, the CLI, the host's code. */
  byAdministrator: boolean;
}

/** How many lines the console shows. */
const SHOWN = 20;
/** How many of the newest events are read to find them (others, such as a refused consent, are not shown). */
const READ = 60;

/** The names of things an event names by id: applications (clients) and upstream providers. */
interface Names {
  application(clientId: string | undefined): string;
  provider(upstreamId: unknown): string;
}

/** What each audited event of an account says, or undefined for those the console does not show. */
function describe(event: AuditEvent, names: Names): ActivityView['say'] | undefined {
  // The console's own client is named in the page's language; every other by its registered name.
  const name = names.application(event.client_id);
  const application = (w: ActivityWords) => (event.client_id === ACCOUNT_CLIENT_ID ? w.thisConsole : name);
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  switch (event.type) {
    case 'login.succeeded': return (w) => w.signedIn(application(w));
    case 'login.failed': return (w) => w.failedSignIn(application(w));
    case 'login.throttled': return (w) => w.throttled;
    case 'login.new_browser': return (w) => w.newBrowser(typeof event.data.address === 'string' ? event.data.address : undefined);
    case 'login.email_unconfirmed': return (w) => w.heldBack(application(w));
    case 'session.ended': return (w) => w.signedOut;
    case 'consent.granted': return (w) => w.allowed(application(w));
    case 'consent.revoked': return (w) => w.accessRemoved(application(w));
    case 'user.created': case 'account.registered': return (w) => w.created;
    case 'user.updated': {
      const fields = Array.isArray(event.data.fields) ? event.data.fields : [];
      return fields.length === 1 && fields[0] === 'locale' ? (w) => w.languageChanged : (w) => w.profileChanged;
    }
    case 'user.password_set': return event.data.first === true ? (w) => w.passwordSet : (w) => w.passwordChanged;
    case 'user.password_reset_requested': return (w) => w.resetRequested;
    case 'user.email_verified': return (w) => w.emailConfirmed;
    case 'user.two_step_enabled': return (w) => w.twoStepOn;
    case 'user.two_step_disabled': return (w) => w.twoStepOff;
    case 'user.recovery_codes_created': return (w) => w.recoveryCodesCreated;
    case 'user.recovery_code_used': return (w) => w.recoveryCodeUsed(application(w));
    case 'user.passkey_added': return (w) => w.passkeyAdded(text(event.data.name));
    case 'user.passkey_removed': return (w) => w.passkeyRemoved(text(event.data.name));
    case 'user.upstream_connected': return (w) => w.upstreamConnected(names.provider(event.data.upstream));
    case 'user.upstream_disconnected': return (w) => w.upstreamDisconnected(names.provider(event.data.upstream));
    case 'user.unlocked': return (w) => w.unlocked;
    case 'user.enabled': return (w) => w.enabled;
    case 'user.exported': return (w) => w.exported;
    default: return undefined;
  }
}

/**
 * The account's recent activity, newest first: at most twenty lines, from the newest events of the
 * audit log that speak of it (each application and upstream provider named as it is now, or by its
 * id when it is gone).
 */
export async function recentActivityOf(sub: string, ctx: ProviderContext): Promise<ActivityView[]> {
  const events = (await ctx.storage.audit.list({ sub }, { limit: READ })).items;
  const clientIds = [...new Set(events.flatMap((event) => (event.client_id === undefined ? [] : [event.client_id])))];
  const clients = new Map(await Promise.all(clientIds.map(async (id) => [id, await ctx.storage.clients.find(id)] as const)));
  const upstreams = events.some((event) => event.type.startsWith('user.upstream_')) ? await ctx.storage.upstreams.list() : [];
  const names: Names = {
    application: (clientId) => {
      if (clientId === undefined) return '';
      const client = clients.get(clientId);
      return client === undefined ? clientId : clientName(displayOf(client));
    },
    provider: (upstreamId) => upstreams.find((upstream) => upstream.id === upstreamId)?.name ?? String(upstreamId),
  };
  const views: ActivityView[] = [];
  for (const event of events) {
    const say = describe(event, names);
    if (say === undefined) continue;
    views.push({ at: event.at, say, byAdministrator: whoActed(event.actor, sub) === 'administrator' });
    if (views.length === SHOWN) break;
  }
  return views;
}
