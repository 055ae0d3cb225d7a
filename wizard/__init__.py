from . import lbe_region_import
from . import lbe_elder_exit
from . import lbe_summary_return
from . import lbe_ledger_export
from . import lbe_elder_import
from . import lbe_elder_import_error
from . import lbe_facility_service_batch
