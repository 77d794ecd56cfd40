from django.db import migrations

TAGS = ["示范村", "明星村", "脱贫村", "软弱涣散村"]
INDUSTRIES = ["种植", "养殖", "电商", "乡村旅游", "农产品加工", "食用菌", "中药材", "光伏"]


def create_defaults(apps, schema_editor):
    VillageTag = apps.get_model("divisions", "VillageTag")
    Industry = apps.get_model("divisions", "Industry")
    for order, name in enumerate(TAGS):
        VillageTag.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("divisions", "0001_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
