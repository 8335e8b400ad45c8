// Export everything a gen-1 port needs from the installed Showdown dex into one
// versioned JSON file, so nobody types game data by hand.
//   node export_data.js OUT.json
// Ids: index 0 of every list means "none"; species and move ids equal dex numbers.
'use strict';
const fs = require('fs');
const {Battle, Dex, Teams} = require('pokemon-showdown');
const version = require('pokemon-showdown/package.json').version;

const DATA_VERSION = 1;
const TEAM_POOL = +(process.env.TEAM_POOL || 1024);
const PSEUDO_MOVES = ['recharge', 'fight', 'nomove', 'cannotmove'];
const dex = Dex.forGen(1);
const gen1 = x => x.exists && !x.isNonstandard && x.gen >= 1 && x.gen <= 1;

// A dex object's plain data (no functions, no prose); callbacks listed by name.
function plain(obj, skip) {
  const out = {}, handlers = [];
  for (const key of Object.keys(obj).sort()) {
    if (skip.has(key)) continue;
    const v = obj[key];
    if (typeof v === 'function') handlers.push(key);
    else if (v !== undefined) out[key] = strip(v);
  }
  // inherited callbacks (mods put handlers on the prototype chain too)
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key.startsWith('on') && typeof obj[key] === 'function' && !handlers.includes(key)) handlers.push(key);
    }
  }
  if (handlers.length) out.handlers = handlers.sort();
  return out;
}
function strip(v) {
  if (typeof v === 'function') return '<function>';
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) if (v[k] !== undefined) o[k] = strip(v[k]);
    return o;
  }
  return v;
}

const PROSE = new Set(['desc', 'shortDesc', 'fullname', 'effectType', 'exists', 'contestType', 'zMove',
  'maxMove', 'isZ', 'isMax', 'gen', 'isNonstandard']);

const types = [''].concat(dex.types.all().filter(t => t.exists && !t.isNonstandard).map(t => t.name));
const typeId = Object.fromEntries(types.map((t, i) => [t, i]));
// damage_taken[defending type][attacking type], Showdown codes: 0 normal, 1 weak (x2), 2 resist (x0.5), 3 immune
const damageTaken = types.map(def => types.map(atk =>
  (def && atk) ? (dex.types.get(def).damageTaken[atk] ?? 0) : 0));

const speciesList = dex.species.all().filter(gen1).sort((a, b) => a.num - b.num);
const species = [{id: ''}];
for (const s of speciesList) {
  if (s.num !== species.length) throw new Error(`species numbering gap at ${s.id} (num ${s.num})`);
  species.push({
    id: s.id, name: s.name, num: s.num, types: s.types.map(t => typeId[t]), type_names: s.types,
    base_stats: {hp: s.baseStats.hp, atk: s.baseStats.atk, def: s.baseStats.def, spa: s.baseStats.spa,
      spd: s.baseStats.spd, spe: s.baseStats.spe},
    weightkg: s.weightkg,
  });
}

const moveList = dex.moves.all().filter(gen1).sort((a, b) => a.num - b.num);
const moves = [{id: ''}];
for (const m of moveList) {
  if (m.num !== moves.length) throw new Error(`move numbering gap at ${m.id} (num ${m.num})`);
  const rec = plain(m, PROSE);
  rec.type_id = typeId[m.type] ?? 0;
  // the move's own condition (volatile/side effect it creates), callbacks by name
  if (m.condition) rec.condition = plain(m.condition, PROSE);
  moves.push(rec);
}
for (const id of PSEUDO_MOVES) {
  if (moves.some(m => m.id === id)) continue;
  const m = Dex.moves.get(id);
  moves.push({id, name: m.exists ? m.name : id, pseudo: true});
}

const conditions = {};
for (const id of ['brn', 'par', 'slp', 'frz', 'psn', 'tox', 'confusion', 'flinch', 'partiallytrapped',
  'fakepartiallytrapped', 'partialtrappinglock', 'mustrecharge', 'lockedmove', 'twoturnmove',
  'invulnerability', 'residualdmg', 'trapped']) {
  const c = dex.conditions.get(id);
  if (c.exists) conditions[id] = plain(c, PROSE);
}

const formats = {};
for (const id of ['gen1customgame', 'gen1randombattle']) {
  const f = Dex.formats.get(id);
  formats[id] = {name: f.name, ruleset: f.ruleset, rules: [...Dex.formats.getRuleTable(f).keys()].sort()};
}

const sets = JSON.parse(fs.readFileSync(require.resolve('pokemon-showdown/dist/data/random-battles/gen1/data.json')));

// Teams from Showdown's own gen-1 random-battle generator (seed 'sodium,<i+1 in hex>'), with the
// stats and PP Showdown computes for them, so reset(seed) is reproducible without the generator.
const STAT_KEYS = ['hp', 'atk', 'def', 'spa', 'spd', 'spe'];
const teamPool = [];
for (let i = 0; i < TEAM_POOL; i++) {
  const sets = Teams.generate('gen1randombattle', {seed: `sodium,${(i + 1).toString(16)}`});
  const b = new Battle({formatid: 'gen1customgame', seed: 'sodium,0', send: () => {}, p1: {name: 'p1', team: sets}, p2: {name: 'p2', team: sets}});
  teamPool.push(b.sides[0].pokemon.map((p, j) => ({
    set: sets[j],
    species: species.findIndex(s => s.id === p.species.id),
    level: p.level,
    moves: p.baseMoveSlots.map(m => moves.findIndex(x => x.id === m.id)),
    maxpp: p.baseMoveSlots.map(m => m.maxpp),
    stats: Object.fromEntries(STAT_KEYS.map(k => [k, k === 'hp' ? p.maxhp : p.baseStoredStats[k]])),
    ivs: STAT_KEYS.map(k => sets[j].ivs[k]), evs: STAT_KEYS.map(k => sets[j].evs[k]),
  })));
  b.destroy();
}

const out = {
  data_version: DATA_VERSION,
  generator: 'reference_envs/ts_showdown/export_data.js',
  showdown_version: version,
  gen: 1,
  notes: 'Index 0 of types/species/moves is "none". damage_taken[def][atk]: 0 normal, 1 x2, 2 x0.5, 3 immune. ' +
    'Move records are Showdown gen-1 dex fields; "handlers" lists the custom callbacks a port must mirror.',
  types, type_chart: {damage_taken: damageTaken},
  species, moves, conditions, formats,
  random_battle_sets: sets,
  reset: 'reset(seed): p1 team = generator seed "sodium," + hex(2*seed+1), p2 team = hex(2*seed+2) (team_pool[2*seed] ' +
    'and [2*seed+1] for seed < N/2); battle PRNG seed "sodium," + 16-hex-digit seed; format per suite variant',
  team_pool: teamPool,
};
const text = JSON.stringify(out) + "\n";  // compact: the team pool makes it large
fs.writeFileSync(process.argv[2] || 'gen1.json', text);
console.error(`wrote ${process.argv[2] || 'gen1.json'}: ${species.length - 1} species, ${moves.length - 1} moves, ` +
  `${types.length - 1} types, ${Object.keys(sets).length} random-battle sets (Showdown ${version})`);
