"""fastflow's docs site builder: `python -m tools.docs` builds `_docs/` offline from the notebooks."""
from .build import build
from .checks import run_checks
