"""Monthly figures from an .xlsx upload: template, dry run, all-or-nothing apply.

- `container`: the upload's bytes checked before openpyxl opens them;
- `template`: the workbook a clerk fills in;
- `validation`: the dry run, an `ImportReport` of every change and every problem;
- `apply`: writing a problem-free report in one transaction.
"""

from assessment.spreadsheets.imports.apply import (
    ImportResult,
    apply_import,
    was_imported,
)
from assessment.spreadsheets.imports.container import check_container, read_upload
from assessment.spreadsheets.imports.template import (
    COLUMNS,
    INFO_SHEET_NAME,
    SHEET_NAME,
    manual_indicators,
    template_workbook,
)
from assessment.spreadsheets.imports.validation import (
    Change,
    ImportReport,
    Problem,
    validate_upload,
)

__all__ = [
    "COLUMNS",
    "INFO_SHEET_NAME",
    "SHEET_NAME",
    "Change",
    "ImportReport",
    "ImportResult",
    "Problem",
    "apply_import",
    "check_container",
    "manual_indicators",
    "read_upload",
    "template_workbook",
    "validate_upload",
    "was_imported",
]
