"""Worst small files for the report imports: what each costs in memory, output, disk and time.

    .venv/bin/python bench/import_bounds.py             # every file, every path
    .venv/bin/python bench/import_bounds.py --only shared.xlsx --only bad.csv

The files are a few KB each and expand when read: every cell of an XLSX pointing at one long
shared string, the same with cells out at column XFD, a CSV of short rows that are all wrong,
and the indicator report's versions. Each is imported through the command (dry run and real)
and through the admin (the preview, a dry run, and the confirm step, real), each in a fresh
process on a fresh SQLite database (the reference data loaded), which prints its own peak
memory (ru_maxrss). The child is capped at --max-gb of address space and --timeout seconds,
so that an unbounded import ends as "killed" rather than taking the machine with it.

Printed per run: the file's size (KB), the peak memory (MB), the output (KB: the command's
stderr, or the admin's response with the redirect followed), the refused rows' file and the
full error list left in the temporary directory (MB), the time (s, the process's start
included), and how many errors the import reported.
"""

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "bounds"
TEMPLATE_DB = OUT / "template.sqlite3"
YEARLY = [
    "项目编号",
    "项目名称",
    "年度",
    "州市",
    "县市区",
    "项目类别",
    "项目状态",
    "上海援助资金（万元）",
    "其他资金（万元）",
    "受益人数",
    "开工日期",
    "完工日期",
    "备注",
]
INDICATOR = ["年度", "州市", "县市区", "上海结对区", "指标", "协议数", "完成数", "备注"]
LONG = "长" * 30_000  # under Excel's 32,767: read, and quoted in every message it earns
# The ratio check (parsing.MAX_RATIO) looks at parts of 1 MB and more: stay just under.
SMALL_PART = (1 << 20) - 4096


# Files


def xlsx(header, rows_xml, strings, padding=b""):
    """A workbook of one sheet: the header inline, then `rows_xml`; shared `strings`."""
    shared = "".join("<si><t>%s</t></si>" % escape(s) for s in strings)
    head = "".join('<c t="inlineStr"><is><t>%s</t></is></c>' % escape(h) for h in header)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>'
        '<row r="1">%s</row>%s</sheetData></worksheet>' % (main, head, rows_xml)
    ).encode()
    if padding:
        sheet = sheet.replace(b"</worksheet>", b"<!--" + padding + b"--></worksheet>")
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    package = "http://schemas.openxmlformats.org/package/2006/"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="%s'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="%ssheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="%sworksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="%ssharedStrings+xml"/>'
        "</Types>" % (package, types, types, types),
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s'
        'relationships"><Relationship Id="rId1" Type="%sofficeDocument" '
        'Target="xl/workbook.xml"/></Relationships>' % (package, office),
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" '
        'xmlns:r="%s"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'
        % (main, office[:-1]),
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="%srelationships"><Relationship Id="rId1" Type="%sworksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%ssharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>' % (package, office, office),
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s">%s'
        "</sst>" % (main, shared),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def repeated(row, size):
    return row * (size // len(row))


def shared_xlsx(header):
    """Every cell of every row the one long shared string; the sheet just under 1 MB."""
    row = "<row>" + '<c t="s"><v>0</v></c>' * len(header) + "</row>"
    return xlsx(header, repeated(row, SMALL_PART), [LONG])


def shared_ratio_xlsx(header):
    """The same, 7 MB of sheet made to deflate under 100:1 with random padding."""
    row = "<row>" + '<c t="s"><v>0</v></c>' * len(header) + "</row>"
    rows = repeated(row, 7 << 20)
    padding = os.urandom(48 << 10).hex().encode()
    return xlsx(header, rows, [LONG], padding)


def xfd_xlsx(header):
    """Short wrong cells, then the long string in every cell from column 200 out to XFD."""
    far = '<c r="XFD%d" t="s"><v>0</v></c>'
    cells = '<c t="s"><v>1</v></c>' * len(header)
    rows = []
    size = 0
    number = 2
    while size < SMALL_PART:
        row = '<row r="%d">%s%s</row>' % (number, cells, far % number)
        rows.append(row)
        size += len(row)
        number += 1
    return xlsx(header, "".join(rows), [LONG, "x"])


def bad_csv(header, size=1 << 20):
    """Short rows, every one refused on most of its cells."""
    lines = [",".join(header)]
    line = "x"
    lines += [line] * (size // (len(line) + 2))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


FILES = {
    "shared.xlsx": ("yearly", lambda: shared_xlsx(YEARLY)),
    "shared-ratio.xlsx": ("yearly", lambda: shared_ratio_xlsx(YEARLY)),
    "xfd.xlsx": ("yearly", lambda: xfd_xlsx(YEARLY)),
    "bad.csv": ("yearly", lambda: bad_csv(YEARLY)),
    "indicator-shared.xlsx": ("indicator", lambda: shared_xlsx(INDICATOR)),
    "indicator-bad.csv": ("indicator", lambda: bad_csv(INDICATOR)),
}
PATHS = ["command-dry", "command", "admin-preview", "admin-confirm"]


# The parent


def child_env(database):
    return dict(
        os.environ,
        SECRET_KEY="bench",
        ALLOWED_HOSTS="localhost,127.0.0.1,testserver",
        HTTPS="0",
        DJANGO_SETTINGS_MODULE="hujin.settings",
        DATABASE_URL="sqlite:///%s" % database,
        # What the admin keeps (uploads, refused rows) goes beside the database, not the checkout.
        HUJIN_FILES_DIR=str(Path(database).parent / "files"),
    )


def template_database():
    """A migrated database with the reference data, copied for each run."""
    if TEMPLATE_DB.exists():
        return
    env = child_env(TEMPLATE_DB)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "loaddata", "reference", "-v0"], env=env, check=True, cwd=ROOT)


def measure(path, kind, how, args):
    work = Path(tempfile.mkdtemp(prefix="bounds-", dir=OUT))
    database = work / "db.sqlite3"
    shutil.copy(TEMPLATE_DB, database)
    command = [sys.executable, __file__, "--child", how, "--kind", kind, "--file", str(path)]
    command += ["--work", str(work), "--max-gb", str(args.max_gb)]
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command,
            env=child_env(database),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=args.timeout,
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(work, ignore_errors=True)
        return {"outcome": "timeout (>%d s)" % args.timeout}
    seconds = time.perf_counter() - started
    shutil.rmtree(work, ignore_errors=True)
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        reason = (result.stderr.strip().splitlines() or ["?"])[-1][:80]
        return {"outcome": "killed: %s" % reason, "seconds": seconds}
    figures = json.loads(lines[-1])
    figures["seconds"] = seconds
    return figures


def mb(value):
    return "%.1f" % (value / 1e6) if isinstance(value, int | float) else "-"


def kb(value):
    return "%.0f" % (value / 1e3) if isinstance(value, int | float) else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(FILES))
    parser.add_argument("--path", action="append", choices=PATHS)
    parser.add_argument("--max-gb", type=float, default=6)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    OUT.mkdir(parents=True, exist_ok=True)
    template_database()
    print(
        "%-22s %8s %-14s %8s %10s %10s %9s %8s %9s  %s"
        % ("file", "KB", "path", "peak MB", "output KB", "bad rows", "errors", "s", "errors#", "")
    )
    for name in args.only or FILES:
        kind, build = FILES[name]
        path = OUT / name
        path.write_bytes(build())
        for how in args.path or PATHS:
            f = measure(path, kind, how, args)
            print(
                "%-22s %8.1f %-14s %8s %10s %10s %9s %8.1f %9s  %s"
                % (
                    name,
                    path.stat().st_size / 1024,
                    how,
                    "%.0f" % f["peak_mb"] if "peak_mb" in f else "-",
                    kb(f.get("output")),
                    mb(f.get("bad_rows")),
                    mb(f.get("errors_file")),
                    f.get("seconds", 0),
                    f.get("count", "-"),
                    f.get("outcome", ""),
                ),
                flush=True,
            )


# The child


def child(args):
    """One import in this process; prints its figures as JSON, last."""
    limit = int(args.max_gb * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(ROOT))
    temp = Path(args.work) / "tmp"
    temp.mkdir()
    tempfile.tempdir = str(temp)
    import django

    django.setup()
    path = Path(args.file)
    figures = {}
    if args.child.startswith("command"):
        command(args, path, figures)
    else:
        admin(args, path, figures)
    for prefix, key in (("hujin-bad-rows-", "bad_rows"), ("hujin-errors-", "errors_file")):
        sizes = [p.stat().st_size for p in temp.iterdir() if p.name.startswith(prefix)]
        if sizes:
            figures[key] = sum(sizes)
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures, ensure_ascii=False))


def command(args, path, figures):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    name = "import_yearly_report" if args.kind == "yearly" else "import_indicator_report"
    stderr = Path(args.work) / "stderr.txt"
    with open(stderr, "w") as err, open(os.devnull, "w") as out:
        try:
            call_command(
                name,
                str(path),
                quiet=True,
                dry_run=args.child == "command-dry",
                stdout=out,
                stderr=err,
            )
            figures["outcome"] = "imported"
        except CommandError as error:
            figures["outcome"] = str(error)[:40]
            figures["count"] = int("".join(c for c in str(error).split("处")[0] if c.isdigit()))
    figures["output"] = stderr.stat().st_size


def admin(args, path, figures):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    user = get_user_model().objects.create_superuser("bench", "", "bench-password")
    client = Client()
    client.force_login(user)
    model = "projects_project" if args.kind == "yearly" else "indicators_indicatorfigure"
    with open(path, "rb") as file:
        response = client.post(reverse("admin:%s_import" % model), {"import_file": file})
    result = response.context["result"] if response.context else None
    failure = getattr(result, "failure", None)
    if args.child == "admin-preview":
        if failure is not None:
            figures["count"] = getattr(failure, "count", len(failure.errors))
        figures["outcome"] = "refused" if failure is not None else "previewed"
    else:
        # The confirm step: of the upload the preview stored when it passed; else of a
        # token no upload has (what a refused file's confirm would meet).
        confirm = response.context.get("confirm_form") if response.context else None
        token = confirm.initial["token"] if confirm is not None else "0" * 32
        response = client.post(
            reverse("admin:%s_process_import" % model),
            {"token": token, "confirm": "确认导入"},
            follow=True,
        )
        figures["outcome"] = "confirm: %d" % response.status_code
    figures["output"] = len(response.content)


if __name__ == "__main__":
    main()
