"""The matching models, in the tenant's schema. Their tables keep the names they had in ``core``."""

from matching.models.matching import (
    Availability,
    CheckIn,
    CheckInStatus,
    ContactKind,
    DistrictNeighbour,
    Match,
    MatchContact,
    MatchEndReason,
    MatchingOptOut,
    MatchKind,
    MatchPreference,
    MatchRequest,
    MatchRequestSource,
    MatchRequestStatus,
    MatchStatus,
)
from matching.models.pathways import (
    Pathway,
    PathwayEndReason,
    PathwayOutcome,
    PathwayStage,
    PathwayStageChange,
)

__all__ = [
    "Availability",
    "CheckIn",
    "CheckInStatus",
    "ContactKind",
    "DistrictNeighbour",
    "Match",
    "MatchContact",
    "MatchEndReason",
    "MatchKind",
    "MatchPreference",
    "MatchRequest",
    "MatchRequestSource",
    "MatchRequestStatus",
    "MatchStatus",
    "MatchingOptOut",
    "Pathway",
    "PathwayEndReason",
    "PathwayOutcome",
    "PathwayStage",
    "PathwayStageChange",
]
