"""Published files the tests hold the project against, kept in the repository (see fixtures/*/README.md)."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The R-AVST test split as its authors publish it (MIT licensed; fixtures/r-avst/README.md).
RAVST_TEST_SPLIT = FIXTURES / "r-avst" / "xml_test_QA.json"
