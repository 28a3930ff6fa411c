"""Small builders: people placed by kilometres east/north of a point in Borås."""

import math
from datetime import UTC, datetime

from tillsammans.matching import Request, Volunteer

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
LAT, LON = 57.72, 12.94


def at(east_km: float = 0.0, north_km: float = 0.0) -> dict:
    return {
        "lat": LAT + north_km / 111.195,
        "lon": LON + east_km / (111.195 * math.cos(math.radians(LAT))),
    }


def volunteer(id, east_km=0.0, north_km=0.0, **fields) -> Volunteer:
    values = {
        "help_types": frozenset({"shopping"}),
        "languages": frozenset({"sv"}),
        "capacity": 1,
        **at(east_km, north_km),
        **fields,
    }
    return Volunteer(id=id, **values)


def request(id, east_km=0.0, north_km=0.0, **fields) -> Request:
    values = {"help_type": "shopping", **at(east_km, north_km), **fields}
    return Request(id=id, **values)


def pairs(result) -> set[tuple]:
    return {(p.volunteer_id, p.request_id) for p in result.proposals}
