"""Date input as the report import reads it (projects/importers/parsing.py parse_date), for
every form, the admin's included: Django's own zh_Hans list names "%Y年%n月%j日", which
strptime reads as "year, whitespace, day of the year", so 2022年5月1日 was refused.

The first format is what the admin's calendar writes. The other formats Django's zh_Hans
module sets are kept as they are (settings.FORMAT_MODULE_PATH reads only what is here)."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2022-05-01, 2022-5-1
    "%Y/%m/%d",  # 2022/5/1
    "%Y.%m.%d",  # 2022.5.1
    "%Y年%m月%d日",  # 2022年5月1日
    "%Y%m%d",  # 20220501
]
DATETIME_INPUT_FORMATS = [
    *("%s %s" % (date, time) for date in DATE_INPUT_FORMATS for time in ("%H:%M:%S", "%H:%M")),
    *DATE_INPUT_FORMATS,
]
