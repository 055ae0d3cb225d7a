"""The wording of the two official forms (Annex 1 and Annex 2 of the provincial action plan).

Plain Python, no model: the models, the wizards and the reports all import it, so
that no import runs from the models up to the reports.
"""
