"""The linking benchmark runs, and linking a new article compares it with a bounded number of
stored candidates (counted, not timed) as the store grows."""

from __future__ import annotations

from pathlib import Path

from chronicle.link.bench import bench_linking, synthetic_documents
from chronicle.link.names import same_person_name


def test_synthetic_duplicates_share_people_across_spellings() -> None:
    docs = synthetic_documents(4)
    first, second = docs[0].events[0], docs[1].events[0]
    assert first.date == second.date and first.type == second.type
    assert first.recipient != second.recipient  # another romanisation of the same name
    assert same_person_name(first.recipient or "", second.recipient or "", need_given=True)


def test_candidates_stay_bounded_as_store_grows(tmp_path: Path) -> None:
    small, large = bench_linking(sizes=(60, 240), new_articles=3, workdir=tmp_path)
    assert small["stored_events"] == 60 and large["stored_events"] == 240
    assert small["new_articles"] == large["new_articles"] == 3
    # Four times the events: the compared candidates must not grow in proportion.
    assert large["candidates_compared_median"] <= 2 * small["candidates_compared_median"] + 20
