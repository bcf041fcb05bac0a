/**
 * latchkey as a library: the protocol engine and the pieces a host application plugs into it.
 * `createProvider()` returns an engine with a Web-standard `fetch`; `toNodeListener()` adapts it
 * to Node's `(req, res)`.
 */
export { createProvider, type PlainRequest, type PlainResponse, type Provider, type ProviderOptions } from './core/provider.js';
export { parseConfig, ConfigError, configFields, type Config, type ConfigInput } from './core/config.js';
export type { ProviderContext, Logger, EventSink } from './core/context.js';
export * from './core/errors.js';
export type { Account, Accounts } from './accounts/types.js';
export type { Pages, LoginPageInput, ConsentPageInput, ErrorPageInput, FormPostPageInput, ClientDisplay, ScopeDisplay } from './interaction/pages.js';
export type * from './storage/types.js';
export { StorageConflict } from './storage/types.js';
export { createMemoryStorage } from './storage/memory/index.js';
export { openSqliteStorage } from './storage/sqlite/index.js';
export { builtinPages } from './ui/index.js';
export { toNodeListener } from './server/node-listener.js';
export { createGuardedTransport } from './server/guarded-transport.js';
export type { OutboundTransport } from './http/outbound.js';
export { registerClient } from './core/client-registration.js';
export { createAccount } from './accounts/create-account.js';
export { systemClock, fixedClock, type Clock } from './util/clock.js';
