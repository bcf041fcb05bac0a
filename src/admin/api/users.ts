/**
 * Admin API: built-in accounts. Create, edit claims, roles and groups, disable (which also ends the
 * user's sessions), set a password, unlock after login throttling, list a user's sessions and
 * consents, and list or disconnect their identities at upstream providers.
 */
import { deleteAccount } from '../../accounts/delete-account.js';
import { accountData } from '../../accounts/account-data.js';
import { z } from '../../util/zod.js';
import { AccountInputError, createAccount, UsernameTaken } from '../../accounts/create-account.js';
import { hashPassword } from '../../accounts/password.js';
import { groupName } from '../../accounts/groups.js';
import { removePasskey } from '../../accounts/passkeys.js';
import { noticeEmailChanged } from '../../accounts/security-notices.js';
import { removeTotp } from '../../accounts/totp.js';
import type { ProviderContext } from '../../core/context.js';
import { isAccountLocked, resetAccountFailures } from '../../interaction/login-throttle.js';
import { endSessionsOf } from '../../interaction/logout.js';
import { type AccountRecord, StorageConflict, type UpstreamIdentityRecord } from '../../storage/types.js';
import { Conflict, InvalidInput, NotFound } from './errors.js';
import { listOptions, pageView } from './paging.js';
import { operation, type AdminContext } from './operation.js';
import { consentView, groupView, pageOf, pageQuery, passwordBody, sessionView, upstreamIdentityView, userCreateBody, userDataView, userPatchBody, userView } from './schemas.js';
import { showConsent, showSession } from './views.js';

/** An account as the admin API shows it: never its password hash, its authenticator's secret or its passkeys' keys. */
export function showUser(account: AccountRecord, locked?: boolean): z.infer<typeof userView> {
  const { password_hash, totp, passkeys, ...shown } = account;
  return {
    ...shown,
    roles: shown.roles as z.infer<typeof userView>['roles'],
    groups: shown.groups ?? [],
    has_password: password_hash !== undefined,
    two_step: totp !== undefined,
    passkeys: (passkeys ?? []).map(({ id, name, synced, created_at, last_used_at }) => ({ id, name, synced, created_at, ...(last_used_at === undefined ? {} : { last_used_at }) })),
    ...(locked === undefined ? {} : { locked }),
  };
}

/** @throws NotFound */
async function findUser(sub: string, ctx: ProviderContext): Promise<AccountRecord> {
  const account = await ctx.storage.accounts.findBySub(sub);
  if (!account) throw new NotFound(`no user ${sub}`);
  return account;
}

export const listUsers = operation({
  operationId: 'listUsers',
  summary: 'List users in username order; `search` matches username, email or name; `group` keeps the members of that group',
  tag: 'users',
  query: pageQuery.extend({ search: z.string().min(1).max(255).optional(), group: groupName.optional().describe('only the members of this group (its name exactly)') }),
  response: { status: 200, description: 'a page of users', schema: pageOf(userView) },
  async handle({ query }, { ctx }) {
    const page = await ctx.storage.accounts.list({
      ...listOptions(query),
      ...(query.search === undefined ? {} : { search: query.search }),
      ...(query.group === undefined ? {} : { group: query.group }),
    });
    return pageView(page, (account) => showUser(account));
  },
});

export const listGroups = operation({
  operationId: 'listGroups',
  summary: 'List every group some user belongs to, by name, with how many users do (`GET /users?group=` lists them)',
  tag: 'users',
  response: { status: 200, description: 'the groups', schema: z.object({ items: z.array(groupView) }) },
  async handle(_request, { ctx }) {
    return { items: await ctx.storage.accounts.groups() };
  },
});

export const createUser = operation({
  operationId: 'createUser',
  summary: 'Create a user (a password is stored as an argon2id hash; a password_hash from another system is kept until the user first signs in)',
  tag: 'users',
  body: userCreateBody,
  response: { status: 201, description: 'the new user', schema: userView },
  async handle({ body, actor }, admin) {
    const { disabled, ...fields } = body;
    let account: AccountRecord;
    try {
      account = await createAccount(fields, admin.ctx.storage, admin.ctx.clock);
    } catch (error) {
      if (error instanceof UsernameTaken) throw new Conflict(error.message, { field: 'username' });
      if (error instanceof AccountInputError) throw new InvalidInput(error.problems.map((message) => ({ field: 'body', message })));
      throw error;
    }
    admin.ctx.events.emit('user.created', { sub: account.sub, username: account.username, roles: account.roles, actor: actor.id });
    if (disabled === true) {
      account = { ...account, disabled: true };
      await admin.ctx.storage.accounts.update(account);
      admin.ctx.events.emit('user.disabled', { sub: account.sub, actor: actor.id });
    }
    await admin.flushAudit();
    return showUser(account);
  },
});

export const getUser = operation({
  operationId: 'getUser',
  summary: 'Show one user, with whether failed logins lock the account now',
  tag: 'users',
  response: { status: 200, description: 'the user', schema: userView },
  async handle({ params }, { ctx }) {
    const account = await findUser(params.sub!, ctx);
    return showUser(account, await isAccountLocked(account.username, ctx));
  },
});

const OPTIONAL_FIELDS = ['email', 'name', 'given_name', 'family_name'] as const;

/** A change of a user's fields, as the admin API and `latchkey users update` take it. */
export type UserPatch = z.infer<typeof userPatchBody>;

/**
 * `existing` with `patch` applied at `now`, and the names of the fields that changed (`disabled`
 * aside, told by its own event): `null` removes an optional field, `groups: []` every group. A
 * new or removed address is unverified unless the patch says it is verified: whoever checked the
 * old one did not check this one.
 */
export function patchedAccount(existing: AccountRecord, patch: UserPatch, now: number): { updated: AccountRecord; changed: string[] } {
  const updated: AccountRecord = { ...existing, updated_at: now };
  if (patch.username !== undefined) updated.username = patch.username;
  if (patch.email_verified !== undefined) updated.email_verified = patch.email_verified;
  if (patch.claims !== undefined) updated.claims = patch.claims;
  if (patch.roles !== undefined) updated.roles = [...new Set(patch.roles)];
  if (patch.groups !== undefined) {
    if (patch.groups.length === 0) delete updated.groups;
    else updated.groups = patch.groups;
  }
  if (patch.disabled !== undefined) updated.disabled = patch.disabled;
  for (const name of OPTIONAL_FIELDS) {
    const value = patch[name];
    if (value === null) delete updated[name];
    else if (value !== undefined) updated[name] = value;
  }
  if (updated.email !== existing.email && patch.email_verified === undefined) updated.email_verified = false;
  const changed = (Object.keys(patch) as (keyof UserPatch)[]).filter((name) => name !== 'disabled' && JSON.stringify(existing[name]) !== JSON.stringify(updated[name]));
  return { updated, changed };
}

export const patchUser = operation({
  operationId: 'patchUser',
  summary: "Change a user's username, claims, roles, groups, or enable / disable it (disabling revokes every grant of the user, offline ones too, and ends the user's sessions)",
  tag: 'users',
  body: userPatchBody,
  response: { status: 200, description: 'the user', schema: userView },
  async handle({ params, body, actor }, admin) {
    const { ctx } = admin;
    const existing = await findUser(params.sub!, ctx);
    const { updated, changed } = patchedAccount(existing, body, ctx.clock.now());
    try {
      await ctx.storage.accounts.update(updated);
    } catch (error) {
      if (error instanceof StorageConflict) throw new Conflict(`username ${updated.username} is taken`, { field: 'username' });
      throw error;
    }

    if (changed.length > 0) ctx.events.emit('user.updated', { sub: existing.sub, fields: changed, actor: actor.id });
    if (changed.includes('email')) noticeEmailChanged(existing, actor.id, ctx);
    if (updated.disabled !== existing.disabled) {
      ctx.events.emit(updated.disabled ? 'user.disabled' : 'user.enabled', { sub: existing.sub, actor: actor.id });
      // Relying parties hear of it through their logout channels; the tokens already fail.
      if (updated.disabled) await endSessionsOf(existing.sub, ctx, { actor: actor.id });
    }
    await admin.flushAudit();
    return showUser(updated);
  },
});

export const setPassword = operation({
  operationId: 'setUserPassword',
  summary: "Set a user's password (stored as an argon2id hash)",
  tag: 'users',
  body: passwordBody,
  response: { status: 204, description: 'the password is set' },
  async handle({ params, body, actor }, admin) {
    const account = await findUser(params.sub!, admin.ctx);
    await admin.ctx.storage.accounts.update({ ...account, password_hash: await hashPassword(body.password), updated_at: admin.ctx.clock.now() });
    admin.ctx.events.emit('user.password_set', { sub: account.sub, actor: actor.id, ...(account.password_hash === undefined ? { first: true as const } : {}) });
    await admin.flushAudit();
  },
});

export const unlockUser = operation({
  operationId: 'unlockUser',
  summary: 'Clear the failed logins that lock the account (login throttling per account)',
  tag: 'users',
  response: { status: 204, description: 'the account may log in again' },
  async handle({ params, actor }, admin) {
    const account = await findUser(params.sub!, admin.ctx);
    await resetAccountFailures(account.username, admin.ctx);
    admin.ctx.events.emit('user.unlocked', { sub: account.sub, actor: actor.id });
    await admin.flushAudit();
  },
});

export const turnOffTwoStep = operation({
  operationId: 'turnOffUserTwoStep',
  summary: "Turn off a user's two-step verification (a lost phone): the next login asks for the password alone; the user may set up an authenticator again at /account",
  tag: 'users',
  response: { status: 204, description: 'two-step verification is off' },
  async handle({ params, actor }, admin) {
    await removeTotp(await findUser(params.sub!, admin.ctx), actor.id, admin.ctx);
    await admin.flushAudit();
  },
});

export const removeUserPasskey = operation({
  operationId: 'removeUserPasskey',
  summary: "Remove one of a user's passkeys (a lost or stolen device): it no longer signs in",
  tag: 'users',
  response: { status: 204, description: 'the passkey is removed' },
  async handle({ params, actor }, admin) {
    const account = await findUser(params.sub!, admin.ctx);
    if ((await removePasskey(account, params.id!, actor.id, admin.ctx)) === undefined) throw new NotFound(`user ${account.sub} has no passkey ${params.id!}`);
    await admin.flushAudit();
  },
});

export const deleteUser = operation({
  operationId: 'deleteUser',
  summary: 'Delete a user: their sessions end (relying parties told), every code and token they were given is revoked, offline ones too, their consents go; the username is free again',
  tag: 'users',
  response: { status: 204, description: 'the user is deleted' },
  async handle({ params, actor }, admin) {
    await deleteAccount(await findUser(params.sub!, admin.ctx), actor.id, admin.ctx);
    await admin.flushAudit();
  },
});

export const exportUser = operation({
  operationId: 'exportUser',
  summary: "Everything latchkey holds of a user, as one JSON document — what the account console's Download your data gives the person (a request for their data, GDPR Art. 15 and 20, answered by an administrator); never a secret",
  tag: 'users',
  response: { status: 200, description: "the user's data: account, sign_in, applications, sessions, activity", schema: userDataView },
  async handle({ params, actor }, admin) {
    const account = await findUser(params.sub!, admin.ctx);
    // Everything on record so far is in the document.
    await admin.flushAudit();
    const data = await accountData(account, { storage: admin.ctx.storage, issuer: admin.ctx.urls.issuer, now: admin.ctx.clock.now() });
    admin.ctx.events.emit('user.exported', { sub: account.sub, actor: actor.id });
    await admin.flushAudit();
    return data;
  },
});

export const listUserSessions = operation({
  operationId: 'listUserSessions',
  summary: "List a user's login sessions",
  tag: 'users',
  query: pageQuery,
  response: { status: 200, description: 'a page of sessions, soonest to expire first', schema: pageOf(sessionView) },
  async handle({ params, query }, { ctx }) {
    await findUser(params.sub!, ctx);
    const page = await ctx.storage.artifacts.list('session', { owner: params.sub!, ...listOptions(query) });
    return pageView(page, showSession);
  },
});

export const listUserConsents = operation({
  operationId: 'listUserConsents',
  summary: "List the consents a user has given",
  tag: 'users',
  query: pageQuery,
  response: { status: 200, description: 'a page of consents', schema: pageOf(consentView) },
  async handle({ params, query }, { ctx }) {
    await findUser(params.sub!, ctx);
    const page = await ctx.storage.consents.list({ sub: params.sub! }, { ...listOptions(query) });
    return pageView(page, showConsent);
  },
});

/** An upstream identity as the admin API shows it: the account it belongs to is the path's. */
function showUpstreamIdentity(identity: UpstreamIdentityRecord): z.infer<typeof upstreamIdentityView> {
  const { sub: _sub, ...shown } = identity;
  return shown;
}

export const listUserUpstreamIdentities = operation({
  operationId: 'listUserUpstreamIdentities',
  summary: "List a user's identities at upstream providers (each signs them in there), in order of upstream",
  tag: 'users',
  response: { status: 200, description: 'the identities', schema: z.object({ items: z.array(upstreamIdentityView) }) },
  async handle({ params }, { ctx }) {
    const account = await findUser(params.sub!, ctx);
    return { items: (await ctx.storage.accounts.upstreamIdentities(account.sub)).map(showUpstreamIdentity) };
  },
});

export const disconnectUserUpstreamIdentity = operation({
  operationId: 'disconnectUserUpstreamIdentity',
  summary: "Disconnect a user's identity at an upstream provider: signing in there no longer signs them in here (their sessions go on)",
  tag: 'users',
  response: { status: 204, description: 'the identity is disconnected' },
  async handle({ params, actor }, admin) {
    const account = await findUser(params.sub!, admin.ctx);
    const upstream = params.upstream_id!;
    if (!(await admin.ctx.storage.accounts.disconnectUpstreamIdentity(account.sub, upstream))) throw new NotFound(`user ${account.sub} has no identity at upstream provider ${upstream}`);
    admin.ctx.events.emit('user.upstream_disconnected', { sub: account.sub, upstream, actor: actor.id });
    await admin.flushAudit();
  },
});
