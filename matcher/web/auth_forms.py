"""Forms of the staff login and account pages (shape only; the data layer checks facts)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, Form, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

ROLE_CHOICES = [SelectChoice("caseworker", _l("Sagsbehandler")),
                SelectChoice("provider", _l("Kursusudbyder")),
                SelectChoice("admin", _l("Administrator"))]


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Skriv din e-mail.")), Length(max=254, message=_l("E-mailen er for lang."))])
    password = PasswordField(_l("Adgangskode"), validators=[
        DataRequired(_l("Skriv din adgangskode.")),
        Length(max=1000, message=_l("Adgangskoden er for lang."))])


class CodeForm(Form):
    code = StringField(_l("Kode"), validators=[
        DataRequired(_l("Skriv koden.")), Length(max=20, message=_l("Koden er for lang."))],
        description=_l("De 6 cifre fra din godkendelses-app, eller en af dine gendannelseskoder."))


class ChangePasswordForm(Form):
    current_password = PasswordField(_l("Nuværende adgangskode"), validators=[
        DataRequired(_l("Skriv din nuværende adgangskode.")), Length(max=1000)])
    new_password = PasswordField(_l("Ny adgangskode"), validators=[
        DataRequired(_l("Skriv en ny adgangskode.")), Length(max=1000)],
        description=_l("Mindst 8 tegn, gerne 15 eller flere. Flere ord i træk er nemme at huske."))
    new_password_again = PasswordField(_l("Gentag den nye adgangskode"), validators=[
        DataRequired(_l("Gentag den nye adgangskode.")),
        EqualTo("new_password", _l("De to adgangskoder er ikke ens."))])


class EnrolForm(Form):
    password = PasswordField(_l("Din adgangskode"), validators=[
        DataRequired(_l("Skriv din adgangskode for at bekræfte, at det er dig.")),
        Length(max=1000)])
    code = StringField(_l("Kode fra appen"), validators=[
        DataRequired(_l("Skriv koden fra appen.")),
        Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("Koden er 6 cifre."))])


class InviteForm(Form):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Skriv en e-mail.")), Length(max=254, message=_l("E-mailen er for lang.")),
        Regexp(r"^[^@\s<>\"'(),;:]+@[^@\s<>\"'(),;:]+\.[A-Za-z]{2,}$",
               message=_l("Skriv en gyldig e-mail, fx navn@herning.dk."))])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default="caseworker")
    provider_code = SelectField(_l("Udbyder (kun for kursusudbydere)"), choices=[],
                                validators=[Optional()])


class RoleForm(Form):
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES)
    provider_code = SelectField(_l("Udbyder (kun for kursusudbydere)"), choices=[],
                                validators=[Optional()])
