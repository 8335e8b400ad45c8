// Deep check of the canonical conversion inside Node, where Showdown's protocol log is
// visible too: play battles at random; at every few steps convert the battle to the
// canonical state and back (a new Battle), then continue the original and the rebuilt
// battle with the same random choices and compare, after every step, the canonical
// states, the legal choices and the protocol log (once-per-battle hints excepted).
//
//   node roundtrip_check.js DATA.json FORMAT BATTLES [random|cover] [EVERY] [FAULT]
//
// `cover` teams are random species with 4 random gen-1 moves each (Showdown does not
// validate custom-game teams), reaching Transform, Mimic, Metronome, Bide, Wrap...
// Prints a JSON summary line; exit status 1 when any check failed.
'use strict';
const {Battle, PRNG} = require('pokemon-showdown');
const {toCanonical, fromCanonical, Vocab} = require('./canonical');
const {legal} = require('./actions');

const [dataPath, format = 'gen1customgame', nArg = '20', teamsKind = 'random', everyArg = '3', fault] = process.argv.slice(2);
const data = require(require('path').resolve(dataPath));
const V = new Vocab(data);
const N = +nArg, EVERY = +everyArg, CONTINUE = 5;
const pool = data.team_pool.map(t => t.map(m => m.set));

function coverTeam(rng) {
  const team = [];
  for (let i = 0; i < 6; i++) {
    const sp = data.species[1 + rng.random(151)];
    const moves = new Set();
    while (moves.size < 4) moves.add(data.moves[1 + rng.random(164)].id);  // 1..164: Struggle excluded
    const flat = v => ({hp: v, atk: v, def: v, spa: v, spd: v, spe: v});
    team.push({name: sp.name, species: sp.name, level: 50 + rng.random(50), moves: [...moves], evs: flat(255), ivs: flat(30)});
  }
  return team;
}

const pick = (b, rng) => b.sides.map(side => {
  const {choice} = legal(b, side);
  const options = choice.filter(c => c !== null);
  return options.length ? options[rng.random(options.length)] : null;
});
const play = (b, choices) => b.sides.forEach((side, s) => { if (choices[s]) b.choose(side.id, choices[s]); });
const cleanLog = lines => lines.filter(l => !l.startsWith('|t:|') && !l.startsWith('|-hint|'));
const legalKey = b => JSON.stringify(b.sides.map(s => legal(b, s).choice));

function diffFields(a, b) {
  return Object.keys(a).filter(k => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map(k => `${k}: ${JSON.stringify(a[k])} vs ${JSON.stringify(b[k])}`);
}

let checks = 0, steps = 0;
const failures = [];
for (let g = 0; g < N && failures.length < 5; g++) {
  const trng = new PRNG(`sodium,${(0xc0ffee + g).toString(16)}`);
  const teams = teamsKind === 'cover' ? [coverTeam(trng), coverTeam(trng)] : [pool[(2 * g) % pool.length], pool[(2 * g + 1) % pool.length]];
  const b = new Battle({formatid: format, seed: `sodium,${(g + 1).toString(16)}`, send: () => {},
    p1: {name: 'p1', team: teams[0]}, p2: {name: 'p2', team: teams[1]}});
  const rng = new PRNG(`sodium,${(0xbeef + g).toString(16)}`);
  for (let k = 0; !b.ended && b.turn < 1000; k++) {
    if (k % EVERY === 1) {
      checks++;
      const where = `battle ${g} step ${k} (turn ${b.turn})`;
      const snap = toCanonical(b, V);
      const copy = fromCanonical(JSON.parse(JSON.stringify(snap)), format, V, {faults: fault ? [fault] : []});
      let bad = diffFields(snap, toCanonical(copy, V));
      if (!bad.length && legalKey(b) !== legalKey(copy)) bad = [`legal choices ${legalKey(b)} vs ${legalKey(copy)}`];
      const logA = b.log.length, logB = copy.log.length;
      for (let t = 0; t < CONTINUE && !bad.length && !b.ended; t++) {
        const choices = pick(b, rng);
        play(b, choices);
        play(copy, choices);
        steps++;
        bad = diffFields(toCanonical(b, V), toCanonical(copy, V)).map(d => `after ${t + 1} steps ${d}`);
        const la = cleanLog(b.log.slice(logA)), lb = cleanLog(copy.log.slice(logB));
        const i = la.findIndex((line, n) => line !== lb[n]);
        if (!bad.length && (i >= 0 || la.length !== lb.length)) bad = [`after ${t + 1} steps the log differs at line ${i}: ${la[i]} vs ${lb[i]}`];
      }
      if (bad.length) failures.push(`${where}: ${bad.join('; ').slice(0, 1500)}`);
      continue;  // the original went on from here
    }
    play(b, pick(b, rng));
    steps++;
  }
}
console.log(JSON.stringify({format, teams: teamsKind, battles: N, checks, steps, failures}));
process.exit(failures.length ? 1 : 0);
