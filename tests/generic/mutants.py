"""One-constant mutants of gymnax's CartPole, checked through the zero-code adapters as
``gymnax:tests.generic.mutants:<Class>`` against ``gym:CartPole-v1``."""
from gymnax.environments.classic_control.cartpole import CartPole, EnvParams


class Gravity981(CartPole):
    """g = 9.81 instead of 9.8: a 0.1 % change in one physical constant."""

    @property
    def default_params(self) -> EnvParams:
        return EnvParams(gravity=9.81)


class HalfTimeStep(CartPole):
    """tau = 0.01 s instead of 0.02: each step moves half as far, so episodes last about twice as
    many steps. (A 15-degree angle limit instead of 12 moves the mean length under random play
    by only 1.5 steps, from 22.8: within the margin, rightly not a difference statistics claim.)"""

    @property
    def default_params(self) -> EnvParams:
        return EnvParams(tau=0.01)
