"""halfcheetah_jax against MuJoCo C, component by component, from generated states.

Each state is set in a private ``MjData`` (qpos, qvel, qacc_warmstart, ctrl) and ``mj_forward``
computes MuJoCo's intermediates; the port's :func:`physics.forward` computes its own from the
same state. Float64 must agree far below the suite's tolerances (the brief: <= 1e-9 over one
env step); float32 within MJX-f32's own measured deviation from C (calibrate.py).
"""
import numpy as np
import pytest

# MJX float32's largest one-env-step deviation from MuJoCo C over 100 generated states
# (suites/halfcheetah/calibrate.py, 2026-12-06): the float32 port must stay within it.
MJX32 = {"qpos": 1.7e-5, "qvel": 4.1e-4, "obs": 4.1e-4, "reward": 3.5e-5}


@pytest.fixture(scope="module")
def mj():
    import mujoco

    from reference_envs.halfcheetah import xml_path
    m = mujoco.MjModel.from_xml_path(str(xml_path()))
    return m, mujoco.MjData(m)


@pytest.fixture(scope="module")
def forward64():
    import jax

    from ported_envs.halfcheetah_jax import make_params, physics
    with jax.enable_x64(True):
        params = make_params("float64")
        fn = jax.jit(lambda s, c: physics.forward(params.model, s, c))
    return params, fn


def _mj_state(mj, state, action):
    import mujoco
    m, d = mj
    mujoco.mj_resetData(m, d)
    d.qpos[:], d.qvel[:], d.qacc_warmstart[:] = state["qpos"], state["qvel"], state["qacc_warmstart"]
    d.ctrl[:] = np.asarray(action, np.float64)
    mujoco.mj_forward(m, d)
    return d


def _port(forward64, state, action):
    import jax

    from ported_envs.halfcheetah_jax import physics
    with jax.enable_x64(True):
        s = physics.PhysicsState(*(jax.numpy.asarray(state[k], np.float64)
                                   for k in ("qpos", "qvel", "qacc_warmstart", "time")))
        return jax.tree.map(np.asarray, forward64[1](s, jax.numpy.asarray(np.asarray(action, np.float64))))


def test_kinematics_mass_bias_passive(cases, mj, forward64):
    import mujoco
    worst = {}
    for state, action in cases:
        d = _mj_state(mj, state, action)
        f = _port(forward64, state, action)
        qM = np.zeros((9, 9))
        mujoco.mj_fullM(mj[0], d, qM)
        checks = {"xpos": (f.kin.xpos, d.xpos), "xquat": (f.kin.xquat, d.xquat), "xipos": (f.kin.xipos, d.xipos),
                  "geom_xpos": (f.kin.geom_xpos, d.geom_xpos), "geom_xmat": (f.kin.geom_xmat.reshape(-1, 9), d.geom_xmat),
                  "subtree_com": (f.kin.subtree_com, d.subtree_com), "cinert": (f.kin.cinert, d.cinert),
                  "cdof": (f.kin.cdof, d.cdof), "qM": (f.qM, qM), "qfrc_bias": (f.qfrc_bias, d.qfrc_bias),
                  "qfrc_passive": (f.qfrc_passive, d.qfrc_passive), "qfrc_actuator": (f.qfrc_actuator, d.qfrc_actuator),
                  "qacc_smooth": (f.qacc_smooth, d.qacc_smooth)}
        for k, (p, r) in checks.items():
            worst[k] = max(worst.get(k, 0.0), float(np.max(np.abs(np.asarray(p) - np.asarray(r)))))
    assert np.all(np.linalg.eigvalsh(f.qM) > 0) and np.allclose(f.qM, f.qM.T)
    bad = {k: v for k, v in worst.items() if v > 1e-10}
    assert not bad, f"components beyond 1e-10 of MuJoCo C: {bad} (all: {worst})"


def test_contacts_rows_forces_and_acceleration(cases, mj, forward64):
    from ported_envs.halfcheetah_jax.collision import contact_pairs
    from ported_envs.halfcheetah_jax.model import raw
    pairs = raw()["pairs"]
    worst, with_contacts = {}, 0
    for state, action in cases:
        d = _mj_state(mj, state, action)
        f = _port(forward64, state, action)
        active = np.flatnonzero(f.contacts.active)
        with_contacts += bool(active.size)
        # the contact set: the same (plane, capsule) pairs, in MuJoCo's order, at the same places
        mine = [(pairs[contact_pairs_k]["plane"], pairs[contact_pairs_k]["capsule"])
                for contact_pairs_k in np.asarray(contact_pairs_cache())[active]]
        theirs = [tuple(d.contact.geom[i]) for i in range(d.ncon)]
        assert mine == theirs, f"contact set differs: port {mine}, MuJoCo {theirs}"
        for k, i in enumerate(active):
            worst["dist"] = max(worst.get("dist", 0.0), abs(f.contacts.dist[i] - d.contact.dist[k]))
            worst["pos"] = max(worst.get("pos", 0.0), np.max(np.abs(f.contacts.pos[i] - d.contact.pos[k])))
            worst["frame"] = max(worst.get("frame", 0.0),
                                 np.max(np.abs(f.contacts.frame[i].ravel() - d.contact.frame[k])))
        # constraint rows: MuJoCo's instantiated rows are the port's active rows, in order
        rows = np.flatnonzero(f.rows.active)
        assert rows.size == d.nefc
        if d.nefc:
            J = np.asarray(d.efc_J).reshape(d.nefc, 9)
            worst["efc_J"] = max(worst.get("efc_J", 0.0), np.max(np.abs(f.rows.J[rows] - J)))
            worst["efc_aref"] = max(worst.get("efc_aref", 0.0), np.max(np.abs(f.rows.aref[rows] - d.efc_aref)))
            worst["efc_D"] = max(worst.get("efc_D", 0.0), np.max(np.abs(f.rows.D[rows] - d.efc_D) / d.efc_D))
            worst["efc_force"] = max(worst.get("efc_force", 0.0),
                                     np.max(np.abs(f.solution.force[rows] - d.efc_force)))
        assert int(f.solution.iterations) == int(d.solver_niter[0]), "Newton iteration counts differ"
        worst["qacc"] = max(worst.get("qacc", 0.0), np.max(np.abs(f.solution.qacc - d.qacc)))
    assert with_contacts > len(cases) // 3, "too few generated states have contacts"
    limits = {"dist": 1e-13, "pos": 1e-13, "frame": 1e-14, "efc_J": 1e-13, "efc_aref": 1e-8, "efc_D": 1e-12,
              "efc_force": 1e-7, "qacc": 1e-7}
    bad = {k: v for k, v in worst.items() if v > limits[k]}
    assert not bad, f"beyond limits {limits}: {bad} (all: {worst})"


def contact_pairs_cache():
    from ported_envs.halfcheetah_jax import model
    from ported_envs.halfcheetah_jax.collision import contact_pairs
    return contact_pairs(model.load())


def _env_step_errors(cases, precision):
    from adapters.halfcheetah_jax import HalfCheetahJax
    from adapters.mujoco import MujocoHalfCheetah
    ref, port = MujocoHalfCheetah(), HalfCheetahJax(precision)
    worst = {}
    for state, action in cases:
        ref.set_state(state)
        r = ref.step(action)
        rs = ref.get_state()
        port.set_state(state)
        p = port.step(action)
        ps = port.get_state()
        for k, (a, b) in {"qpos": (ps["qpos"], rs["qpos"]), "qvel": (ps["qvel"], rs["qvel"]),
                          "obs": (p.obs, r.obs), "reward": (p.reward, r.reward)}.items():
            worst[k] = max(worst.get(k, 0.0), float(np.max(np.abs(np.asarray(a) - np.asarray(b)))))
    return worst


def test_float64_env_step_within_1e9_of_mujoco(cases):
    worst = _env_step_errors(cases, "float64")
    assert max(worst.values()) <= 1e-9, worst


def test_float32_env_step_within_mjx32_error(cases):
    worst = _env_step_errors(cases, "float32")
    bad = {k: (v, MJX32[k]) for k, v in worst.items() if v > MJX32[k]}
    assert not bad, f"float32 port beyond MJX-f32's own deviation from C: {bad}"


def test_no_lapack_call_in_the_port():
    """The port's step compiles to plain arithmetic: no custom call (jaxlib's batched LAPACK
    Cholesky is what deadlocks XLA's CPU pool for MJX, reference_envs/halfcheetah/xla_safety.py)."""
    import jax

    from ported_envs.halfcheetah_jax import env, make_params
    with jax.enable_x64(True):
        params = make_params("float64")
        state = env.reset_from_seed(0, params)[1]
        text = jax.jit(jax.vmap(lambda s, a: env.step(s, a, params))).lower(
            jax.tree.map(lambda x: np.stack([np.asarray(x)] * 4), state), np.zeros((4, 6), np.float32)).as_text()
    assert "custom_call" not in text


def test_reset_from_seed_is_gymnasiums():
    import gymnasium

    from adapters.halfcheetah_jax import HalfCheetahJax
    env = gymnasium.make("HalfCheetah-v5")
    port = HalfCheetahJax("float64")
    for seed in (0, 1, 12345, 2**31 - 1):
        obs, _ = env.reset(seed=seed)
        u = env.unwrapped.data
        assert np.array_equal(port.reset(seed), obs)
        s = port.get_state()
        assert np.array_equal(s["qpos"], u.qpos) and np.array_equal(s["qvel"], u.qvel)
        assert np.array_equal(s["qacc_warmstart"], u.qacc_warmstart) and s["time"] == u.time


def test_batched_replay_is_the_single_step(cases):
    """The batched program (lanes x chunks of steps) makes the same transitions as the single
    step, from every recorded state (to rounding: XLA compiles the two programs differently)."""
    from adapters.halfcheetah_jax import HalfCheetahJax
    port = HalfCheetahJax("float64")
    rng = np.random.default_rng(5)
    starts = [s for s, _ in cases[:5]]
    actions = [rng.uniform(-1, 1, (40, 6)).astype(np.float32) for _ in starts]
    worst = 0.0
    for start, acts, t in zip(starts, actions, port.replays(starts, actions)):
        assert t.length == 40
        for k, a in enumerate(acts):
            port.set_state(start if k == 0 else {f: v[k - 1] for f, v in t.states.items()})
            step = port.step(a)
            worst = max(worst, float(np.max(np.abs(step.obs - t.outputs["obs"][k]))),
                        abs(step.reward - t.outputs["reward"][k]))
    assert worst <= 1e-10, worst


def test_batch_step_in_groups_is_vmap_step(cases):
    """env.batch_step (lax.map over groups of vmapped envs) makes vmap(step)'s transitions."""
    import jax

    from ported_envs.halfcheetah_jax import env, make_params
    with jax.enable_x64(True):
        params = make_params("float64")
        state = env.EnvState(*(np.stack([np.asarray(s[k]) for s, _ in cases[:6]]).astype(np.int32 if k == "steps" else np.float64)
                               for k in env.FIELDS))
        action = np.stack([a for _, a in cases[:6]]).astype(np.float32)
        grouped = jax.jit(lambda s, a: env.batch_step(s, a, params, lanes=2))(state, action)
        plain = jax.jit(jax.vmap(lambda s, a: env.step(s, a, params)))(state, action)
    for g, p in zip(jax.tree.leaves(grouped), jax.tree.leaves(plain)):
        assert np.max(np.abs(np.asarray(g, np.float64) - np.asarray(p, np.float64))) <= 1e-10
