"""The contract PDF (phase 8): WeasyPrint with the Noto CJK fonts renders the Chinese
clauses as text a PDF reader extracts, with the fonts embedded; three copies per
contract, each page headed with its copy's name; a school's contracts in one PDF."""

import io
import time

import pytest
from pypdf import PdfReader

from attendance.selectors import contracts as contract_selectors
from attendance.services import contracts as contract_services

from . import contracts_world
from .contracts_world import many_hires

cycle, hires = contracts_world.cycle, contracts_world.hires


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def embedded_fonts(data: bytes) -> set[str]:
    """The base names of the fonts embedded in the PDF (a font file in its descriptor)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            for target in [d.get_object() for d in descendants] if descendants else [font]:
                descriptor = target.get("/FontDescriptor")
                if descriptor is not None and any(
                        key in descriptor.get_object()
                        for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(target["/BaseFont"]))
    return names


@pytest.fixture
def drawn(cycle, hires, office_user):
    contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    return hires


def test_the_contract_pdf_renders_the_chinese_clauses_as_text(drawn):
    contract = drawn["teacher"].contract

    data = contract_selectors.contracts_pdf([contract])

    texts = pages_text(data)
    assert data.startswith(b"%PDF")
    joined = "".join(texts).replace(" ", "").replace("\n", "")
    assert "岗位聘约" in joined
    assert "教师乙" in joined and "夏庄完小" in joined
    assert "担任三年级语文教学" in joined and "兼实验室管理" in joined
    assert "2026年9月1日至2027年7月31日" in joined
    fonts = {name.replace("-", "") for name in embedded_fonts(data)}
    assert any("NotoSerifCJKSC" in name for name in fonts), fonts


def test_three_copies_each_headed_with_its_name(drawn):
    data = contract_selectors.contracts_pdf([drawn["teacher"].contract])

    texts = pages_text(data)
    headed = [next(name for name in ("教办存档", "学校存档", "教师本人") if name in text)
              for text in texts]
    assert headed[0] == "教办存档" and headed[-1] == "教师本人"
    assert headed == sorted(headed, key=["教办存档", "学校存档", "教师本人"].index)
    assert set(headed) == {"教办存档", "学校存档", "教师本人"}


def test_a_school_prints_all_its_contracts_in_one_pdf(login, drawn, principal_user, cycle,
                                                      school):
    response = login(principal_user).get(
        f"/attendance/cycle/{cycle.pk}/contracts/school/{school.pk}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    joined = "".join(pages_text(response.content))
    assert joined.count("教师乙") >= 3 and joined.count("同事丁") >= 3
    assert "东张教师" not in joined


def test_nothing_is_fetched_from_the_network(drawn, monkeypatch):
    contract = drawn["teacher"].contract
    contract.clauses += '<img src="http://example.com/x.png">'

    data = contract_selectors.contracts_pdf([contract])

    # The clauses are text, escaped: the tag is printed, not fetched.
    assert "example.com" in "".join(pages_text(data))


def test_sixty_contracts_render_in_one_pdf(cycle, school, office_user, capsys):
    many_hires(cycle, school, 60)
    contract_services.contracts_draw_up(by=office_user, cycle=cycle)
    contracts = list(contract_selectors.school_contracts(cycle, school))

    started = time.perf_counter()
    data = contract_selectors.contracts_pdf(contracts)
    seconds = time.perf_counter() - started

    reader = PdfReader(io.BytesIO(data))
    assert len(contracts) == 60
    assert len(reader.pages) >= 180
    with capsys.disabled():
        print(f"\n60 contracts, {len(reader.pages)} pages, {len(data) // 1024} KiB: "
              f"{seconds:.1f} s")
