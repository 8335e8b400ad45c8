"""Capsule-plane contacts, as MuJoCo's narrow phase makes them (``mjc_PlaneCapsule``).

A capsule against a plane is two sphere-plane tests, one per end of its segment (the
``+half-length`` end first): for each end, the distance of the sphere's surface from the
plane along the plane's normal; a contact exists when it is at most the pair's margin, at
the point halfway between the sphere's surface and the plane. The contact frame's first
axis is the plane normal; the capsule's axis is the tangent hint, made orthogonal to the
normal and normalised (``mju_makeFrame``), the third axis their cross product. Contacts
whose distance is not below the margin are excluded (``mj_setContact``), so a contact here
is *active* when ``dist < margin``.

Every pair always yields its two candidate contacts (fixed shape); ``active`` says which
exist, in MuJoCo's contact order (pairs by body, then geom; the two ends in turn).
"""
from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from ported_envs.halfcheetah_jax import spatial as sp
from ported_envs.halfcheetah_jax.model import Model
from ported_envs.halfcheetah_jax.smooth import Kinematics


class Contacts(NamedTuple):
    dist: jax.Array  # (ncon,)
    pos: jax.Array  # (ncon, 3)
    frame: jax.Array  # (ncon, 3, 3): rows normal, tangent 1, tangent 2
    active: jax.Array  # (ncon,) bool


def contact_pairs(m: Model) -> tuple:
    """Contact index -> pair index: each pair's two ends in turn."""
    return tuple(k for k in range(m.npair) for _ in range(2))


def contacts(m: Model, kin: Kinematics) -> Contacts:
    """Both candidate contacts of every pair, all at once."""
    dt = kin.xpos.dtype
    pair = np.asarray(contact_pairs(m))
    plane = np.asarray(m.pair_plane)[pair]
    capsule = np.asarray(m.pair_geom)[pair]
    end = np.tile([1.0, -1.0], m.npair)  # the +half-length end first
    normal = kin.geom_xmat[plane][..., :, 2]
    axis = kin.geom_xmat[capsule][..., :, 2]
    radius = m.geom_size[capsule, 0]
    tip = kin.geom_xpos[capsule] + (end * m.geom_size[capsule, 1])[:, None] * axis
    dist = sp.dot(tip - kin.geom_xpos[plane], normal) - radius
    pos = tip + normal * (-dist / 2 - radius)[:, None]
    # mju_makeFrame: the (unit) axis made orthogonal to the normal; an axis along the normal
    # leaves nothing, and mju_normalize3 then gives (1, 0, 0)
    tangent = sp.normalize3(axis - normal * sp.dot(normal, axis)[:, None], jnp.asarray([1, 0, 0], dt))
    frame = jnp.stack([normal, tangent, sp.cross(normal, tangent)], axis=-2)
    return Contacts(dist, pos, frame, dist < m.pair_margin[pair])
