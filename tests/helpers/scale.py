"""bench/scale.py, the graph grower, loaded as a module (bench/ is not a package)."""

from __future__ import annotations

import importlib.util
import sys

from kg.core.paths import REPO_ROOT


def load_scale():
    """The module bench/scale.py."""
    spec = importlib.util.spec_from_file_location("bench_scale", REPO_ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module
