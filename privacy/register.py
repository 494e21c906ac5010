"""The register of personal data every tenant keeps: the one place the public privacy notice is made from.

Each category says, in plain words, which fields hold the data (as ``app_label.Model.field``), why we keep
it, on which legal basis, who sees it and for how long. Every other field of every model in
``TENANT_APPS`` is listed in ``NOT_PERSONAL`` (technical fields, or data about organisations rather than
people). The test ``privacy/tests/test_privacy_register.py`` walks the app registry and fails on any field
that is in neither, so a model cannot gain personal data without the notice saying so.

Field names are strings, not model imports: this module is plain declarations and loads before the apps.
(``ivplatform/personal_data.py`` is a different thing: the values the log scan looks for.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Whose data a category is, so that everyone finds their own part of the notice."""

    PARTICIPANT = "participant", _("If you take part in our activities or sign up")
    DONOR = "donor", _("If you give us a gift by card")
    STAFF = "staff", _("If you work with us as staff or volunteer")
    PARTNER = "partner", _("If you are a contact person at one of our partners")


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Your consent. You may take it back at any time.")
    CONTRACT = "contract", _("An agreement with you: you asked us for this.")
    LEGITIMATE_INTEREST = (
        "legitimate_interest",
        _("Our legitimate interest: it is needed for our work and goes no further than you can expect."),
    )
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation.")


class Recipient(models.TextChoices):
    """Who sees the data. The board and funders get counts only: statistics leave a tenant as numbers."""

    STAFF = "staff", _("Our coordinators and our administrator.")
    ADMIN = "admin", _("Our administrator.")
    LEADERS = (
        "leaders",
        _("The leaders of the activities you take part in (not if your identity is protected)."),
    )
    MATCH = (
        "match",
        _("The friend family or language friend you are matched with: your name and how to reach you."),
    )
    PARTNERS = "partners", _("The partner who helps you (a club, an employer), only if you agree to sharing.")
    BOARD = "board", _("The board of Internationella Vänner: counts only, never names.")
    FUNDERS = "funders", _("Our funders: numbers only, never names.")
    STRIPE = "stripe", _("Stripe, which handles card payments for us.")


class Retention(StrEnum):
    """How long a category is kept; ``retention_sentence`` says it with the tenant's own figures."""

    INACTIVITY = "inactivity"  # the tenant's own limit (privacy.RetentionSetting), the nightly anonymisation
    SIGNUP = "signup"  # the same limit, counted from when the sign-up was handled (purged nightly)
    LOGIN_RECORDS = "login_records"  # settings.LOGIN_RECORDS_RETENTION_DAYS (accounts' nightly purge)
    IMPORT = "import"  # people.services.imports.IMPORT_LIFETIME (purged nightly)
    ACCOUNT = "account"
    PARTNER_CONTACT = "partner_contact"
    AUDIT = "audit"  # append-only, enforced by the database
    BOOKKEEPING = "bookkeeping"


@dataclass(frozen=True)
class FieldGroup:
    """Fields shown to the reader as one short label."""

    label: str | Promise
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    key: str
    audience: Audience
    title: str | Promise
    groups: tuple[FieldGroup, ...]
    purpose: str | Promise
    basis: LegalBasis
    recipients: tuple[Recipient, ...]
    retention: Retention
    # Shown only when the tenant takes card gifts (see portal.selectors.privacy_notice).
    card_gifts_only: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(field for group in self.groups for field in group.fields)


def _names(names: str) -> tuple[str, ...]:
    return tuple(names.split())


def _fields(model: str, names: str) -> tuple[str, ...]:
    return tuple(f"{model}.{name}" for name in _names(names))


# Who registered or changed each row: the staff member's account, kept with the row as a trail.
STAFF_TRAIL = (
    "people.Person.created_by",
    "people.Consent.recorded_by",
    "activities.Registration.registered_by",
    "activities.Attendance.recorded_by",
    *_fields("activities.AttendanceChange", "attendance changed_by changed_at before after"),
    "matching.MatchRequest.created_by",
    "matching.MatchingOptOut.recorded_by",
    "matching.MatchContact.logged_by",
    "matching.PathwayStageChange.recorded_by",
    "privacy.RetentionKeep.created_by",
    "portal.Signup.handled_by",
)

CATEGORIES: tuple[Category, ...] = (
    Category(
        key="identity",
        audience=Audience.PARTICIPANT,
        title=_("Who you are"),
        groups=(
            FieldGroup(_("Your name"), _fields("people.Person", "first_name last_name")),
            FieldGroup(_("Year or date of birth"), _fields("people.Person", "birth_date birth_year")),
            FieldGroup(_("Gender"), _fields("people.Person", "gender")),
            FieldGroup(
                _("Whether you are new in Sweden, and the year you came"),
                _fields("people.Person", "group arrival_year"),
            ),
            FieldGroup(
                _("Your family and your place in it"),
                (*_fields("people.Person", "household household_role"), "people.Household.name"),
            ),
            FieldGroup(_("Whether you are a volunteer"), _fields("people.Person", "is_volunteer")),
            FieldGroup(
                _("Whether your identity is protected"), _fields("people.Person", "protected_identity")
            ),
        ),
        purpose=_(
            "To know who takes part, to invite you and your family, and to count participants by age "
            "and gender for our reports."
        ),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.STAFF, Recipient.LEADERS, Recipient.BOARD, Recipient.FUNDERS),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="contact",
        audience=Audience.PARTICIPANT,
        title=_("How we reach you"),
        groups=(
            FieldGroup(_("Phone number and e-mail address"), _fields("people.Person", "phone email")),
            FieldGroup(
                _("The area where you live (never your street address)"),
                ("people.Person.district", "people.Household.district"),
            ),
        ),
        purpose=_("To tell you about activities and changes, and to help you meet your friend family."),
        basis=LegalBasis.CONSENT,
        recipients=(Recipient.STAFF, Recipient.LEADERS, Recipient.MATCH),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="interests",
        audience=Audience.PARTICIPANT,
        title=_("Languages and interests"),
        groups=(
            FieldGroup(_("The languages you speak"), _fields("people.Person", "languages")),
            FieldGroup(_("Your interests"), _fields("people.Person", "interests")),
        ),
        purpose=_("To find activities, friends and help that suit you."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.STAFF, Recipient.LEADERS),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="participation",
        audience=Audience.PARTICIPANT,
        title=_("What you take part in"),
        groups=(
            FieldGroup(
                _("The activities you signed up for, and when"),
                _fields("activities.Registration", "activity person status created_at cancelled_at"),
            ),
            FieldGroup(
                _("When you came, and whether you came without signing up first"),
                _fields("activities.Attendance", "session person status is_walk_in recorded_at"),
            ),
        ),
        purpose=_("To plan our activities and to count how many take part."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.STAFF, Recipient.LEADERS, Recipient.BOARD, Recipient.FUNDERS),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="matching",
        audience=Audience.PARTICIPANT,
        title=_("Friend family or language friend"),
        groups=(
            FieldGroup(
                _("What you wish for: languages, interests, area, your children's ages, when you are free"),
                _fields(
                    "matching.MatchRequest",
                    "kind group person household languages interests children_birth_years district "
                    "availability preferences note status source withdrawn_reason created_at",
                ),
            ),
            FieldGroup(
                _("Who you are matched with, and how it goes"),
                (
                    *_fields(
                        "matching.Match",
                        "kind newcomer_request established_request status proposed_on started_on ended_on "
                        "end_reason end_note first_meeting_at first_meeting_place note created_at",
                    ),
                    *_fields("matching.CheckIn", "match months due_on status reminded_at done_on note"),
                    *_fields("matching.MatchContact", "match kind happened_on note logged_at"),
                ),
            ),
            FieldGroup(_("Your coordinator"), ("matching.Match.coordinator", "matching.CheckIn.reminded_to")),
            FieldGroup(
                _("Whether you do not want to be matched"),
                _fields("matching.MatchingOptOut", "person opted_out note recorded_at"),
            ),
        ),
        purpose=_("To find a friend family or a language friend for you, and to follow up how it goes."),
        basis=LegalBasis.CONTRACT,
        recipients=(Recipient.STAFF, Recipient.MATCH, Recipient.BOARD, Recipient.FUNDERS),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="pathway",
        audience=Audience.PARTICIPANT,
        title=_("Your way into a club, community life or work"),
        groups=(
            FieldGroup(
                _("The area and your goal"), _fields("matching.Pathway", "person arena goal created_at")
            ),
            FieldGroup(
                _("The partner who helps you, and how far you have come"),
                (
                    *_fields("matching.Pathway", "partner stage stage_on outcome end_reason note"),
                    *_fields("matching.PathwayStageChange", "pathway stage changed_on note recorded_at"),
                ),
            ),
            FieldGroup(_("Your coordinator"), ("matching.Pathway.coordinator",)),
        ),
        purpose=_("To help you towards a club, community life or a job, together with a partner."),
        basis=LegalBasis.CONTRACT,
        recipients=(Recipient.STAFF, Recipient.PARTNERS, Recipient.BOARD, Recipient.FUNDERS),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="consents",
        audience=Audience.PARTICIPANT,
        title=_("Your choices"),
        groups=(
            FieldGroup(
                _(
                    "Your choices about contact, photos, statistics and sharing with our partners, "
                    "with the date."
                ),
                _fields("people.Consent", "person purpose given recorded_at"),
            ),
            FieldGroup(
                _("For a child: that a guardian decided, and the guardian's name"),
                _fields("people.Consent", "given_by_guardian guardian_name"),
            ),
        ),
        purpose=_("To do only what you agreed to, and to be able to show that you agreed."),
        basis=LegalBasis.LEGAL_OBLIGATION,
        recipients=(Recipient.STAFF,),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="notes",
        audience=Audience.PARTICIPANT,
        title=_("Notes"),
        groups=(
            FieldGroup(
                _("Notes a coordinator wrote about you or your family"),
                ("people.Person.notes", "people.Household.notes"),
            ),
            FieldGroup(
                _("If we keep your details longer than usual: why, and until when"),
                _fields("privacy.RetentionKeep", "person reason kept_until created_at"),
            ),
        ),
        purpose=_("To remember what matters for your support. We write only what is needed."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.STAFF,),
        retention=Retention.INACTIVITY,
    ),
    Category(
        key="signup",
        audience=Audience.PARTICIPANT,
        title=_("Your sign-up on this website"),
        groups=(
            FieldGroup(
                _("The names and birth years of you and your family"),
                (
                    *_fields("portal.Signup", "contact_first_name contact_last_name"),
                    *_fields("portal.SignupMember", "signup first_name birth_year"),
                ),
            ),
            FieldGroup(
                _("Phone, e-mail and the area where you live"),
                _fields("portal.Signup", "phone email district"),
            ),
            FieldGroup(
                _("Your languages and wishes, the activity you chose and your message"),
                (
                    *_fields("portal.Signup", "group languages activity message language"),
                    "portal.SignupMember.wishes",
                ),
            ),
            FieldGroup(
                _("Your consent, and whether we accepted your sign-up"),
                _fields("portal.Signup", "consent created_at status handled_at reject_reason household"),
            ),
        ),
        purpose=_("To contact you and, if you wish, to bring you and your family into our register."),
        basis=LegalBasis.CONSENT,
        recipients=(Recipient.STAFF,),
        retention=Retention.SIGNUP,
    ),
    Category(
        key="imports",
        audience=Audience.PARTICIPANT,
        title=_("Lists from a spreadsheet"),
        groups=(
            FieldGroup(
                _("Names and contact details in a list a coordinator brings in"),
                _fields("people.PersonImport", "file_name rows created_by created_at"),
            ),
        ),
        purpose=_("To add many people to our register at once, after a coordinator has checked the list."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.STAFF,),
        retention=Retention.IMPORT,
    ),
    Category(
        key="audit",
        audience=Audience.PARTICIPANT,
        title=_("Who saw or changed your details"),
        groups=(
            FieldGroup(
                _("Who saw, changed, exported or erased your details, and when"),
                _fields("audit.AuditEntry", "at actor action obj_type obj_id summary"),
            ),
            FieldGroup(_("Which of us registered or changed each detail"), STAFF_TRAIL),
        ),
        purpose=_("To show that your details are handled correctly, and to find misuse."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.ADMIN,),
        retention=Retention.AUDIT,
    ),
    Category(
        key="card_gifts",
        audience=Audience.DONOR,
        title=_("Card gifts"),
        groups=(
            FieldGroup(
                _("The amount, the date and the campaign"),
                _fields("donations.Donation", "amount_ore currency campaign paid_at created"),
            ),
            FieldGroup(
                _("Stripe's reference to your payment (your name and card stay with Stripe)"),
                _fields("donations.Donation", "stripe_payment_intent_id stripe_checkout_session_id"),
            ),
        ),
        purpose=_("To receive your gift and to keep our accounts."),
        basis=LegalBasis.CONTRACT,
        recipients=(Recipient.ADMIN, Recipient.STRIPE),
        retention=Retention.BOOKKEEPING,
        card_gifts_only=True,
    ),
    Category(
        key="account",
        audience=Audience.STAFF,
        title=_("Your account"),
        groups=(
            FieldGroup(
                _("Your name, e-mail address and role"),
                (
                    *_fields(
                        "accounts.User",
                        "email full_name role is_active is_staff is_superuser date_joined last_login",
                    ),
                    *_fields(
                        "accounts.Invitation",
                        "email full_name role invited_by created_at expires_at accepted_at withdrawn_at user",
                    ),
                ),
            ),
            FieldGroup(
                _("Your password, stored so that no one can read it, and your two-factor app"),
                (
                    "accounts.User.password",
                    *_fields(
                        "otp_totp.TOTPDevice",
                        "user name confirmed throttling_failure_timestamp throttling_failure_count "
                        "created_at last_used_at key step t0 digits tolerance drift last_t",
                    ),
                ),
            ),
            FieldGroup(
                _("The activities you lead and your volunteer hours"),
                (
                    "activities.Activity.leaders",
                    *_fields(
                        "activities.VolunteerHours", "user activity session date minutes note created_at"
                    ),
                ),
            ),
            FieldGroup(
                _("Keys for connecting other systems, if you use them"),
                _fields("api.ApiToken", "user name created_at last_used_at revoked_at"),
            ),
            FieldGroup(
                _("The contact details we show on this website, if you are our contact person"),
                _fields("portal.PortalSettings", "contact_name contact_email contact_phone"),
            ),
        ),
        purpose=_("To let you sign in and do your work, and to count volunteer hours for our reports."),
        basis=LegalBasis.CONTRACT,
        recipients=(Recipient.STAFF, Recipient.BOARD, Recipient.FUNDERS),
        retention=Retention.ACCOUNT,
    ),
    Category(
        key="sign_ins",
        audience=Audience.STAFF,
        title=_("Sign-ins"),
        groups=(
            FieldGroup(
                _("Each sign-in: the time, your device's address and your browser"),
                (
                    *_fields(
                        "axes.AccessAttempt",
                        "user_agent ip_address username http_accept path_info attempt_time get_data "
                        "post_data failures_since_start",
                    ),
                    *_fields(
                        "axes.AccessFailureLog",
                        "user_agent ip_address username http_accept path_info attempt_time locked_out",
                    ),
                    *_fields(
                        "axes.AccessLog",
                        "user_agent ip_address username http_accept path_info attempt_time logout_time "
                        "session_hash",
                    ),
                    *_fields("axes.AccessAttemptExpiration", "access_attempt expires_at"),
                ),
            ),
            FieldGroup(
                _("The sessions you are signed in with"),
                _fields("sessions.Session", "session_key session_data expire_date"),
            ),
        ),
        purpose=_("To keep your account safe and to stop break-ins."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.ADMIN,),
        retention=Retention.LOGIN_RECORDS,
    ),
    Category(
        key="partner_contacts",
        audience=Audience.PARTNER,
        title=_("Contact persons at our partners"),
        groups=(
            FieldGroup(
                _("Your name, title, phone and e-mail address"),
                _fields("partners.PartnerContact", "partner name title phone email"),
            ),
        ),
        purpose=_("To work together with your organisation."),
        basis=LegalBasis.LEGITIMATE_INTEREST,
        recipients=(Recipient.STAFF,),
        retention=Retention.PARTNER_CONTACT,
    ),
)

# Every other field of every tenant model: keys, timestamps of the rows themselves, settings, and data about
# activities and organisations rather than about people. An organisation's own phone and e-mail (a club's,
# a funder's) are not personal data; a named contact person at it is (PartnerContact above).
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "contenttypes.ContentType": ("id", "app_label", "model"),
    "auth.Permission": ("id", "name", "content_type", "codename"),
    "auth.Group": ("id", "name", "permissions"),
    "accounts.User": ("id", "groups", "user_permissions"),
    "accounts.Invitation": ("id",),
    "partners.Partner": _names("id name kind description website phone email is_active created_at"),
    "partners.PartnerContact": ("id",),
    "people.Household": ("id", "created_at", "updated_at"),
    "people.Person": ("id", "created_at", "updated_at", "erased_at"),
    "people.Consent": ("id",),
    "activities.Activity": _names(
        "id title description category arena audience partner place capacity languages is_public is_active "
        "schedule_kind weekdays start_time end_time starts_on ends_on created_at"
    ),
    "activities.Session": _names(
        "id activity starts_at ends_at scheduled_start place status cancel_reason note created_at"
    ),
    "activities.Registration": ("id",),
    "activities.Attendance": ("id",),
    "activities.AttendanceChange": ("id",),
    "activities.VolunteerHours": ("id",),
    "people.PersonImport": ("id",),
    "matching.MatchRequest": ("id",),
    "matching.MatchingOptOut": ("id",),
    "matching.DistrictNeighbour": ("id", "district_a", "district_b", "created_at"),
    "matching.Match": ("id",),
    "matching.CheckIn": ("id",),
    "matching.MatchContact": ("id",),
    "matching.Pathway": ("id",),
    "matching.PathwayStageChange": ("id",),
    "privacy.RetentionSetting": ("id", "months", "updated_at", "updated_by"),
    "privacy.RetentionKeep": ("id",),
    "activities.Project": _names(
        "id name funder_kind funder_name description starts_on ends_on budget_sek created_at activities"
    ),
    "activities.ReportingDate": ("id", "project", "due_on", "description", "done"),
    "portal.PortalSettings": (
        "id",
        "intro",
        "intro_translations",
        "meeting_place",
        "show_partners",
        "updated_at",
    ),
    "portal.Signup": ("id",),
    "portal.SignupMember": ("id", "position"),
    # The key's visible prefix and its hash identify the key, not a person; the key's owner is above.
    "api.ApiToken": ("id", "prefix", "digest"),
    "donations.SwishSettings": ("id", "swish_number", "payee_name", "updated"),
    "donations.DonationCampaign": (
        "id",
        "title",
        "description",
        "amount_sek",
        "message",
        "is_active",
        "created",
    ),
    "donations.Donation": ("id",),
    "axes.AccessAttempt": ("id",),
    "axes.AccessFailureLog": ("id",),
    "axes.AccessLog": ("id",),
    "otp_totp.TOTPDevice": ("id",),
    "audit.AuditEntry": ("id",),
}


def personal_fields(categories: Iterable[Category] = CATEGORIES) -> set[str]:
    return {field for category in categories for field in category.fields}


def not_personal_fields(not_personal: dict[str, tuple[str, ...]] = NOT_PERSONAL) -> set[str]:
    return {f"{model}.{name}" for model, names in not_personal.items() for name in names}


def retention_sentence(rule: Retention, *, months: int, login_days: int) -> str:
    """How long a category is kept, in the current language, with the tenant's own figures."""
    if rule == Retention.INACTIVITY:
        return ngettext(
            "Until %(months)s month has passed with no activity of yours. Then it is removed, or kept "
            "without your name for our statistics.",
            "Until %(months)s months have passed with no activity of yours. Then it is removed, or kept "
            "without your name for our statistics.",
            months,
        ) % {"months": months}
    if rule == Retention.SIGNUP:
        return ngettext(
            "Deleted %(months)s month after we last handled it, or sooner if you ask. If we accept it, what "
            "you wrote moves into our register (see above).",
            "Deleted %(months)s months after we last handled it, or sooner if you ask. If we accept it, what "
            "you wrote moves into our register (see above).",
            months,
        ) % {"months": months}
    if rule == Retention.LOGIN_RECORDS:
        return ngettext(
            "Deleted after %(days)s day at the latest.",
            "Deleted after %(days)s days at the latest.",
            login_days,
        ) % {"days": login_days}
    sentences: dict[Retention, str] = {
        Retention.IMPORT: gettext(
            "Deleted as soon as the list is brought in, and within two days if it is not."
        ),
        Retention.ACCOUNT: gettext(
            "As long as you have an account with us. Ask our administrator to remove it when you stop."
        ),
        Retention.PARTNER_CONTACT: gettext("Until you or your organisation ask us to change or remove it."),
        Retention.AUDIT: gettext(
            "Kept, and no one can change or delete it. Once your name has been removed, the log no longer "
            "leads to you."
        ),
        Retention.BOOKKEEPING: gettext("Kept with our accounts, as the Swedish Bookkeeping Act requires."),
    }
    return sentences[rule]
