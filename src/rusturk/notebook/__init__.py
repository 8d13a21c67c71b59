"""What the notebooks call, as `import rusturk.notebook as rn`: each section's summary, tables
and charts. Built on the analysis layer; the notebooks hold parameters, calls and prose only."""

from rusturk.analysis.findings import idlib_figures, overview_figures, phases_figures
from rusturk.analysis.findings import ruptures_table as ruptures_table
from rusturk.analysis.window import Window
from rusturk.notebook.sections import (
    CAVEAT,
    casualty_section,
    change_points_section,
    chronology_table,
    displacement_section,
    gantt_and_index,
    idlib_chronology,
    idlib_summary,
    index_chart,
    map_chart,
    method_text,
    overview_summary,
    phase_table_or_none,
    phases_summary,
    provenance_html,
    show,
    sochi_table,
    sources_html,
    timeline_chart,
)

__all__ = [
    "CAVEAT", "Window", "casualty_section", "change_points_section", "chronology_table",
    "displacement_section", "gantt_and_index", "idlib_chronology", "idlib_figures",
    "idlib_summary", "index_chart", "map_chart", "method_text", "overview_figures",
    "overview_summary", "phase_table_or_none", "phases_figures", "phases_summary",
    "provenance_html", "ruptures_table", "show", "sochi_table", "sources_html",
    "timeline_chart",
]
