import sys
from pathlib import Path

# Lets the tests import the extractor that wrote their fixture.
sys.path.insert(0, str(Path(__file__).resolve().parent))
