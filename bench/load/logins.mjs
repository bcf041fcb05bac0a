// Full browserless logins per second: each loop starts with no cookies, asks /authorize, posts the
// login form (CSRF token, username, password: one argon2id verification), allows consent
// (`prompt=consent`) and ends at the redirect with the code. The generator's own cost is small
// next to argon2id, so Node's fetch does the work.
import { runFlow } from '../lib/browserless.mjs';

/** Logins for `spec.seconds` with `spec.connections` logins in flight; latency is per whole login. */
export async function runLogins(spec) {
  const { authorizeUrl, redirectUri, credentials } = spec.flow;
  const latencies = [];
  let errors = 0;
  const started = performance.now();
  const until = started + spec.seconds * 1000;
  await Promise.all(Array.from({ length: spec.connections }, async () => {
    while (performance.now() < until) {
      const begun = performance.now();
      try {
        const redirect = await runFlow(authorizeUrl, { credentials, redirectUri });
        if (!redirect.searchParams.get('code')) throw new Error(`no code in ${redirect.href}`);
        latencies.push(performance.now() - begun);
      } catch (error) {
        errors += 1;
        if (errors === 1) process.stderr.write(`login failed: ${error.message}\n`);
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0;
  return { requests: latencies.length, seconds, rps: latencies.length / seconds, p50_ms: at(50), p99_ms: at(99), errors, exhausted: false };
}
