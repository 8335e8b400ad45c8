// Draw tapes: every battle draw goes through PRNG#random(from, to). A recording
// wraps a battle's PRNG and logs [lo, hi, value, site] per draw; a replay stands in
// for the PRNG, hands back the tape's values and checks each draw's bounds, so the
// first divergence names the draw, both bounds and the call site.
'use strict';

const bounds = (from, to) => (to ? [Math.floor(from || 0), Math.floor(to)] : [0, Math.floor(from)]);

// The simulator function that asked for the draw: the first stack frame outside
// the PRNG, the battle's random helpers and this file.
function callSite() {
  const lines = new Error().stack.split('\n').slice(1);
  for (const line of lines) {
    if (/tape\.js|prng\.js/.test(line)) continue;
    if (/battle\.js/.test(line) && /\b(random|randomChance|sample|shuffle|speedSort)\b/.test(line)) continue;
    const m = line.match(/at (?:(\S+) )?\(?(?:.*[\\/])?(dist[\\/])?([^\\/]+[\\/][^\\/]+):(\d+):\d+\)?/);
    if (m) return `${m[1] || '<anonymous>'} (${m[3]}:${m[4]})`;
    return line.trim();
  }
  return '<unknown>';
}

class TapeMismatch extends Error {}

// Wrap a live PRNG so its draws are appended to `tape` (set `tape` to a new array per step).
function record(prng, withSites = true) {
  const original = prng.random;
  const rec = {tape: [], restore: () => { prng.random = original; }};
  prng.random = function (from, to) {
    const value = original.call(this, from, to);
    if (from !== undefined) rec.tape.push([...bounds(from, to), value, withSites ? callSite() : '']);
    return value;
  };
  return rec;
}

// A stand-in PRNG that replays `draws` ([lo, hi, value, site] each), checking bounds.
// `offset` numbers draws across steps in messages.
class TapePRNG {
  constructor(draws, seedAfter, offset = 0) {
    this.draws = draws;
    this.i = 0;
    this.offset = offset;
    this.seedAfter = seedAfter || 'sodium,0';
    this.startingSeed = this.seedAfter;
  }
  random(from, to) {
    if (from === undefined) throw new TapeMismatch(`draw #${this.offset + this.i}: the simulator asked for a float draw at ${callSite()}; tapes hold integer draws only`);
    const [lo, hi] = bounds(from, to);
    const entry = this.draws[this.i];
    if (!entry) {
      throw new TapeMismatch(`draw #${this.offset + this.i}: asked [${lo},${hi}) but the tape has no more draws ` +
        `(${this.draws.length} this step) at ${callSite()}`);
    }
    const [tl, th, value, site] = entry;
    if (tl !== lo || th !== hi) {
      throw new TapeMismatch(`draw #${this.offset + this.i}: asked [${lo},${hi}) but tape has [${tl},${th}) at ${callSite()}` +
        (site ? ` (the tape's draw came from ${site})` : ''));
    }
    if (!(value >= lo && value < hi)) {
      throw new TapeMismatch(`draw #${this.offset + this.i}: tape value ${value} is outside its own bounds [${tl},${th})` +
        (site ? ` (recorded at ${site})` : ''));
    }
    this.i++;
    return value;
  }
  randomChance(numerator, denominator) { return this.random(denominator) < numerator; }
  sample(items) {
    if (!items.length) throw new RangeError('Cannot sample an empty array');
    return items[this.random(items.length)];
  }
  shuffle(items, start = 0, end = items.length) {
    while (start < end - 1) {
      const next = this.random(start, end);
      if (start !== next) [items[start], items[next]] = [items[next], items[start]];
      start++;
    }
  }
  getSeed() { return this.seedAfter; }
  clone() { throw new TapeMismatch('a tape replay cannot be cloned'); }
  // after the step: every draw of the tape must have been asked for
  finish() {
    if (this.i !== this.draws.length) {
      const [lo, hi, , site] = this.draws[this.i];
      throw new TapeMismatch(`draw #${this.offset + this.i}: tape has [${lo},${hi}) but the simulator asked for no more draws ` +
        `this step (${this.i} of ${this.draws.length} used)` + (site ? `; the tape's draw came from ${site}` : ''));
    }
  }
}

module.exports = {record, TapePRNG, TapeMismatch, callSite};
