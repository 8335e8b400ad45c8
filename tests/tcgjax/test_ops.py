"""The batch-level helpers behind tcgjax's sparse paths agree with their plain definitions: running ranks
over a batch, picking the first k games, and the discard histogram built only for the games that need it
(several chunks, none, and all of a batch)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from ported_envs.tcgjax.engine import first_k
from ported_envs.tcgjax.ops import SPARSE_CHUNK, add_to_discard, add_to_discard_if, batch_ranks


@pytest.mark.parametrize("n", [1, 7, 64, 100, 4096])
def test_batch_ranks_is_the_exclusive_running_count(n):
    on = np.random.default_rng(n).random(n) < 0.3
    assert np.array_equal(np.asarray(jax.jit(batch_ranks)(jnp.asarray(on))), np.cumsum(on) - on)


def test_first_k_takes_the_smallest_then_the_filler():
    cand = jnp.array([9, 3, 9, 0, 9, 5], jnp.int32)           # 9 = "not wanted" (the batch size)
    assert np.asarray(first_k(cand, 4, 9)).tolist() == [0, 3, 5, 9]


@pytest.mark.parametrize("share", [0.0, 0.2, 1.0])
def test_sparse_discard_histogram_matches_the_dense_one(share):
    rng = np.random.default_rng(7)
    n = 3 * SPARSE_CHUNK + 5                                   # several chunks and a partial one
    discard = jnp.asarray(rng.integers(0, 3, (n, 2, 66)), jnp.int32)
    cards = jnp.asarray(rng.integers(0, 66, (n, 2, 20)), jnp.int32)
    on = jnp.asarray(rng.random(n) < share)
    sparse = jax.jit(jax.vmap(add_to_discard_if))(discard, cards, on)
    dense = jnp.where(on[:, None, None], jax.vmap(add_to_discard)(discard, cards), discard)
    assert np.array_equal(np.asarray(sparse), np.asarray(dense))
    single = add_to_discard_if(discard[0], cards[0], on[0])   # the unbatched definition
    assert np.array_equal(np.asarray(single), np.asarray(dense[0]))
