"""POST data for the project and fund admin pages, as the browser sends it."""


def project_data(county, allocations=(), **fields):
    """The project add/change form with an allocation inline row per (fund, amount) pair."""
    data = {
        "code": "2023-LC-002",
        "name": "易地搬迁安置点配套",
        "category": "infrastructure",
        "year": "2023",
        "status": "planned",
        "county": str(county.pk),
        "village": "",
        "park": "",
        "start_date": "",
        "end_date": "",
        "shanghai_funds": "0",
        "other_funds": "0",
        "beneficiaries": "",
        "description": "",
        "notes": "",
        "allocations-TOTAL_FORMS": str(len(allocations)),
        "allocations-INITIAL_FORMS": "0",
        "allocations-MIN_NUM_FORMS": "0",
        "allocations-MAX_NUM_FORMS": "1000",
        "_save": "保存",
    }
    for i, (fund, amount) in enumerate(allocations):
        data[f"allocations-{i}-id"] = ""
        data[f"allocations-{i}-project"] = ""
        data[f"allocations-{i}-fund"] = str(fund.pk)
        data[f"allocations-{i}-amount"] = amount
    data.update(fields)
    return data


def fund_data(fund, **fields):
    data = {
        "source": fund.source,
        "year": str(fund.year),
        "county": str(fund.county_id),
        "amount": str(fund.amount),
        "donor": fund.donor,
        "document": fund.document,
        "_save": "保存",
    }
    data.update(fields)
    return data
