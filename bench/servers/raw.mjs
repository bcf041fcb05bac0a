// The ceiling of this machine for the benchmark: a bare `node:http` server answering every request
// with a small JSON body (the size of a token response), nothing parsed, nothing stored. Whatever
// an OIDC server does on top of this costs req/s below it.
//   PORT=8080 node bench/servers/raw.mjs
import { createServer } from 'node:http';

const body = JSON.stringify({
  access_token: 'x'.repeat(43),
  token_type: 'Bearer',
  expires_in: 3600,
  scope: 'api:read',
});
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' };

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  // Drain the request body (a POST's form) before answering, as any real server must.
  request.resume();
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => process.exit(0));
