from . import lbe_region_import
from . import lbe_elder_exit
