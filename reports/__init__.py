from . import report_lbe_elder_annex1
from . import report_lbe_summary_annex2
from . import report_lbe_summary_annex2_xlsx
from . import report_lbe_ledger_xlsx
from . import report_lbe_elder_import_template
from . import report_lbe_elder_import_errors
from . import report_lbe_visit_report
