"""``pytest -p tests.toy.plugin --equiv reference=toy_ref ported=toy_jax``: the toy family as a plugin."""
from tests.toy.adapters import register

register()
