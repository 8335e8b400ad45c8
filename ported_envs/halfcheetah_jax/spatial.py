"""Small 3-d and spatial-vector algebra, with MuJoCo's conventions, batched over leading axes.

Quaternions are (w, x, y, z). Spatial motion vectors are (angular, linear) and spatial
forces (torque, force), both taken about a tree's subtree centre of mass, as MuJoCo's
``cdof``, ``cvel`` and ``cinert`` are. A body inertia in that frame is MuJoCo's 10-vector
(Ixx, Iyy, Izz, Ixy, Ixz, Iyz, m*cx, m*cy, m*cz, m): rotational inertia about the frame
origin, first moment of mass, mass. Every function takes arrays with any leading axes
(bodies, contacts, dofs), so one call covers a whole set and the compiled program stays small.
"""
from __future__ import annotations

import jax.numpy as jnp


def _c(x, i):
    return x[..., i]


def cross(a, b):
    return jnp.stack([_c(a, 1) * _c(b, 2) - _c(a, 2) * _c(b, 1),
                      _c(a, 2) * _c(b, 0) - _c(a, 0) * _c(b, 2),
                      _c(a, 0) * _c(b, 1) - _c(a, 1) * _c(b, 0)], axis=-1)


def dot(a, b):
    return jnp.sum(a * b, axis=-1)


def matvec(m, v):
    """m (..., 3, 3) times v (..., 3)."""
    return jnp.sum(m * v[..., None, :], axis=-1)


def quat_mul(a, b):
    a0, a1, a2, a3 = (_c(a, i) for i in range(4))
    b0, b1, b2, b3 = (_c(b, i) for i in range(4))
    return jnp.stack([a0 * b0 - a1 * b1 - a2 * b2 - a3 * b3,
                      a0 * b1 + a1 * b0 + a2 * b3 - a3 * b2,
                      a0 * b2 - a1 * b3 + a2 * b0 + a3 * b1,
                      a0 * b3 + a1 * b2 - a2 * b1 + a3 * b0], axis=-1)


def quat_normalize(q):
    return q / jnp.sqrt(dot(q, q))[..., None]


def quat_to_mat(q):
    """Rotation matrices (..., 3, 3) of unit quaternions."""
    w, x, y, z = (_c(q, i) for i in range(4))
    ww, xx, yy, zz = w * w, x * x, y * y, z * z
    rows = [jnp.stack([ww + xx - yy - zz, 2 * (x * y - w * z), 2 * (x * z + w * y)], axis=-1),
            jnp.stack([2 * (x * y + w * z), ww - xx + yy - zz, 2 * (y * z - w * x)], axis=-1),
            jnp.stack([2 * (x * z - w * y), 2 * (y * z + w * x), ww - xx - yy + zz], axis=-1)]
    return jnp.stack(rows, axis=-2)


def rotate(q, v):
    """v rotated by quaternion q."""
    return matvec(quat_to_mat(q), v)


def axis_angle_quat(axis, angle):
    half = 0.5 * angle
    return jnp.concatenate([jnp.cos(half)[..., None], axis * jnp.sin(half)[..., None]], axis=-1)


def inertia_com(inertia_diag, ximat, offset, mass):
    """Body inertias about points ``offset`` away from their centres of mass, in the world
    frame (MuJoCo's ``mju_inertCom``): the 10-vectors described in the module docstring."""
    full = jnp.einsum("...ik,...k,...jk->...ij", ximat, inertia_diag, ximat)  # R diag(I) R'
    ox, oy, oz = _c(offset, 0), _c(offset, 1), _c(offset, 2)
    return jnp.stack([
        full[..., 0, 0] + mass * (oy * oy + oz * oz),
        full[..., 1, 1] + mass * (ox * ox + oz * oz),
        full[..., 2, 2] + mass * (ox * ox + oy * oy),
        full[..., 0, 1] - mass * ox * oy,
        full[..., 0, 2] - mass * ox * oz,
        full[..., 1, 2] - mass * oy * oz,
        mass * ox, mass * oy, mass * oz, mass,
    ], axis=-1)


def inertia_mul(i, v):
    """Spatial force = inertia (10-vector) x spatial motion v (angular, linear)."""
    w0, w1, w2, l0, l1, l2 = (_c(v, k) for k in range(6))
    c = [_c(i, k) for k in range(10)]
    return jnp.stack([
        c[0] * w0 + c[3] * w1 + c[4] * w2 - c[8] * l1 + c[7] * l2,
        c[3] * w0 + c[1] * w1 + c[5] * w2 + c[8] * l0 - c[6] * l2,
        c[4] * w0 + c[5] * w1 + c[2] * w2 - c[7] * l0 + c[6] * l1,
        c[8] * w1 - c[7] * w2 + c[9] * l0,
        c[6] * w2 - c[8] * w0 + c[9] * l1,
        c[7] * w0 - c[6] * w1 + c[9] * l2,
    ], axis=-1)


def cross_motion(v, m):
    """Spatial motion cross product v x m."""
    w, lin = v[..., :3], v[..., 3:]
    return jnp.concatenate([cross(w, m[..., :3]), cross(w, m[..., 3:]) + cross(lin, m[..., :3])], axis=-1)


def cross_force(v, f):
    """Spatial force cross product v x* f."""
    w, lin = v[..., :3], v[..., 3:]
    return jnp.concatenate([cross(w, f[..., :3]) + cross(lin, f[..., 3:]), cross(w, f[..., 3:])], axis=-1)


def normalize3(v, fallback):
    """v / |v|, or ``fallback`` where |v| is (numerically) zero."""
    norm = jnp.sqrt(dot(v, v))[..., None]
    ok = norm >= 1e-15
    return jnp.where(ok, v / jnp.where(ok, norm, 1.0), fallback)
