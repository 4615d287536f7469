"""The letters' PDF (R10): WeasyPrint with the Noto CJK fonts, as the contracts' PDF: the
Chinese sections, the target and the six veto clauses as text a reader extracts, the
fonts embedded; the township's letters in one PDF, one letter after another."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from evaluation.selectors import letters as letter_selectors

from . import letters_world
from .letters_world import YEAR

heads, exam, drafted, sent, signed = (letters_world.heads, letters_world.exam,
                                      letters_world.drafted, letters_world.sent,
                                      letters_world.signed)


def joined_text(data: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    return "".join(pages).replace(" ", "").replace("\n", "")


def embedded_fonts(data: bytes) -> set[str]:
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
                    names.add(str(target["/BaseFont"]).replace("-", ""))
    return names


def test_a_letter_prints_its_chinese_text_target_and_vetoes(signed):
    data = letter_selectors.letters_pdf([signed])

    assert data.startswith(b"%PDF")
    text = joined_text(data)
    assert "2026—2027学年学校目标管理责任书" in text
    assert "夏庄完小" in text and "校长甲" in text
    assert "一、规范办学" in text and "四、教学质量目标" in text
    assert "或进入全镇前三名" in text
    assert "五、一票否决" in text and "教学质量未达到规定目标的" in text
    assert "在考试、考核、统计等工作中弄虚作假的" in text
    assert "在线签订" in text
    assert any("NotoSerifCJKSC" in name for name in embedded_fonts(data))


def test_the_township_pdf_has_every_letter(login, office_user, township, drafted):
    response = login(office_user).get(reverse("evaluation:letters_pdf",
                                              args=[township.pk, YEAR]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = joined_text(response.content)
    assert len(PdfReader(io.BytesIO(response.content)).pages) >= 2
    assert "乙方：东张完小（主要负责人：校长丙）" in text
    assert "乙方：夏庄完小（主要负责人：校长甲）" in text
    assert "不超过3.6分" in text


def test_the_principal_downloads_their_letter(login, sent, principal_user):
    response = login(principal_user).get(reverse("evaluation:letter_pdf",
                                                 args=[sent["here"].pk]))

    assert response.status_code == 200
    assert "校长甲" in joined_text(response.content)


@pytest.mark.usefixtures("english_pages")
def test_no_letters_no_pdf(login, office_user, township):
    response = login(office_user).get(reverse("evaluation:letters_pdf",
                                              args=[township.pk, YEAR]), follow=True)

    assert response.redirect_chain and "No letters drafted yet." in [
        str(m) for m in response.context["messages"]]
