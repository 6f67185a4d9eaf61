from django.db import migrations, models

# What reports write for the catalogue's indicators (from county and prefecture reports);
# staff add more in the admin (协作指标 → 其他写法).
ALIASES = {
    "fiscal_aid": ["财政援助资金", "上海市财政援助资金", "投入财政援助资金", "财政帮扶资金"],
    "social_funds": ["社会帮扶资金", "动员社会力量帮扶资金", "社会捐赠资金", "社会帮扶款物"],
    "cadres": ["党政干部", "选派挂职干部", "挂职干部", "选派党政挂职干部"],
    "professionals": ["专业技术人才", "选派专技人才", "专技人才"],
    "teachers": ["教师", "支教教师"],
    "doctors": ["医生", "医疗卫生人才", "医务人员"],
    "labour_jobs": ["帮助农村劳动力转移就业", "农村劳动力转移就业", "农村劳动力就业"],
    "labour_poor": ["脱贫人口就业", "帮助脱贫人口就业", "脱贫劳动力就业"],
    "labour_shanghai": ["到上海就业人数", "赴沪就业"],
    "trained": ["培训农村劳动力", "培训干部人才", "培训人次"],
    "consumption_aid": ["消费帮扶金额", "采购和帮助销售农特产品", "购买和帮助销售农特产品"],
    "parks": ["共建园区", "共建产业园"],
    "enterprises": ["入驻企业", "引导企业入驻", "引导企业到云南投资"],
    "investment": ["实际到位投资", "企业到位投资"],
    "park_jobs": ["园区吸纳就业"],
    "paired_villages": ["结对帮扶村", "村企结对"],
}


def add_aliases(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, names in ALIASES.items():
        Indicator.objects.filter(code=code, aliases="").update(aliases="\n".join(names))


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_content_types")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="aliases",
            field=models.TextField(
                blank=True,
                help_text="报表中对本指标的其他写法，每行一个；导入时与指标名称同样识别。",
                verbose_name="其他写法",
            ),
        ),
        migrations.RunPython(add_aliases, migrations.RunPython.noop),
    ]
