from odoo import fields, models


class LbeElderImportError(models.TransientModel):
    """A problem the Excel import found in one cell (or row) of the file."""

    _name = "lbe.elder.import.error"
    _description = "Error in an Excel Import of Elders"
    _inherit = ["lbe.wizard.mixin"]
    _order = "row, id"
    _rec_name = "message"

    import_id = fields.Many2one("lbe.elder.import", required=True, index=True, ondelete="cascade")
    row = fields.Integer(help="The row of the sheet, as Excel numbers it.")
    column = fields.Char(help="The header of the column, as in the template.")
    value = fields.Char(help="What the cell holds.")
    message = fields.Char(help="What is wrong, and how to put it right.")
