/**
 * The turn's end (turn-end.ts): tasks run after the turn's callbacks, in order; a task
 * registered from the turn's end waits for the next turn; `turnIsEnding` holds through the
 * promise reactions the tasks set off, and only then; work deferred with `togetherAtTurnEnd` is
 * done there back to back, or at once from the turn's end itself; work deferred with
 * `togetherAfterReactions` is done back to back once the reactions under way have run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { atTurnEnd, togetherAfterReactions, togetherAtTurnEnd, turnIsEnding } from './turn-end.js';

test('tasks run after the callbacks of the turn that registered them, in the order registered', async () => {
  const log: string[] = [];
  atTurnEnd(() => log.push('first'));
  atTurnEnd(() => log.push('second'));
  await Promise.resolve();
  log.push('the turn goes on');
  assert.deepEqual(log, ['the turn goes on']);
  await nextTurn();
  assert.deepEqual(log, ['the turn goes on', 'first', 'second']);
});

test('a task registered by the turn end runs at the end of the next turn, not in this one', async () => {
  const log: string[] = [];
  const done = new Promise<void>((resolve) => {
    atTurnEnd(() => {
      log.push('task');
      setImmediate(() => log.push('an immediate of the next turn'));
      atTurnEnd(() => {
        log.push('task of the next turn');
        resolve();
      });
      void Promise.resolve().then(() => log.push('reaction'));
    });
  });
  await done;
  assert.deepEqual(log, ['task', 'reaction', 'an immediate of the next turn', 'task of the next turn']);
});

test('the turn is ending through the tasks and the reactions they set off, however long the chain, and only then', async () => {
  await nextTurn();
  const seen: [string, boolean][] = [];
  seen.push(['a callback', turnIsEnding()]);
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const chain = (async () => {
    await settled;
    seen.push(['first reaction', turnIsEnding()]);
    for (let hop = 0; hop < 5; hop++) await Promise.resolve();
    seen.push(['fifth reaction after', turnIsEnding()]);
  })();
  atTurnEnd(() => {
    seen.push(['task', turnIsEnding()]);
    settle();
  });
  await chain;
  await nextTurn();
  seen.push(['the next turn', turnIsEnding()]);
  assert.deepEqual(seen, [
    ['a callback', false],
    ['task', true],
    ['first reaction', true],
    ['fifth reaction after', true],
    ['the next turn', false],
  ]);
});

test('a task that throws fails as an immediate would, once the other tasks of its turn have run', () => {
  const script = `
    import { atTurnEnd } from ${JSON.stringify(new URL('./turn-end.ts', import.meta.url).href)};
    process.on('uncaughtException', (error) => console.log('uncaught: ' + error.message));
    atTurnEnd(() => { throw new Error('task failed'); });
    atTurnEnd(() => console.log('next task ran'));
  `;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(output.trim().split('\n'), ['next task ran', 'uncaught: task failed']);
});

test('togetherAtTurnEnd: work asked for by the turn\'s callbacks is done at its end, back to back, in order; each promise gets its result or failure', async () => {
  await nextTurn();
  const log: string[] = [];
  const results = [
    togetherAtTurnEnd(() => (log.push('first'), 1)),
    togetherAtTurnEnd(() => {
      log.push('second');
      throw new Error('second failed');
    }),
    togetherAtTurnEnd(() => (log.push('third'), 3)),
  ];
  atTurnEnd(() => log.push('a task registered after them'));
  await Promise.resolve();
  log.push('the turn goes on');
  const [first, second, third] = await Promise.allSettled(results);
  assert.deepEqual(log, ['the turn goes on', 'first', 'second', 'third', 'a task registered after them']);
  assert.deepEqual(first, { status: 'fulfilled', value: 1 });
  assert.equal(second?.status === 'rejected' && (second.reason as Error).message, 'second failed');
  assert.deepEqual(third, { status: 'fulfilled', value: 3 });
});

test('togetherAtTurnEnd: asked for while the turn ends (a request a commit set going again), the work is done at once', async () => {
  await nextTurn();
  const log: string[] = [];
  const asked = new Promise<Promise<string>>((resolve) =>
    atTurnEnd(() => {
      const result = togetherAtTurnEnd(() => (log.push('work'), 'done'));
      log.push('asked');
      resolve(result);
    }),
  );
  assert.equal(await (await asked), 'done');
  assert.deepEqual(log, ['work', 'asked']);
});

test('togetherAfterReactions: work asked for at any depth of the reactions under way is done after all of them, back to back, in order; each promise gets its result or failure', async () => {
  const log: string[] = [];
  const hops = async (name: string, count: number) => {
    for (let hop = 1; hop <= count; hop++) {
      await Promise.resolve();
      log.push(`${name} hop ${hop}`);
    }
  };
  // Three requests going on from a commit: each reaches its signature after a different number of hops.
  const chains = [
    (async () => (await hops('a', 1), togetherAfterReactions(() => (log.push('a signs'), 'a'))))(),
    (async () => {
      await hops('b', 3);
      return togetherAfterReactions(() => {
        log.push('b signs');
        throw new Error('b failed');
      });
    })(),
    (async () => (await hops('c', 2), togetherAfterReactions(() => (log.push('c signs'), 'c'))))(),
  ];
  const [a, b, c] = await Promise.allSettled(chains);
  assert.deepEqual(log, ['a hop 1', 'b hop 1', 'c hop 1', 'b hop 2', 'c hop 2', 'b hop 3', 'a signs', 'c signs', 'b signs']);
  assert.deepEqual(a, { status: 'fulfilled', value: 'a' });
  assert.equal(b?.status === 'rejected' && (b.reason as Error).message, 'b failed');
  assert.deepEqual(c, { status: 'fulfilled', value: 'c' });
});

test('togetherAfterReactions: work asked for by work done so runs in the next batch; a later run of reactions gets its own', async () => {
  const log: string[] = [];
  const nested = await togetherAfterReactions(() => {
    log.push('outer');
    return togetherAfterReactions(() => (log.push('inner'), 'inner done'));
  });
  assert.equal(nested, 'inner done');
  await nextTurn();
  assert.equal(await togetherAfterReactions(() => (log.push('later'), 'later done')), 'later done');
  assert.deepEqual(log, ['outer', 'inner', 'later']);
});
