from projects.importers.command import ReportImportCommand
from projects.importers.registries import ALL
from projects.importers.registry import import_registry

NAMES = {registry.kind: registry for registry in ALL}


class Command(ReportImportCommand):
    help = (
        "导入一个名册（XLSX、XLS、ODS或CSV）：全部行校验通过才写入，否则一行也不写。名册："
        + "；".join("%s（%s）" % (r.kind, r.name) for r in ALL)
    )

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(NAMES), help="名册")
        super().add_arguments(parser)

    def handle(self, *, registry, **options):
        chosen = NAMES[registry]
        self.importer = lambda **arguments: import_registry(chosen, **arguments)
        return super().handle(**options)
