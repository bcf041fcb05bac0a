/**
 * latchkey as a library: the protocol engine and the pieces a host application plugs into it.
 * `createProvider()` returns a provider with a Web-standard `fetch`, a Node `nodeListener`
 * (also Express / Connect middleware), `handle()` for plain-data requests, the interaction hook
 * for host-rendered login and consent, typed events, and its own metrics (`provider.metrics`,
 * `GET /metrics`, `readDashboard`). See docs/library.md and docs/observability.md.
 */
export { createProvider, type Provider, type ProviderOptions } from './library/create-provider.js';
export type { Engine, PlainRequest, PlainResponse } from './core/engine.js';
export type { RequestInfo } from './core/router.js';
export { parseConfig, ConfigError, configFields, type Config, type ConfigInput } from './core/config.js';
export type { ProviderContext, Logger } from './core/context.js';
export type { EventSink, EventListener, ProviderEvents, ProviderEventName, ProviderEventEmitter } from './core/events.js';
export * from './core/errors.js';
export type { RegistrationResponse } from './core/client-registration.js';
export type { Account, Accounts, Registration } from './accounts/types.js';
export type { InteractionDetails, Interactions } from './interaction/host-interactions.js';
export type {
  Pages,
  Html,
  LoginPageInput,
  RegisterPageInput,
  ConsentPageInput,
  DevicePageInput,
  DeviceDonePageInput,
  LogoutConfirmPageInput,
  LoggedOutPageInput,
  ErrorPageInput,
  FormPostPageInput,
  ClientDisplay,
  ScopeDisplay,
} from './interaction/pages.js';
export type * from './storage/types.js';
export { StorageConflict, InvalidCursor, artifactOwner, isListableArtifact, METRIC_RETENTION_SECONDS } from './storage/types.js';
export { createMemoryStorage } from './storage/memory/index.js';
export { openSqliteStorage } from './storage/sqlite/index.js';
export { openPostgresStorage } from './storage/postgres/index.js';
export { withRedisArtifacts } from './storage/redis/index.js';
export { builtinPages, createBuiltinPages } from './ui/index.js';
export { brandOf, type Brand, type BrandOptions } from './ui/brand.js';
export { readDashboard, MAX_DASHBOARD_MINUTES, type Dashboard, type DashboardSeries, type DashboardTotals } from './observability/dashboard.js';
export type { ProviderMetrics, MetricsScraper, ObservedRequest } from './observability/provider-metrics.js';
export { toNodeListener, type NodeListener } from './server/node-listener.js';
export { createClientAddressResolver, type ClientAddressResolver } from './server/client-address.js';
export { createGuardedTransport } from './server/guarded-transport.js';
export type { OutboundTransport } from './http/outbound.js';
export { AccountInputError, createAccount, type NewAccount } from './accounts/create-account.js';
export { systemClock, fixedClock, type Clock, type FixedClock } from './util/clock.js';
