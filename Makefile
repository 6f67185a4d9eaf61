# Two commands: `make run` sets everything up and serves the app; `make test` runs the suite.
# Production (docs/deploy.md): `make setup` installs or upgrades, `make serve` runs gunicorn,
# `make worker` runs the background work.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
# Where make run and make serve listen; HOST=0.0.0.0 for every interface.
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run setup serve worker test lint format check reference bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(STAMP)

# The development server, and beside it a worker for the background work (imports confirmed
# in the admin, large exports), stopped with it.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	@DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(PY) manage.py shell -c "$$FIRST_RUN"
	DEBUG=1 $(PY) manage.py db_worker --reload --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Production, DEBUG off: SECRET_KEY and ALLOWED_HOSTS must be set (the settings say so).
# setup migrates, collects static files, loads the reference data into an empty database
# (never the demo) and creates the first administrator (HUJIN_ADMIN_USERNAME/_PASSWORD);
# running it again changes nothing. serve runs gunicorn (gunicorn.conf.py) on HOST:PORT.
setup: install
	DEBUG=0 $(PY) manage.py setup

serve: install
	DEBUG=0 HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config gunicorn.conf.py

# The worker of the background work (one or more per deployment, on any machine that reaches
# the database); a task it is running when stopped is finished first (docs/deploy.md).
worker: install
	DEBUG=0 $(PY) manage.py db_worker --no-reload

# The suite runs with production settings (DEBUG off) over plain HTTP: the test client and
# live_server speak HTTP, so no HTTPS redirect and no secure-only cookies. STATIC_ROOT is
# one collectstatic never filled: pages name static files as before make setup, whatever
# staticfiles/ holds (the live server serves them from static/, not by hashed names).
# axe-core for the browser tests' accessibility checks (package-lock.json); never served.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

test: install node_modules/.package-lock.json
	SECRET_KEY=tests-only-not-secret ALLOWED_HOSTS=localhost,127.0.0.1,testserver HTTPS=0 \
		STATIC_ROOT=$(CURDIR)/.pytest_cache/no-staticfiles $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install
	SECRET_KEY=check-only ALLOWED_HOSTS=localhost $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-only ALLOWED_HOSTS=localhost $(PY) manage.py check

# The benchmarks (bench/*.py say what each measures); PostgreSQL at BENCH_PG, minutes each.
bench: install
	$(PY) bench/import_bench.py --only ours --only ours_xlsx --only copy --db postgresql
	$(PY) bench/pages_bench.py
	$(PY) bench/load.py

# Rebuild fixtures/reference.json from ../shared/data/ (see its SOURCES.md).
reference:
	$(PYTHON) fixtures/build_reference.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache node_modules

# On an empty database: loads reference and demo data, and creates the user "admin" with a
# random password printed a single time. Fixtures are not reloaded later: loaddata rewrites
# whole rows, which would undo what staff changed in them.
define FIRST_RUN
import os
import secrets
from django.contrib.auth import get_user_model
from django.core.management import call_command
from counties.models import Prefecture
if Prefecture.objects.exists():
    print("数据库已有数据，不再载入参考数据和演示数据。")
else:
    call_command("loaddata", "reference", "demo")
User = get_user_model()
if User.objects.filter(username="admin").exists():
    print("管理员账号 admin 已存在（密码见首次运行时的输出；忘记可运行 manage.py changepassword admin）。")
else:
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser("admin", "", password)
    print("已创建管理员账号 admin，一次性密码：" + password + "（请登录后在管理后台修改）")
site = "http://%s:%s/" % (os.environ["HOST"].replace("0.0.0.0", "127.0.0.1"), os.environ["PORT"])
print("打开 " + site + " （数据录入：" + site + "admin/）")
endef
export FIRST_RUN
