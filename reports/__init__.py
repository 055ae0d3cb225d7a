from . import report_lbe_elder_annex1
from . import report_lbe_summary_annex2
from . import report_lbe_ledger_xlsx
