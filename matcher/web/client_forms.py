"""The caseworkers' client forms: a label and notes (never a CPR number), sharing, deleting.

The profile has no form of its own: it is edited with the citizen journey's steps
(matcher.web.steps), so it has the same fields and the same checks.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from matcher.data.clients import MAX_LABEL, MAX_NOTES, text_problem

# What each refusal of the data layer's text check says (clients.text_problem).
TEXT_MESSAGES = {
    "label": {
        "blank": _l("Skriv et navn eller initialer, som du kan kende klienten på."),
        "too_long": _l("Skriv højst %(count)s tegn i navnet.", count=MAX_LABEL),
        "control": _l("Navnet indeholder tegn, der ikke kan gemmes. Skriv det igen."),
        "cpr": _l("Navnet ligner et CPR-nummer. Skriv aldrig CPR-numre her: brug et navn "
                  "eller initialer."),
    },
    "notes": {
        "too_long": _l("Skriv højst %(count)s tegn i noterne.", count=MAX_NOTES),
        "control": _l("Noterne indeholder tegn, der ikke kan gemmes. Skriv dem igen."),
        "cpr": _l("Noterne indeholder noget, der ligner et CPR-nummer (fx 010203-1234). "
                  "Skriv aldrig CPR-numre her. Skriv datoer og tal på en anden måde."),
    },
}


def _text_check(name: str, longest: int, required: bool):  # type: ignore[no-untyped-def]
    def check(form: Form, field: StringField) -> None:
        problem = text_problem(field.data or "", longest=longest, required=required)
        if problem:
            raise ValidationError(str(TEXT_MESSAGES[name][problem]))
    return check


class ClientForm(Form):
    label = StringField(
        _l("Navn eller initialer"),
        description=_l("Det, du kender klienten på, fx »Anna H.« eller »AH 3«. Aldrig CPR-nummer."),
        validators=[_text_check("label", MAX_LABEL, True)])
    notes = TextAreaField(
        _l("Noter"),
        description=_l("Korte noter til jeres samtaler, højst %(count)s tegn. Skriv ikke "
                       "CPR-nummer eller oplysninger om helbred: sagen hører til i kommunens "
                       "sagssystem.", count=MAX_NOTES),
        validators=[_text_check("notes", MAX_NOTES, False)])


class ShareForm(Form):
    # Choices are the active caseworkers; a posted id outside them is checked by the data
    # layer (clients.share_candidate), so a tampered value gets our own message.
    user = SelectField(_l("Kollega"), choices=[], validate_choice=False,
                       validators=[InputRequired(_l("Vælg den kollega, klienten skal deles med."))])


SHARE_MESSAGES = {
    "unknown_user": _l("Vælg en aktiv sagsbehandler på listen."),
    "not_caseworker": _l("Klienter kan kun deles med sagsbehandlere."),
    "owner": _l("Det er klientens ejer."),
    "already_shared": _l("Klienten er allerede delt med den kollega."),
}


class DeleteForm(Form):
    confirm = BooleanField(_l("Ja, slet klienten og alt om klienten"),
                           validators=[InputRequired(_l("Sæt kryds for at bekræfte, at klienten "
                                                        "skal slettes."))])
