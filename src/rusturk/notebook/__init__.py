"""What the notebooks call, as `import rusturk.notebook as rn`: each section's summary, tables
and charts. Built on the analysis layer; the notebooks hold parameters, calls and prose only."""

from rusturk.analysis.cost import RULE as CASUALTY_RULE
from rusturk.analysis.findings import (
    idlib_figures,
    overview_figures,
    phases_figures,
)
from rusturk.analysis.window import Window
from rusturk.notebook.sections import (
    CAVEAT,
    PERIODS,
    casualty_section,
    change_points_section,
    chronology_table,
    civilians_table,
    claims_table,
    crises_table,
    displacement_section,
    idlib_chronology,
    idlib_summary,
    index_chart,
    judgement_checks,
    map_chart,
    map_outside,
    method_text,
    monthly_chart,
    overview_summary,
    phase_means,
    phase_table_or_none,
    phases_summary,
    provenance_html,
    show,
    sochi_table,
    sources_html,
    tallies_table,
    timeline_chart,
)

__all__ = [
    "CASUALTY_RULE", "CAVEAT", "PERIODS", "Window", "casualty_section", "change_points_section",
    "chronology_table", "civilians_table", "claims_table", "crises_table",
    "displacement_section", "idlib_chronology", "idlib_figures",
    "idlib_summary", "index_chart", "judgement_checks", "map_chart", "map_outside",
    "method_text", "monthly_chart",
    "overview_figures", "overview_summary", "phase_means", "phase_table_or_none",
    "phases_figures", "phases_summary", "provenance_html", "show",
    "sochi_table", "sources_html", "tallies_table", "timeline_chart",
]
