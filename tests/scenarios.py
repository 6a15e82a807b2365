"""The planner's scenario the forecasting tests share: +40 € per pupil and per year, budget years
2027 to 2030, paid by the département, for equipment (issue 15's acceptance case), read from the
example file the README's command uses (``data/scenarios/plus40.json``)."""

import json
from pathlib import Path

PLUS40_FILE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "plus40.json"
PLUS40 = json.loads(PLUS40_FILE.read_text(encoding="utf-8"))
