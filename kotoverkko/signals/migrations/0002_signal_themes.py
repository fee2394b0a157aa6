"""The initial signal themes (an editable vocabulary; this only seeds it)."""

from django.db import migrations

THEMES = [
    ("housing", "Asuminen", "Boende", "Housing"),
    ("employment", "Työllistyminen", "Sysselsättning", "Employment"),
    (
        "education-language",
        "Koulutus ja kielen oppiminen",
        "Utbildning och språkinlärning",
        "Education and language learning",
    ),
    (
        "health-social",
        "Sosiaali- ja terveyspalvelut",
        "Social- och hälsovårdstjänster",
        "Health and social services",
    ),
    ("children-families", "Lapset ja perheet", "Barn och familjer", "Children and families"),
    (
        "discrimination",
        "Syrjintä ja rasismi",
        "Diskriminering och rasism",
        "Discrimination and racism",
    ),
    ("services-guidance", "Palvelut ja neuvonta", "Tjänster och rådgivning", "Services and guidance"),
    ("participation", "Osallisuus ja vapaa-aika", "Delaktighet och fritid", "Participation and leisure"),
    ("other", "Muu", "Annat", "Other"),
]


def create_themes(apps, schema_editor):
    SignalTheme = apps.get_model("signals", "SignalTheme")
    for position, (slug, fi, sv, en) in enumerate(THEMES):
        SignalTheme.objects.get_or_create(
            slug=slug, defaults={"label_fi": fi, "label_sv": sv, "label_en": en, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_signals")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
