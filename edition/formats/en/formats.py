"""English date formats of the edition (FORMAT_MODULE_PATH): day month year, as the texts write dates.

Templates say `|date:"DATE_FORMAT"`, so every interface language shows dates in its own way
(Django's formats for zh-Hans, ru and ug; docs/i18n.md).
"""

DATE_FORMAT = "j F Y"  # 8 June 1962
SHORT_DATE_FORMAT = "Y-m-d"
