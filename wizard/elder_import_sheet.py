"""The uploaded workbook: the sheet that holds the template's header, found among
its sheets and title rows, and its rows read streaming."""

import io
import re
import unicodedata
import zipfile
import zlib

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from .elder_import_columns import HEADER_OF, KEYS, is_blank


def normalize_header(value):
    """Headers compare without spaces, full-width brackets as half-width."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


# Title rows (merged or not) may stand above the header.
HEADER_SCAN_ROWS = 10
# What reading a damaged workbook raises: its zip's (a member cut short, a
# compression zipfile lacks), its XML's (SyntaxError is the parent of
# ElementTree's and lxml's parse errors), or openpyxl's, meeting values it
# cannot take.
DAMAGED = (
    SyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
)


class FileError(Exception):
    """The file as a whole cannot be read: kind is "not_xlsx", "damaged", "empty",
    "no_header" or "missing" (the header row lacks columns, listed in `missing`)."""

    def __init__(self, kind, missing=()):
        super().__init__(kind)
        self.kind = kind
        self.missing = list(missing)


class ImportSheet:
    """The sheet of an uploaded workbook that holds the template's header, read
    streaming (openpyxl read-only: the rows are parsed as they are iterated)."""

    def __init__(self, content):
        try:
            self.book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError) as e:
            # Not a zip, or a zip without a workbook in it.
            raise FileError("not_xlsx") from e
        except DAMAGED as e:
            raise FileError("damaged") from e
        try:
            self._find_header()
        except DAMAGED as e:
            self.book.close()
            raise FileError("damaged") from e

    def _find_header(self):
        """Set the sheet, its header row and the columns by key, or raise FileError."""
        wanted = {normalize_header(HEADER_OF[key]): key for key in KEYS}
        seen_any, best = False, None
        for sheet in self.book.worksheets:
            try:
                size = sheet.max_row
            except (TypeError, ValueError):
                size = None
            # The declared size may be wrong (some writers leave A1): read every row.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)
            for number, row in enumerate(rows, start=1):
                seen_any = seen_any or any(not is_blank(value) for value in row)
                columns = {}
                for index, value in enumerate(row):
                    key = wanted.get(normalize_header(value))
                    if key and key not in columns:
                        columns[key] = index
                if len(columns) == len(KEYS):
                    self.sheet, self.header_row, self.columns = sheet, number, columns
                    self.header = list(row)
                    self.size = size
                    return
                if len(columns) >= 3 and (best is None or len(columns) > len(best)):
                    best = columns
        self.book.close()
        if best:
            raise FileError("missing", [HEADER_OF[key] for key in KEYS if key not in best])
        raise FileError("no_header" if seen_any else "empty")

    def rows(self):
        """(row number, the row's values, its cells by key) of every row below the
        header that is not blank."""
        rows = self.sheet.iter_rows(min_row=self.header_row + 1, values_only=True)
        try:
            for number, row in enumerate(rows, start=self.header_row + 1):
                if all(is_blank(value) for value in row):
                    continue
                width = len(row)
                cells = {
                    key: row[index] if index < width else None
                    for key, index in self.columns.items()
                }
                yield number, row, cells
        except DAMAGED as e:
            # A sheet whose XML is damaged: the file cannot be read as a whole.
            raise FileError("damaged") from e

    def all_rows(self):
        """Every row of the sheet from the first, blank ones included, as values."""
        return self.sheet.iter_rows(values_only=True)

    def close(self):
        self.book.close()
