# Two commands: `make run` sets everything up and serves the app; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements

.PHONY: install run test lint format check reference bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(STAMP)

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	@DEBUG=1 $(PY) manage.py shell -c "$$FIRST_RUN"
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# The suite runs with production settings (DEBUG off) over plain HTTP: the test client and
# live_server speak HTTP, so no HTTPS redirect and no secure-only cookies.
test: install
	SECRET_KEY=tests-only-not-secret ALLOWED_HOSTS=localhost,127.0.0.1,testserver HTTPS=0 \
		$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install
	SECRET_KEY=check-only ALLOWED_HOSTS=localhost $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=check-only ALLOWED_HOSTS=localhost $(PY) manage.py check

# Rebuild fixtures/reference.json from ../shared/data/ (see its SOURCES.md).
reference:
	$(PYTHON) fixtures/build_reference.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache

# On an empty database: loads reference and demo data, and creates the user "admin" with a
# random password printed a single time. Fixtures are not reloaded later: loaddata rewrites
# whole rows, which would undo what staff changed in them.
define FIRST_RUN
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
print("打开 http://127.0.0.1:8000/ （数据录入：http://127.0.0.1:8000/admin/）")
endef
export FIRST_RUN
