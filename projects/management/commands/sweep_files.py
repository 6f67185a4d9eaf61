"""Removes what the admin's report screens kept and nobody came back for: uploads waiting
for 确认导入 and refused files' rows older than a day (projects/importers/uploads.py). Each
upload does this too; a daily timer (docs/deploy.md) keeps a quiet site's folder clean."""

from django.core.management.base import BaseCommand

from projects.importers.uploads import KEPT_SECONDS, sweep


class Command(BaseCommand):
    help = "删除管理后台导入时暂存、超过%d小时无人处理的文件（等待确认的上传、出错行）。" % (
        KEPT_SECONDS // 3600
    )

    def handle(self, **options):
        removed = sweep()
        self.stdout.write("已删除%d个过期文件。" % removed)
