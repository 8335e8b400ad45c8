"""Fast checks of the pokejax adapter pieces that need no engine compile."""
import numpy as np
import pytest

from suites.pokemon import schema


def _starts():
    from adapters.pokejax import PokeJax
    why = PokeJax.missing()
    if why:
        pytest.fail(why)
    from ported_envs.pokejax.env import PokeJaxEnv
    return PokeJaxEnv("gen1customgame")


def test_observation_is_the_schema_encoder():
    from ported_envs.pokejax.env import observation, to_numpy
    env = _starts()
    for seed in range(5):
        st = env.initial_state(seed)
        assert np.array_equal(np.asarray(observation(st)), schema.observation(to_numpy(st)))


def test_start_states_are_canonical_and_legal_mask_offers_moves_and_switches():
    from ported_envs.pokejax.env import legal_mask, to_numpy
    env = _starts()
    st = env.initial_state(0)
    schema.STATE.coerce(to_numpy(st), "pokejax start state")
    mask = np.asarray(legal_mask(st))
    assert mask.shape == (2, schema.N_ACTIONS)
    for s in (0, 1):
        assert mask[s, :4].any() and mask[s, 5:10].any() and not mask[s, 4] and not mask[s, 13]


def test_unsupported_format_and_missing_seed_are_named():
    from ported_envs.pokejax.env import PokeJaxEnv
    with pytest.raises(ValueError, match="'gen2ou' is not supported"):
        PokeJaxEnv("gen2ou")
    env = _starts()
    with pytest.raises(ValueError, match=r"seeds are 0\.\.2\*\*31-1"):
        env.initial_state(2**31)


def test_every_volatile_of_the_contract_is_modelled():
    """set_state refuses a state holding a volatile the engine does not model; since Bide and
    partial trapping every gen-1 volatile is, so no state is refused for its volatiles."""
    from adapters.pokejax import MODELLED_VOLATILES
    assert sorted(MODELLED_VOLATILES) == sorted(schema.VOLATILES)


def test_the_ports_layout_agrees_with_the_family_contract():
    """The port keeps its own layout (no suite import); the adapter refuses to run if it drifts."""
    from adapters.pokejax import check_layout
    from ported_envs.pokejax import layout
    check_layout()
    fields = [(f.name, f.np_dtype, f.shape) for f in schema.STATE]
    assert layout.mismatches(fields, schema.STATUSES, schema.VOLATILES, schema.ACTIONS, schema.OBS_LAYOUT) == []
    drifted = [(n, "int32" if n == "hp" else d, s) for n, d, s in fields]
    assert any("field hp" in m for m in layout.mismatches(
        drifted, schema.STATUSES, schema.VOLATILES, schema.ACTIONS, schema.OBS_LAYOUT))
    swapped = (schema.VOLATILES[1], schema.VOLATILES[0]) + schema.VOLATILES[2:]
    assert any("VOLATILES" in m for m in layout.mismatches(
        fields, schema.STATUSES, swapped, schema.ACTIONS, schema.OBS_LAYOUT))


def test_the_port_imports_no_suite_and_no_adapter():
    """Layering: ported_envs/pokejax runs on its own (the adapter glues it to the suite)."""
    import ast
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "ported_envs" / "pokejax"
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            bad = [n for n in names if n.split(".")[0] in ("suites", "adapters", "tests", "equiv")]
            assert not bad, f"{path.relative_to(root)} imports {bad}"
