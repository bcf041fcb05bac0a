// A host application's code, compiled by test/package/package.test.ts against the built
// declaration files (dist/*.d.ts) exactly as a project that installed latchkey would. Each
// `@ts-expect-error` line must stay an error: it proves the types are precise, not `any`.
import { createServer } from 'node:http';
import {
  createProvider,
  createMemoryStorage,
  readDashboard,
  systemClock,
  InvalidRequest,
  type Accounts,
  type Dashboard,
  type InteractionDetails,
  type PlainResponse,
  type Provider,
  type ProviderEvents,
  type Storage,
} from 'latchkey';
import { runStorageConformance, fixedClock, type ConformanceSubject } from 'latchkey/testing';

const accounts: Accounts = {
  async findById(sub) {
    return sub === '1' ? { sub, username: 'ada' } : undefined;
  },
  async claims(sub, scopes) {
    return scopes.includes('email') ? { sub, email: 'ada@example.com' } : { sub };
  },
};

export async function main(): Promise<void> {
  const dev: Provider = await createProvider({ issuer: 'http://localhost:3000' });
  createServer(dev.nodeListener).listen(3000);

  const storage: Storage = createMemoryStorage({ clock: systemClock });
  const provider = await createProvider({
    issuer: 'https://example.com/auth',
    secret: 'a-secret-of-at-least-thirty-two-characters',
    accessTokenTtlSeconds: 600,
    storage,
    accounts,
    interactionUrl: (uid) => `/login?uid=${encodeURIComponent(uid)}`,
  });

  const response: Response = await provider.fetch(new Request('https://example.com/auth/.well-known/openid-configuration'));
  const plain: PlainResponse = await provider.handle({ method: 'POST', url: 'https://example.com/auth/token', body: 'grant_type=client_credentials' });
  const status: number = plain.status + response.status;

  const details: InteractionDetails = await provider.interactions.details('uid');
  const prompt: 'login' | 'consent' = details.prompt;
  const { redirectTo } = await provider.interactions.finish('uid', { login: { accountId: '1', amr: ['pwd'] }, consent: { scopes: details.scopes } });
  await provider.interactions.finish('uid', { error: 'access_denied' });
  // @ts-expect-error: not an error code an interaction may end with
  await provider.interactions.finish('uid', { error: 'server_error' });

  const unsubscribe = provider.on('access_token.issued', (data) => {
    const format: 'opaque' | 'jwt' = data.format;
    const expires: number = data.expires_at;
    const grantType: string | undefined = data.grant_type;
    void [format, expires, grantType];
  });
  provider.on('*', (_data, name) => void name.toUpperCase());
  // @ts-expect-error: no such event
  provider.on('access_token.minted', () => {});
  // @ts-expect-error: the data of refresh_token.reused has no `format`
  provider.on('refresh_token.reused', (data) => data.format);
  unsubscribe();

  const exposition: string = await provider.metrics.scrape();
  await provider.metrics.flush();
  const dashboard: Dashboard = await readDashboard(storage, systemClock.now(), { minutes: 5 });
  const serverErrors: number[] = dashboard.series.http.server_errors;
  const activeSessions: number = dashboard.active_sessions;
  // @ts-expect-error: minutes is a number
  await readDashboard(storage, 0, { minutes: '5' });
  void [exposition, serverErrors, activeSessions];

  const registered = await provider.registerClient({ redirect_uris: ['https://rp.example/cb'] });
  const secret: string | undefined = registered.client_secret;

  // Express / Connect style: (req, res, next).
  const middleware: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void = provider.nodeListener;

  // @ts-expect-error: an unknown option
  await createProvider({ isuer: 'http://localhost:3000' });

  const event: ProviderEvents['session.ended'] = { sid: 's', sub: 'u', clients: [] };
  if (new InvalidRequest('x').error !== 'invalid_request') throw new Error('unreachable');
  void [status, prompt, redirectTo, secret, middleware, event];
  await provider.close();
}

runStorageConformance('memory, as a third party runs it', async (): Promise<ConformanceSubject> => {
  const clock = fixedClock(0);
  return { storage: createMemoryStorage({ clock }), clock };
});
