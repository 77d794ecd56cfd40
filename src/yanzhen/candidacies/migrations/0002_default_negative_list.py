from django.db import migrations

# The negative list (负面清单) most counties use for village cadres and their reserves; configurable later.
NEGATIVE_LIST = [
    "受过刑事处罚的",
    "因涉嫌违纪违法正在接受审查调查的",
    "受到党纪政务处分、影响期未满的",
    "被列为失信联合惩戒对象的",
    "涉黑涉恶、参与宗族恶势力的",
    "参与邪教组织或非法宗教活动的",
    "煽动群众闹事、扰乱公共秩序的",
    "严重违法用地、违章建房拒不整改的",
    "拖欠集体资金拒不偿还的",
    "长期外出、不能正常履职的",
]


def create(apps, schema_editor):
    NegativeListItem = apps.get_model("candidacies", "NegativeListItem")
    for order, name in enumerate(NEGATIVE_LIST):
        NegativeListItem.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("candidacies", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
