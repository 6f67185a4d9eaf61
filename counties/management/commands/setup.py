"""Sets up or upgrades a production installation; safe to run again (make setup).

It lives here, in the app every other depends on, because it owns what a new database needs:
the reference data and the first account. It never loads the demo (make run does that for
development only).
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.staticfiles.management.commands.collectstatic import (
    Command as CollectStatic,
)
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from counties.models import County, FormerDivision, Pairing, Prefecture, ShanghaiDistrict

USERNAME = "HUJIN_ADMIN_USERNAME"
PASSWORD = "HUJIN_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "生产环境的安装与升级：迁移数据库，收集静态文件，数据库为空时载入参考数据（从不载入"
        "演示数据），还没有超级用户时用环境变量%s、%s（或在终端中输入）创建第一个管理员。"
        "可重复运行：已做过的步骤不再做。" % (USERNAME, PASSWORD)
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="不在终端中提问：没有设置%s、%s时不创建管理员。" % (USERNAME, PASSWORD),
        )

    def handle(self, *args, interactive, verbosity, **options):
        self.verbosity = verbosity
        changed = [
            self.migrate(),
            self.collect_static(),
            self.load_reference(),
            self.create_admin(interactive),
        ]
        if any(changed):
            self.stdout.write(self.style.SUCCESS("设置完成。"))
        else:
            self.stdout.write(self.style.SUCCESS("一切已是最新，本次没有做任何改动。"))

    def migrate(self):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            self.stdout.write("数据库结构已是最新，无需迁移。")
            return False
        self.stdout.write("正在执行%d个数据库迁移……" % len(plan))
        call_command(
            "migrate", interactive=False, verbosity=self.verbosity if self.verbosity > 1 else 0
        )
        self.stdout.write("已执行%d个数据库迁移。" % len(plan))
        return True

    def collect_static(self):
        collect = CollectStatic(stdout=self.stdout, stderr=self.stderr)
        call_command(collect, interactive=False, verbosity=max(self.verbosity - 1, 0))
        copied = len(collect.copied_files)
        if not copied:
            self.stdout.write("静态文件已是最新（%d个）。" % len(collect.unmodified_files))
            return False
        self.stdout.write("已收集静态文件%d个。" % copied)
        return True

    def load_reference(self):
        # As make run's first run: loaddata rewrites whole rows, which would undo what staff
        # changed in them (a pairing's years, the 重点帮扶县 flag).
        if Prefecture.objects.exists():
            if not FormerDivision.objects.exists():
                # A database from before the former names: add them alone.
                kept = ["counties.prefecture", "counties.county", "counties.shanghaidistrict"]
                call_command(
                    "loaddata", "reference", exclude=[*kept, "counties.pairing"], verbosity=0
                )
                self.stdout.write("已补充载入曾用区划%d条。" % FormerDivision.objects.count())
            self.stdout.write("数据库中已有区划数据，不再载入参考数据。")
            return False
        call_command("loaddata", "reference", verbosity=0)
        counts = [
            model.objects.count() for model in (Prefecture, County, ShanghaiDistrict, Pairing)
        ]
        self.stdout.write(
            "已载入参考数据：%d个州市、%d个县市区、%d个上海市辖区、%d条结对关系。" % tuple(counts)
        )
        return True

    def create_admin(self, interactive):
        users = get_user_model()._default_manager
        superusers = list(
            users.filter(is_superuser=True).order_by("pk").values_list("username", flat=True)
        )
        if superusers:
            self.stdout.write("已有超级用户%s，不再创建管理员。" % "、".join(superusers[:3]))
            return False
        username = os.environ.get(USERNAME, "").strip()
        password = os.environ.get(PASSWORD, "")
        if username or password:
            if not (username and password):
                missing = PASSWORD if username else USERNAME
                raise CommandError(
                    "未设置环境变量%s：创建管理员需要同时设置%s和%s。"
                    % (missing, USERNAME, PASSWORD)
                )
            user = self.new_superuser(username, password)
            self.stdout.write(
                "已创建超级用户%s（密码取自环境变量%s，请随后将其从环境中删除）。"
                % (user.username, PASSWORD)
            )
            return True
        if interactive and sys.stdin.isatty():
            user = self.ask_superuser()
            self.stdout.write("已创建超级用户%s。" % user.username)
            return True
        self.stderr.write(
            "尚未创建管理员：设置环境变量%s和%s后再运行 make setup，"
            "或运行 python manage.py createsuperuser。" % (USERNAME, PASSWORD)
        )
        return False

    def new_superuser(self, username, password):
        """A superuser with a password Django's validators accept; a CommandError naming
        every problem otherwise. The same rules as the admin's password forms."""
        model = get_user_model()
        user = model(username=username, is_staff=True, is_superuser=True)
        problems = []
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            problems += error.messages
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            problems += error.messages
        if problems:
            raise CommandError("未创建管理员%s：%s" % (username, "".join(problems)))
        user.set_password(password)
        user.save()
        return user

    def ask_superuser(self):
        """Asks at the terminal until the answers pass the same rules as the environment's."""
        self.stdout.write("还没有管理员，请创建第一个管理员（超级用户）。")
        while True:
            username = input("用户名：").strip()
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                self.stderr.write("两次输入的密码不一致，请重新输入。")
                continue
            try:
                return self.new_superuser(username, password)
            except CommandError as error:
                self.stderr.write(str(error))
