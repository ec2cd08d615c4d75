import itertools

import pytest

from commonroom.resources.licensing import (
    BY,
    BY_NC,
    BY_NC_ND,
    BY_NC_SA,
    BY_ND,
    BY_SA,
    CC0,
    Answers,
    adaptation_problem,
    allowed_for_adaptation,
    licence_for,
)

# (waive, commercial, adaptations, share_alike) -> licence, for every combination.
EXPECTED = {
    (False, True, True, False): BY,
    (False, True, True, True): BY_SA,
    (False, True, False, False): BY_ND,
    (False, True, False, True): BY_ND,
    (False, False, True, False): BY_NC,
    (False, False, True, True): BY_NC_SA,
    (False, False, False, False): BY_NC_ND,
    (False, False, False, True): BY_NC_ND,
}


@pytest.mark.parametrize(
    ("waive", "commercial", "adaptations", "share_alike"),
    list(itertools.product([True, False], repeat=4)),
)
def test_r32_every_answer_combination_gives_its_licence(
    waive, commercial, adaptations, share_alike
):
    answers = Answers(waive, commercial, adaptations, share_alike)
    expected = CC0 if waive else EXPECTED[(waive, commercial, adaptations, share_alike)]
    assert licence_for(answers) == expected


def test_r32_no_commercial_use_and_share_alike_is_by_nc_sa():
    answers = Answers(
        waive_all_rights=False, allow_commercial=False, allow_adaptations=True, share_alike=True
    )
    assert licence_for(answers) == BY_NC_SA


def test_r33_an_adaptation_of_by_sa_cannot_be_by_nc():
    assert adaptation_problem(source=BY_SA, chosen=BY_NC) == (
        "An adaptation of a work under CC BY-SA 4.0 must be licensed under: CC BY-SA 4.0."
    )
    assert adaptation_problem(source=BY_SA, chosen=BY_SA) is None


@pytest.mark.parametrize("source", [BY_ND, BY_NC_ND])
def test_r33_nd_sources_cannot_be_adapted(source):
    assert allowed_for_adaptation(source) == ()
    for chosen in (BY, BY_SA, BY_ND, BY_NC, BY_NC_SA, BY_NC_ND, CC0):
        assert adaptation_problem(source=source, chosen=chosen) == (
            "The source does not allow adaptations (NoDerivatives), so it cannot be adapted."
        )


@pytest.mark.parametrize(
    ("source", "allowed"),
    [
        (BY, {BY, BY_SA, BY_ND, BY_NC, BY_NC_SA, BY_NC_ND}),
        (BY_SA, {BY_SA}),
        (BY_NC, {BY_NC, BY_NC_SA, BY_NC_ND}),
        (BY_NC_SA, {BY_NC_SA}),
        (CC0, {BY, BY_SA, BY_ND, BY_NC, BY_NC_SA, BY_NC_ND, CC0}),
    ],
)
def test_r33_compatible_licences_for_each_source(source, allowed):
    assert set(allowed_for_adaptation(source)) == allowed
