// What a server process costs, read from Linux's /proc: CPU time (user + system) and resident
// memory, summed over the process and its descendants (the workers of `--workers N`). Elsewhere
// these read as undefined and the report leaves the columns empty.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const hasProc = existsSync('/proc/self/stat');

/** Clock ticks per second of /proc/PID/stat times (almost always 100). */
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** `pid` and every process below it. */
export function processTree(pid) {
  if (!hasProc) return [pid];
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(statFields(name)[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [];
  const visit = (p) => {
    tree.push(p);
    for (const child of children.get(p) ?? []) visit(child);
  };
  visit(pid);
  return tree;
}

/** CPU seconds (user + system) the processes have used so far. */
export function cpuSeconds(pids) {
  if (!hasProc) return undefined;
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = statFields(pid);
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone
    }
  }
  return ticks / ticksPerSecond;
}

function statusField(pid, name) {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function sumStatus(pids, name) {
  if (!hasProc) return undefined;
  let bytes = 0;
  for (const pid of pids) {
    try {
      bytes += statusField(pid, name);
    } catch {
      // gone
    }
  }
  return bytes;
}

/** Resident memory now, in bytes. */
export function rssBytes(pids) {
  return sumStatus(pids, 'VmRSS');
}

/** The most resident memory since the last `resetPeakRss` (or the start), in bytes. */
export function peakRssBytes(pids) {
  return sumStatus(pids, 'VmHWM');
}

/** Starts a new peak-RSS window: writing 5 to clear_refs resets VmHWM (Linux ≥ 4.0). */
export function resetPeakRss(pids) {
  if (!hasProc) return;
  for (const pid of pids) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // not allowed or gone: the peak then covers the process's whole life
    }
  }
}
