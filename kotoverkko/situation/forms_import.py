"""The upload form of the statistics import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
LABEL_LANGUAGES = [("fi", "suomi"), ("sv", "svenska"), ("en", "English")]


class StatisticsImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (PX, JSON-stat or PxWeb CSV)"),
        help_text=gettext_lazy(
            "A PC-Axis .px file, a PxWeb JSON-stat2 .json response or a PxWeb .csv download."
        ),
        widget=forms.FileInput(attrs={"accept": ".px,.json,.csv"}),
    )
    source = forms.SlugField(
        label=gettext_lazy("Source"),
        max_length=40,
        initial="statfin",
        help_text=gettext_lazy("For example statfin."),
    )
    table_id = forms.CharField(
        label=gettext_lazy("Table"),
        max_length=80,
        required=False,
        help_text=gettext_lazy("Leave empty to use the table's own identifier from the file."),
    )
    label_language = forms.ChoiceField(
        label=gettext_lazy("Language of the labels in a CSV file"),
        choices=LABEL_LANGUAGES,
        initial="fi",
        help_text=gettext_lazy("A CSV download does not say which language its labels are in."),
    )

    def clean_file(self):  # noqa: ANN201
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
