/**
 * Answers written together at the end of the turn (turn-end-writes.ts): not before, all of them
 * then, in order, and one that cannot be written does not stop the others.
 */
import assert from 'node:assert/strict';
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { writeAtTurnEnd } from './turn-end-writes.js';

/** A stand-in response recording what is written to it, in one shared log. */
function recordingResponse(name: string, log: string[], fail?: Error): ServerResponse {
  return {
    writeHead(status: number, headers: string[]) {
      if (fail) throw fail;
      log.push(`${name} head ${status} ${headers.join(',')}`);
    },
    end(body?: string) {
      log.push(`${name} end ${body ?? '(none)'}`);
    },
    destroy(error?: Error) {
      log.push(`${name} destroyed: ${error?.message}`);
    },
  } as unknown as ServerResponse;
}

test('answers are written at the end of the turn, all of them, in the order they came', async () => {
  const log: string[] = [];
  writeAtTurnEnd(recordingResponse('a', log), 200, ['content-type', 'application/json', 'content-length', '2'], '{}');
  writeAtTurnEnd(recordingResponse('b', log), 302, ['location', 'https://rp.test/cb'], undefined);
  assert.deepEqual(log, [], 'nothing is written within the turn');
  await nextTurn();
  assert.deepEqual(log, ['a head 200 content-type,application/json,content-length,2', 'a end {}', 'b head 302 location,https://rp.test/cb', 'b end (none)']);
});

test('an answer that cannot be written destroys its response alone', async () => {
  const log: string[] = [];
  writeAtTurnEnd(recordingResponse('a', log, new TypeError('invalid header')), 200, ['x', 'y'], 'body');
  writeAtTurnEnd(recordingResponse('b', log), 200, ['content-length', '2'], 'ok');
  await nextTurn();
  assert.deepEqual(log, ['a destroyed: invalid header', 'b head 200 content-length,2', 'b end ok']);
});

test('answers written in a later turn go at the end of that turn', async () => {
  const log: string[] = [];
  writeAtTurnEnd(recordingResponse('a', log), 204, [], undefined);
  await nextTurn();
  writeAtTurnEnd(recordingResponse('b', log), 204, [], undefined);
  assert.deepEqual(log, ['a head 204 ', 'a end (none)']);
  await nextTurn();
  assert.deepEqual(log, ['a head 204 ', 'a end (none)', 'b head 204 ', 'b end (none)']);
});

test('over a socket, the client gets the answer as written: status, headers and body', async () => {
  const server = http.createServer((_req, res) => {
    const body = JSON.stringify({ active: false });
    writeAtTurnEnd(res, 200, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), 'x-request-id', 'r1'], body);
    assert.equal(res.headersSent, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/introspect`, { method: 'POST', body: 'token=x' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('x-request-id'), 'r1');
    assert.deepEqual(await response.json(), { active: false });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
