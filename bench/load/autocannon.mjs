// Load with autocannon (npm), where wrk is not installed. The same three shapes as wrk.mjs: one
// fixed request, each body of a pool once, or a chain per connection (refresh under rotation).
import autocannon from 'autocannon';

/** One sample with autocannon: `spec.connections` connections for `spec.seconds`. */
export async function runAutocannon(spec) {
  const { method, path, headers = {}, body } = spec.request;
  let exhausted = false;
  const options = { url: spec.url, connections: spec.connections, duration: spec.seconds, timeout: 10 };
  if (spec.pool) {
    let next = 0;
    // `amount` stops the run when the pool is spent, so the rate stays honest.
    options.amount = spec.pool.length;
    options.requests = [{ method, path, headers, setupRequest: (request) => ({ ...request, body: spec.pool[next++] ?? spec.pool[spec.pool.length - 1] }) }];
  } else if (spec.chain) {
    // One queue for every connection, as in wrk.mjs: requests may be built before the previous
    // answer is in, and each token must be used exactly once.
    const queue = [...spec.chain.initial];
    const pattern = new RegExp(`"${spec.chain.field}":"([^"]+)"`);
    options.requests = [{
      method,
      path,
      headers,
      setupRequest: (request) => {
        const token = queue.pop();
        if (token === undefined) exhausted = true;
        return { ...request, body: `${spec.chain.bodyPrefix}${token ?? 'exhausted'}` };
      },
      onResponse: (_status, responseBody) => {
        const token = pattern.exec(responseBody)?.[1];
        if (token) queue.unshift(token);
      },
    }];
  } else {
    Object.assign(options, { method, headers, ...(body === undefined ? {} : { body }) });
    options.url = new URL(path, spec.url).href;
  }
  const result = await autocannon(options);
  if (spec.pool && result.requests.total >= spec.pool.length) exhausted = false;
  const good = result['2xx'] + result['3xx'];
  return {
    requests: good,
    seconds: result.duration,
    rps: good / result.duration,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    exhausted,
  };
}
