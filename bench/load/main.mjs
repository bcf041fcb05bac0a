// The load generator: one process of its own (pinned to a core the servers do not use, where
// taskset exists), so that generating load never takes CPU from the server measured. Reads one
// sample's description (a JSON file named on the command line), sends the load, and prints the
// outcome as one JSON line: requests, seconds, rps, p50_ms, p99_ms, errors, exhausted.
//   node bench/load/main.mjs SPEC.json
import { readFileSync } from 'node:fs';
import { runAutocannon } from './autocannon.mjs';
import { runLogins } from './logins.mjs';
import { runWrk } from './wrk.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const runners = { wrk: runWrk, autocannon: runAutocannon, logins: runLogins };
const run = runners[spec.tool];
if (!run) throw new Error(`unknown load tool ${spec.tool}`);
const result = await run(spec);
process.stdout.write(`${JSON.stringify(result)}\n`);
