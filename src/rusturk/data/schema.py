"""The data schema, written once: validation, loading and the data dictionary all read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from rusturk.config import SOURCES_EARLIEST, STUDY_END, STUDY_START

# The most people a figure may count: more than live on Earth is a slip, not a reading.
MAX_PEOPLE = 10_000_000_000
TODAY = "today"  # a date bound meaning the day validation runs: nothing is read in the future

# Closed lists. Order matters: it is the order of categoricals and of the data dictionary.
CATEGORIES = ("diplomatic", "economic", "energy", "military", "security", "humanitarian")
DATE_PRECISIONS = ("day", "month", "year")
ACTORS = {
    "RUS": "Russia (state, government, armed forces)",
    "TUR": "Turkey (state, government, armed forces)",
    "SYR": "Syrian government and its forces",
    "SYR_OPP": "Syrian armed opposition, including jihadist groups",
    "SYR_KRD": "Kurdish-led forces in Syria (YPG, SDF)",
    "ISIL": "Islamic State (ISIL, ISIS, Daesh)",
    "IRN": "Iran",
    "USA": "United States",
    "NATO": "North Atlantic Treaty Organization",
    "EU": "European Union and its institutions",
    "UN": "United Nations and its agencies",
    "LBY_GNA": "Libya's Government of National Accord (Tripoli) and its forces",
    "LBY_LNA": "Khalifa Haftar's Libyan National Army",
    "IND": "An individual or non-state group acting without state authority (a lone gunman, "
    "a mob, a private military company no state is shown to direct); never a state act",
}
STRANDS = {
    "bilateral": "Bilateral diplomacy not tied to one theatre: leaders' summits, calls and "
    "letters, ministers' visits, the ambassador's killing",
    "syria-diplomacy": "The Astana and Sochi process: ceasefires, memoranda, guarantor meetings",
    "syria-idlib": "The Idlib theatre on the ground: offensives, observation posts, clashes",
    "syria-north": "Turkish operations in northern Syria (Euphrates Shield, Olive Branch, "
    "Peace Spring) and the joint patrols in the north-east",
    "military-incidents": "Direct incidents between Russian and Turkish forces outside those "
    "theatres: the Su-24, airspace violations, the al-Bab friendly fire, naval incidents",
    "energy": "TurkStream, Akkuyu, gas contracts and prices",
    "defence": "Arms procurement (the S-400, fighters) and third parties' reactions to it",
    "trade-tourism": "Sanctions, trade, tourism, visas and food bans",
    "libya": "The Libyan war, where Turkey backs the GNA and Russians fight for the LNA",
    "humanitarian": "Displacement, civilian harm, refugees and aid",
}
INTENTS = {
    "deliberate": "The act was intended (every verbal act, every planned operation).",
    "accidental": "The perpetrator or the record says the act was a mistake (friendly fire); "
    "kept in the data, left out of conflict measures.",
    "unclear": "Sources do not settle whether the act was intended.",
}
MEASURES = {
    "killed_turkish_military": "Turkish military personnel killed",
    "killed_turkish_civilian": "Turkish civilians (including contractors) killed",
    "wounded_turkish_military": "Turkish military personnel wounded",
    "killed_russian_military": "Russian military personnel killed",
    "killed_syrian_military": "Syrian government military personnel killed",
    "killed_turkish_total": "Turkish nationals killed, military personnel and civilians "
    "together (where a source does not split them)",
    "killed_syrian_opposition": "Syrian armed opposition fighters killed",
    "killed_total": "People killed, all sides",
    "killed_civilians": "Civilians killed",
    "neutralised_syrian_military": "Syrian government personnel Turkey says it 'neutralised' "
    "(in Turkish official usage: killed, wounded or captured)",
    "displaced": "People displaced in north-west Syria since the offensive began (most sources "
    "count from 1 December 2019), as of `as_of`",
    "displaced_in_month": "People displaced in north-west Syria during the month ending `as_of`",
}
QUALIFIERS = (
    "about", "around", "approximately", "estimated", "some", "at least", "more than", "over",
    "nearly", "almost", "up to", "as many as",
)
SOURCE_KINDS = ("news", "official", "un", "monitor", "analysis", "encyclopedia", "reference",
                "dataset")
COPY_TYPES = {
    "original": "The publisher's own page or document.",
    "syndicated": "A wire story or official text republished, with attribution, by another "
    "outlet.",
    "mirror": "A copy of another site's page (for example a Wikipedia mirror).",
    "aggregator": "A feed, blog or site excerpting others.",
}
AFFILIATIONS = {
    "independent": "Privately owned, editorially independent outlets and groups.",
    "state-media": "State-owned or state-funded media (TASS, RIA Novosti, Sputnik, RT, TRT, "
    "Anadolu, Xinhua, SANA).",
    "pro-government": "Privately owned but aligned with a government (Daily Sabah, A Haber, "
    "Yeni Şafak, Al-Masdar News).",
    "partisan": "Outlets of a movement, fringe or advocacy sites (SouthFront, Fort Russ, "
    "ISWNews, Pravda.ru).",
    "government": "A government's own sites, statements and documents.",
    "intergovernmental": "UN bodies and other intergovernmental organisations.",
    "academic": "Universities, research datasets and scholarly works.",
    "unknown": "Ownership or alignment could not be established.",
}
STANDINGS = {
    "established": "A wire agency, or an outlet, body or reference work with its own editorial "
    "standard and staff (for a syndicated copy: the originating publisher).",
    "minor": "A regional, niche or little-known outlet, a personal site or blog.",
}
# The Admiralty (NATO STANAG 2511) scale; the rule for each grade is in data/CODEBOOK.md.
RELIABILITY = {
    "A": "Completely reliable: the official text of the act itself, cited for its own content.",
    "B": "Usually reliable: wire agencies and established outlets with editorial standards; UN "
    "reports.",
    "C": "Fairly reliable: state media and government-aligned outlets, regional outlets, "
    "encyclopedias and reference works.",
    "D": "Not usually reliable: partisan or fringe outlets, aggregators, mirrors, blogs.",
    "E": "Unreliable: outlets with a record of fabrication.",
    "F": "Reliability cannot be judged.",
}
CREDIBILITY = {
    "1": "Confirmed by another, independent source in the dataset.",
    "2": "Probably true: consistent with the record, not independently confirmed here.",
    "3": "Possibly true: not confirmed, from a source graded D or lower.",
    "4": "Doubtful: contradicted in part by other sources.",
    "5": "Improbable: contradicted by most sources.",
    "6": "Truth cannot be judged.",
}
QUAD_CLASSES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}

# UCDP GED Syria, release 652.1601.1911 (codebook 19.1): the codes and the span it covers.
UCDP_RELEASE = "652.1601.1911"
UCDP_START, UCDP_END = "2016-01-01", "2019-11-30"
UCDP_SOURCE_ID = "ucdp-ged-syria-191"  # its row in sources.csv
# The Idlib de-escalation area of the Astana memorandum takes in Idlib and the neighbouring
# parts of Latakia, Hama and Aleppo governorates: the four whose events the extract keeps.
UCDP_GOVERNORATES = ("Idlib Governorate", "Hamah Governorate", "Latakia Governorate",
                     "Aleppo Governorate")
TYPES_OF_VIOLENCE = {
    "1": "State-based conflict: a government against another government or an organised "
    "armed group.",
    "2": "Non-state conflict: organised armed groups against each other, no government.",
    "3": "One-sided violence: a government or an organised group against civilians.",
}
UCDP_DATE_PRECISIONS = {
    "1": "Exact date of the event known.",
    "2": "Date known only within a 2–6 day range.",
    "3": "Only the week of the event known.",
    "4": "Date known only within an 8–30 day range, or only the month.",
    "5": "Date known only within a range longer than a month, within one calendar year.",
}
UCDP_WHERE_PRECISIONS = {
    "1": "Exact location known and coded.",
    "2": "Within at most about 25 km of a known point, which is coded.",
    "3": "Only the second-order administrative division (district) known; coded by a point "
    "representing it.",
    "4": "Only the first-order administrative division (governorate) known; coded by a point "
    "representing it.",
    "5": "Only a linear feature (a road, a border, a front line) or a region without defined "
    "borders known; coded by a point representing it.",
    "6": "Only the country known.",
    "7": "International waters or airspace.",
}
UCDP_CLARITY = {
    "1": "High: the source describes the individual incident.",
    "2": "Lower: the source gives only an aggregate of several incidents over a longer period.",
}

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
DAY = r"\d{4}-\d{2}-\d{2}"
# A date at day, month or year precision, in ISO 8601 extended form.
PARTIAL_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
CAMEO_CODE = r"\d{2,4}"


@dataclass(frozen=True)
class Field:
    """One column: its type, whether it is required, what values it allows, and what it means."""

    name: str
    kind: str  # slug, text, date, partial_date, category, integer, number, list, code
    description: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    unit: str = ""
    pattern: str = ""
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False
    references: str = ""  # "table.column" this field's values (or list items) must exist in
    earliest: str = ""  # a date field's first allowed day (YYYY-MM-DD)
    latest: str = ""  # its last allowed day (YYYY-MM-DD, or "today")

    @property
    def type_label(self) -> str:
        return {
            "slug": "slug (lower-case letters, digits, hyphens)",
            "text": "text",
            "date": "date (YYYY-MM-DD)",
            "partial_date": "date (YYYY-MM-DD, YYYY-MM or YYYY)",
            "category": "one of a closed list",
            "integer": "integer",
            "number": "decimal number",
            "list": "list of ids separated by ';'",
            "code": "CAMEO code (2 to 4 digits, leading zeros kept)",
        }[self.kind]


@dataclass(frozen=True)
class Table:
    """One CSV file of the dataset."""

    name: str
    filename: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    optional_file: bool = False
    extra: tuple[str, ...] = field(default=())  # rules spanning several columns, for the docs

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


EVENTS = Table(
    name="events",
    filename="events.csv",
    description="One row per event in Russia–Turkey relations, each with its source and "
    "the source's exact words.",
    key=("event_id",),
    fields=(
        Field("event_id", "slug", "Stable, readable identifier of the event.", unique=True,
              pattern=SLUG),
        Field("date", "partial_date", "Date of the event as the primary source gives it, "
              "at the precision of `date_precision`.", pattern=PARTIAL_DATE,
              earliest=STUDY_START, latest=STUDY_END),
        Field("date_precision", "category", "How precisely the primary source dates the event.",
              allowed=DATE_PRECISIONS),
        Field("exact_date", "date", "The day, where a second source pins a date that the "
              "primary source gives only to the month or year.", required=False, pattern=DAY,
              earliest=STUDY_START, latest=STUDY_END),
        Field("exact_date_source_id", "slug", "Source that pins `exact_date`.", required=False,
              references="sources.source_id"),
        Field("exact_date_evidence", "text", "That source's exact words giving the day.",
              required=False),
        Field("title", "text", "Short headline in our own words."),
        Field("description", "text", "What happened, in our own words."),
        Field("actor_initiator", "category", "Who acted.", allowed=tuple(ACTORS)),
        Field("actor_target", "category", "Toward whom.", allowed=tuple(ACTORS)),
        Field("category", "category", "Domain of the event.", allowed=CATEGORIES),
        Field("strand", "category", "Subject strand of the relationship (see the codes "
              "below).", allowed=tuple(STRANDS)),
        Field("cameo_code", "code", "CAMEO event code; QuadClass and Goldstein score are "
              "looked up from it in cameo.csv.", pattern=CAMEO_CODE,
              references="cameo.cameo_code"),
        Field("intent", "category", "Whether the act was intended (see the codes below).",
              allowed=tuple(INTENTS)),
        Field("location_name", "text", "Where it happened, where a place is known.",
              required=False),
        Field("latitude", "number", "Latitude of the place.", required=False,
              unit="decimal degrees (WGS 84)", minimum=-90, maximum=90),
        Field("longitude", "number", "Longitude of the place.", required=False,
              unit="decimal degrees (WGS 84)", minimum=-180, maximum=180),
        Field("coordinates_source_id", "slug", "Source of the coordinates.", required=False,
              references="sources.source_id"),
        Field("source_ids", "list", "Sources reporting the event; the first is the primary "
              "source, whose words `evidence` quotes.", references="sources.source_id"),
        Field("evidence", "text", "The primary source's exact words supporting the row. "
              "Where that source is a bundled raw file, the words must appear in it verbatim "
              "(whitespace-insensitive)."),
        Field("same_day_reason", "text", "Why this row is a separate occurrence although "
              "another row has the same day, pair of actors and CAMEO root.",
              required=False),
        Field("note", "text", "Where sources disagree (date, place, actor), the other readings "
              "and which source gives each.", required=False),
    ),
    extra=(
        "`date` has the form its `date_precision` says: YYYY-MM-DD, YYYY-MM or YYYY.",
        "`date` lies inside the study period (the span of phases.csv).",
        "`exact_date` lies inside the period `date` names; `exact_date`, "
        "`exact_date_source_id` and `exact_date_evidence` are given together.",
        "`latitude` and `longitude` are given together, with `coordinates_source_id`.",
        "One row per occurrence: two rows on the same day with the same pair of actors (in "
        "either direction) and CAMEO root need a `same_day_reason`.",
        "Every event from 1 December 2019 to 31 March 2020 has `date_precision` `day`.",
        "`cameo_code` 042 (make a visit) is not used: a meeting is coded from its host.",
        "`exact_date_evidence` gives the day: it holds the day of the month of `exact_date` "
        "as a number.",
        "A joint patrol (`joint-patrol` in `event_id`, or CAMEO 062 with \"joint patrol\" in "
        "`title`) is coded `TUR` → `RUS`, 062, category `military`.",
        "At least one source in `source_ids` is an original or syndicated copy, not a mirror "
        "or aggregator alone.",
        "Where `attributions.csv` names more than one perpetrator for the event, "
        "`actor_initiator` is one of them.",
    ),
)

SOURCES = Table(
    name="sources",
    filename="sources.csv",
    description="Every source the data cites.",
    key=("source_id",),
    fields=(
        Field("source_id", "slug", "Stable identifier of the source.", unique=True,
              pattern=SLUG),
        Field("kind", "category", "What sort of source it is.", allowed=SOURCE_KINDS),
        Field("publisher", "text", "Who published it."),
        Field("title", "text", "Title of the page, article or document."),
        Field("publication_date", "date", "When it was published, where known.",
              required=False, pattern=DAY, earliest=SOURCES_EARLIEST, latest=TODAY),
        Field("url_or_reference", "text", "Where to find it: a URL or a bibliographic "
              "reference."),
        Field("access_date", "date", "When we read it.", pattern=DAY,
              earliest=SOURCES_EARLIEST, latest=TODAY),
        Field("licence_note", "text", "Licence or usage note: what we may reuse."),
        Field("raw_file", "text", "Path, relative to the data folder, of the bundled copy "
              "against which evidence is checked verbatim.", required=False),
        Field("copy_type", "category", "Whether we read the publisher's own copy.",
              allowed=tuple(COPY_TYPES)),
        Field("affiliation", "category", "Ownership or alignment of the outlet; state and "
              "partisan media are kept and flagged, their claims are data.",
              allowed=tuple(AFFILIATIONS)),
        Field("standing", "category", "Whether the outlet (for a syndicated copy, the "
              "originating publisher) is established or minor; with `copy_type`, "
              "`affiliation` and `kind` it decides `reliability`.", allowed=tuple(STANDINGS)),
        Field("reliability", "category", "Admiralty grade of the source: A (completely "
              "reliable) to F (cannot be judged), by the grade rule (`reliability_rule`).",
              allowed=tuple(RELIABILITY)),
        Field("credibility", "category", "Admiralty grade of the information cited from it: "
              "1 (confirmed) to 6 (cannot be judged).", allowed=tuple(CREDIBILITY)),
        Field("note", "text", "Caveats: the outlet's standing, a title rebuilt from the "
              "address, a date not shown on the page.", required=False),
    ),
    extra=(
        "`reliability` follows the grade rule from `copy_type`, `affiliation`, `kind` and "
        "`standing` (data/CODEBOOK.md, section 9).",
        "`credibility` 2 (probably true) needs a source graded A to C; 3 (possibly true) one "
        "graded D to F.",
    ),
)

FIGURES = Table(
    name="figures",
    filename="figures.csv",
    description="Quantitative claims: one row per event, measure, source and reference date. "
    "Sources that disagree are separate rows; nothing is averaged away.",
    key=("event_id", "source_id", "measure", "as_of", "claimant"),
    fields=(
        Field("event_id", "slug", "The event the figure belongs to.",
              references="events.event_id"),
        Field("source_id", "slug", "The source stating the figure.",
              references="sources.source_id"),
        Field("measure", "category", "What is counted.", allowed=tuple(MEASURES)),
        Field("value_low", "integer", "Lower bound, where the source gives a range.",
              required=False, unit="people", minimum=0, maximum=MAX_PEOPLE),
        Field("value_best", "integer", "The number as the source states it; empty where the "
              "source gives only a range.", required=False, unit="people", minimum=0,
              maximum=MAX_PEOPLE),
        Field("value_high", "integer", "Upper bound, where the source gives a range.",
              required=False, unit="people", minimum=0, maximum=MAX_PEOPLE),
        Field("qualifier", "category", "The source's hedge on the number, if any.",
              required=False, allowed=QUALIFIERS),
        Field("as_of", "date", "The date the figure refers to, where it is a running count "
              "(for example displacement); empty means the event's date.", required=False,
              pattern=DAY, earliest=STUDY_START,
              latest=STUDY_END),
        Field("counted_from", "date", "For a running tally: the first day it counts from, "
              "where the source's words say so (\"this month\", \"since the start of "
              "February\"); empty for a reading of one incident or where the words are vague.",
              required=False, pattern=DAY, earliest=STUDY_START, latest=STUDY_END),
        Field("claimant", "text", "Who the source attributes the figure to, where it names "
              "someone (for example a governor, a minister, a monitor).", required=False),
        Field("evidence", "text", "The source's exact words stating the figure."),
        Field("superseded_by", "slug", "For a first count replaced by a later reading: the "
              "source of the reading (same event and measure) that replaced it.",
              required=False, references="sources.source_id"),
        Field("note", "text", "What the figure covers where that is not the event itself "
              "(another period, another population), and other caveats.", required=False),
    ),
    extra=(
        "`value_best` is given, or both `value_low` and `value_high` are.",
        "`value_low <= value_best <= value_high` wherever they are given.",
        "`counted_from` is not after `as_of`.",
        "The key columns together are unique.",
        "`superseded_by` names a source with a reading of the same event and measure.",
    ),
)

ATTRIBUTIONS = Table(
    name="attributions",
    filename="attributions.csv",
    description="Who carried out an act, claim by claim, where sources disagree: one row per "
    "claimed perpetrator and source.",
    key=("event_id", "claimed_initiator", "source_id"),
    fields=(
        Field("event_id", "slug", "The event whose perpetrator is claimed.",
              references="events.event_id"),
        Field("claimed_initiator", "category", "The perpetrator this source names.",
              allowed=tuple(ACTORS)),
        Field("source_id", "slug", "The source making or reporting the claim.",
              references="sources.source_id"),
        Field("claimant", "text", "Who makes the claim (a government, a monitor), where the "
              "source attributes it."),
        Field("evidence", "text", "The source's exact words naming the perpetrator."),
        Field("note", "text", "Caveats, such as a denial by the party named.", required=False),
    ),
    extra=("The key columns together are unique.",),
)

PHASES = Table(
    name="phases",
    filename="phases.csv",
    description="The curated phases of the relationship. They are contiguous, do not "
    "overlap, and together span the study period.",
    key=("phase_id",),
    fields=(
        Field("phase_id", "slug", "Stable identifier of the phase.", unique=True, pattern=SLUG),
        Field("name", "text", "Name of the phase."),
        Field("start", "date", "First day of the phase.", pattern=DAY, earliest=STUDY_START,
              latest=STUDY_END),
        Field("end", "date", "Last day of the phase.", pattern=DAY, earliest=STUDY_START,
              latest=STUDY_END),
        Field("opening_event_id", "slug", "Event that opens the phase.",
              references="events.event_id"),
        Field("closing_event_id", "slug", "Event that ends the phase (usually the next "
              "phase's opening event); empty where the study period simply ends.",
              required=False, references="events.event_id"),
        Field("rationale", "text", "Why the phase is drawn this way."),
    ),
    extra=(
        "Phases are in date order, `start <= end`, and each starts the day after the "
        "previous one ends.",
        "The opening event falls inside its phase.",
    ),
)

CAMEO = Table(
    name="cameo",
    filename="cameo.csv",
    description="CAMEO event codes used by the events, with QuadClass and Goldstein score.",
    key=("cameo_code",),
    fields=(
        Field("cameo_code", "code", "CAMEO event code.", unique=True, pattern=CAMEO_CODE),
        Field("description", "text", "The codebook's name for the code."),
        Field("quad_class", "integer", "QuadClass: 1 verbal cooperation, 2 material "
              "cooperation, 3 verbal conflict, 4 material conflict.", minimum=1, maximum=4),
        Field("goldstein", "number", "Goldstein conflict–cooperation score.",
              unit="Goldstein points (-10 to +10)", minimum=-10, maximum=10),
        Field("goldstein_source_id", "slug", "Where the Goldstein score was read.",
              references="sources.source_id"),
        Field("quad_class_source_id", "slug", "Where the QuadClass rule was read.",
              references="sources.source_id"),
        Field("note", "text", "Where published tables disagree on this code, each value "
              "and where it was read.", required=False),
    ),
    extra=("`quad_class` follows the root code: 01–05 → 1, 06–08 → 2, 09–13 → 3, "
           "14–20 → 4.",),
)

UCDP_GED = Table(
    name="ucdp_ged",
    filename="ucdp_ged_nw_syria.csv",
    description="UCDP Georeferenced Event Dataset, Syria release " + UCDP_RELEASE + " (" +
    UCDP_START + " to " + UCDP_END + "), the fatal events in the governorates of north-west "
    "Syria: an independent dataset set beside the curated events, one row per GED event as "
    "released. Written by `scripts/ucdp_extract.py`; never edited by hand. Codes and "
    "definitions are the GED codebook 19.1's (source `ucdp-ged-syria-191`).",
    key=("ged_id",),
    optional_file=True,
    fields=(
        Field("ged_id", "integer", "GED's identifier of the event (`id` in the release).",
              unique=True, minimum=1),
        Field("year", "integer", "Year of the event.", minimum=2016, maximum=2019),
        Field("type_of_violence", "category", "Type of UCDP conflict (see the codes below).",
              allowed=tuple(TYPES_OF_VIOLENCE)),
        Field("conflict_name", "text", "Name of the UCDP conflict the event belongs to."),
        Field("dyad_name", "text", "The dyad: side A and side B."),
        Field("side_a", "text", "Side A; in state-based conflicts always a government."),
        Field("side_b", "text", "Side B; in one-sided violence, civilians."),
        Field("date_start", "date", "Earliest possible date of the event.", pattern=DAY),
        Field("date_end", "date", "Latest possible date of the event.", pattern=DAY),
        Field("date_prec", "category", "How precisely the date is known (see the codes "
              "below).", allowed=tuple(UCDP_DATE_PRECISIONS)),
        Field("event_clarity", "category", "How clearly the source identifies the event (see "
              "the codes below).", allowed=tuple(UCDP_CLARITY)),
        Field("adm_1", "category", "First-order administrative division (governorate).",
              allowed=UCDP_GOVERNORATES),
        Field("adm_2", "text", "Second-order administrative division (district), where "
              "known.", required=False),
        Field("where_coordinates", "text", "Name of the place the event is assigned to."),
        Field("where_prec", "category", "How precisely the place is known (see the codes "
              "below).", allowed=tuple(UCDP_WHERE_PRECISIONS)),
        Field("latitude", "number", "Latitude of the coded point.",
              unit="decimal degrees (WGS 84)", minimum=-90, maximum=90),
        Field("longitude", "number", "Longitude of the coded point.",
              unit="decimal degrees (WGS 84)", minimum=-180, maximum=180),
        Field("number_of_sources", "integer", "Sources consulted for the event; -1 where "
              "GED did not record it.", minimum=-1),
        Field("deaths_a", "integer", "Best estimate of deaths on side A.", unit="people",
              minimum=0),
        Field("deaths_b", "integer", "Best estimate of deaths on side B.", unit="people",
              minimum=0),
        Field("deaths_civilians", "integer", "Best estimate of civilians killed.",
              unit="people", minimum=0),
        Field("deaths_unknown", "integer", "Best estimate of deaths of unknown status.",
              unit="people", minimum=0),
        Field("low", "integer", "Lowest reliable estimate of total deaths.", unit="people",
              minimum=0),
        Field("best", "integer", "Best (most likely) estimate of total deaths.",
              unit="people", minimum=0),
        Field("high", "integer", "Highest reliable estimate of total deaths.",
              unit="people", minimum=0),
        Field("source_article", "text", "GED's reference to its sources (names, dates, "
              "titles), white space collapsed.", required=False),
        Field("note", "text", "Where the release's low, best and high are out of order, "
              "that it is so; written by the extraction script.", required=False),
    ),
    extra=(
        "`date_start` lies inside the release's span, " + UCDP_START + " to " + UCDP_END +
        "; `date_end` is not before `date_start` and in the same year as `year` (an event "
        "that began on the release's last day may end after it).",
        "`best` is the sum of `deaths_a`, `deaths_b`, `deaths_civilians` and "
        "`deaths_unknown`, as the codebook defines it.",
        "`low <= best <= high`, or `note` says the release gives them out of order.",
        "sources.csv holds the extract's source, `" + UCDP_SOURCE_ID + "`.",
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (EVENTS, SOURCES, FIGURES, ATTRIBUTIONS, PHASES, CAMEO,
                        UCDP_GED)
}


def quad_class_of(cameo_code: str) -> int:
    """QuadClass implied by a CAMEO code's two-digit root.

    Examples:
        >>> quad_class_of("0871"), quad_class_of("046"), quad_class_of("112"), quad_class_of("190")
        (2, 1, 3, 4)
    """
    root = int(cameo_code[:2])
    if not 1 <= root <= 20:
        raise ValueError(f"CAMEO root code must be 01 to 20, got {cameo_code[:2]!r}")
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


# The grade rule (data/CODEBOOK.md, section 9), in order: the first that applies decides.
_BY_AFFILIATION = {"state-media": "C", "pro-government": "C", "partisan": "D", "unknown": "D"}
_REFERENCE_KINDS = ("encyclopedia", "reference", "monitor")


def reliability_rule(copy_type: str, affiliation: str, kind: str, standing: str) -> str:
    """The Admiralty reliability grade a source gets by the codebook's one written rule.

    Examples:
        >>> reliability_rule("mirror", "government", "official", "established")
        'D'
        >>> reliability_rule("original", "government", "official", "established")
        'A'
        >>> reliability_rule("syndicated", "independent", "news", "established")
        'B'
        >>> reliability_rule("original", "state-media", "news", "established")
        'C'
        >>> reliability_rule("original", "independent", "encyclopedia", "minor")
        'D'
    """
    if copy_type in ("mirror", "aggregator"):
        return "D"
    if affiliation == "government":
        return "A"
    if affiliation == "intergovernmental":
        return "A" if kind == "official" else "B"
    if affiliation == "academic":
        return "A" if kind == "dataset" else "B"
    if affiliation in _BY_AFFILIATION:
        return _BY_AFFILIATION[affiliation]
    # independent
    if kind in _REFERENCE_KINDS:
        return "C" if standing == "established" else "D"
    return "B" if standing == "established" else "C"


def credibility_fits(credibility: str, reliability: str) -> bool:
    """Credibility 2 ("probably true") needs a source graded A to C, 3 ("possibly true") one
    graded D to F; the other credibility grades do not depend on the source's grade.

    Examples:
        >>> credibility_fits("2", "D"), credibility_fits("3", "D"), credibility_fits("1", "D")
        (False, True, True)
    """
    if credibility == "2":
        return reliability in ("A", "B", "C")
    if credibility == "3":
        return reliability in ("D", "E", "F")
    return True
