"""Write the L2 traces of suites/pokemon/traces/ by playing the reference once.

    python -m suites.pokemon.make_traces                      # every trace
    python -m suites.pokemon.make_traces --special NAME ...   # only these special traces

A trace is a fixed script: its actions are recorded here from a policy on the reference,
then committed, so both sides replay the same choices forever after. Each trace pins the
reference's own result too (``expect``), so a changed reference is noticed.

Besides three whole battles (``TRACES``), one trace per special move or interaction
(``SPECIAL``): among the seeds whose teams hold the move, the first one where a focused
policy (switch the holder in, use the move whenever it can, otherwise random) makes
Showdown's battle log show the interaction within ``MAX_STEPS`` steps. The trace pins the
state at the step where the interaction first shows (``side_last_move`` and ``hp``).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import yaml

MAX_STEPS = 150

TRACES = [
    # name, variant, seed, policy, what it exercises
    ("random_battle_customgame", "customgame", 11, "random", "a whole battle under uniform random play, gen1customgame"),
    ("first_move_spam", "customgame", 12, "first", "each player takes its lowest-numbered legal action: move 1 "
     "every turn, replacements in team order after faints"),
    ("switch_heavy_randombattle", "randombattle", 13, "switchy", "players switch whenever allowed (2 in 3): "
     "switch-in order, Sleep/Freeze Clause Mods under gen1randombattle rules"),
]


def _switchy(obs, legal, rng):
    acts = []
    for row in np.asarray(legal, bool):
        switches = [a for a in np.flatnonzero(row) if 4 <= a <= 9]
        pool = switches if switches and rng.random() < 2 / 3 else list(np.flatnonzero(row))
        acts.append(int(pool[rng.integers(len(pool))]))
    return np.asarray(acts)


# name, variant, moves p1 uses, moves p2 uses, log patterns that must all show, what it exercises
SPECIAL = [
    ("mimic", "customgame", ["mimic"], [], [r"\|-start\|p1a: [^|]*\|Mimic\|"],
     "Mimic: copies a random move of the foe into the Mimic slot (virtual slot, PP synced to the base slot)"),
    ("mirror_move", "customgame", ["mirrormove"], [], [r"\|move\|p1a: [^|]*\|Mirror Move\|", r"\|\[from\] Mirror Move"],
     "Mirror Move: uses the foe's last move (pokemon.lastMove of the target)"),
    ("transform", "customgame", ["transform"], [], [r"\|-transform\|p1a: "],
     "Transform: copies species, types, stored stats, boosts and moves (5 PP each) of the foe"),
    ("substitute_multihit", "customgame", ["substitute"], ["doublekick", "twineedle", "pinmissile"],
     [r"\|-start\|p1a: [^|]*\|Substitute", r"\|-hitcount\|p1a: ", r"\|-activate\|p1a: [^|]*\|Substitute\|\[damage\]"],
     "Substitute (costs 1/4 max HP, absorbs damage) hit by a multi-hit move; each hit repeats the first hit's damage"),
    ("substitute_break", "customgame", ["substitute"], [], [r"\|-start\|p1a: [^|]*\|Substitute", r"\|-end\|p1a: [^|]*\|Substitute"],
     "Substitute put up and broken by the foe's attack (subFainted, no recoil/drain on the breaking hit)"),
    ("counter", "customgame", ["counter"], [], [r"\|move\|p1a: [^|]*\|Counter\|p2a[^\n]*\n\|-damage\|p2a: "],
     "Counter: returns twice battle.lastDamage after a Normal/Fighting hit"),
    ("rest", "customgame", ["rest"], [], [r"\|-status\|p1a: [^|]*\|slp\|\[from\] move: Rest"],
     "Rest: full heal, sleep for exactly two turns (status_source own side)"),
    ("hyper_beam_recharge", "customgame", ["hyperbeam"], [], [r"\|-mustrecharge\|p1a: ", r"\|cant\|p1a: [^|]*\|recharge"],
     "Hyper Beam: the mustrecharge volatile and the Recharge turn (none after a KO)"),
    ("explosion", "customgame", ["explosion", "selfdestruct"], [],
     [r"\|move\|p1a: [^|]*\|(Explosion|Self-Destruct)\|", r"\|faint\|p1a: "],
     "Explosion/Self-Destruct: the user faints; gen-1 halves the target's Defense in the damage formula"),
    ("high_jump_kick_crash", "customgame", ["highjumpkick"], [],
     [r"\|move\|p1a: [^|]*\|High Jump Kick\|[^\n]*\n(\|-miss\||\|-immune\|)[^\n]*\n\|-damage\|p1a: "],
     "High Jump Kick missing: the gen-1 crash deals 1 damage to the user"),
    ("sky_attack", "customgame", ["skyattack"], [], [r"\|-prepare\|p1a: [^|]*\|Sky Attack", r"\|move\|p1a: [^|]*\|Sky Attack\|p2a"],
     "Sky Attack: the twoturnmove charge turn (locked Fight entry), then the hit"),
    ("super_fang", "customgame", ["superfang"], [], [r"\|move\|p1a: [^|]*\|Super Fang\|[^\n]*\n\|-damage\|p2a: "],
     "Super Fang: halves the target's current HP"),
    ("seismic_toss_night_shade", "customgame", ["seismictoss", "nightshade"], ["seismictoss", "nightshade"],
     [r"\|move\|p1a: [^|]*\|(Seismic Toss|Night Shade)\|[^\n]*\n\|-damage\|p2a: ",
      r"\|move\|p2a: [^|]*\|(Seismic Toss|Night Shade)\|[^\n]*\n\|-damage\|p1a: "],
     "Seismic Toss / Night Shade: fixed damage equal to the user's level (both players use one)"),
    ("recover_softboiled", "customgame", ["recover", "softboiled"], [],
     [r"\|move\|p1a: [^|]*\|(Recover|Soft-Boiled)\|[^\n]*\n\|-heal\|p1a: "],
     "Recover/Softboiled: heal half max HP (fails at full HP and at the gen-1 255/511 glitch values)"),
    ("reflect", "customgame", ["reflect"], [], [r"\|-start\|p1a: [^|]*\|Reflect", r"\|-damage\|p1a: "],
     "Reflect as a gen-1 volatile: doubles Defense against physical hits until switch-out"),
    ("confuse_ray", "customgame", ["confuseray"], [], [r"\|-start\|p2a: [^|]*\|confusion", r"\|-activate\|p2a: [^|]*\|confusion"],
     "Confuse Ray: confusion for 2-5 turns, the 50% self-hit"),
    ("sleep_clause_randombattle", "randombattle", ["sleeppowder", "hypnosis", "sing", "lovelykiss", "spore"], [],
     [r"\|-status\|p2a: [^|]*\|slp", r"Sleep Clause Mod activated"],
     "sleep moves under gen1randombattle: sleep turns, the gen-1 wake-up turn, Sleep Clause Mod blocking a second sleep"),
    ("freeze_randombattle", "randombattle", ["icebeam", "blizzard"], ["icebeam", "blizzard"], [r"\|-status\|p[12]a: [^|]*\|frz"],
     "a freeze from Ice Beam/Blizzard under gen1randombattle (Freeze Clause Mod): the frozen Fight entry, no thaw"),
    ("paralysis", "customgame", ["thunderwave", "glare"], [],
     [r"\|move\|p1a: [^|]*\|(Thunder Wave|Glare)\|[^\n]*\n\|-status\|p2a: [^|]*\|par", r"\|cant\|p2a: [^|]*\|par"],
     "Thunder Wave/Glare: paralysis, the 1/4 speed drop in modified_stats, full paralysis (63/256)"),
    ("multi_hit", "customgame", ["doublekick", "twineedle", "pinmissile"], [], [r"\|-hitcount\|p2a: [^|]*\|[2-5]"],
     "multi-hit moves (Double Kick, Twineedle, Pin Missile): hit count draw, repeated damage"),
    ("drain", "customgame", ["megadrain"], [], [r"\|-heal\|p1a: [^|]*\|[^\n]*\[from\] drain"],
     "Mega Drain: heals half the damage dealt"),
    ("recoil", "customgame", ["takedown", "doubleedge", "submission"], [], [r"\|-damage\|p1a: [^|]*\|[^\n]*\[from\] Recoil"],
     "recoil moves (Take Down, Double-Edge, Submission): a quarter of the damage dealt back to the user"),
    ("quick_attack", "customgame", ["quickattack"], [], [r"\|move\|p1a: [^|]*\|Quick Attack\|"],
     "Quick Attack: +1 priority moves before faster foes"),
    # the rest of the whole game (variant wholegame: teams of wholegame.py), one per code path / glitch
    ("toxic", "wholegame", ["toxic"], [], [r"\|-status\|p2a: [^|]*\|tox", r"\|-damage\|p2a: [^|]*\|[^\n]*\[from\] psn"],
     "Toxic: tox status with the residualdmg counter, damage maxhp/16 times the counter after each move"),
    ("leech_seed", "wholegame", ["leechseed"], [], [r"\|-start\|p2a: [^|]*\|move: Leech Seed", r"\|-heal\|p1a: [^|]*\|[^\n]*\[silent\]|\|-heal\|p1a: "],
     "Leech Seed: drains maxhp/16 after the seeded Pokemon moves, the foe's active heals (not capped by HP lost)"),
    ("toxic_leech_seed", "wholegame", ["toxic", "leechseed"], [], [r"\|-status\|p2a: [^|]*\|tox", r"\|-start\|p2a: [^|]*\|move: Leech Seed",
     r"\|-damage\|p2a: [^|]*\|[^\n]*\[from\] Leech Seed"],
     "the gen-1 glitch: Leech Seed's drain grows Toxic's counter and is multiplied by it"),
    ("haze", "wholegame", ["haze"], [], [r"\|-activate\|p1a: [^|]*\|move: Haze"],
     "Haze: boosts cleared (stats back to stored, par/brn drops lost), the foe's status cured, volatiles removed"),
    ("haze_cures_sleep", "wholegame", ["haze", "sleeppowder", "hypnosis", "sing", "spore", "lovelykiss"], [],
     [r"\|-status\|p2a: [^|]*\|slp", r"\|-activate\|p1a: [^|]*\|move: Haze"],
     "Haze on a sleeping foe: cured, and its queued move this turn becomes 'cannotmove'"),
    ("fixed_damage", "wholegame", ["sonicboom", "dragonrage"], [], [r"\|move\|p1a: [^|]*\|(Sonic Boom|Dragon Rage)\|[^\n]*\n\|-damage\|p2a: "],
     "Sonic Boom / Dragon Rage: fixed 20 / 40 damage, no crit or roll"),
    ("psywave", "wholegame", ["psywave"], [], [r"\|move\|p1a: [^|]*\|Psywave\|[^\n]*\n\|-damage\|p2a: "],
     "Psywave: random(1, floor(1.5 * level)) damage (fails at levels where level + level/2 wraps below 2)"),
    ("ohko", "wholegame", ["fissure", "guillotine", "horndrill"], [], [r"\|-ohko"],
     "OHKO moves: fail on a faster target, else a hit takes all the HP (65535 against a Substitute)"),
    ("mist", "wholegame", ["mist"], ["growl", "leer", "tailwhip", "sandattack", "smokescreen", "stringshot", "screech"],
     [r"\|-start\|p1a: [^|]*\|Mist", r"\|-activate\|p1a: [^|]*\|move: Mist"],
     "Mist: the foe's status moves cannot lower the user's stats"),
    ("conversion", "wholegame", ["conversion"], [], [r"\|-start\|p1a: [^|]*\|typechange"],
     "Conversion (gen 1): the user takes the target's types"),
    ("dream_eater", "wholegame", ["dreameater"], [], [r"\|move\|p1a: [^|]*\|Dream Eater\|"],
     "Dream Eater: fails unless the target sleeps, else drains half the damage"),
    ("minimize_defense_curl", "wholegame", ["minimize", "defensecurl", "focusenergy"], [],
     [r"\|-boost\|p1a: [^|]*\|(evasion|def)\|1"],
     "Minimize / Defense Curl / Focus Energy: the volatiles (with the boost), Focus Energy's gen-1 crit quarter"),
    ("no_effect_moves", "wholegame", ["splash", "teleport", "roar", "whirlwind", "payday"], [],
     [r"\|move\|p1a: [^|]*\|(Splash|Teleport|Roar|Whirlwind|Pay Day)\|"],
     "moves that do nothing in gen-1 link battles (Splash, Teleport, Roar, Whirlwind) and Pay Day's plain hit"),
    ("dig_fly", "wholegame", ["dig", "fly"], [], [r"\|-prepare\|p1a: [^|]*\|(Dig|Fly)", r"can't be hit while invulnerable"],
     "Dig / Fly: the charge turn makes the user invulnerable (the foe's move misses), the second turn hits"),
    ("rage", "wholegame", ["rage"], [], [r"\|move\|p1a: [^|]*\|Rage\|", r"\|-boost\|p1a: [^|]*\|atk\|1\|\[from\]"],
     "Rage: the user is locked into Rage and gains +1 Attack each time a damaging move hits it"),
    ("thrash_petal_dance", "wholegame", ["thrash", "petaldance"], [], [r"\|-start\|p1a: [^|]*\|confusion\|\[silent\]"],
     "Thrash / Petal Dance: locked for 2-3 more turns, then the user is confused (even if it already was)"),
    ("disable", "wholegame", ["disable"], [], [r"\|-start\|p2a: [^|]*\|Disable\|", r"\|cant\|p2a: [^|]*\|Disable"],
     "Disable: a random slot with PP is disabled for 1-8 of the foe's moves; choosing it is refused, a queued use fails"),
    ("partial_trapping", "wholegame", ["wrap", "bind", "clamp", "firespin"], [],
     [r"\|move\|p1a: [^|]*\|(Wrap|Bind|Clamp|Fire Spin)\|p2a", r"\|cant\|p2a: [^|]*\|partiallytrapped"],
     "Wrap / Bind / Clamp / Fire Spin: the user locked in for 2-5 turns repeating the first hit's damage "
     "(no PP, always hits), the trapped foe unable to move (its Fight queues 'cannotmove')"),
    ("partial_trapping_hyper_beam", "wholegame", ["wrap", "bind", "clamp", "firespin"], ["hyperbeam"],
     [r"\|-mustrecharge\|p2a: ", r"partial trapping moves negate the recharge turn"],
     "the gen-1 glitch: a partial-trapping move cancels the foe's Hyper Beam recharge, hit or miss"),
    ("bide", "wholegame", ["bide"], [], [r"\|-start\|p1a: [^|]*\|Bide", r"\|-end\|p1a: [^|]*\|Bide\n\|-damage\|p2a: "],
     "Bide: 2-3 turns storing battle.lastDamage (whatever set it last), then twice the store dealt back "
     "(no accuracy check, no type immunity), the user locked into Fight meanwhile"),
    ("metronome", "wholegame", ["metronome"], [], [r"\|move\|p1a: [^|]*\|Metronome\|", r"\|\[from\] Metronome"],
     "Metronome: a move drawn from the 163 gen-1 moves (one draw, by dex number), used as if selected"),
    ("metronome_two_turn", "wholegame", ["metronome"], [],
     [r"\|move\|p1a: [^|]*\|(Razor Wind|Solar Beam|Skull Bash|Sky Attack|Dig|Fly)\|[^\n]*\[from\] Metronome"],
     "Metronome calling a two-turn move: the charge, the PP given back, the locked release turn"),
    ("disable_transform", "wholegame", ["transform"], ["disable"],
     [r"\|-start\|p1a: [^|]*\|Disable\|", r"\|-transform\|p1a: "],
     "the Disable-then-Transform corner: p1's Pokemon disabled, then transformed, keeps the disabled flag on "
     "the base slot Transform replaced (base_move_disabled) and shows it again on the bench after switching out"),
    ("stat_boosts", "customgame", ["swordsdance", "agility", "amnesia"], [],
     [r"\|-boost\|p1a: [^|]*\|(atk|spe|spa|spd)\|2"],
     "Swords Dance/Agility/Amnesia: +2 stages, modified stats rebuilt (and the foe's par/brn drop re-applied)"),
]


def _stale_disable_switched_out(prev: dict, state: dict) -> bool:
    """p1's active held a stale disabled flag on a base slot Transform/Mimic replaced, and this step
    it left the field: the member shows the flag again on its own slots on the bench."""
    replaced = prev["move_virtual"][0, 0] | prev["transformed"][0, 0]
    if not (prev["base_move_disabled"][0, 0] & replaced).any():
        return False
    back = [j for j in range(1, 6) if state["base_species"][0, j] == prev["base_species"][0, 0]]
    return any(state["move_disabled"][0, j].any() for j in back)


# special traces that must also reach a state the log cannot show: name -> test(previous state, state)
STATE_MARKS = {"disable_transform": _stale_disable_switched_out}


def _focused(moves: list[int]):
    """Per side: use one of ``moves`` when the active Pokemon can (3 times in 4), switch in a team
    member that knows one when the active one does not, else a random legal action."""
    def choose(state, legal_row, side, rng):
        acts = list(np.flatnonzero(legal_row))
        if not moves:
            return int(acts[rng.integers(len(acts))])
        usable = [i for i in range(4) if legal_row[i] and state["move_id"][side, 0, i] in moves]
        if usable and rng.random() < 0.75:
            return int(usable[rng.integers(len(usable))])
        holders = [4 + j for j in range(1, 6) if legal_row[4 + j] and np.isin(state["move_id"][side, j], moves).any()]
        if holders and not np.isin(state["move_id"][side, 0], moves).any():
            return int(holders[0])
        if usable or state["request"][side] == 1 and legal_row[:4].any() and np.isin(state["move_id"][side, 0], moves).any():
            acts = [a for a in acts if a < 4] or acts  # keep the holder in
        return int(acts[rng.integers(len(acts))])
    return choose


def _record_special(env, seed: int, p1_moves: list[int], p2_moves: list[int], bid: int):
    """Play one focused battle on the reference's bridge with the battle log on: (actions, log per step, states)."""
    from adapters.ts_showdown import battle_seed, team_message, to_arrays
    reply = env.bridge.call({"cmd": "reset", "id": bid, "format": env.format, "seed": battle_seed(seed),
                             **team_message(seed, env.teams), "log": True})
    rng = np.random.default_rng([seed, 0x5EED])
    policies = [_focused(p1_moves), _focused(p2_moves)]
    actions, logs, states = [], [], []
    try:
        for _ in range(MAX_STEPS):
            state, legal = to_arrays(reply["state"]), np.asarray(reply["legal"], bool)
            act = [policies[s](state, legal[s], s, rng) for s in range(2)]
            reply = env.bridge.call({"cmd": "step", "id": bid, "actions": act})
            actions.append(act)
            logs.append("\n".join(_public(reply.get("log", []))))
            states.append(to_arrays(reply["state"]))
            if reply["ended"]:
                break
    finally:
        env.bridge.call({"cmd": "close", "id": bid})
    return actions, logs, states


def _public(lines: list[str]) -> list[str]:
    """The log without ``|split|`` blocks' duplicates: ``|split|pN`` is followed by the private
    and the public form of one line; keep one, so patterns can say what follows what."""
    out, skip = [], 0
    for line in lines:
        if skip:
            skip -= 1
            if skip == 0:
                continue
        if line.startswith("|split|"):
            skip = 2
            continue
        out.append(line)
    return out


def _first_match(logs: list[str], patterns: list[str]) -> int | None:
    """The step by which every pattern has shown in the log (None if one never does)."""
    last = 0
    for pattern in patterns:
        found = None
        for t in range(len(logs)):
            if re.search(pattern, "\n".join(logs[: t + 1])):
                found = t
                break
        if found is None:
            return None
        last = max(last, found)
    return last


def special_traces(out_dir: Path, only=None) -> None:
    from adapters.ts_showdown import TsShowdown
    from suites.pokemon import SUITE, wholegame
    from suites.pokemon.schema import load_data
    data = load_data()
    ids = {m["id"]: i for i, m in enumerate(data["moves"]) if m}
    pool = data["team_pool"]

    def holds(variant, seed, side, moves):
        """Does side ``side`` of reset(seed) in ``variant`` have a member knowing one of ``moves``?"""
        if variant == "wholegame":
            return any(ids[m] in moves for member in wholegame.teams(seed)[side] for m in member["moves"])
        # the exported pool's teams 2s and 2s+1 are reset(s)'s (generator seeds 2s+1, 2s+2), s < 512
        return any(set(moves) & set(m["moves"]) for m in pool[2 * seed + side])
    envs = {}
    for k, (name, variant, p1_names, p2_names, patterns, doc) in enumerate(SPECIAL):
        if only and name not in only:
            continue
        env = envs.setdefault(variant, TsShowdown(**SUITE.variants[variant]))
        p1, p2 = [ids[m] for m in p1_names], [ids[m] for m in p2_names]
        seeds = [s for s in range(2000 if variant == "wholegame" else 512)
                 if holds(variant, s, 0, p1) and (not p2 or holds(variant, s, 1, p2))]
        for seed in seeds:
            actions, logs, states = _record_special(env, seed, p1, p2, 900000 + k)
            at = _first_match(logs, patterns)
            mark = STATE_MARKS.get(name)
            if at is not None and mark is not None:
                marked = [t for t in range(1, len(states)) if mark(states[t - 1], states[t])]
                at = max(at, marked[0]) if marked else None
            if at is not None:
                break
        else:
            raise SystemExit(f"{name}: no seed of {len(seeds)} shows {patterns} within {MAX_STEPS} steps")
        last = len(actions) - 1
        end = states[last]
        reward = 0.0 if not end["ended"] else 1.0 if end["winner"] == 0 else -1.0 if end["winner"] == 1 else 0.0
        expect = [{"step": at, "field": "state.side_last_move", "value": states[at]["side_last_move"].tolist()},
                  {"step": at, "field": "state.hp", "value": states[at]["hp"].tolist()},
                  *([{"step": at, "field": f"state.{f}", "value": states[at][f].tolist()}
                     for f in ("move_disabled", "base_move_disabled")] if name in STATE_MARKS else []),
                  {"step": last, "field": "reward", "value": reward},
                  {"step": last, "field": "terminated", "value": bool(end["ended"])}]
        cut = "" if end["ended"] else f", cut at {MAX_STEPS} steps"
        text = {"doc": f"{doc} (shows at step {at})", "variant": variant, "seed": int(seed), "actions": actions,
                "expect": expect}
        path = out_dir / f"special_{name}.yaml"
        header = (f"# Recorded by suites/pokemon/make_traces.py from ts_showdown (focused policy: p1 uses "
                  f"{'/'.join(p1_names)}{', p2 uses ' + '/'.join(p2_names) if p2_names else ''}); "
                  f"{len(actions)} steps{cut}.\n")
        path.write_text(header + yaml.safe_dump(text, default_flow_style=None, sort_keys=False, width=120))
        print(f"wrote {path}: seed {seed}, {len(actions)} steps{cut}, interaction at step {at}")
    for env in envs.values():
        env.close()


def main() -> None:
    import sys
    from adapters.ts_showdown import TsShowdown
    from suites.pokemon import SUITE
    out_dir = Path(__file__).parent / "traces"
    if sys.argv[1:2] == ["--special"]:  # only the named special traces
        special_traces(out_dir, only=set(sys.argv[2:]))
        return
    for name, variant, seed, policy_name, doc in TRACES:
        env = TsShowdown(**SUITE.variants[variant])
        policy = _switchy if policy_name == "switchy" else SUITE.policy(policy_name)
        traj = env.rollout(seed, policy, 3000)
        env.close()
        last = traj.length - 1
        text = {"doc": doc, "variant": variant, "seed": seed,
                "actions": [[int(a) for a in act] for act in traj.actions],
                "expect": [{"step": last, "field": "reward", "value": float(traj.outputs["reward"][last])},
                           {"step": last, "field": "terminated", "value": bool(traj.outputs["terminated"][last])}]}
        path = out_dir / f"{name}.yaml"
        header = (f"# Recorded by suites/pokemon/make_traces.py from ts_showdown ({policy_name} policy); "
                  f"{traj.length} steps.\n")
        path.write_text(header + yaml.safe_dump(text, default_flow_style=None, sort_keys=False, width=120))
        print(f"wrote {path}: {traj.length} steps, final reward {traj.outputs['reward'][last]}")
    special_traces(out_dir)


if __name__ == "__main__":
    main()
