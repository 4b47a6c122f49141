"""Swedish labels for the format's enumerations, shared by the core, the maps and the CLI.

The tables hold the Swedish words (marked for the message catalogue); `status_label`,
`weight_label` and `principal_label` give them in the chosen language (`kprocess.i18n`).
"""

from __future__ import annotations

from kprocess.i18n import N_, _

PRINCIPAL_LABEL = {
    "region": N_("Region"),
    "kommun": N_("Kommun"),
    "gemensam": N_("Gemensamt"),
    "nationell": N_("Nationellt"),
    "sjukvardsregional": N_("Sjukvårdsregionalt"),
}
WEIGHT_LABEL = {
    "kannedom": N_("kännedom"),
    "bereder": N_("beredning"),
    "tillstyrkan": N_("tillstyrkan"),
    "rekommendation": N_("rekommendation"),
    "faststallande": N_("fastställande"),
    "beslut": N_("beslut"),
}
STATUS_LABEL = {
    "completed": N_("slutfört"),
    "handed_over": N_("överlämnat"),
    "stopped": N_("avslutat"),
    "parked": N_("parkerat"),
    "ongoing": N_("pågående (fortlöpande uppföljning)"),
}


def status_label(status: str) -> str:
    """How a case ended, in words (`slutfört`); an unknown status as it is."""
    return _(STATUS_LABEL[status]) if status in STATUS_LABEL else status


def weight_label(weight: str) -> str:
    """A decision's weight in words (`beslut`, `tillstyrkan`); an unknown weight as it is."""
    return _(WEIGHT_LABEL[weight]) if weight in WEIGHT_LABEL else weight


def principal_label(principal: str) -> str:
    """A principal in words (`Region`, `Kommun`); an unknown principal as it is."""
    return _(PRINCIPAL_LABEL[principal]) if principal in PRINCIPAL_LABEL else principal
