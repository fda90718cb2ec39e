import pytest
from openpyxl import Workbook

from participants import importer


@pytest.fixture(scope="session")
def tall_xlsx(tmp_path_factory) -> bytes:
    """A workbook of 60,000 one-cell rows under the header, written row by row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(importer.REQUIRED)
    for _n in range(60_000):
        sheet.append(["x"])
    path = tmp_path_factory.mktemp("xlsx") / "tall.xlsx"
    workbook.save(path)
    return path.read_bytes()
