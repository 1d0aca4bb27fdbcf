"""The course providers' forms: the shape of each field, with a Danish message of its own.

Facts (does the skill exist, is the postcode known, has the row changed meanwhile) are the
data layer's (matcher.data.listings); it reports them back through these forms' errors.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    Form,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

KIND_CHOICES = [
    SelectChoice("amu", _l("AMU-kursus")),
    SelectChoice("akademi", _l("Akademiuddannelse (modul)")),
    SelectChoice("diplom", _l("Diplomuddannelse (modul)")),
    SelectChoice("eud", _l("Erhvervsuddannelse (EUD)")),
    SelectChoice("euv", _l("Erhvervsuddannelse for voksne (EUV)")),
    SelectChoice("voksenlaerling", _l("Voksenlærling")),
    SelectChoice("ikv", _l("Individuel kompetencevurdering (IKV)")),
    SelectChoice("other", _l("Andet")),
]
LANGUAGE_CHOICES = [SelectChoice("", _l("Ikke oplyst")), SelectChoice("da", _l("Dansk")),
                    SelectChoice("en", _l("Engelsk"))]
DELIVERY_CHOICES = [SelectChoice("", _l("Ikke oplyst")),
                    SelectChoice("presence", _l("Fremmøde")),
                    SelectChoice("online", _l("Online")),
                    SelectChoice("blended", _l("Blandet (fremmøde og online)"))]
SCHEDULE_CHOICES = [SelectChoice("", _l("Ikke oplyst")),
                    SelectChoice("day", _l("Dagtimer")),
                    SelectChoice("evening", _l("Aften")),
                    SelectChoice("weekend", _l("Weekend")),
                    SelectChoice("self_paced", _l("I eget tempo"))]
STATUS_CHOICES = [SelectChoice("open", _l("Åbent for tilmelding")),
                  SelectChoice("full", _l("Fuldt booket")),
                  SelectChoice("cancelled", _l("Aflyst"))]
TIME_OF_DAY_CHOICES = [SelectChoice("", _l("Som kursets tidspunkt")), *SCHEDULE_CHOICES[1:]]
# The names shown for changed fields on a conflict page and in the audit view.
FIELD_LABELS = {
    "title_da": _l("Titel (dansk)"), "title_en": _l("Titel (engelsk)"), "kind": _l("Type"),
    "official_code": _l("Officiel kode"), "description_da": _l("Beskrivelse"),
    "duration_days": _l("Varighed (dage)"), "hours": _l("Timer"), "price_dkk": _l("Pris (kr.)"),
    "fee_target_group_dkk": _l("Deltagerbetaling for målgruppen (kr.)"),
    "min_education_level": _l("Krævet uddannelsesniveau"), "language": _l("Sprog"),
    "delivery": _l("Undervisningsform"), "schedule": _l("Tidspunkt"), "url": _l("Link"),
    "skills": _l("Kompetencer"), "prerequisites": _l("Forudsætninger"),
    "occupations": _l("Job, kurset sigter mod"), "archived": _l("Arkiveret"),
    "confirmed_at": _l("Bekræftet"), "start_date": _l("Startdato"), "end_date": _l("Slutdato"),
    "postcode": _l("Postnummer"), "seats": _l("Pladser"), "status": _l("Status"),
    "time_of_day": _l("Tidspunkt på dagen"),
}
_HTML = re.compile(r"<[A-Za-z/!?]|&#?\w+;")
MAX_PRICE = 1_000_000


class NoHtml:
    """Plain text only: tags and character references are refused, not silently stripped."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data and _HTML.search(field.data):
            raise ValidationError(str(self.message))


class WebAddress:
    """An http or https address with a host (no javascript:, data: or mailto: links)."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if not field.data:
            return
        parts = urlsplit(field.data)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname \
                or any(ch.isspace() for ch in field.data):
            raise ValidationError(str(self.message))


class TrimmedField(StringField):
    """Text with outer spaces removed; blank becomes None."""

    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.data = text or None

    def _value(self) -> str:
        return self.data or ""


class TrimmedTextArea(TextAreaField):
    def process_formdata(self, valuelist: list[str]) -> None:
        text = valuelist[0].strip() if valuelist else ""
        self.data = text.replace("\r\n", "\n") or None

    def _value(self) -> str:
        return self.data or ""


class NumberField(StringField):
    """A number as people write it (a decimal comma or point), with the field's own message."""

    def __init__(self, label: Any = None, validators: Any = None, *, message: Any,
                 whole: bool = False, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message
        self.whole = whole
        self.raw = ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not self.raw:
            return
        pattern = r"-?[0-9]{1,9}" if self.whole else r"-?[0-9]{1,7}([.,][0-9])?"
        if not re.fullmatch(pattern, self.raw):
            raise ValueError(str(self.message))
        try:
            value = Decimal(self.raw.replace(",", "."))
        except InvalidOperation:
            raise ValueError(str(self.message)) from None
        self.data = int(value) if self.whole else value

    def _value(self) -> str:
        if self.raw:
            return self.raw
        if self.data is None:
            return ""
        if isinstance(self.data, Decimal) and self.data == self.data.to_integral():
            return str(int(self.data))
        return str(self.data).replace(".", ",")


class DateInputField(StringField):
    """A date as a date input sends it (YYYY-MM-DD), or typed as DD-MM-YYYY."""

    def __init__(self, label: Any = None, validators: Any = None, *, message: Any,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message
        self.raw = ""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not self.raw:
            return
        typed = re.fullmatch(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})", self.raw)
        try:
            if typed:
                self.data = date(int(typed[3]), int(typed[2]), int(typed[1]))
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.raw):
                self.data = date.fromisoformat(self.raw)
            else:
                raise ValueError
        except ValueError:
            self.data = None
            raise ValueError(str(self.message)) from None

    def _value(self) -> str:
        if self.data is not None:
            return self.data.isoformat()
        return self.raw


class Required:
    """InputRequired for fields that parse their own data: stops at a blank value."""

    def __init__(self, message: Any) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(str(self.message))


class _LazyAnyOf(AnyOf):
    """AnyOf whose message is translated when it is shown, not when the module loads."""

    def __init__(self, values: list[str], message: Any) -> None:
        super().__init__(values)
        self.lazy_message = message

    def __call__(self, form: Form, field: Field) -> None:
        if (field.data or "") not in self.values:  # an absent select is its blank choice
            raise ValidationError(str(self.lazy_message))


class CourseForm(Form):
    title_da = TrimmedField(_l("Titel på dansk"), validators=[
        InputRequired(_l("Skriv kursets titel.")),
        Length(max=300, message=_l("Titlen må højst have 300 tegn.")),
        NoHtml(_l("Titlen må ikke indeholde HTML, fx < og >."))])
    title_en = TrimmedField(_l("Titel på engelsk"), validators=[
        Optional(), Length(max=300, message=_l("Den engelske titel må højst have 300 tegn.")),
        NoHtml(_l("Den engelske titel må ikke indeholde HTML, fx < og >."))],
        description=_l("Kan udelades. Vises for engelsksprogede borgere."))
    kind = SelectField(_l("Type"), choices=KIND_CHOICES, default="amu", validate_choice=False,
                       validators=[_LazyAnyOf([c.value for c in KIND_CHOICES],
                                              _l("Vælg kursets type på listen."))])
    official_code = TrimmedField(_l("Officiel kode (fx AMU-målnummer)"), validators=[
        Optional(), Regexp(r"^[A-Za-z0-9\-]{1,40}$", message=_l(
            "Den officielle kode må kun have bogstaver, tal og bindestreg (højst 40 tegn)."))],
        description=_l("Lad feltet stå tomt, hvis kurset ikke har en officiel kode, eller du "
                       "ikke kender den. Gæt aldrig."))
    description_da = TrimmedTextArea(_l("Beskrivelse"), validators=[
        Optional(), Length(max=4000, message=_l("Beskrivelsen må højst have 4000 tegn.")),
        NoHtml(_l("Beskrivelsen må ikke indeholde HTML, fx < og >."))])
    duration_days = NumberField(_l("Varighed i dage"), validators=[
        Required(_l("Skriv kursets varighed i dage, fx 5.")),
        NumberRange(Decimal("0.5"), 2000, _l("Varigheden skal være mellem 0,5 og 2000 dage."))],
        message=_l("Skriv varigheden som et tal, fx 5 eller 2,5."),
        description=_l("Hele eller halve dage, fx 5 eller 2,5."))
    hours = NumberField(_l("Timer i alt"), validators=[
        Optional(), NumberRange(0, 20000, _l("Timetallet skal være mellem 0 og 20000."))],
        message=_l("Skriv timetallet som et tal, fx 37."))
    price_dkk = NumberField(_l("Pris i kroner"), whole=True, validators=[
        Optional(), NumberRange(0, MAX_PRICE, _l("Prisen skal være mellem 0 og 1.000.000 kr."))],
        message=_l("Skriv prisen i hele kroner uden punktum, fx 4500."),
        description=_l("Fuld pris uden tilskud. Skriv 0, hvis kurset er gratis."))
    fee_target_group_dkk = NumberField(_l("Deltagerbetaling for målgruppen i kroner"),
                                       whole=True, validators=[
        Optional(), NumberRange(0, MAX_PRICE, _l(
            "Deltagerbetalingen skal være mellem 0 og 1.000.000 kr."))],
        message=_l("Skriv deltagerbetalingen i hele kroner, fx 900."),
        description=_l("Fx AMU-deltagerbetaling. Kan udelades."))
    min_education_level = SelectField(_l("Krævet uddannelsesniveau"), choices=[],
                                      validate_choice=False)
    language = SelectField(_l("Undervisningssprog"), choices=LANGUAGE_CHOICES,
                           validate_choice=False, validators=[_LazyAnyOf(
                               [c.value for c in LANGUAGE_CHOICES],
                               _l("Vælg undervisningssproget på listen."))])
    delivery = SelectField(_l("Undervisningsform"), choices=DELIVERY_CHOICES,
                           validate_choice=False, validators=[_LazyAnyOf(
                               [c.value for c in DELIVERY_CHOICES],
                               _l("Vælg undervisningsformen på listen."))])
    schedule = SelectField(_l("Tidspunkt"), choices=SCHEDULE_CHOICES, validate_choice=False,
                           validators=[_LazyAnyOf([c.value for c in SCHEDULE_CHOICES],
                                                  _l("Vælg tidspunktet på listen."))])
    url = TrimmedField(_l("Link til kurset"), validators=[
        Optional(), Length(max=500, message=_l("Linket må højst have 500 tegn.")),
        WebAddress(_l("Linket skal begynde med http:// eller https://, fx "
                      "https://www.skole.dk/kursus."))])
    version = HiddenField()

    def validate_min_education_level(self, field: Field) -> None:
        if field.data and field.data not in [c.value for c in field.choices]:
            raise ValidationError(str(_l("Vælg uddannelsesniveauet på listen.")))


class SessionForm(Form):
    start_date = DateInputField(_l("Startdato"), validators=[
        Required(_l("Skriv holdets startdato."))],
        message=_l("Skriv startdatoen som en dato, fx 2027-03-01."))
    end_date = DateInputField(_l("Slutdato"), validators=[
        Required(_l("Skriv holdets slutdato."))],
        message=_l("Skriv slutdatoen som en dato, fx 2027-03-05."))
    postcode = TrimmedField(_l("Postnummer, hvor holdet foregår"), validators=[
        Optional(), Regexp(r"^\d{4}$", message=_l("Et postnummer har 4 cifre, fx 7400."))],
        description=_l("Lad feltet stå tomt, hvis holdet foregår på jeres adresse."))
    seats = NumberField(_l("Antal pladser"), whole=True, validators=[
        Optional(), NumberRange(0, 10000, _l("Antal pladser skal være mellem 0 og 10000."))],
        message=_l("Skriv antal pladser som et helt tal, fx 12."))
    status = SelectField(_l("Status"), choices=STATUS_CHOICES, default="open",
                         validate_choice=False, validators=[_LazyAnyOf(
                             [c.value for c in STATUS_CHOICES], _l("Vælg holdets status."))])
    time_of_day = SelectField(_l("Tidspunkt på dagen"), choices=TIME_OF_DAY_CHOICES,
                              validate_choice=False, validators=[_LazyAnyOf(
                                  [c.value for c in TIME_OF_DAY_CHOICES],
                                  _l("Vælg tidspunktet på listen."))])
    version = HiddenField()

    def check_dates(self, *, today: date, new: bool) -> bool:
        """Dates in order, and a new session not in the past; False with the field's error."""
        start, end = self.start_date.data, self.end_date.data
        ok = True
        if new and start is not None and start < today:
            self.start_date.errors = [*self.start_date.errors,
                                      str(_l("Et nyt hold kan ikke starte før i dag."))]
            ok = False
        if start is not None and end is not None and end < start:
            self.end_date.errors = [*self.end_date.errors,
                                    str(_l("Slutdatoen må ikke ligge før startdatoen."))]
            ok = False
        return ok


def version_of(form: CourseForm | SessionForm) -> int | None:
    """The version the form was drawn from; None when tampered with (a conflict, not a 500)."""
    text = form.version.data or ""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None


UPLOAD_KIND_CHOICES = [
    SelectChoice("courses", _l("Kurser (courses.csv)")),
    SelectChoice("sessions", _l("Hold (sessions.csv)")),
    SelectChoice("course_skills", _l("Kompetencer, kurserne giver (course_skills.csv)")),
    SelectChoice("course_occupations", _l("Job, kurserne sigter mod (course_occupations.csv)")),
]


class UploadForm(Form):
    """The upload page: which catalogue file it is (the file itself is request.files)."""

    kind = RadioField(_l("Hvilken fil uploader du?"), choices=UPLOAD_KIND_CHOICES,
                      validate_choice=False, validators=[_LazyAnyOf(
                          [c.value for c in UPLOAD_KIND_CHOICES],
                          _l("Vælg, hvilken slags fil du uploader."))])
    archive_missing = BooleanField(_l("Arkivér kurser, der ikke er i filen"), description=_l(
        "Kun for courses.csv. Uden flueben bliver kurser, der ikke står i filen, som de er."))
