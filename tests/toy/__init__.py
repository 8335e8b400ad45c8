"""A toy family living in the tests: a coin walk with a random drift and a rare treasure.

It exists to prove the framework: an equivalent port must pass every layer and
each deliberately broken port must be caught by the layer one would expect.
"""
