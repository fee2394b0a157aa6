"""HTML forms of the consultation: planning it, commenting (with the spam checks) and moderating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kotoverkko.core.forms import MultilingualFormMixin
from kotoverkko.organisations.models import Organisation
from kotoverkko.reference.models import Language

from . import consultation_spam as spam
from .models import Consultation, RejectionReason
from .models.consultation import PLAIN_FINNISH

# The languages met most often in Finnish integration work come first (as in handouts).
COMMON_LANGUAGES = (
    "fi",
    "sv",
    "en",
    "ar",
    "so",
    "ru",
    "uk",
    "fa",
    "prs",
    "ckb",
    "kmr",
    "ps",
    "ti",
    "tr",
    "et",
)


def language_choices() -> list[tuple[str, Any]]:
    """Plain-language Finnish and the common languages first, then every reference language."""
    languages = {language.code: language for language in Language.objects.all()}

    def label(language: Language) -> str:
        native = language.native_name.strip()
        name = _language_name(language)
        return f"{name} – {native}" if native and native.casefold() != name.casefold() else name

    common = [(PLAIN_FINNISH, _("Plain-language Finnish (selkosuomi)"))]
    common += [(code, label(languages[code])) for code in COMMON_LANGUAGES if code in languages]
    rest = sorted(
        ((code, label(language)) for code, language in languages.items() if code not in COMMON_LANGUAGES),
        key=lambda choice: choice[1].casefold(),
    )
    return [(_("Most common"), common), (_("All languages"), rest)]


def _language_name(language: Language) -> str:
    code = (get_language() or "fi")[:2]
    return getattr(language, f"name_{code}", "") or language.name_fi


class ConsultationForm(MultilingualFormMixin, forms.Form):
    multilingual_fields = {
        "title": {"label": gettext_lazy("Title"), "required": True},
        "summary": {
            "label": gettext_lazy("Summary of the draft"),
            "textarea": True,
            "help_text": gettext_lazy(
                "What the draft says and what feedback is wanted. Add other languages residents speak."
            ),
        },
    }

    plain_finnish_summary = forms.CharField(
        label=gettext_lazy("Summary in plain-language Finnish (selkokieli)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Short sentences and everyday words make it easier for newcomers to take part."
        ),
    )
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Opens"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Anyone may comment without an account"),
        required=False,
        initial=True,
    )
    invited_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Invited organisations"),
        required=False,
        help_text=gettext_lazy("Their members comment in the organisation's name."),
    )

    def __init__(
        self, *args: Any, organisations: Any, consultation: Consultation | None = None, **kwargs: Any
    ) -> None:
        if consultation is not None:
            kwargs.setdefault(
                "initial",
                {
                    "plain_finnish_summary": consultation.plain_finnish_summary,
                    "opens_at": timezone.localtime(consultation.opens_at),
                    "closes_at": timezone.localtime(consultation.closes_at),
                    "is_public": consultation.is_public,
                    "invited_organisations": list(
                        consultation.invited_organisations.values_list("pk", flat=True)
                    ),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["invited_organisations"].queryset = organisations
        values = {"title": consultation.title, "summary": consultation.summary} if consultation else {}
        self._setup_multilingual(values)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_multilingual()
        return cleaned


class CommentForm(forms.Form):
    """A comment. The honeypot and the signed token are the spam checks people never notice."""

    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        min_length=spam.MIN_LENGTH,
        max_length=spam.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Write in any language. Do not write names, telephone numbers or other personal information."
        ),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of your comment"))
    section = forms.ChoiceField(label=gettext_lazy("What is your comment about?"), required=False)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Comment in the name of"),
        required=False,
        empty_label=gettext_lazy("Myself, anonymously"),
    )
    # The honeypot: hidden from people (and from assistive technology); bots fill it in.
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        consultation: Consultation,
        sections: list[tuple[str, str]],
        organisations: list[Organisation],
        language: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        self.fields["language"].choices = [("", _("Choose a language")), *language_choices()]
        self.fields["language"].initial = language
        self.fields["section"].choices = sections
        self.fields["token"].initial = spam.form_token(consultation.pk)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if organisations:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in organisations]
            )
            if not consultation.is_public:
                self.fields["organisation"].required = True
                self.fields["organisation"].empty_label = None
        else:
            del self.fields["organisation"]

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."))
        return ""

    def clean_token(self) -> str:
        problem = spam.token_problem(self.cleaned_data.get("token", ""), self.consultation.pk)
        if problem == "too_fast":
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check your comment and send it again.")
            )
        if problem:
            raise forms.ValidationError(_("The form had expired. Please send your comment again."))
        return self.cleaned_data["token"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < spam.MIN_LENGTH:
            raise forms.ValidationError(_("Write a little more."))
        if spam.link_count(text) > spam.MAX_LINKS:
            raise forms.ValidationError(
                _("A comment may contain at most %(count)s links.") % {"count": spam.MAX_LINKS}
            )
        return text

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A fresh token for the form shown again, so a corrected comment can be sent.
        if self.errors:
            self.data = self.data.copy()
            self.data["token"] = spam.form_token(self.consultation.pk)
        return cleaned


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("publish", gettext_lazy("Publish")), ("reject", gettext_lazy("Do not publish"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason for not publishing"),
        choices=[("", "—"), *RejectionReason.choices],
        required=False,
    )
    answer = forms.CharField(
        label=gettext_lazy("Answer (shown publicly with the comment)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", _("Choose why the comment is not published."))
        return cleaned
