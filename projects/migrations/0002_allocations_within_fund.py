"""Database triggers: the allocations of a fund never add up to more than the fund.

A CheckConstraint cannot compare across rows, so this invariant lives in triggers. On
PostgreSQL the trigger locks the fund row first, so two transactions allocating from the
same fund at once are serialized and the second sees the first's allocation.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION projects_allocation_within_fund() RETURNS trigger AS $$
DECLARE
    fund_amount numeric;
    allocated numeric;
BEGIN
    SELECT amount INTO fund_amount FROM projects_fund WHERE id = NEW.fund_id FOR UPDATE;
    SELECT COALESCE(SUM(amount), 0) INTO allocated
        FROM projects_fundallocation WHERE fund_id = NEW.fund_id;
    IF allocated > fund_amount THEN
        RAISE EXCEPTION '资金分配合计超出资金总额（资金 %%）', NEW.fund_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER projects_allocation_within_fund
    AFTER INSERT OR UPDATE ON projects_fundallocation
    FOR EACH ROW EXECUTE FUNCTION projects_allocation_within_fund();

CREATE FUNCTION projects_fund_covers_allocations() RETURNS trigger AS $$
BEGIN
    IF NEW.amount < (SELECT COALESCE(SUM(amount), 0)
                     FROM projects_fundallocation WHERE fund_id = NEW.id) THEN
        RAISE EXCEPTION '资金金额低于已分配合计（资金 %%）', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER projects_fund_covers_allocations
    AFTER UPDATE OF amount ON projects_fund
    FOR EACH ROW EXECUTE FUNCTION projects_fund_covers_allocations();
"""

POSTGRES_REVERSE = """
DROP TRIGGER projects_allocation_within_fund ON projects_fundallocation;
DROP FUNCTION projects_allocation_within_fund();
DROP TRIGGER projects_fund_covers_allocations ON projects_fund;
DROP FUNCTION projects_fund_covers_allocations();
"""

# SQLite serializes writers, so a plain check after each write is exact.
SQLITE = [
    f"""
    CREATE TRIGGER projects_allocation_within_fund_{event}
    AFTER {event} ON projects_fundallocation
    WHEN (SELECT SUM(amount) FROM projects_fundallocation WHERE fund_id = NEW.fund_id)
         > (SELECT amount FROM projects_fund WHERE id = NEW.fund_id)
    BEGIN
        SELECT RAISE(ABORT, 'CHECK constraint failed: 资金分配合计超出资金总额');
    END;
    """
    for event in ("INSERT", "UPDATE")
] + [
    """
    CREATE TRIGGER projects_fund_covers_allocations
    AFTER UPDATE OF amount ON projects_fund
    WHEN NEW.amount < (SELECT COALESCE(SUM(amount), 0)
                       FROM projects_fundallocation WHERE fund_id = NEW.id)
    BEGIN
        SELECT RAISE(ABORT, 'CHECK constraint failed: 资金金额低于已分配合计');
    END;
    """
]

SQLITE_REVERSE = [
    "DROP TRIGGER projects_allocation_within_fund_INSERT",
    "DROP TRIGGER projects_allocation_within_fund_UPDATE",
    "DROP TRIGGER projects_fund_covers_allocations",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in [statements] if isinstance(statements, str) else statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
