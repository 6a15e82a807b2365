"""The planner's scenario the forecasting tests share: +40 € per pupil and per year, budget years
2027 to 2030, paid by the département, for equipment (issue 15's acceptance case)."""

PLUS40 = {
    "name": "plus40",
    "changes": [
        {
            "from_year": 2027,
            "to_year": 2030,
            "funder_level": "departement",
            "category": "equipement",
            "delta_eur_per_pupil": 40,
        }
    ],
}
