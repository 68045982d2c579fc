from __future__ import annotations

from django.urls import include, path

from assessment.views import home, jobs, notices, planning, spreadsheets
from assessment.views import progress as progress_views
from assessment.views import quality as quality_views
from assessment.views import reporting as report_views
from assessment.views.figures import board, month
from assessment.views.figures import followups as followup_views
from assessment.views.figures import queue as queue_views
from assessment.views.scoring import objections as objection_views
from assessment.views.scoring import publication as publication_views
from assessment.views.scoring import rectification as rectification_views
from assessment.views.scoring import results as result_views
from assessment.views.scoring import score_sheet as sheet_views
from assessment.views.scoring import self_assessment as self_assessment_views
from assessment.views.scoring import workbench as scoring_views
from assessment.views.scoring import year as year_views

app_name = "assessment"

# --- monthly figures: one department's month and its review ---
month_patterns = [
    path("", month.entry, name="entry"),
    path("submit/", month.submit, name="submit"),
    path("approve/", month.approve, name="approve"),
    path("return/", month.send_back, name="return"),
    path("reopen/", month.reopen, name="reopen"),
    path("urge/", notices.urge, name="urge"),
    path("checks/", month.month_checks, name="month-checks"),
]

# --- self-assessment: a department's self-assessment and its evidence files ---
self_assessment_patterns = [
    path("", self_assessment_views.self_assessment, name="self-assessment"),
    path(
        "submit/",
        self_assessment_views.self_assessment_submit,
        name="self-assessment-submit",
    ),
    path(
        "return/",
        self_assessment_views.self_assessment_return,
        name="self-assessment-return",
    ),
]

# --- scoring: one department's workbench, its adjustments and vetoes ---
workbench_patterns = [
    path("", scoring_views.workbench, name="workbench"),
    path(
        "targets/<int:target_id>/",
        result_views.score_detail,
        name="score-detail",
    ),
    path(
        "targets/<int:target_id>/score/",
        scoring_views.score_save,
        name="score-save",
    ),
    path("adjustments/", scoring_views.adjustment_add, name="adjustment-add"),
    path(
        "adjustments/<int:pk>/delete/",
        scoring_views.adjustment_delete,
        name="adjustment-delete",
    ),
    path("vetoes/", scoring_views.veto_add, name="veto-add"),
    path("vetoes/<int:pk>/delete/", scoring_views.veto_delete, name="veto-delete"),
]

# --- publication: the published list, sheets, objections and their answers ---
publication_patterns = [
    path("", publication_views.publication_page, name="publication"),
    path("publish/", publication_views.publish, name="publish"),
    path("finalize/", publication_views.finalize, name="finalize"),
    path("notice.pdf", publication_views.notice_pdf, name="publication-notice"),
    path("objections/", objection_views.objection_list, name="objection-list"),
    path(
        "objections/<int:pk>/",
        objection_views.objection_detail,
        name="objection-detail",
    ),
    path(
        "objections/<int:pk>/answer/",
        objection_views.objection_answer,
        name="objection-answer",
    ),
    path(
        "departments/<slug:code>/",
        publication_views.published_sheet,
        name="published-sheet",
    ),
    path(
        "departments/<slug:code>/object/",
        objection_views.objection_new,
        name="objection-new",
    ),
]

# --- spreadsheets: exports, the import template and the figures import ---
spreadsheet_patterns = [
    path("figures.xlsx", spreadsheets.figures_export, name="figures-export"),
    path(
        "score-sheet.xlsx", spreadsheets.score_sheet_export, name="score-sheet-export"
    ),
    path("import/", spreadsheets.import_figures, name="import"),
    path("import/template.xlsx", spreadsheets.import_template, name="import-template"),
]

# --- issued targets: who acknowledged, each department's 目标责任书 ---
target_letter_patterns = [
    path("", planning.acknowledgements, name="acknowledgements"),
    path("<slug:code>/", planning.target_letter, name="target-letter"),
    path("<slug:code>.pdf", planning.target_letter_pdf, name="target-letter-pdf"),
    path("<slug:code>/acknowledge/", planning.acknowledge, name="target-acknowledge"),
]

urlpatterns = [
    path("", home.home, name="home"),
    # --- notices: the inbox and a person's choice of e-mail ---
    path("notices/", notices.inbox, name="inbox"),
    path("notices/read/", notices.mark_all_read, name="notices-read"),
    path("notices/settings/", notices.notice_settings, name="notice-settings"),
    path("notices/<int:pk>/", notices.open_notice, name="notice-open"),
    path("notices/<int:pk>/read/", notices.mark_read, name="notice-read"),
    path("years/switch/", home.switch_year, name="switch-year"),
    # --- monthly figures: board, completeness matrix, month pages, history ---
    path("review/", queue_views.review_queue, name="queue"),
    path("review/approve/", queue_views.bulk_approve, name="bulk-approve"),
    path("years/<int:year>/board/", board.board, name="board"),
    path("years/<int:year>/completeness/", board.matrix, name="matrix"),
    path(
        "years/<int:year>/departments/<slug:code>/months/<int:month>/",
        include(month_patterns),
    ),
    path("figures/<int:pk>/history/", month.figure_history, name="figure-history"),
    path("follow-ups/mark/", followup_views.mark, name="follow-up-mark"),
    path(
        "follow-ups/<int:pk>/resolve/",
        followup_views.resolve,
        name="follow-up-resolve",
    ),
    # --- end of monthly figures ---
    # --- validation run ---
    path(
        "years/<int:year>/validation/",
        quality_views.validation_run,
        name="validation-run",
    ),
    path(
        "years/<int:year>/validation.xlsx",
        quality_views.validation_export,
        name="validation-export",
    ),
    # --- end of validation run ---
    # --- self-assessment ---
    path(
        "years/<int:year>/self-assessment/<slug:code>/",
        include(self_assessment_patterns),
    ),
    path(
        "evidence/<int:pk>/",
        self_assessment_views.evidence_download,
        name="evidence-download",
    ),
    path(
        "evidence/<int:pk>/delete/",
        self_assessment_views.evidence_delete,
        name="evidence-delete",
    ),
    # --- end of self-assessment ---
    # --- scoring ---
    path(
        "years/<int:year>/scoring/", scoring_views.scoring_index, name="scoring-index"
    ),
    path(
        "years/<int:year>/start-scoring/",
        year_views.start_scoring,
        name="start-scoring",
    ),
    path(
        "years/<int:year>/scoring/<slug:code>/",
        include(workbench_patterns),
    ),
    path(
        "years/<int:year>/results/<slug:code>/",
        result_views.department_result,
        name="department-result",
    ),
    path(
        "years/<int:year>/results/<slug:code>/score-sheet/",
        sheet_views.department_sheet,
        name="score-sheet",
    ),
    path(
        "years/<int:year>/results/<slug:code>/score-sheet.pdf",
        sheet_views.department_sheet_pdf,
        name="score-sheet-pdf",
    ),
    path("years/<int:year>/ranking/", result_views.ranking, name="ranking"),
    path(
        "years/<int:year>/summary-sheet/",
        sheet_views.summary_sheet,
        name="summary-sheet",
    ),
    path(
        "years/<int:year>/summary-sheet.pdf",
        sheet_views.summary_sheet_pdf,
        name="summary-sheet-pdf",
    ),
    path("years/<int:year>/close/", year_views.close_year, name="close-year"),
    # --- end of scoring ---
    # --- publication (公示) and objections (申诉) ---
    path(
        "years/<int:year>/publication/",
        include(publication_patterns),
    ),
    # --- end of publication ---
    # --- rectification (整改) ---
    path(
        "years/<int:year>/rectification/",
        rectification_views.rectification_list,
        name="rectification-list",
    ),
    path(
        "years/<int:year>/rectification/<int:pk>/",
        rectification_views.rectification_detail,
        name="rectification-detail",
    ),
    path(
        "years/<int:year>/rectification/<int:pk>/report/",
        rectification_views.rectification_report,
        name="rectification-report",
    ),
    path(
        "years/<int:year>/rectification/<int:pk>/review/",
        rectification_views.rectification_review,
        name="rectification-review",
    ),
    # --- end of rectification ---
    # --- report ---
    path("years/<int:year>/report/", report_views.report, name="report"),
    path("years/<int:year>/report.pdf", report_views.report_pdf, name="report-pdf"),
    path("years/<int:year>/report.docx", report_views.report_docx, name="report-docx"),
    path(
        "years/<int:year>/report-previous.pdf",
        report_views.report_previous_pdf,
        name="report-previous",
    ),
    path(
        "years/<int:year>/report-status/",
        report_views.report_status,
        name="report-status",
    ),
    path(
        "years/<int:year>/report-render/",
        report_views.report_render,
        name="report-render",
    ),
    path("years/<int:year>/my-report/", report_views.my_report, name="my-report"),
    path(
        "years/<int:year>/report/texts/",
        report_views.report_texts_edit,
        name="report-texts",
    ),
    path(
        "years/<int:year>/report/<slug:code>/",
        report_views.department_report,
        name="department-report",
    ),
    path(
        "years/<int:year>/report/<slug:code>.pdf",
        report_views.department_report_pdf,
        name="department-report-pdf",
    ),
    path(
        "years/<int:year>/report/<slug:code>/previous.pdf",
        report_views.department_report_previous_pdf,
        name="department-report-previous",
    ),
    path(
        "years/<int:year>/report/<slug:code>/status/",
        report_views.department_report_status,
        name="department-report-status",
    ),
    path(
        "years/<int:year>/report/<slug:code>/render/",
        report_views.department_report_render,
        name="department-report-render",
    ),
    path(
        "years/<int:year>/report/<slug:code>.docx",
        report_views.department_report_docx,
        name="department-report-docx",
    ),
    path(
        "years/<int:year>/report/<slug:code>/texts/",
        report_views.department_report_texts_edit,
        name="department-report-texts",
    ),
    # --- end of report ---
    # --- background jobs: report PDFs and the year's archive ---
    path(
        "years/<int:year>/prepare-report/",
        jobs.prepare_report,
        name="report-prepare",
    ),
    path(
        "years/<int:year>/prepare-report/<slug:code>/",
        jobs.prepare_department_report,
        name="department-report-prepare",
    ),
    path("years/<int:year>/archive/", jobs.start_archive, name="archive-start"),
    path("jobs/<int:pk>/", jobs.job_page, name="job"),
    path("jobs/<int:pk>/status/", jobs.job_status, name="job-status"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job-download"),
    path("jobs/<int:pk>/retry/", jobs.job_retry, name="job-retry"),
    # --- end of background jobs ---
    # --- next year and issuing its targets ---
    path("years/<int:year>/next-year/", planning.next_year, name="next-year"),
    path("years/<int:year>/plan/", planning.plan_page, name="plan"),
    path("years/<int:year>/issue/", planning.publish, name="issue-targets"),
    path("years/<int:year>/targets/", include(target_letter_patterns)),
    # --- end of next year ---
    # --- progress watched: the dashboard, a department's lights, the bulletin ---
    path("years/<int:year>/dashboard/", progress_views.dashboard, name="dashboard"),
    path(
        "years/<int:year>/progress/<slug:code>/",
        progress_views.department_progress,
        name="department-progress",
    ),
    path(
        "years/<int:year>/bulletins/<int:month>/",
        progress_views.bulletin_page,
        name="bulletin",
    ),
    path(
        "years/<int:year>/bulletins/<int:month>.pdf",
        progress_views.bulletin_pdf,
        name="bulletin-pdf",
    ),
    path(
        "years/<int:year>/bulletins/<int:month>/issue/",
        progress_views.bulletin_issue,
        name="bulletin-issue",
    ),
    # --- end of progress watched ---
    # --- spreadsheets ---
    path("years/<int:year>/departments/<slug:code>/", include(spreadsheet_patterns)),
    path(
        "years/<int:year>/figures.xlsx",
        spreadsheets.bureau_figures_export,
        name="bureau-figures-export",
    ),
    path(
        "years/<int:year>/score-sheet.xlsx",
        spreadsheets.bureau_score_sheet_export,
        name="bureau-score-sheet-export",
    ),
    # --- end of spreadsheets ---
]
