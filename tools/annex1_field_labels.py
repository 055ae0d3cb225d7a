"""Writes the Chinese labels of the ledger's fields that hold Annex 1's facts into
i18n/zh_CN.po, from annex/annex1.py's FACTS: the form shows each fact in the
annex's wording, and the wording lives in that one list.

Run by tools/update_translations.sh after the merge; usage: annex1_field_labels.py PO
"""

import importlib.util
import sys
from pathlib import Path

import polib

ADDON_DIR = Path(__file__).resolve().parent.parent
OCCURRENCE = "model:ir.model.fields,field_description:left_behind_elderly.field_lbe_elder__{}"


def _annex1():
    spec = importlib.util.spec_from_file_location("lbe_annex1", ADDON_DIR / "annex/annex1.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(path):
    annex1 = _annex1()
    po = polib.pofile(path, wrapwidth=0)
    entry_of = {occurrence: entry for entry in po for occurrence, _line in entry.occurrences}
    changed = 0
    for fact in annex1.FACTS:
        entry = fact.field and entry_of.get(OCCURRENCE.format(fact.field))
        if entry is None:
            continue
        if entry.msgstr != fact.ledger_label:
            entry.msgstr = fact.ledger_label
            changed += 1
    po.save(path)
    print(f"Annex 1's field labels: {changed} written to {path}")


if __name__ == "__main__":
    main(sys.argv[1])
