"""Swedish labels for the format's enumerations, shared by the core, the maps and the CLI."""

from __future__ import annotations

PRINCIPAL_LABEL = {
    "region": "Region",
    "kommun": "Kommun",
    "gemensam": "Gemensamt",
    "nationell": "Nationellt",
    "sjukvardsregional": "Sjukvårdsregionalt",
}
WEIGHT_LABEL = {
    "kannedom": "kännedom",
    "bereder": "beredning",
    "tillstyrkan": "tillstyrkan",
    "rekommendation": "rekommendation",
    "faststallande": "fastställande",
    "beslut": "beslut",
}
STATUS_LABEL = {
    "completed": "slutfört",
    "handed_over": "överlämnat",
    "stopped": "avslutat",
    "parked": "parkerat",
    "ongoing": "pågående (fortlöpande uppföljning)",
}
