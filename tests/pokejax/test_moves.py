"""The gen-1 moves beyond the random-battle pool, lockstep against Showdown: battles between
whole-game teams (suites/pokemon/wholegame.py) in which both sides hold the moves of a group and
use them when they can; every legal mask, draw and state field compared at every step. Each
group must actually be used, so a check that never reaches its moves fails."""
import pytest

from tests.pokejax import lockstep

GROUPS = {
    "fixed_damage": ("sonicboom", "dragonrage", "psywave", "seismictoss", "nightshade", "superfang"),
    "ohko": ("fissure", "guillotine", "horndrill", "substitute"),
    "toxic_leech_seed": ("toxic", "leechseed", "rest"),
    "haze": ("haze", "toxic", "sleeppowder", "swordsdance", "thunderwave"),
    "self_volatiles": ("minimize", "defensecurl", "focusenergy", "mist", "growl"),
    "conversion_dream_eater": ("conversion", "dreameater", "hypnosis"),
    "no_effect": ("splash", "teleport", "roar", "whirlwind", "payday"),
    # Dig/Fly: invulnerable while charging (Swift and Transform still hit), and the gen-1 glitch:
    # a full paralysis ends the charge but the user stays invulnerable
    "dig_fly": ("dig", "fly", "swift", "thunderwave", "glare", "stunspore"),
    # Rage: locked, +1 Attack per hit taken (each hit of a multi-hit move; Self-Destruct even on a
    # miss), and its carried accuracy re-applying the stages every turn (gen-1 bug)
    "rage": ("rage", "furyattack", "doublekick", "selfdestruct", "sandattack", "doubleteam"),
    # Thrash / Petal Dance lock and end in confusion; Disable picks a slot with PP, refuses it
    # by slot and makes a queued use fail (also a locked move's)
    "disable_thrash": ("disable", "thrash", "petaldance", "thunderwave", "confuseray"),
    # partial trapping: the lock (2-5 turns, repeated damage, no PP, always hits), the trapped
    # foe's cannotmove, maybeLocked, the end (fakepartiallytrapped), Hyper Beam's recharge
    # cancelled, a Substitute ending the trap, a full paralysis / confusion ending the lock
    "partial_trapping": ("wrap", "bind", "clamp", "firespin", "hyperbeam", "substitute", "thunderwave",
                         "confuseray"),
    # Bide: the stored lastDamage (also a stale one), the doubled unleash (into a Substitute, onto a
    # raging foe, a failed empty one), ended by a full paralysis or a confusion self-hit
    "bide": ("bide", "tackle", "substitute", "rage", "thunderwave", "confuseray", "counter"),
    # Metronome: a draw among the 163 gen-1 moves, the called move run with its own state (locks,
    # two-turn charges with the PP returned, trapping, Bide), Mirror Move copying it
    "metronome": ("metronome", "mirrormove"),
}
BATTLES = 4


@pytest.fixture(scope="module")
def pair():
    from adapters.pokejax import PokeJax
    from adapters.ts_showdown import TsShowdown
    for cls in (PokeJax, TsShowdown):
        why = cls.missing()
        if why:
            pytest.fail(f"{cls.__name__}: {why}")
    ref, port = lockstep.pair("gen1customgame")
    yield ref, port
    ref.close()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_move_group_is_lockstep_exact(pair, group):
    from suites.pokemon import wholegame
    from suites.pokemon.schema import load_data
    ref, port = pair
    ids = {m["id"]: i for i, m in enumerate(load_data()["moves"]) if m.get("id")}
    names = GROUPS[group]
    focus = {ids[n] for n in names}
    used: dict = {}
    for k in range(BATTLES):
        seed = 1000 * (sorted(GROUPS).index(group) + 1) + k
        fail, _steps, u = lockstep.play(ref, port, seed, wholegame.teams(seed, names), focus)
        assert fail is None, fail
        for m, n in u.items():
            used[m] = used.get(m, 0) + n
    unused = [n for n in names if not used.get(ids[n])]
    assert len(unused) < len(names) / 2, f"{group}: most of its moves were never chosen: {unused}"


def test_disable_then_transform_corner_is_lockstep_exact(pair):
    """A Pokemon disabled, then transformed (or mimicking), keeps the disabled flag on the base slot
    Transform replaced, and shows it again after switching out (base_move_disabled): battles where
    both sides favour Disable and Transform must reach that corner and stay exact through it."""
    from suites.pokemon import wholegame
    from suites.pokemon.schema import load_data
    ref, port = pair
    ids = {m["id"]: i for i, m in enumerate(load_data()["moves"]) if m.get("id")}
    names = ("disable", "transform")
    corner: list = []
    for seed in range(4):
        fail, _steps, _u = lockstep.play(ref, port, seed, wholegame.teams(seed, names), {ids[n] for n in names},
                                         corner=corner)
        assert fail is None, fail
    assert corner, "no battle reached a stale disabled flag under Transform; the check aims at nothing"
