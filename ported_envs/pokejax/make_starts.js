// Initial battle states for pokejax.reset(seed), made by Showdown at set-up time.
// A battle's start (both leads switching in, their Update speed-tie draws) is run by Showdown
// exactly as the ts_showdown adapter's reset(seed) does it (same teams, same battle seed), and
// written as canonical states; pokejax then plays every later step itself.
// usage: node make_starts.js OUT.json FORMAT N
'use strict';
const path = require('path');
const fs = require('fs');
const ref = path.join(__dirname, '..', '..', 'reference_envs', 'ts_showdown');
const {Battle} = require(path.join(ref, 'node_modules', 'pokemon-showdown'));
const {toCanonical, Vocab} = require(path.join(ref, 'canonical.js'));
const [out, format, n] = [process.argv[2], process.argv[3] || 'gen1customgame', +(process.argv[4] || 1024)];
const data = JSON.parse(fs.readFileSync(path.join(ref, 'data', 'gen1.json'), 'utf8'));
const V = new Vocab(data);
const pool = data.team_pool.map(team => team.map(m => m.set));
const seedOf = s => 'sodium,' + BigInt.asUintN(64, BigInt(s)).toString(16).padStart(16, '0');
const states = [];
for (let s = 0; s < n; s++) {
  const teams = [pool[(2 * s) % pool.length], pool[(2 * s + 1) % pool.length]];
  const b = new Battle({formatid: format, seed: seedOf(s), send: () => {},
    p1: {name: 'p1', team: teams[0]}, p2: {name: 'p2', team: teams[1]}});
  states.push(toCanonical(b, V));
  b.destroy();
}
fs.writeFileSync(out, JSON.stringify({format, n, states}));
