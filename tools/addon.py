"""The addon's plain modules (no Odoo in them) for the tools, read from their
files: the tools name the tiers and Annex 1's facts as the addon does."""

import importlib.util
from pathlib import Path

ADDON_DIR = Path(__file__).resolve().parent.parent


def _addon_module(name, path):
    spec = importlib.util.spec_from_file_location(name, ADDON_DIR / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tiers = _addon_module("lbe_tiers", "models/tiers.py")
annex1 = _addon_module("lbe_annex1", "annex/annex1.py")
