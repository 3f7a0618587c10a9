"""Test-wide settings for every pytest run from the repository: unit tests and the nbval kernels they start."""
import os

# Kernels started by nbval inherit this: progress boards draw one final figure per
# cell instead of animating, exactly as when the notebooks were executed and saved.
os.environ["D2LKIT_PLOTS"] = "static"
