// The fixed action slots of suites/pokemon/schema.py (ACTIONS) <-> Showdown choice strings.
'use strict';
const ACTIONS = ['move 1', 'move 2', 'move 3', 'move 4', 'switch 1', 'switch 2', 'switch 3', 'switch 4',
  'switch 5', 'switch 6', 'recharge', 'struggle', 'fight', 'wait'];
const RECHARGE = 10, STRUGGLE = 11, FIGHT = 12, WAIT = 13;

// Full-information legal actions of one side: the candidates Showdown's request offers,
// each tried with side.choose and undone with side.clearChoice (side-effect free for
// move requests). Returns the mask and, per slot, the choice string that plays it.
function legal(battle, side) {
  const mask = new Array(ACTIONS.length).fill(false), choice = new Array(ACTIONS.length).fill(null);
  const req = side.activeRequest;
  if (battle.ended || !req || req.wait) {
    mask[WAIT] = true;
    return {mask, choice};
  }
  const bench = [];
  req.side.pokemon.forEach((p, j) => { if (!p.active && !p.condition.endsWith(' fnt')) bench.push(j); });
  if (req.forceSwitch) {
    // forced switches are never probed: choosing one sets switch flags clearChoice does not undo
    for (const j of bench) { mask[4 + j] = true; choice[4 + j] = `switch ${j + 1}`; }
    if (!bench.length) { mask[WAIT] = true; choice[WAIT] = 'pass'; }
    return {mask, choice};
  }
  const active = req.active[0], cands = [];
  const moves = active.moves;
  if (moves.length === 1 && moves[0].pp === undefined) {
    // a single entry without PP: Recharge, Struggle, or a forced one (gen-1 Fight, a locked move)
    const slot = moves[0].id === 'recharge' ? RECHARGE : moves[0].id === 'struggle' ? STRUGGLE : FIGHT;
    cands.push([slot, 'move 1']);
  } else {
    moves.forEach((m, i) => { if (!m.disabled) cands.push([i, `move ${i + 1}`]); });
  }
  if (!active.trapped) for (const j of bench) cands.push([4 + j, `switch ${j + 1}`]);
  for (const [slot, c] of cands) {
    const ok = side.choose(c);
    side.clearChoice();
    if (ok) { mask[slot] = true; choice[slot] = c; }
  }
  return {mask, choice};
}

module.exports = {ACTIONS, WAIT, legal};
