from django import forms

from .models import Cadre


class CadreAdminForm(forms.ModelForm):
    """The cadre form asks first where the cadre is posted, a county or a whole prefecture,
    and keeps only that field: a user who filled both is not refused for it. With scripts,
    only the chosen field shows (static/js/cadre-form.js)."""

    POSTINGS = [("county", "县市区"), ("prefecture", "州市（派驻州市一级）")]

    posted_to = forms.ChoiceField(
        label="派驻到",
        choices=POSTINGS,
        initial="county",
        required=False,
        widget=forms.RadioSelect,
        help_text="先选派驻到县市区还是州市一级，再选具体的县市区或州市。",
    )

    class Meta:
        model = Cadre
        fields = [
            "name",
            "gender",
            "kind",
            "sending_unit",
            "post",
            "prefecture",
            "county",
            "batch",
            "term_start",
            "term_end",
            "team",
            "sending_institution",
            "serving_institution",
            "role",
        ]

    class Media:
        js = ["js/cadre-form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.prefecture_id and not self.instance.county_id:
            self.initial["posted_to"] = "prefecture"
        for name in ("county", "prefecture"):
            if name in self.fields:
                self.fields[name].help_text = ""

    def clean(self):
        cleaned = super().clean()
        posted_to = cleaned.get("posted_to")
        if not posted_to:  # not asked (a form posted without it): the model's rule decides
            return cleaned
        kept, dropped = (
            ("county", "prefecture") if posted_to == "county" else ("prefecture", "county")
        )
        cleaned[dropped] = None
        setattr(self.instance, dropped, None)
        if not cleaned.get(kept) and kept not in self.errors:
            label = "县市区" if kept == "county" else "州市"
            self.add_error(kept, "派驻到%s时，请选择派驻的%s。" % (label, label))
        return cleaned
