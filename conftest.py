"""Test-wide settings for every pytest run from the repository: unit tests and the nbval kernels they start."""
import os

# Kernels started by nbval inherit this: progress boards draw one final figure per
# cell instead of animating, exactly as when the notebooks were executed and saved.
os.environ["D2LKIT_PLOTS"] = "static"

# Under `pytest -n N` every worker runs its own kernel. One PyTorch thread each keeps the
# workers from oversubscribing the cores, which slows small operations down many times over.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
