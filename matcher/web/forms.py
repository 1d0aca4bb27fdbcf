"""The citizen journey's forms: they check the shape of each answer, the data layer the facts.

Plain WTForms forms: CSRFProtect checks the token of every POST for the whole site.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Form,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

STATUS_CHOICES = [
    SelectChoice("unemployed", _l("Ledig")),
    SelectChoice("employed", _l("I arbejde")),
    SelectChoice("self_employed", _l("Selvstændig")),
    SelectChoice("fleksjob_unemployed", _l("Ledig og godkendt til fleksjob")),
    SelectChoice("student", _l("Under uddannelse")),
    SelectChoice("other", _l("Andet")),
]
BENEFIT_CHOICES = [
    SelectChoice("dagpenge", _l("Dagpenge")),
    SelectChoice("kontanthjaelp", _l("Kontanthjælp")),
    SelectChoice("uddannelseshjaelp", _l("Uddannelseshjælp")),
    SelectChoice("ledighedsydelse", _l("Ledighedsydelse")),
    SelectChoice("none", _l("Ingen ydelse")),
]
SCHEDULE_CHOICES = [
    SelectChoice("day", _l("I dagtimerne")),
    SelectChoice("evening", _l("Om aftenen")),
    SelectChoice("weekend", _l("I weekenden")),
    SelectChoice("self_paced", _l("I mit eget tempo (online)")),
]
DISTANCE_CHOICES = [SelectChoice("10", _l("Op til 10 km")), SelectChoice("25", _l("Op til 25 km")),
                    SelectChoice("50", _l("Op til 50 km")), SelectChoice("100", _l("Op til 100 km")),
                    SelectChoice("200", _l("Længere end 100 km"))]
LENGTH_CHOICES = [SelectChoice("", _l("Ingen grænse")), SelectChoice("5", _l("Højst 1 uge")),
                  SelectChoice("10", _l("Højst 2 uger")), SelectChoice("30", _l("Højst 6 uger")),
                  SelectChoice("90", _l("Højst 3 måneder"))]
START_CHOICES = [SelectChoice("4", _l("Inden for 1 måned")), SelectChoice("13", _l("Inden for 3 måneder")),
                 SelectChoice("26", _l("Inden for 6 måneder")), SelectChoice("52", _l("Inden for 1 år"))]


class WholeNumberField(IntegerField):
    """An integer field whose "not a number" message is ours, in the reader's language."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        # ASCII digits only: str.isdigit() is also true for "²" (which int() refuses) and
        # int() would also read "٣" and "５"; all get the field's own message.
        if not re.fullmatch(r"-?[0-9]{1,6}", text):
            self.data = None
            raise ValueError(str(_l("Skriv et helt tal, fx 34.")))
        self.data = int(text)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SituationForm(Form):
    status = RadioField(_l("Hvad er din situation lige nu?"), choices=STATUS_CHOICES,
                        validators=[InputRequired(_l("Vælg din situation."))])
    benefit = RadioField(_l("Hvilken ydelse får du?"), choices=BENEFIT_CHOICES,
                         validators=[Optional()],
                         description=_l("Spring over, hvis du ikke ved det."))
    unemployed_weeks = WholeNumberField(
        _l("Hvor mange uger har du været ledig?"),
        validators=[Optional(), NumberRange(0, 1040, _l("Skriv et antal uger mellem 0 og 1040."))],
        description=_l("Kun hvis du er ledig. Skriv 0, hvis du lige er blevet ledig."))
    age = WholeNumberField(_l("Hvor gammel er du?"),
                       validators=[InputRequired(_l("Skriv din alder i hele år.")),
                                   NumberRange(15, 80, _l("Alderen skal være mellem 15 og 80 år."))])


class EducationForm(Form):
    education_level = RadioField(_l("Hvad er din højeste fuldførte uddannelse?"), choices=[],
                                 validators=[InputRequired(_l("Vælg din højeste uddannelse."))])
    has_eud = BooleanField(_l("Jeg har en erhvervsuddannelse (jeg er faglært)"))
    education_outdated = BooleanField(
        _l("Jeg har ikke brugt min uddannelse i mindst 5 år"),
        description=_l("Så regnes uddannelsen som forældet, og du kan have ret til mere støtte."))
    # Choices come from the catalogue; the step checks them itself, so that a tampered value
    # gets our message instead of WTForms' English one.
    certificates = MultiCheckboxField(_l("Kørekort og certifikater, du har"), choices=[],
                                      validate_choice=False)


class SearchForm(Form):
    """One search box of the search-and-pick steps (educations, jobs, skills, courses, interests)."""

    query = StringField(_l("Søg"), validators=[Optional(), Length(max=100, message=_l(
        "Skriv højst 100 tegn."))])


class JobForm(Form):
    years = SelectField(_l("Hvor længe?"), default="1", choices=[
        SelectChoice("0.5", _l("Under 1 år")), SelectChoice("1", _l("1 år")),
        SelectChoice("2", _l("2-4 år")), SelectChoice("5", _l("5 år eller mere"))])


class LimitsForm(Form):
    postcode = StringField(_l("Dit postnummer"), validators=[
        DataRequired(_l("Skriv dit postnummer.")),
        Regexp(r"^\d{4}$", message=_l("Et postnummer har 4 cifre, fx 7400."))],
        description=_l("Vi bruger det kun til at regne afstanden til kurserne ud."))
    max_distance_km = SelectField(_l("Hvor langt vil du rejse?"), choices=DISTANCE_CHOICES,
                                  default="50")
    schedule = MultiCheckboxField(_l("Hvornår kan du gå på kursus?"), choices=SCHEDULE_CHOICES,
                                  validators=[DataRequired(_l("Vælg mindst ét tidspunkt."))],
                                  default=[choice.value for choice in SCHEDULE_CHOICES])
    max_course_days = SelectField(_l("Hvor langt må et kursus højst være?"),
                                  choices=LENGTH_CHOICES, default="")
    start_within_weeks = SelectField(_l("Hvornår kan du starte?"), choices=START_CHOICES,
                                     default="26")



def form_errors(form: Form) -> list[tuple[str, str]]:
    """The first problem of each field, as (field id, message) for the error summary."""
    return [(form[name].id, messages[0]) for name, messages in form.errors.items() if messages]
