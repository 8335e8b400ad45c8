"""The solver on the active rows only (ported_envs/halfcheetah_jax/active_rows.py) against the
solver on the full fixed layout: the same iterations and, to rounding, the same accelerations
and forces, one env at a time and batched, whichever size the batch's busiest env needs."""
import numpy as np
import pytest


@pytest.fixture(scope="module")
def problems(cases):
    """The solver's inputs at the generated states, stacked (float64)."""
    import jax

    from ported_envs.halfcheetah_jax import make_params, physics
    with jax.enable_x64(True):
        params = make_params("float64")
        fn = jax.jit(jax.vmap(lambda s, c: physics.forward(params.model, s, c)))
        states = physics.PhysicsState(*(np.stack([s[k] for s, _ in cases]).astype(np.float64)
                                        for k in ("qpos", "qvel", "qacc_warmstart", "time")))
        f = fn(states, np.stack([a for _, a in cases]).astype(np.float64))
        args = (f.qM, f.qfrc_smooth, f.qacc_smooth, states.qacc_warmstart, f.rows.J, f.rows.D, f.rows.aref,
                f.rows.active)
    return params.model, jax.tree.map(np.asarray, args)


def _full(model, args):
    import jax

    from ported_envs.halfcheetah_jax import solver
    with jax.enable_x64(True):
        return jax.tree.map(np.asarray, jax.jit(jax.vmap(
            lambda *a: solver.solve(*a[:7], model.tolerance, model.ls_tolerance, model.iterations,
                                    model.ls_iterations)))(*args))


def _compact(model, args, sizes, batched=True):
    import jax

    from ported_envs.halfcheetah_jax import active_rows
    fn = active_rows._solver(args[4].shape[-2], model.iterations, model.ls_iterations, sizes)
    with jax.enable_x64(True):
        one = lambda *a: fn(*a, model.tolerance, model.ls_tolerance)  # noqa: E731
        if batched:
            return jax.tree.map(np.asarray, jax.jit(jax.vmap(one))(*args))
        run = jax.jit(one)
        outs = [run(*(x[i] for x in args)) for i in range(len(args[0]))]
        return jax.tree.map(lambda *xs: np.stack([np.asarray(x) for x in xs]), *outs)


def _same(a, b):
    assert np.array_equal(a.iterations, b.iterations), "Newton iteration counts differ"
    assert np.max(np.abs(a.qacc - b.qacc)) <= 1e-9 * max(1.0, np.max(np.abs(b.qacc)))
    assert np.max(np.abs(a.force - b.force)) <= 1e-9 * max(1.0, np.max(np.abs(b.force)))
    assert np.max(np.abs(a.qfrc_constraint - b.qfrc_constraint)) <= 1e-9 * max(1.0, np.max(np.abs(b.qfrc_constraint)))


def test_the_cases_need_every_branch(problems):
    counts = problems[1][7].sum(axis=1)
    assert counts.max() > 16 and (counts == 0).any() and ((counts > 0) & (counts <= 4)).any(), np.bincount(counts)


@pytest.mark.slow  # three batch shapes, three compiles; the gate's batched replays check this path against C
def test_batched_active_rows_solve_is_the_full_layouts(problems):
    """Batches whose busiest env fits each size, and one that needs the full layout (small
    sizes, so that the generated states, up to 26 active rows, reach every branch)."""
    model, args = problems
    sizes = (4, 8)
    counts = args[7].sum(axis=1)
    full = _full(model, args)
    for bound in sizes + (None,):
        pick = np.flatnonzero(counts <= bound) if bound else np.arange(len(counts))
        part = tuple(x[pick] for x in args)
        _same(_compact(model, part, sizes), jax_tree_take(full, pick))


def test_single_env_active_rows_solve_is_the_full_layouts(problems):
    model, args = problems
    _same(_compact(model, args, (4, 8), batched=False), _full(model, args))


def test_batched_solve_branches_instead_of_selecting():
    """Under vmap the size is one branch for the batch (lax.switch), not a select of all."""
    import jax

    from ported_envs.halfcheetah_jax import active_rows, make_params
    with jax.enable_x64(True):
        m = make_params("float64").model
        n, nv = 76, m.nv
        fn = active_rows._solver(n, m.iterations, m.ls_iterations, active_rows.SIZES)
        z = np.zeros
        jaxpr = jax.make_jaxpr(jax.vmap(lambda *a: fn(*a, m.tolerance, m.ls_tolerance)))(
            np.stack([np.eye(nv)] * 3), z((3, nv)), z((3, nv)), z((3, nv)), z((3, n, nv)), z((3, n)), z((3, n)),
            z((3, n), bool))
    text = str(jaxpr)
    assert "cond[" in text and text.count("while[") >= 3 * (len(active_rows.SIZES) + 1), "no branch per size"


def jax_tree_take(tree, index):
    import jax
    return jax.tree.map(lambda x: np.asarray(x)[index], tree)
