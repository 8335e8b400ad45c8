// Baseline for the bridge's throughput: the same random-vs-random battles (team pool, seeds
// 0..N-1, full-information legal sets) driven in-process through the synchronous Battle API.
//   node bench_inprocess.js DATA.json FORMAT BATTLES [canonical]
// `canonical` also builds the canonical state every step (what the bridge adds besides I/O).
'use strict';
const {Battle, PRNG} = require('pokemon-showdown');
const {legal} = require('./actions');
const {toCanonical, Vocab} = require('./canonical');

const [dataPath, format = 'gen1customgame', nArg = '60', mode = ''] = process.argv.slice(2);
const data = require(require('path').resolve(dataPath));
const V = new Vocab(data);
const pool = data.team_pool.map(t => t.map(m => m.set));
const rng = new PRNG('sodium,5eed');
let steps = 0;
const cpu0 = process.cpuUsage(), t0 = process.hrtime.bigint();
for (let g = 0; g < +nArg; g++) {
  const b = new Battle({formatid: format, seed: `sodium,${g.toString(16).padStart(16, '0')}`, send: () => {},
    p1: {name: 'p1', team: pool[(2 * g) % pool.length]}, p2: {name: 'p2', team: pool[(2 * g + 1) % pool.length]}});
  while (!b.ended && b.turn < 1000) {
    const choices = b.sides.map(side => legal(b, side).choice.filter(c => c !== null));
    if (mode === 'canonical') JSON.stringify(toCanonical(b, V));
    b.sides.forEach((side, s) => { if (choices[s].length) b.choose(side.id, choices[s][rng.random(choices[s].length)]); });
    steps++;
  }
  b.destroy();
}
const u = process.cpuUsage(cpu0), wall = Number(process.hrtime.bigint() - t0) / 1e9, cpu = (u.user + u.system) / 1e6;
console.log(JSON.stringify({format, battles: +nArg, mode: mode || 'plain', steps, wall_s: wall,
  steps_per_s: steps / wall, steps_per_cpu_s: steps / cpu}));
