"""Document routes (included into the `planning` namespace by urls.py)."""

from django.urls import path, register_converter

from . import views_documents as views


class FileFormatConverter:
    regex = "docx|pdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FileFormatConverter, "docformat")

urlpatterns = [
    path(
        "programmes/<int:pk>/programme.<docformat:file_format>",
        views.document_programme,
        name="document_programme",
    ),
    path(
        "planning/rounds/<int:pk>/report.<docformat:file_format>", views.document_round, name="document_round"
    ),
    path("kotoutumisohjelma/", views.document_initial_phase_list, name="document_initial_phase_list"),
    path("kotoutumisohjelma/new/", views.document_initial_phase_create, name="document_initial_phase_create"),
    path(
        "kotoutumisohjelma/<int:pk>/",
        views.document_initial_phase_detail,
        name="document_initial_phase_detail",
    ),
    path(
        "kotoutumisohjelma/<int:pk>/edit/",
        views.document_initial_phase_edit,
        name="document_initial_phase_edit",
    ),
    path(
        "kotoutumisohjelma/<int:pk>/status/",
        views.document_initial_phase_status,
        name="document_initial_phase_status",
    ),
    path(
        "kotoutumisohjelma/<int:pk>/cells/<int:element>/<int:group>/",
        views.document_initial_phase_cell,
        name="document_initial_phase_cell",
    ),
    path(
        "kotoutumisohjelma/<int:pk>/kotoutumisohjelma.<docformat:file_format>",
        views.document_initial_phase_download,
        name="document_initial_phase_download",
    ),
]
