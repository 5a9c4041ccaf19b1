"""Recompute every number a small clinical study prints and say, number by number, whether it holds up.

Data flows one way: datasets -> claims -> recomputation -> verdicts -> figures and report.
"""

__version__ = "0.1.0"
