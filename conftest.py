"""Test-wide settings for every pytest run from the repository: unit tests and the nbval kernels they start."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "tools"))
from notebooks import use_kernel_env  # noqa: E402

# Kernels started by nbval inherit KERNEL_ENV, exactly as when the notebooks were executed and
# saved. A variable set by the caller wins: CI's second nbval run picks another thread count.
use_kernel_env()
