// Dev harness: play seeded random battles in Showdown, print one JSON line per battle with the
// canonical start state, and per step the action slots, legal slots, draw tape and canonical state.
//   node ported_envs/pokejax/dev/record_battles.js [format] [first] [last] [max_steps] > battles.jsonl
const path = require('path');
const ROOT = path.resolve(__dirname, '../../..');
const SD = path.join(ROOT, 'reference_envs/ts_showdown/node_modules/pokemon-showdown');
const {Battle, Teams} = require(SD);
const C = require(path.join(ROOT, 'reference_envs/ts_showdown/canonical.js'));
const V = new C.Vocab(require(path.join(ROOT, 'reference_envs/ts_showdown/data/gen1.json')));
const hex = (n, w) => n.toString(16).padStart(w, '0');
function mkRng(s) { let x = (s * 2654435761 + 12345) >>> 0 || 1; return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; }; }
function legalSlots(b, sid) {
  const side = b.getSide(sid), req = side.activeRequest;
  if (!req || req.wait || b.ended) return [[13, null]];
  const out = [];
  req.side.pokemon.forEach((p, j) => { if (!p.active && !p.condition.endsWith(' fnt')) out.push([4 + j, `switch ${j + 1}`]); });
  if (req.forceSwitch) return out;
  const a = req.active[0], poke = side.active[0];
  const locked = poke.getLockedMove();
  if (a.moves.length === 1 && (a.moves[0].id === 'recharge')) out.unshift([10, 'move 1']);
  else if (a.moves.length === 1 && a.moves[0].id === 'struggle') out.unshift([11, 'move 1']);
  else if (locked || (['slp', 'frz'].includes(poke.status)) || poke.volatiles['partiallytrapped']) out.unshift([12, 'move 1']);
  else a.moves.forEach((m, i) => { if (!m.disabled) out.unshift([i, `move ${i + 1}`]); });
  return out.filter(([k, x]) => { if (!x) return true; const ok = side.choose(x); side.clearChoice(); return ok; });
}
const [format, n0, n1, maxSteps] = [process.argv[2] || 'gen1customgame', +process.argv[3] || 0, +process.argv[4] || 10, +process.argv[5] || 500];
for (let i = n0; i < n1; i++) {
  const t1 = Teams.generate('gen1randombattle', {seed: `gen5,${hex(2 * i + 1000001, 16)}`});
  const t2 = Teams.generate('gen1randombattle', {seed: `gen5,${hex(2 * i + 1000002, 16)}`});
  const seed = `sodium,${hex(0x5eed0000 + i * 7919, 32)}`;
  let tape = [];
  const b = new Battle({formatid: format, seed, send: () => {}, p1: {name: 'p1', team: t1}, p2: {name: 'p2', team: t2}});
  const orig = b.prng.random.bind(b.prng);
  b.prng.random = (f, t) => { const v = orig(f, t); const lh = t ? [Math.floor(f || 0), Math.floor(t)] : [0, Math.floor(f)]; if (f !== undefined) tape.push([lh[0], lh[1], v]); return v; };
  const rnd = mkRng(i + 1);
  const steps = [];
  const init = C.toCanonical(b, V);
  let err = null;
  for (let k = 0; k < maxSteps && !b.ended; k++) {
    const l1 = legalSlots(b, 'p1'), l2 = legalSlots(b, 'p2');
    const c1 = l1[Math.floor(rnd() * l1.length)], c2 = l2[Math.floor(rnd() * l2.length)];
    tape = [];
    try { if (c1[1]) b.choose('p1', c1[1]); if (c2[1]) b.choose('p2', c2[1]); } catch (e) { err = String(e); break; }
    steps.push({a: [c1[0], c2[0]], legal: [l1.map(x => x[0]), l2.map(x => x[0])], tape, s: C.toCanonical(b, V)});
  }
  console.log(JSON.stringify({i, seed, format, init, steps, err}));
}
