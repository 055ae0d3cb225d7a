from odoo import fields, models


class LbeElderImportError(models.TransientModel):
    """A problem the Excel import found in one cell (or row) of the file."""

    _name = "lbe.elder.import.error"
    _description = "Error in an Excel Import of Elders"
    _order = "row, id"
    _rec_name = "message"

    import_id = fields.Many2one("lbe.elder.import", required=True, index=True, ondelete="cascade")
    row = fields.Integer(help="The row of the sheet, as Excel numbers it.")
    column = fields.Char(help="The header of the column, as in the template.")
    value = fields.Char(help="What the cell holds.")
    message = fields.Char(help="What is wrong, and how to put it right.")

    def onchange(self, values, field_names, fields_spec):
        # The web client reads a many2one's display name as superuser: another
        # user's import (its file name) must not be named through a new line.
        self.env["lbe.area.mixin"]._lbe_check_references(self, [values])
        return super().onchange(values, field_names, fields_spec)
