"""The physics layer: membrane electrochemistry, independent of any model.

The Nernst and Goldman–Hodgkin–Katz equations (:mod:`~mfn.physics.nernst`) and the ionic
medium of a membrane with the resting potential it sets (:mod:`~mfn.physics.membrane`).

Rank 1: it may import :mod:`mfn.core` only; the models above use it (ADR 0010).
"""
