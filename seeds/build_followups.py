# ruff: noqa: INP001 - a script run from the repository root, not a package module
"""Apply the 2026 review of the seed catalog to seeds/catalog.json.

Run from the repository root: ``python seeds/build_followups.py``. It

1. completes citations in place (titles, publication dates and URLs of the sources
   already cited, and wording that pointed at nothing a reader could find) and dates
   each addition to the first publication reporting its pledge, which changes no fact
   the log records;
2. loads the result with the library and appends, through the public API, the
   corrections, retractions and follow-up updates of the review, each with its
   source, recorded at 00:00 UTC on its source's publication day;
3. writes the catalog back with ``cm.dumps`` (which seals it with its digest).

Citations are completed every run (it is idempotent); each pass of appended events runs
only when the catalog does not hold it yet.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import commitments as cm

CATALOG = Path(__file__).resolve().parent / "catalog.json"
MARKER = "cn-kr-fta-phase2-resumption:2"  # the first event this script appends
D = dt.date


def at(y: int, m: int, d: int) -> dt.datetime:
    """00:00 UTC on a source's publication day."""
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


def src(url: str | None, title: str | None, publisher: str, published_on: dt.date) -> cm.Source:
    """A full citation."""
    return cm.Source(url=url, title=title, publisher=publisher, published_on=published_on)


def as_document(source: cm.Source) -> dict[str, str]:
    """A Source as catalog JSON."""
    doc = {"url": source.url, "title": source.title, "publisher": source.publisher}
    doc["published_on"] = source.published_on.isoformat() if source.published_on else None
    return {k: v for k, v in doc.items() if v is not None}


def unique(sources: list[cm.Source]) -> list[cm.Source]:
    """`sources` without repeats, in order."""
    return list(dict.fromkeys(sources))


def as_source(cited: dict[str, str]) -> cm.Source:
    """A citation written as catalog JSON, as a Source."""
    day = D.fromisoformat(cited["published_on"])
    return src(cited["url"], cited["title"], cited["publisher"], day)


# The articles the pledges come from, fully cited.
XINHUA = {
    "url": "http://en.people.cn/n3/2023/0908/c90000-20069342.html",
    "title": "China ready to join S.Korea in advancing ties -- Chinese premier",
    "publisher": "Xinhua (via People's Daily Online)",
    "published_on": "2023-09-08",
}
TDI = {
    "url": "https://thediplomaticinsight.com/chinese-premier-calls-for-china-japan-rok-trilateral-cooperation/",
    "title": "Chinese Premier Calls for China-Japan-ROK trilateral cooperation",
    "publisher": "The Diplomatic Insight (TDI)",
    "published_on": "2024-05-27",
}
CGTN = {
    "url": "https://news.cgtn.com/news/2025-03-22/Trilateral-talks-in-Tokyo-Unite-the-strength-of-three--1BX0qo291Vm/p.html",
    "title": "Trilateral talks in Tokyo: Unite the strength of three",
    "publisher": "CGTN (opinion, Xiang Haoyu)",
    "published_on": "2025-03-22",
}

# Sources of the follow-ups and corrections.
REUTERS_HLED = src(
    "https://www.devdiscourse.com/article/law-order/2951046-china-and-japan-agree-to-new-round-of-high-level-economic-dialogue",
    "China and Japan agree to new round of high-level economic dialogue",
    "Reuters (via Devdiscourse)",
    D(2024, 5, 26),
)
OHMYNEWS_FTA = src(
    "https://m.ohmynews.com/NWS_Web/View/at_pg.aspx?CMPT_CD=RPORT&CNTN_CD=A0003033218",
    "한·중 외교안보대화 신설, 서비스 분야 FTA 협상 재개",
    "OhmyNews",
    D(2024, 5, 26),
)
NEWS1_FTA = src(
    "https://news1.kr/amp/politics/president/5427368",
    "한중 FTA 2단계 협상 재개 합의…문화·관광·법률로 개방 확대(종합)",
    "News1",
    D(2024, 5, 26),
)
FNNEWS_2024_09 = src(
    "https://fnnews.com/news/202409272008195104",
    "한중 통상장관회의…연내 FTA 서비스투자 후속 공식 협상 진행",
    "Financial News (Korea)",
    D(2024, 9, 27),
)
NEWSIS_12TH_ROUND = src(
    "https://mobile.newsis.com/view/NISX20250625_0003226466",
    "산업부, 한·중 FTA 서비스·투자 후속 협상 '잰걸음'…시장 개방 논의",
    "Newsis",
    D(2025, 6, 25),
)
FNNEWS_SUMMIT = src(
    "https://www.fnnews.com/news/202511221703563176",
    "日, 내년 1월 한중일 정상회의 타진…中 거부로 조율 난항",
    "Financial News (Korea)",
    D(2025, 11, 22),
)
JOONGANG_CULTURE = src(
    "https://koreajoongangdaily.joins.com/news/2025-11-20/national/diplomacy/China-postpones-trilateral-culture-ministers-meeting-as-BeijingTokyo-tension-boils/2459387",
    "China postpones trilateral culture ministers' meeting as Beijing-Tokyo tension boils",
    "Korea JoongAng Daily",
    D(2025, 11, 20),
)
ABD_FTA = src(
    "https://cm.asiae.co.kr/en/article/2025110417423333582",
    'Wang Wentao Stresses "Swift Resumption of Negotiations"',
    "The Asia Business Daily",
    D(2025, 11, 4),
)
MOFA_2011 = src(
    "https://www.mofa.go.jp/announce/jfpu/2011/5/0527.html",
    "Overview of the 4th Japan-China-ROK Summit Meeting",
    "Ministry of Foreign Affairs of Japan",
    D(2011, 5, 27),
)
KYODO_2010 = src(
    "https://www.oananews.org/node/124960",
    "China, Japan, S. Korea meet for trilateral summit, focus on N. Korea+",
    "Kyodo (via OANA)",
    D(2010, 5, 29),
)
EXMOO_SEOUL = {
    "url": "https://www.exmoo.com/article/234076.html",
    "title": "中韓將設外交安全對話機制6月開會",
    "publisher": "exmoo (Hong Kong, from Xinhua)",
    "published_on": "2024-05-27",
}
YONHAP_CULTURE_OPENING = {
    "url": "https://taptalk.net/news/view/2025041500000205968",
    "title": "문화로 화합 모색하는 동북아…'한중일 문화교류의 해' 개막(종합)",
    "publisher": "Yonhap (via taptalk.net)",
    "published_on": "2025-04-15",
}
# Same-day reports of pledges first cited from later articles (the second pass).
NIKKEI_SOM_2023 = {
    "url": "https://asia.nikkei.com/Politics/International-relations/China-Japan-South-Korea-agree-to-hold-trilateral-summit",
    "title": "China, Japan, South Korea agree to hold trilateral summit",
    "publisher": "Nikkei Asia",
    "published_on": "2023-09-26",
}
OHMYNEWS_SEOUL = {
    "url": OHMYNEWS_FTA.url,
    "title": OHMYNEWS_FTA.title,
    "publisher": "OhmyNews",
    "published_on": "2024-05-26",
}
FNNEWS_SEOUL = {
    "url": "https://busan.fnnews.com/news/202405262002025126",
    "title": "한중 FTA 2단계 협상 재개..서비스 개방 확대 추진",
    "publisher": "Financial News (Korea)",
    "published_on": "2024-05-26",
}
NEWSPIM_JP_KR = {
    "url": "https://search.newspim.com/news/view/20240526000175",
    "title": "한일, '수소협력·자원협력대화' 신설키로…미래파트너십 기금 추가 논의",
    "publisher": "Newspim",
    "published_on": "2024-05-26",
}
MOFA_JP_KR = {
    "url": "https://www.mofa.go.jp/mofaj/a_o/na/kr/pageit_000001_00677.html",
    "title": "日韓首脳会談",
    "publisher": "Ministry of Foreign Affairs of Japan",
    "published_on": "2024-05-26",
}
XINHUA_2012 = src(
    "http://www.china.org.cn/world/2012-05/13/content_25370963.htm",
    "China, Japan, ROK to launch FTA talks this year",
    "Xinhua (via China.org.cn)",
    D(2012, 5, 13),
)
STRATEGIC_AS_FIRST_REPORTED = {
    "title": "Resume the China-ROK vice foreign ministers' strategic dialogue",
    "description": "The two leaders agreed to bring back the vice-foreign-minister-level "
    "strategic dialogue.",
}
NEO_SEOUL = {
    "title": "The China-Japan-ROK trilateral summit on May 26-27 in Seoul. Part two: the "
    "bilateral meetings",
    "publisher": "New Eastern Outlook (Konstantin Asmolov)",
    "published_on": "2024-07-03",
}
SECOND_MARKER = "jp-kr-hydrogen-dialogue:2"  # the first event the second pass appends
# The first publication reporting each pledge: (its day, the same-day sources to cite
# first, in order; none where the source already cited is that publication).
FIRST_REPORTS: dict[str, tuple[str, tuple[dict[str, str], ...]]] = {
    "cn-kr-fta-phase2-acceleration": ("2023-09-08", ()),  # Xinhua, the day after
    "cjk-summit-resumption-2023": ("2023-09-26", (NIKKEI_SOM_2023,)),
    "cn-jp-high-level-economic-dialogue": ("2024-05-26", (as_document(REUTERS_HLED),)),
    "cn-kr-fta-phase2-resumption": (
        "2024-05-26",
        (OHMYNEWS_SEOUL, as_document(NEWS1_FTA)),
    ),
    "cn-kr-2plus2-dialogue": ("2024-05-26", (OHMYNEWS_SEOUL, EXMOO_SEOUL)),
    "cn-kr-people-exchange-committee": ("2024-05-27", (EXMOO_SEOUL,)),
    "cn-kr-export-control-supply-chain-dialogue": ("2024-05-26", (OHMYNEWS_SEOUL,)),
    "cn-kr-investment-cooperation-committee": ("2024-05-26", (OHMYNEWS_SEOUL,)),
    "cn-kr-vice-ministerial-strategic-dialogue": ("2024-05-26", (FNNEWS_SEOUL,)),
    "cn-kr-youth-exchange": ("2024-07-03", ()),  # no earlier report found
    "jp-kr-hydrogen-dialogue": ("2024-05-26", (NEWSPIM_JP_KR,)),
    "jp-kr-resources-dialogue": ("2024-05-26", (NEWSPIM_JP_KR,)),
    "jp-kr-shuttle-diplomacy": ("2024-05-26", (MOFA_JP_KR,)),
}
# The 2023 pledge as reported on 26 September (the Busan meeting is an update of its own).
SUMMIT_2023_DESCRIPTION = (
    "At a deputy-minister-level meeting in Seoul, the three sides agreed to restart the "
    "leaders' summit, suspended since 2019, at the earliest convenient time, with a "
    "meeting of their foreign ministers first."
)
ANNUAL_DESCRIPTION = (
    "The three governments committed to a stand-alone trilateral leaders' meeting held once "
    "a year, rotating among the three capitals. A 2023 report of the Busan foreign "
    "ministers' meeting recalls this 2008 commitment and notes that it lapsed after 2019."
)


def complete_citations(doc: dict) -> None:
    """Fill in what the cited sources lacked; fix wording that named internal files."""
    by_id = {e["id"]: e for e in doc["events"]}
    for e in doc["events"]:
        if e["type"] != "added":
            continue
        c = e["commitment"]
        for s in c.get("sources", []):
            if s.get("publisher") == "Xinhua":
                s.clear()
                s.update(XINHUA)
            elif s.get("publisher") == "The Diplomatic Insight (TDI)":
                s.clear()
                s.update(TDI)
            elif s.get("publisher", "").startswith("CGTN"):
                s.clear()
                s.update(CGTN)
    annual = by_id["cjk-leaders-summit-annual:0"]["commitment"]
    annual["description"] = ANNUAL_DESCRIPTION
    hled = by_id["cn-jp-high-level-economic-dialogue:0"]["commitment"]
    hled["description"] = (
        "China and Japan agreed to restart their ministerial economic dialogue, dormant "
        "since 2019; its 6th round was held during Wang Yi's March 2025 visit to Tokyo."
    )
    # Each addition is dated to the first publication that reports the pledge.
    for commitment_id, (day, firsts) in FIRST_REPORTS.items():
        added = by_id[f"{commitment_id}:0"]
        added["recorded_at"] = f"{day}T00:00:00+00:00"
        sources = added["commitment"]["sources"]
        for first in reversed(firsts):
            if first not in sources:
                sources.insert(0, dict(first))
    by_id["cjk-summit-resumption-2023:0"]["commitment"]["description"] = SUMMIT_2023_DESCRIPTION
    # The strategic dialogue's timing is first reported on 3 July 2024: the addition of
    # 26 May reads as that day's reports do, and the second pass corrects it from 3 July.
    strategic = by_id["cn-kr-vice-ministerial-strategic-dialogue:0"]["commitment"]
    strategic.update(STRATEGIC_AS_FIRST_REPORTED)
    strategic.pop("deadline", None)
    for source in iter_sources(doc):  # a title found since
        if source.get("url") == OHMYNEWS_FTA.url:
            source["title"] = OHMYNEWS_FTA.title
    people = by_id["cn-kr-people-exchange-committee:0"]["commitment"]
    people["description"] = (
        "Reported as part of the Seoul meeting's outcome: the two sides would restart the "
        "work of their joint committee for promoting humanities and people-to-people "
        "exchanges, with more local-level exchanges expected."
    )
    # Update sources: missing publication days, a placeholder title, a preview.
    by_id["cjk-leaders-summit-annual:7"]["sources"][0]["title"] = (
        "Joint Declaration of the Seventh Japan-China-ROK Trilateral Summit"
    )
    by_id["cjk-leaders-summit-annual:4"]["sources"][0]["published_on"] = "2011-06-01"
    by_id["jp-kr-hydrogen-dialogue:1"]["sources"][0]["published_on"] = "2024-06-14"
    by_id["cn-kr-export-control-supply-chain-dialogue:1"]["sources"][0]["published_on"] = (
        "2024-07-11"
    )
    by_id["cjk-cultural-exchange-year-2025-2026:1"]["sources"][0]["published_on"] = "2024-09-12"
    opening = by_id["cjk-cultural-exchange-year-2025-2026:2"]
    opening["recorded_at"] = "2025-04-15T00:00:00+00:00"
    opening["note"] = (
        "The exchange year opened with a ceremony at Iino Hall, Tokyo, attended by "
        "vice-ministerial officials of the three countries; the year's logo was unveiled."
    )
    opening["sources"] = [dict(YONHAP_CULTURE_OPENING)]


def iter_sources(node: object) -> list[dict]:
    """Every source dict anywhere in a catalog document."""
    if isinstance(node, list):
        return [s for item in node for s in iter_sources(item)]
    if not isinstance(node, dict):
        return []
    found = [node] if "publisher" in node else []
    return found + [s for value in node.values() for s in iter_sources(value)]


def append_review(t: cm.Tracker) -> None:
    """The review's corrections, revisions, retractions and follow-ups, as new events."""
    # China-ROK FTA phase two, Seoul 2024: what the briefing promised for early June.
    fta = "cn-kr-fta-phase2-resumption"
    t.amend(
        fta,
        title="Hold a China-ROK FTA chief negotiators' meeting in early June 2024 "
        "to restart phase-two talks",
        description="The Korean briefing after the Yoon-Li meeting said phase-two talks on "
        "services and investment would resume, widened to sectors such as culture, tourism "
        "and legal services, beginning with a meeting of the FTA chief negotiators in early "
        "June 2024. The promise was that meeting, not the formal negotiating rounds that "
        "followed.",
        sources=unique([OHMYNEWS_FTA, NEWS1_FTA, *t[fta].sources]),
        source=OHMYNEWS_FTA,
        reason="the Korean briefing promised a chief negotiators' meeting in early June, "
        "not the restart of formal rounds",
        recorded_at=at(2024, 5, 26),
    )
    t.retract(
        f"{fta}:1",
        reason="the January 2025 round fulfils the Jakarta pledge to speed up the talks, "
        "not the early-June chief negotiators' meeting",
        recorded_at=at(2025, 1, 16),
    )
    t.record(
        fta,
        "stalled",
        on=D(2024, 9, 27),
        source=FNNEWS_2024_09,
        note="No report of a chief negotiators' meeting in June 2024 was found. On 27 "
        "September the trade ministers, meeting in Beijing, set a new aim of a formal "
        "services and investment round before the end of 2024, so the talks had still not "
        "restarted.",
        recorded_at=at(2024, 9, 27),
    )
    # China-ROK FTA phase two (Jakarta pledge): the later rounds.
    t.record(
        "cn-kr-fta-phase2-acceleration",
        "in_progress",
        on=D(2025, 6, 23),
        source=NEWSIS_12TH_ROUND,
        note="The 12th round of the services and investment talks opened in Seoul "
        "(23-27 June), after an 11th in Beijing in April; each round had working groups "
        "on services, investment and finance.",
        recorded_at=at(2025, 6, 25),
    )

    # China-Japan High-Level Economic Dialogue: the 2024 report of the pledge.
    hled = "cn-jp-high-level-economic-dialogue"
    t.amend(
        hled,
        title="Hold a new round of the China-Japan High-Level Economic Dialogue",
        deadline=cm.Deadline.parse("at an appropriate time"),
        occasion="Kishida-Li Qiang bilateral meeting, Seoul",
        sources=unique([REUTERS_HLED, *t[hled].sources]),
        source=REUTERS_HLED,
        reason="the pledge is reported in a 2024 account of the Kishida-Li meeting; the "
        "2025 opinion piece only previews the 6th round",
        recorded_at=at(2024, 5, 26),
    )

    # Yearly summits: the description, and China's refusal of November 2025.
    annual = "cjk-leaders-summit-annual"
    t.amend(
        annual,
        description=ANNUAL_DESCRIPTION.replace(
            "rotating among the three capitals",
            "hosted by the three countries in turn (not always in their capitals: "
            "Dazaifu, Jeju and Chengdu have hosted)",
        ),
        reason="the summit rotates among the three countries, not their capitals",
        recorded_at=at(2019, 12, 27),
        source=[
            src(
                "https://global.chinadaily.com.cn/world/2015-10/27/content_22296912_3.htm",
                "Previous China-Japan-ROK trilateral summits",
                "China Daily",
                D(2015, 10, 27),
            ),
            src(
                "http://english.www.gov.cn/premier/speeches/201912/27/content_WS5e05cfa8c6d03c1f1c161e1e.html",
                "Remarks by H.E. Li Keqiang ... At the Eighth Trilateral Summit Meeting Among "
                "The People's Republic of China, the Republic of Korea and Japan (Chengdu, "
                "24 December 2019)",
                "State Council of the PRC (english.gov.cn)",
                D(2019, 12, 27),
            ),
        ],
    )
    t.retract(
        f"{annual}:4",
        reason="the summit meeting itself was on 22 May 2011; 21 May was the leaders' visit "
        "to the disaster area",
        recorded_at=at(2011, 5, 27),
    )
    t.record(
        annual,
        "fulfilled",
        on=D(2011, 5, 22),
        source=MOFA_2011,
        note="4th trilateral leaders' summit, Tokyo (Akasaka State Guest House), after the "
        "leaders' visit to Miyagi and Fukushima the day before.",
        recorded_at=at(2011, 5, 27),
    )
    t.record(
        annual,
        "fulfilled",
        on=D(2010, 5, 29),
        source=KYODO_2010,
        note="3rd trilateral leaders' summit, Jeju (29-30 May 2010), as reported on its "
        "first day; the update citing a 2015 retrospective stays as a second source.",
        recorded_at=at(2010, 5, 29),
    )
    t.record(
        annual,
        "stalled",
        on=D(2025, 11, 22),
        party="CN",
        reason="blocked",
        source=FNNEWS_SUMMIT,
        note="China told the other two, through diplomatic channels, that it could not attend "
        "the summit Japan had proposed for January 2026, citing PM Takaichi's Taiwan "
        "remarks; no summit had been held in 2025.",
        recorded_at=at(2025, 11, 22),
    )

    # 10th summit: China's answer reached Japan before the 24 November statement already
    # recorded; it is dated to the day it was first reported.
    summit = "cjk-10th-summit-japan"
    t.record(
        summit,
        "stalled",
        on=D(2025, 11, 22),
        party="CN",
        reason="blocked",
        source=FNNEWS_SUMMIT,
        note="Japan, as chair, had sounded out a summit in January 2026; China said through "
        "diplomatic channels that it could not take part, blaming PM Takaichi's Taiwan "
        "remarks, and Japan turned to a date after February.",
        recorded_at=at(2025, 11, 22),
    )

    # Cultural exchange year: the notification day, and what it blocked.
    year = "cjk-cultural-exchange-year-2025-2026"
    t.retract(
        f"{year}:3",
        reason="China notified Seoul of the postponement on 18 November; the postponement "
        "stopped the ministers' meeting, not the exchange year",
        recorded_at=at(2025, 11, 20),
    )
    t.record(
        year,
        "in_progress",
        on=D(2025, 11, 18),
        party="CN",
        source=JOONGANG_CULTURE,
        note="China told the ROK culture ministry that the trilateral culture ministers' "
        "meeting planned for Macau on 24 November was postponed, amid its dispute with "
        "Japan over PM Takaichi's Taiwan remarks. The exchange year itself was not called "
        "off.",
        recorded_at=at(2025, 11, 20),
    )

    # Trilateral FTA: no round since 2019, China pressing, Japan cautious.
    t.record(
        "cjk-fta-negotiations",
        "stalled",
        on=D(2025, 11, 1),
        source=ABD_FTA,
        note="No formal negotiating round had been held since November 2019. At Gyeongju "
        "China's commerce minister urged Seoul to work for an early restart of the "
        "trilateral talks, while Japan remained cautious.",
        recorded_at=at(2025, 11, 4),
    )


def append_second_review(t: cm.Tracker) -> None:
    """The second pass: timings the first reading left out, wordings, a same-day report."""
    made = D(2024, 5, 26)
    newspim = as_source(NEWSPIM_JP_KR)
    hydrogen = (
        "a hydrogen dialogue to work on standards, rules and supply chains for hydrogen energy"
    )
    resources = (
        "a channel between the trade and industry ministries on critical raw materials and "
        "resources, so that supplies of key minerals stay stable in a crisis"
    )
    for commitment_id, title, what in (
        ("jp-kr-hydrogen-dialogue", "Launch a Japan-ROK Hydrogen Cooperation Dialogue", hydrogen),
        (
            "jp-kr-resources-dialogue",
            "Launch a Japan-ROK resources cooperation dialogue",
            resources,
        ),
    ):
        t.amend(
            commitment_id,
            title=f"{title} in mid-June 2024",
            description=f"The two leaders agreed to set up {what}. The Korean briefing "
            "after the meeting said it would start in mid-June 2024.",
            deadline=cm.Deadline.parse("in mid-June", made_on=made),
            source=newspim,
            reason="the Korean briefing of the day set the launch for mid-June 2024, a "
            "timing the first reading left out",
            recorded_at=at(2024, 5, 26),
        )

    # The strategic dialogue's timing, first found in the article of 3 July 2024.
    neo = cm.Source(
        url=None,
        title=NEO_SEOUL["title"],
        publisher=NEO_SEOUL["publisher"],
        published_on=D(2024, 7, 3),
    )
    t.amend(
        "cn-kr-vice-ministerial-strategic-dialogue",
        title="Resume the China-ROK vice foreign ministers' strategic dialogue in H2 2024",
        description="The two leaders agreed to bring back the vice-foreign-minister-level "
        "strategic dialogue, with a meeting due during H2 2024.",
        deadline=cm.Deadline.parse("in the second half of 2024"),
        source=neo,
        reason="the timing agreed on 26 May is first found in this later account of the "
        "meeting; the reports of the day name the dialogue without it",
        recorded_at=at(2024, 7, 3),
    )

    # The 2023 senior officials' meeting: the wording of the day.
    nikkei = as_source(NIKKEI_SOM_2023)
    t.amend(
        "cjk-summit-resumption-2023",
        deadline=cm.Deadline.parse("at the earliest convenient time"),
        source=nikkei,
        reason="the meeting's own wording, as the Korean foreign ministry gave it the same "
        "day, was 'at the earliest convenient time'",
        recorded_at=at(2023, 9, 26),
    )

    # Yearly summits: the 2012 summit as reported on its first day.
    t.record(
        "cjk-leaders-summit-annual",
        "fulfilled",
        on=D(2012, 5, 13),
        source=XINHUA_2012,
        note="5th trilateral leaders' summit, Beijing (13-14 May 2012), as reported on its "
        "first day, when the leaders agreed to launch trilateral FTA talks that year; the "
        "update citing Japan's summary of 27 June stays as a second source.",
        recorded_at=at(2012, 5, 13),
    )


def main() -> int:
    """Complete citations, then apply each pass of the review the catalog lacks."""
    doc = json.loads(CATALOG.read_text(encoding="utf-8"))
    held = {e["id"] for e in doc["events"]}
    complete_citations(doc)
    tracker = cm.from_document(doc)
    if MARKER not in held:
        append_review(tracker)
    if SECOND_MARKER not in held:
        append_second_review(tracker)
    CATALOG.write_text(cm.dumps(tracker) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"wrote {CATALOG}: {len(tracker)} commitments, {len(tracker.events())} events\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
