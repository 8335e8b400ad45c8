// A long-lived Showdown process speaking JSON lines: one request object per stdin
// line, one reply object per stdout line. It drives the synchronous Battle API and
// holds many battles at once, keyed by the caller's `id`.
//
//   node bridge.js DATA.json
//
// Requests ({"cmd": ..., "id": battle id, ...}); every reply echoes "seq" if given:
//   hello                         -> {showdown_version, fields, actions}
//   teams {seed, n}               -> {teams: [...PokemonSet arrays]}  (gen-1 random-battle generator)
//   reset {format, seed, teams: [t1, t2] | team_seeds: [s1, s2], record?, log?} -> step reply
//                                 (team_seeds: generator seeds of the two teams)
//   step {actions: [a1, a2] | choices: [c1, c2], tape?: {draws, seed_after}} -> step reply
//   get_state                     -> {state}
//   set_state {format, state, faults?, record?, log?}               -> step reply
//   save -> {blob}   load {blob, record?, log?} -> step reply
//   close, ping, debug_hang (never answers; for tests of the hang detector)
// Step reply: {state, legal: [[14 bools], [14 bools]], ended, winner, draws?, seed_after?, log?}
// Errors: {error: message, kind: "bad_request" | "tape_mismatch" | "internal"}.
'use strict';
const fs = require('fs');
const readline = require('readline');
const {Battle, Teams, PRNG} = require('pokemon-showdown');
const {toCanonical, fromCanonical, Vocab} = require('./canonical');
const tape = require('./tape');

const VERSION = require('pokemon-showdown/package.json').version;
const {ACTIONS, WAIT, legal} = require('./actions');

const dataPath = process.argv[2];
if (!dataPath || !fs.existsSync(dataPath)) {
  process.stderr.write(`bridge.js: data file '${dataPath}' not found; run reference_envs/ts_showdown/setup.sh\n`);
  process.exit(2);
}
const V = new Vocab(JSON.parse(fs.readFileSync(dataPath, 'utf8')));
const battles = new Map();

class BadRequest extends Error {}

function entry(id) {
  const e = battles.get(id);
  if (!e) throw new BadRequest(`no battle with id ${JSON.stringify(id)}; reset or set_state it first`);
  return e;
}

function install(id, battle, msg) {
  const old = battles.get(id);
  if (old && old.recorder) old.recorder.restore();
  const e = {battle, logPos: battle.log.length, log: !!msg.log, recorder: null};
  if (msg.record) e.recorder = tape.record(battle.prng, msg.sites !== false);
  battles.set(id, e);
  return e;
}

function reply(e, extra = {}) {
  const b = e.battle, out = {...extra};
  const sides = b.sides.map(s => legal(b, s));
  e.choices = sides.map(x => x.choice);
  out.legal = sides.map(x => x.mask);
  out.state = toCanonical(b, V);
  out.ended = !!b.ended;
  if (e.log) {
    out.log = b.log.slice(e.logPos).filter(l => !l.startsWith('|t:|'));
    e.logPos = b.log.length;
  }
  return out;
}

function newBattle(msg) {
  // teams given as sets, or as two seeds for Showdown's gen-1 random-battle team generator
  const teams = Array.isArray(msg.team_seeds) && msg.team_seeds.length === 2 ?
    msg.team_seeds.map(seed => Teams.generate('gen1randombattle', {seed})) : msg.teams;
  if (!msg.format || !Array.isArray(teams) || teams.length !== 2) throw new BadRequest('reset needs format and teams: [team1, team2] or team_seeds: [seed1, seed2]');
  return new Battle({formatid: msg.format, seed: msg.seed, send: () => {},
    p1: {name: 'p1', team: teams[0]}, p2: {name: 'p2', team: teams[1]}});
}

function doStep(e, msg) {
  const b = e.battle;
  if (b.ended) {
    // after the end only "wait" is legal, and it changes nothing (so replays past the end agree)
    if ((msg.actions || []).every(a => a === WAIT) && !msg.choices) return reply(e, e.recorder ? {draws: [], seed_after: b.prng.getSeed()} : {});
    throw new BadRequest(`the battle has ended; only wait (${WAIT}) is legal, got ${JSON.stringify(msg.actions || msg.choices)}`);
  }
  const choices = msg.choices || (msg.actions || []).map((a, s) => {
    if (!Number.isInteger(a) || a < 0 || a >= ACTIONS.length) throw new BadRequest(`p${s + 1} action ${a} is not an integer in [0, ${ACTIONS.length})`);
    const c = e.choices[s][a];
    if (a === WAIT) {
      if (e.choices[s].some((x, k) => x !== null && k !== WAIT)) throw new BadRequest(`p${s + 1} must choose (legal: ${legalNames(e, s)}) but sent wait`);
      return c;  // null: nothing to choose ('pass' when a forced switch has no candidate)
    }
    if (c === null) throw new BadRequest(`p${s + 1} action ${a} (${ACTIONS[a]}) is not legal now; legal: ${legalNames(e, s)}`);
    return c;
  });
  let replay = null;
  if (msg.tape) {
    replay = new tape.TapePRNG(msg.tape.draws, msg.tape.seed_after, msg.tape.offset || 0);
    e.realPrng = b.prng;
    b.prng = replay;
  }
  if (e.recorder) e.recorder.tape = [];
  try {
    b.sides.forEach((side, s) => {
      const c = choices[s];
      if (c === null || c === undefined) return;
      if (!b.choose(side.id, c)) throw new BadRequest(`p${s + 1} choice '${c}' was rejected: ${side.choice.error}`);
    });
    if (replay) {
      replay.finish();
      b.prng = new PRNG(replay.seedAfter);
    }
  } catch (err) {
    if (err instanceof tape.TapeMismatch) {
      battles.delete(msg.id);  // mid-turn: the battle cannot continue
      return {error: err.message, kind: 'tape_mismatch'};
    }
    throw err;
  }
  const extra = {};
  if (e.recorder) { extra.draws = e.recorder.tape; extra.seed_after = b.prng.getSeed(); }
  return reply(e, extra);
}

function legalNames(e, s) {
  return e.choices[s].map((c, k) => (c !== null || k === WAIT && e.choices[s].every(x => x === null)) ? ACTIONS[k] : null)
    .filter(x => x).join(', ') || 'none';
}

function handle(msg) {
  switch (msg.cmd) {
  case 'hello': return {showdown_version: VERSION, data_version: V.data.data_version, actions: ACTIONS, pid: process.pid};
  case 'ping': return {pong: true};
  case 'teams': {
    const n = msg.n || 1, out = [];
    for (let i = 0; i < n; i++) out.push(Teams.generate(msg.format || 'gen1randombattle', {seed: msg.seeds ? msg.seeds[i] : msg.seed}));
    return {teams: out};
  }
  case 'reset': return reply(install(msg.id, newBattle(msg), msg));
  case 'step': return doStep(entry(msg.id), msg);
  case 'get_state': return {state: toCanonical(entry(msg.id).battle, V)};
  case 'set_state': {
    const battle = fromCanonical(msg.state, msg.format, V, {faults: msg.faults});
    return reply(install(msg.id, battle, msg));
  }
  case 'save': return {blob: JSON.stringify(entry(msg.id).battle.toJSON())};
  case 'load': {
    const battle = Battle.fromJSON(msg.blob);
    battle.restart(() => {});
    return reply(install(msg.id, battle, msg));
  }
  case 'close': {
    const e = battles.get(msg.id);
    if (e) e.battle.destroy();
    battles.delete(msg.id);
    return {closed: true};
  }
  case 'debug_hang': for (;;) { /* never returns: lets tests exercise the hang detector */ }
  default: throw new BadRequest(`unknown command ${JSON.stringify(msg.cmd)}`);
  }
}

const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', line => {
  let out, msg = {};
  try {
    msg = JSON.parse(line);
    out = handle(msg);
  } catch (err) {
    out = {error: err instanceof BadRequest ? err.message : String(err && err.stack || err),
      kind: err instanceof BadRequest ? 'bad_request' : 'internal'};
  }
  if (msg && msg.seq !== undefined) out.seq = msg.seq;
  process.stdout.write(JSON.stringify(out) + '\n');
});
rl.on('close', () => process.exit(0));
