"""The schema tests import the extractor that wrote their fixture (``extract_examples``) by its
basename: pytest puts this directory first on the path for the test modules in it."""
