// Showdown battle <-> the pokemon family's canonical state (suites/pokemon/schema.py).
//
// toCanonical(battle) reads a live gen-1 battle into plain arrays (one entry per
// schema field). fromCanonical(state, format) builds a battle that continues
// exactly as the original would: it makes a fresh battle with the same team
// members, serializes it, overwrites every field the canonical state carries,
// rebuilds the derived ones (fainted flags, pokemonLeft, midTurn, requests) and
// restores it with Battle.fromJSON.
'use strict';
const {Battle, Dex} = require('pokemon-showdown');

const STATS = ['atk', 'def', 'spa', 'spd', 'spe'];
const SET_STATS = ['hp', 'atk', 'def', 'spa', 'spd', 'spe'];
const BOOSTS = ['atk', 'def', 'spa', 'spd', 'spe', 'accuracy', 'evasion'];
const STATUSES = ['', 'brn', 'par', 'slp', 'frz', 'psn', 'tox', 'fnt'];
const VOLATILES = [
  'confusion', 'flinch', 'partiallytrapped', 'fakepartiallytrapped', 'partialtrappinglock',
  'mustrecharge', 'lockedmove', 'twoturnmove', 'invulnerability', 'bide', 'disable', 'rage',
  'reflect', 'lightscreen', 'mist', 'focusenergy', 'leechseed', 'residualdmg', 'substitute',
  'minimize', 'defensecurl',
];
const SIDES = 2, TEAM = 6, SLOTS = 4;

class Vocab {
  constructor(data) {
    this.data = data;
    this.types = data.types;
    this.typeId = new Map(data.types.map((t, i) => [t, i]));
    this.species = data.species.map(s => s.id);
    this.speciesId = new Map(this.species.map((s, i) => [s, i]));
    this.moves = data.moves.map(m => m.id);
    this.moveId = new Map(this.moves.map((m, i) => [m, i]));
  }
  move(id) {
    if (!id) return 0;
    const k = this.moveId.get(id);
    if (k === undefined) throw new Error(`move '${id}' is not in the gen-1 data file; re-run setup.sh (export_data.js)`);
    return k;
  }
  spec(id) {
    const k = this.speciesId.get(id);
    if (k === undefined) throw new Error(`species '${id}' is not in the gen-1 data file`);
    return k;
  }
  type(name) {
    const k = this.typeId.get(name);
    if (k === undefined) throw new Error(`type '${name}' is not a gen-1 type`);
    return k;
  }
}

const moveOf = m => (m ? (m.id || '') : '');  // ActiveMove | Move | null -> id

function seedWords(seed) {
  const [kind, hex] = String(seed).split(',');
  if (kind !== 'sodium') throw new Error(`PRNG seed '${seed}' is not a sodium seed; the canonical state holds sodium (ChaCha20) keys only`);
  const h = hex.padEnd(64, '0'), words = [];
  for (let i = 0; i < 8; i++) {
    const b = h.slice(8 * i, 8 * i + 8);  // bytes 4i..4i+3; little-endian word
    words.push(parseInt(b.slice(6, 8) + b.slice(4, 6) + b.slice(2, 4) + b.slice(0, 2), 16));
  }
  return words;
}
function wordsSeed(words) {
  let hex = '';
  for (const w of words) {
    const b = (w >>> 0).toString(16).padStart(8, '0');
    hex += b.slice(6, 8) + b.slice(4, 6) + b.slice(2, 4) + b.slice(0, 2);
  }
  return `sodium,${hex}`;
}

function requestCode(battle, side) {
  if (battle.ended) return 0;
  const r = side.activeRequest;
  if (!r || r.wait) return 0;
  return r.forceSwitch ? 2 : 1;
}

// Canonical states cross the bridge as flat arrays (C order); Python reshapes them.
const flat = (n, fill = 0) => new Array(n).fill(fill);

const PER_POKEMON = ['species', 'base_species', 'level', 'hp', 'maxhp', 'status', 'fainted', 'status_source',
  'status_time', 'status_start_time', 'status_stage', 'speed', 'transformed', 'sub_fainted', 'maybe_locked',
  'maybe_disabled', 'trapped', 'maybe_trapped', 'active_turns', 'poke_last_move'];
const BOOL_FIELDS = new Set(['ended', 'fainted', 'transformed', 'sub_fainted', 'maybe_locked', 'maybe_disabled',
  'trapped', 'maybe_trapped', 'move_disabled', 'move_virtual', 'base_move_disabled', 'volatiles',
  'vol_trapped_maybe_locked']);
const VOL_SCALARS = {
  vol_confusion_time: 0, vol_trapped_source: -1, vol_trapped_move: 0, vol_trapped_maybe_locked: false,
  vol_trap_lock_move: 0, vol_trap_lock_total: 0, vol_trap_lock_damage: 0, vol_trap_lock_target: -1,
  vol_locked_move: 0, vol_locked_time: 0, vol_locked_accuracy: 0, vol_twoturn_move: 0,
  vol_bide_damage: 0, vol_bide_time: 0, vol_disable_move: 0, vol_disable_slot: 0, vol_disable_time: 0,
  vol_rage_accuracy: 0, vol_residual_counter: 0, vol_substitute_hp: 0,
};

function toCanonical(battle, V) {
  const c = {
    turn: battle.turn,
    request: battle.sides.map(s => requestCode(battle, s)),
    ended: !!battle.ended,
    winner: !battle.ended ? -1 : battle.winner === battle.sides[0].name ? 0 : battle.winner === battle.sides[1].name ? 1 : 2,
    prng: seedWords(battle.prng.getSeed()),
    last_damage: battle.lastDamage | 0,
    last_move: V.move(moveOf(battle.lastMove)),
    side_last_selected_move: [0, 0], side_last_selected_move_slot: [0, 0], side_last_enemy_selected_move: [0, 0],
    side_last_move: [0, 0], side_last_enemy_move: [0, 0],
  };
  const ST = SIDES * TEAM;
  for (const k of PER_POKEMON) c[k] = flat(ST, BOOL_FIELDS.has(k) ? false : 0);
  for (const k of ['base_stats', 'stored_stats', 'modified_stats']) c[k] = flat(ST * 5);
  c.ivs = flat(ST * 6);
  c.evs = flat(ST * 6);
  c.boosts = flat(ST * 7);
  c.types = flat(ST * 2);
  for (const k of ['move_id', 'move_pp', 'move_maxpp', 'base_move_id', 'base_move_pp', 'base_move_maxpp']) c[k] = flat(ST * SLOTS);
  c.move_disabled = flat(ST * SLOTS, false);
  c.move_virtual = flat(ST * SLOTS, false);
  c.base_move_disabled = flat(ST * SLOTS, false);
  c.volatiles = flat(SIDES * VOLATILES.length, false);
  c.vol_duration = flat(SIDES * VOLATILES.length);
  for (const [k, v] of Object.entries(VOL_SCALARS)) c[k] = [v, v];

  battle.sides.forEach((side, s) => {
    c.side_last_selected_move[s] = V.move(side.lastSelectedMove);
    c.side_last_selected_move_slot[s] = side.lastSelectedMoveSlot | 0;
    c.side_last_enemy_selected_move[s] = V.move(side.lastEnemySelectedMove);
    c.side_last_move[s] = V.move(moveOf(side.lastMove));
    c.side_last_enemy_move[s] = V.move(moveOf(side.lastEnemyMove));
    if (side.pokemon.length > TEAM) throw new Error(`side ${side.id} has ${side.pokemon.length} Pokemon; the schema holds ${TEAM}`);
    side.pokemon.forEach((p, j) => {
      if (p.position !== j) throw new Error(`Pokemon ${p.fullname} is at index ${j} but position ${p.position}`);
      const k = s * TEAM + j;
      c.species[k] = V.spec(p.species.id);
      c.base_species[k] = V.spec(p.baseSpecies.id);
      c.level[k] = p.level;
      c.hp[k] = p.hp;
      c.maxhp[k] = p.maxhp;
      const st = STATUSES.indexOf(p.status || '');
      if (st < 0) throw new Error(`status '${p.status}' of ${p.fullname} is not a gen-1 status`);
      c.status[k] = st;
      c.fainted[k] = !!p.fainted;
      const ss = p.statusState || {};
      c.status_time[k] = ss.time | 0;
      c.status_start_time[k] = ss.startTime | 0;
      c.status_stage[k] = ss.stage | 0;
      c.status_source[k] = !ss.source ? 0 : ss.source.side === side ? 1 : 2;
      for (let i = 0; i < 5; i++) {
        const key = STATS[i];
        c.base_stats[k * 5 + i] = p.baseStoredStats[key];
        c.stored_stats[k * 5 + i] = p.storedStats[key];
        c.modified_stats[k * 5 + i] = p.modifiedStats[key];
      }
      for (let i = 0; i < 7; i++) c.boosts[k * 7 + i] = p.boosts[BOOSTS[i]];
      for (let i = 0; i < 6; i++) { c.ivs[k * 6 + i] = p.set.ivs[SET_STATS[i]]; c.evs[k * 6 + i] = p.set.evs[SET_STATS[i]]; }
      c.speed[k] = p.speed;
      if (p.types.length > 2 || p.addedType) throw new Error(`${p.fullname} has types ${p.types} +${p.addedType}; gen 1 allows two`);
      c.types[k * 2] = V.type(p.types[0]);
      c.types[k * 2 + 1] = p.types[1] ? V.type(p.types[1]) : 0;
      c.transformed[k] = !!p.transformed;
      c.sub_fainted[k] = !!p.subFainted;
      c.active_turns[k] = p.activeTurns | 0;
      c.maybe_locked[k] = !!p.maybeLocked;
      c.maybe_disabled[k] = !!p.maybeDisabled;
      c.trapped[k] = !!p.trapped;
      c.maybe_trapped[k] = !!p.maybeTrapped;
      c.poke_last_move[k] = V.move(moveOf(p.lastMove));
      if (p.moveSlots.length > SLOTS || p.baseMoveSlots.length > SLOTS) throw new Error(`${p.fullname} has more than ${SLOTS} move slots`);
      p.moveSlots.forEach((m, i) => {
        const q = k * SLOTS + i;
        c.move_id[q] = V.move(m.id); c.move_pp[q] = m.pp; c.move_maxpp[q] = m.maxpp;
        c.move_disabled[q] = !!m.disabled; c.move_virtual[q] = !!m.virtual;
      });
      p.baseMoveSlots.forEach((m, i) => {
        const q = k * SLOTS + i;
        c.base_move_id[q] = V.move(m.id); c.base_move_pp[q] = m.pp; c.base_move_maxpp[q] = m.maxpp;
        // the same object as the move slot unless Transform/Mimic replaced it: then a stale flag
        c.base_move_disabled[q] = !!m.disabled;
      });
      let anyVol = false;
      for (const id in p.volatiles) { anyVol = true; break; }
      if (!anyVol) return;
      if (j !== 0) throw new Error(`inactive ${p.fullname} holds volatiles ${Object.keys(p.volatiles)}; the schema keeps volatiles on the active Pokemon only`);
      for (const id in p.volatiles) {
        const v = VOLATILES.indexOf(id);
        if (v < 0) throw new Error(`volatile '${id}' on ${p.fullname} is not in the canonical schema (VOLATILES in suites/pokemon/schema.py)`);
        const e = p.volatiles[id];
        c.volatiles[s * VOLATILES.length + v] = true;
        c.vol_duration[s * VOLATILES.length + v] = e.duration | 0;
        const foeIndex = r => (r && r.side && r.side !== side ? r.position : -1);
        switch (id) {
        case 'confusion': c.vol_confusion_time[s] = e.time | 0; break;
        case 'partiallytrapped':
          c.vol_trapped_source[s] = foeIndex(e.source);
          c.vol_trapped_move[s] = V.move(moveOf(e.sourceEffect));
          c.vol_trapped_maybe_locked[s] = !!e.maybeLocked; break;
        case 'partialtrappinglock':
          c.vol_trap_lock_move[s] = V.move(e.move); c.vol_trap_lock_total[s] = e.totalDuration | 0;
          c.vol_trap_lock_damage[s] = e.damage | 0; c.vol_trap_lock_target[s] = foeIndex(e.locked); break;
        case 'lockedmove':
          c.vol_locked_move[s] = V.move(e.move); c.vol_locked_time[s] = e.time | 0; c.vol_locked_accuracy[s] = e.accuracy | 0; break;
        case 'twoturnmove': c.vol_twoturn_move[s] = V.move(e.move); break;
        case 'bide': c.vol_bide_damage[s] = e.damage | 0; c.vol_bide_time[s] = e.time | 0; break;
        case 'disable':
          c.vol_disable_move[s] = V.move(e.move); c.vol_disable_slot[s] = e.slotIndex | 0; c.vol_disable_time[s] = e.time | 0; break;
        case 'rage': c.vol_rage_accuracy[s] = e.accuracy | 0; break;
        case 'residualdmg': c.vol_residual_counter[s] = e.counter | 0; break;
        case 'substitute': c.vol_substitute_hp[s] = e.hp | 0; break;
        }
      }
    });
  });
  return c;
}

// Flat canonical arrays (as toCanonical makes them and Python sends them) -> nested by shape.
const SHAPES = {base_stats: [SIDES, TEAM, 5], stored_stats: [SIDES, TEAM, 5], modified_stats: [SIDES, TEAM, 5],
  ivs: [SIDES, TEAM, 6], evs: [SIDES, TEAM, 6], boosts: [SIDES, TEAM, 7], types: [SIDES, TEAM, 2],
  move_id: [SIDES, TEAM, SLOTS], move_pp: [SIDES, TEAM, SLOTS], move_maxpp: [SIDES, TEAM, SLOTS],
  move_disabled: [SIDES, TEAM, SLOTS], move_virtual: [SIDES, TEAM, SLOTS], base_move_id: [SIDES, TEAM, SLOTS],
  base_move_pp: [SIDES, TEAM, SLOTS], base_move_maxpp: [SIDES, TEAM, SLOTS], base_move_disabled: [SIDES, TEAM, SLOTS],
  volatiles: [SIDES, VOLATILES.length], vol_duration: [SIDES, VOLATILES.length]};
for (const k of PER_POKEMON) SHAPES[k] = [SIDES, TEAM];

function reshape(flatArr, shape) {
  if (shape.length === 1) return flatArr;
  const step = flatArr.length / shape[0];
  return Array.from({length: shape[0]}, (_, i) => reshape(flatArr.slice(i * step, (i + 1) * step), shape.slice(1)));
}

const SCALARS = ['turn', 'ended', 'winner', 'last_damage', 'last_move'];

function nest(c) {
  for (const k of SCALARS) {
    if (Array.isArray(c[k])) throw new Error(`canonical field '${k}' is a scalar but came as an array ${JSON.stringify(c[k])}`);
  }
  const out = {};
  for (const [k, v] of Object.entries(c)) {
    const shape = SHAPES[k];
    if (!shape || !Array.isArray(v)) { out[k] = v; continue; }
    const f = v.flat(Infinity), n = shape.reduce((x, y) => x * y, 1);
    if (f.length !== n) throw new Error(`canonical field '${k}' has ${f.length} values; its shape ${JSON.stringify(shape)} needs ${n}`);
    out[k] = reshape(f, shape);
  }
  return out;
}

// ---- canonical -> battle ------------------------------------------------

function setOf(c, s, j, V) {
  const spec = V.data.species[c.base_species[s][j]];
  if (!spec || !spec.id) throw new Error(`side ${s} slot ${j}: base_species ${c.base_species[s][j]} is not a species id`);
  const moves = c.base_move_id[s][j].filter(m => m).map(m => V.moves[m]);
  if (!moves.length) throw new Error(`side ${s} slot ${j}: no base moves`);
  return {name: spec.name, species: spec.name, level: c.level[s][j], moves, ability: 'No Ability', item: '',
    evs: Object.fromEntries(SET_STATS.map((k, i) => [k, c.evs[s][j][i]])),
    ivs: Object.fromEntries(SET_STATS.map((k, i) => [k, c.ivs[s][j][i]]))};
}

const ref = (sideId, j) => `[Pokemon:${sideId}${'abcdef'[j]}]`;

function moveSlotJSON(V, id, pp, maxpp, disabled, virtual) {
  const m = Dex.forGen(1).moves.get(V.moves[id]);
  const slot = {move: m.exists ? m.name : V.moves[id], id: V.moves[id], pp, maxpp, target: m.exists ? m.target : 'self',
    disabled: !!disabled, disabledSource: '', used: false};
  if (virtual) slot.virtual = true;
  return slot;
}

function fromCanonical(flatState, format, V, opts = {}) {
  const c = nest(flatState);
  const faults = new Set(opts.faults || []);
  const nteam = s => c.species[s].filter(x => x).length;
  const teams = [0, 1].map(s => Array.from({length: nteam(s)}, (_, j) => setOf(c, s, j, V)));
  const fresh = new Battle({formatid: format, seed: 'sodium,0', send: () => {},
    p1: {name: 'p1', team: teams[0]}, p2: {name: 'p2', team: teams[1]}});
  const blob = fresh.toJSON();
  let order = 1;
  const anyReq = k => c.request.some(r => r === k);
  blob.turn = c.turn;
  blob.ended = !!c.ended;
  blob.winner = c.winner === 0 ? 'p1' : c.winner === 1 ? 'p2' : c.winner === 2 ? '' : undefined;
  if (blob.winner === undefined) delete blob.winner;
  blob.requestState = c.ended ? '' : anyReq(2) ? 'switch' : anyReq(1) ? 'move' : '';
  blob.midTurn = blob.requestState === 'switch';
  blob.prng = wordsSeed(c.prng);
  blob.lastDamage = c.last_damage;
  blob.lastMove = c.last_move ? {hit: 0, move: `[Move:${V.moves[c.last_move]}]`} : null;
  blob.queue = [];
  blob.faintQueue = [];
  blob.sides.forEach((side, s) => {
    const sid = side.id, foe = blob.sides[1 - s].id;
    side.lastSelectedMove = V.moves[c.side_last_selected_move[s]];
    side.lastSelectedMoveSlot = c.side_last_selected_move_slot[s];
    side.lastEnemySelectedMove = V.moves[c.side_last_enemy_selected_move[s]];
    side.lastMove = c.side_last_move[s] ? {hit: 0, move: `[Move:${V.moves[c.side_last_move[s]]}]`} : null;
    side.lastEnemyMove = c.side_last_enemy_move[s] ? {hit: 0, move: `[Move:${V.moves[c.side_last_enemy_move[s]]}]`} : null;
    const fainted = c.fainted[s].map((f, j) => j < side.pokemon.length && !!f);
    side.pokemonLeft = side.pokemon.length - fainted.filter(x => x).length;
    side.totalFainted = fainted.filter(x => x).length;
    side.faintedLastTurn = null;
    // a side replacing a fainted active had it faint this turn (gen-1 skips the switch-in residual then)
    side.faintedThisTurn = c.request[s] === 2 ? ref(sid, 0) : null;
    side.team = side.pokemon.map((_, j) => j + 1).join('');
    if (c.ended) side.activeRequest = null; else delete side.activeRequest;
    side.pokemon.forEach((p, j) => {
      const me = ref(sid, j);
      const spec = V.data.species[c.species[s][j]];
      p.species = `[Species:${spec.id}]`;
      p.speciesState = {id: spec.id, effectOrder: 0};
      p.hp = c.hp[s][j];
      p.maxhp = p.baseMaxhp = c.maxhp[s][j];
      const status = STATUSES[c.status[s][j]];
      p.status = status;
      p.statusState = {id: status === 'fnt' ? '' : status, effectOrder: status && status !== 'fnt' ? order++ : 0};
      if (p.fainted) p.isStarted = false;
      if (status && status !== 'fnt') p.statusState.target = me;
      if (c.status_source[s][j]) p.statusState.source = c.status_source[s][j] === 1 ? me : ref(foe, 0);
      // a fainted Pokemon keeps the counters of the status it fainted with
      if (status === 'slp' || c.status_time[s][j]) p.statusState.time = c.status_time[s][j];
      if (status === 'slp' || c.status_start_time[s][j]) p.statusState.startTime = c.status_start_time[s][j];
      if (status === 'tox' || c.status_stage[s][j]) p.statusState.stage = c.status_stage[s][j];
      p.fainted = !!c.fainted[s][j];
      p.faintQueued = false;
      p.baseStoredStats = {hp: c.maxhp[s][j]};
      p.storedStats = {};
      p.modifiedStats = {};
      STATS.forEach((k, i) => {
        p.baseStoredStats[k] = c.base_stats[s][j][i];
        p.storedStats[k] = c.stored_stats[s][j][i];
        p.modifiedStats[k] = faults.has('modified_stats_from_stored') ? c.stored_stats[s][j][i] : c.modified_stats[s][j][i];
      });
      BOOSTS.forEach((k, i) => { p.boosts[k] = c.boosts[s][j][i]; });
      p.speed = c.speed[s][j];
      p.types = c.types[s][j].filter(t => t).map(t => V.types[t]);
      p.apparentType = p.types.join('/');
      p.transformed = !!c.transformed[s][j];
      p.subFainted = c.sub_fainted[s][j] ? true : null;
      p.activeTurns = c.active_turns[s][j];
      p.maybeLocked = !!c.maybe_locked[s][j];
      p.maybeDisabled = !!c.maybe_disabled[s][j];
      p.trapped = !!c.trapped[s][j];
      p.maybeTrapped = !!c.maybe_trapped[s][j];
      p.lastMove = c.poke_last_move[s][j] ? {hit: 0, move: `[Move:${V.moves[c.poke_last_move[s][j]]}]`} : null;
      p.isActive = j === 0 && !p.fainted;  // a fainted active stays in side.active but is not isActive
      p.position = j;
      p.isStarted = j === 0 && !p.fainted;  // Showdown clears it when a Pokemon faints
      p.switchFlag = j === 0 && c.request[s] === 2;
      p.attackedBy = [];
      p.moveSlots = [];
      for (let i = 0; i < SLOTS; i++) {
        if (!c.move_id[s][j][i]) continue;
        p.moveSlots.push(moveSlotJSON(V, c.move_id[s][j][i], c.move_pp[s][j][i], c.move_maxpp[s][j][i],
          c.move_disabled[s][j][i], c.move_virtual[s][j][i]));
      }
      const base = [];
      for (let i = 0; i < SLOTS; i++) {
        if (!c.base_move_id[s][j][i]) continue;
        base.push(moveSlotJSON(V, c.base_move_id[s][j][i], c.base_move_pp[s][j][i], c.base_move_maxpp[s][j][i],
          c.base_move_disabled[s][j][i], false));
      }
      p.baseMoveSlots = base;
      p.volatiles = {};
      if (j !== 0) return;
      const foeRef = k => (k >= 0 ? ref(foe, k) : undefined);
      VOLATILES.forEach((id, v) => {
        if (!c.volatiles[s][v]) return;
        const cond = Dex.forGen(1).conditions.get(id);
        const e = {id, name: cond.exists ? cond.name : id, target: me, effectOrder: order++};
        if (c.vol_duration[s][v]) e.duration = c.vol_duration[s][v];
        switch (id) {
        case 'confusion': e.time = c.vol_confusion_time[s]; e.source = ref(foe, 0); e.sourceSlot = `${foe}a`; break;
        case 'partiallytrapped':
          if (c.vol_trapped_source[s] >= 0) e.source = foeRef(c.vol_trapped_source[s]);
          if (c.vol_trapped_move[s]) e.sourceEffect = `[Move:${V.moves[c.vol_trapped_move[s]]}]`;
          if (c.vol_trapped_maybe_locked[s]) e.maybeLocked = true;
          break;
        case 'partialtrappinglock':
          e.move = V.moves[c.vol_trap_lock_move[s]]; e.totalDuration = c.vol_trap_lock_total[s];
          e.damage = c.vol_trap_lock_damage[s]; if (c.vol_trap_lock_target[s] >= 0) e.locked = foeRef(c.vol_trap_lock_target[s]);
          break;
        case 'lockedmove': e.move = V.moves[c.vol_locked_move[s]]; e.time = c.vol_locked_time[s]; e.accuracy = c.vol_locked_accuracy[s]; break;
        case 'twoturnmove': e.move = V.moves[c.vol_twoturn_move[s]]; break;
        case 'bide': e.damage = c.vol_bide_damage[s]; e.time = c.vol_bide_time[s]; break;
        case 'disable': e.move = V.moves[c.vol_disable_move[s]]; e.slotIndex = c.vol_disable_slot[s]; e.time = c.vol_disable_time[s]; break;
        case 'rage': e.move = 'rage'; e.accuracy = c.vol_rage_accuracy[s]; break;
        case 'residualdmg': e.counter = c.vol_residual_counter[s]; break;
        case 'substitute': e.hp = c.vol_substitute_hp[s]; break;
        case 'leechseed': e.source = ref(foe, 0); e.sourceSlot = `${foe}a`; break;
        }
        p.volatiles[id] = e;
      });
    });
    side.active = [ref(sid, 0)];
  });
  blob.effectOrder = order;
  const battle = Battle.fromJSON(blob);
  battle.restart(opts.send || (() => {}));
  for (const side of battle.sides) if (!battle.ended) side.clearChoice();
  return battle;
}

module.exports = {toCanonical, fromCanonical, nest, Vocab, seedWords, wordsSeed, VOLATILES, STATUSES};
