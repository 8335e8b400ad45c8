"""What a Pong transition exercises, for equiv's coverage table: the rule each step fired.

Keys come from the reference's state before and after the step and its reward:
``hit:agent`` (reward 0.1), ``point:agent`` / ``point:opponent`` (+1 / -1),
``hit:opponent`` (the ball turned back towards the agent, away from the left paddle),
``bounce:wall`` (the vertical speed changed sign with no paddle hit), ``speed:clipped``
(|vy| at the maximum after a hit), ``serve`` (a new round began) and ``end`` (a side
reached max_score). Every key is required at the standard tier: a rule no check reached
is a rule the gate did not test.
"""
import numpy as np

KEYS = ("hit:agent", "point:agent", "point:opponent", "hit:opponent", "bounce:wall", "speed:clipped",
        "serve", "end")
_HIT = np.float32(0.1)


def keys(variant):
    return KEYS


def hit(before, action, outputs, after, variant):
    reward = np.float32(outputs["reward"])
    found = []
    if reward == _HIT:
        found.append("hit:agent")
    if reward == np.float32(1):
        found.append("point:agent")
    if reward == np.float32(-1):
        found.append("point:opponent")
    if bool(outputs["terminated"]):
        found.append("end")
    if before is None or after is None:
        return found
    vx0, vx1 = float(before["ball_vx"]), float(after["ball_vx"])
    vy0, vy1 = float(before["ball_vy"]), float(after["ball_vy"])
    point = reward in (np.float32(1), np.float32(-1))
    if int(after["tick"]) < int(before["tick"]) or point:
        found.append("serve")
    elif vx0 < 0 < vx1:
        found.append("hit:opponent")
    if not point and reward != _HIT and vy0 * vy1 < 0:
        found.append("bounce:wall")
    if reward == _HIT and abs(vy1) > 0 and abs(vy1) >= abs(vy0) and abs(abs(vy1) - abs(vy0)) < 1e-6:
        found.append("speed:clipped")
    return found
