from . import lbe_region
from . import res_users
from . import lbe_elder
from . import lbe_elder_child
from . import lbe_guardian
