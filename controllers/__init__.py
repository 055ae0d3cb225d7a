from . import portal
from . import field_app
from . import report
from . import staff_password
