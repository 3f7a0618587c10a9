"""Test-wide settings for every pytest run from the repository: unit tests and the nbval kernels they start."""
import os

# Kernels started by nbval inherit this: progress boards draw one final figure per
# cell instead of animating, exactly as when the notebooks were executed and saved.
os.environ["D2LKIT_PLOTS"] = "static"

# One PyTorch thread per kernel, as when the notebooks were saved (tools/notebooks.py): the
# thread count changes the rounding of reductions, hence the last digits of trained weights.
# It also keeps `pytest -n N` kernels from oversubscribing the cores, which slows small
# operations down many times over.
os.environ["OMP_NUM_THREADS"] = "1"
