"""Statement exports (R-43): CSV (machine-readable), XLSX (finance), PDF (print-ready, Chinese).

All three render the statement document the API answers — the route validates it into its
response model (schemas.StatementOut) and hands that over — so an export never disagrees with
the API. Amounts keep their exact decimal values (XLSX cells hold Decimals; CSV and PDF print
decimal strings).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ..rules import fmt_money

if TYPE_CHECKING:  # the document's shape only: adapters do not depend on the API layer
    from ..schemas import StatementOut

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE = "服务费结算单"

TIER_ZH = {"standard": "标准费率", "reduced": "下调费率", "below_minimum": "低于最低标准",
           "no_fee": "不予结算"}

CSV_COLUMNS = (
    "client_id", "month", "status", "revision", "schedule_version", "bucket", "dpd_min", "dpd_max",
    "cases", "placed_before_exclusions", "excluded_placed", "placed", "recovered_in_cycle",
    "recovery_rate", "benchmark", "minimum", "tier", "base_rate", "fee_rate", "recovered", "fee",
    "months_below_minimum",
)


def _s(v: object) -> str:
    return "" if v is None else str(v)


def to_csv(doc: StatementOut) -> str:
    """One row per line and a final TOTAL row; every row repeats the statement's identity so the
    file stands alone. Decimals as plain strings (no thousands separators)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    ident = [doc.client_id, doc.month, doc.status, _s(doc.revision), doc.schedule.version]
    for ln in doc.lines:
        w.writerow([*ident, ln.bucket, ln.dpd_min, _s(ln.dpd_max), ln.cases, ln.placed_before_exclusions,
                    ln.excluded_placed, ln.placed, ln.recovered_in_cycle, _s(ln.recovery_rate), ln.benchmark,
                    ln.minimum, ln.tier, ln.base_rate, ln.fee_rate, ln.recovered, ln.fee,
                    ln.months_below_minimum])
    t = doc.totals
    w.writerow([*ident, "TOTAL", "", "", t.cases, t.placed_before_exclusions, t.excluded_placed, t.placed,
                t.recovered_in_cycle, _s(t.recovery_rate), "", "", "", "", "", t.recovered, t.fee, ""])
    return buf.getvalue()


def _meta(doc: StatementOut) -> list[tuple[str, str]]:
    state = {"draft": "草稿 draft", "issued": "已出具 issued", "superseded": "已被替代 superseded"}[doc.status]
    rows = [
        ("委托方 Client", doc.client_id),
        ("结算月份 Month", doc.month),
        ("状态 Status", state + (f", 第 {doc.revision} 版 revision {doc.revision}" if doc.revision else "")),
        ("费率方案 Fee schedule", f"v{doc.schedule.version} ({doc.schedule.source}), "
                                  f"effective {doc.schedule.effective_from.isoformat()}, "
                                  f"rounding {doc.schedule.rounding}"),
        ("追收周期 Collection cycle", f"{doc.cycle.window_start.isoformat()} – {doc.cycle.window_end.isoformat()}"),
    ]
    if doc.reason:
        rows.append(("重新出具原因 Reason", doc.reason))
    return rows


def to_xlsx(doc: StatementOut) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "结算单"
    ws.append([TITLE])
    ws["A1"].font = Font(size=14, bold=True)
    for k, v in _meta(doc):
        ws.append([k, v])
    ws.append([])
    header = ["逾期阶段 Bucket", "DPD", "案件数 Cases", "委案金额 Placed", "剔除 Excluded (R-42)",
              "计算基数 Placed net", "周期回款 Repaid in cycle", "回收率 Recovery rate", "基准 Benchmark", "最低 Minimum",
              "档位 Tier", "费率 Fee rate", "当月回款 Recovered", "服务费 Fee"]
    ws.append(header)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    money_cols = (4, 5, 6, 7, 13, 14)
    rate_cols = (8, 9, 10, 12)
    for ln in doc.lines:
        dpd = f"{ln.dpd_min}-{ln.dpd_max}" if ln.dpd_max is not None else f">={ln.dpd_min}"
        ws.append([ln.bucket, dpd, ln.cases, ln.placed_before_exclusions, ln.excluded_placed, ln.placed,
                   ln.recovered_in_cycle,
                   ln.recovery_rate, ln.benchmark, ln.minimum, f"{TIER_ZH.get(ln.tier, ln.tier)} {ln.tier}",
                   ln.fee_rate, ln.recovered, ln.fee])
    t = doc.totals
    ws.append(["合计 Total", "", t.cases, t.placed_before_exclusions, t.excluded_placed, t.placed,
               t.recovered_in_cycle, t.recovery_rate,
               None, None, "", None, t.recovered, t.fee])
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        for col in money_cols:
            row[col - 1].number_format = "#,##0.00"
        for col in rate_cols:
            row[col - 1].number_format = "0.00##%"
    ws[f"A{ws.max_row}"].font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJKLMN", (14, 10, 8, 16, 14, 16, 16, 12, 10, 10, 22, 10, 16, 14)):
        ws.column_dimensions[col].width = width
    ex = wb.create_sheet("说明 Explanation")
    ex.append(["逾期阶段 Bucket", "计算说明 Explanation"])
    for ln in doc.lines:
        ex.append([ln.bucket, ln.explanation])
    ex.append([])
    ex.append(["口径 Definition", doc.cycle.definition])
    ex.append(["未计入 Not counted", f"{doc.not_counted.count} repayments, {doc.not_counted.amount}: "
                                    f"{doc.not_counted.rule}"])
    ex.column_dimensions["A"].width = 18
    ex.column_dimensions["B"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pct(v: Decimal | None) -> str:
    if v is None:
        return "n/a"
    return f"{(v * 100).normalize():f}%" if v else "0%"


def _pdf_rows(doc: StatementOut) -> list[list[str]]:
    """The lines table of the PDF: a header, one row per line, the total."""
    head = ["逾期阶段", "案件数", "委案金额", "剔除", "周期回款", "回收率", "基准", "最低", "档位", "费率",
            "当月回款", "服务费"]
    rows = [head]
    for ln in doc.lines:
        rows.append([ln.bucket, str(ln.cases), fmt_money(ln.placed_before_exclusions), fmt_money(ln.excluded_placed),
                     fmt_money(ln.recovered_in_cycle), _pct(ln.recovery_rate), _pct(ln.benchmark),
                     _pct(ln.minimum), TIER_ZH.get(ln.tier, ln.tier), _pct(ln.fee_rate),
                     fmt_money(ln.recovered), fmt_money(ln.fee)])
    t = doc.totals
    rows.append(["合计", str(t.cases), fmt_money(t.placed_before_exclusions), fmt_money(t.excluded_placed),
                 fmt_money(t.recovered_in_cycle), _pct(t.recovery_rate), "", "", "", "",
                 fmt_money(t.recovered), fmt_money(t.fee)])
    return rows


def to_pdf(doc: StatementOut) -> bytes:
    """A4 landscape, reportlab's built-in CID font STSong-Light: Chinese renders with no font file."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    small = ParagraphStyle("small", fontName=font, fontSize=7, leading=9)

    buf = io.BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm,
                            title=f"{TITLE} {doc.client_id} {doc.month}", author="Recoup billing")
    story: list = [Paragraph(TITLE, title_style), Spacer(1, 4 * mm)]
    meta = Table([[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in _meta(doc)],
                 colWidths=[50 * mm, 200 * mm])
    meta.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9)]))
    story += [meta, Spacer(1, 4 * mm)]
    t = doc.totals
    table = Table(_pdf_rows(doc), repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("FONT", (0, -1), (-1, -1), font, 9),
        ("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
    ]))
    story += [table, Spacer(1, 4 * mm),
              Paragraph(f"服务费合计 Total fee: CNY {fmt_money(t.fee)}", body), Spacer(1, 3 * mm)]
    for ln in doc.lines:
        story.append(Paragraph(escape(ln.explanation), small))
    nc = doc.not_counted
    story += [Spacer(1, 2 * mm),
              Paragraph(escape(f"未计入回款 Not counted: {nc.count} 笔, CNY {fmt_money(nc.amount)}. {nc.rule}"), small),
              Paragraph(escape(doc.cycle.definition), small)]
    if doc.below_minimum_history:
        hist = "; ".join(
            f"{h.month} ({h.source}): " + ", ".join(f"{b.bucket} {'低于最低' if b.below_minimum else '达标'}"
                                                   for b in h.buckets)
            for h in doc.below_minimum_history)
        story.append(Paragraph(escape(f"连续低于最低标准记录 R-41 history: {hist}"), small))
    pdf.build(story)
    return buf.getvalue()
