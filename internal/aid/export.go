package aid

import (
	"bytes"
	"context"

	"github.com/anguan/anguan/internal/xlsx"
)

// LedgerXLSX writes a pairing's fund ledger as a workbook with its totals.
// Amounts are text with exactly two decimals, as the ledger keeps them:
// a spreadsheet number is a binary float. The export is audited as a view.
func (s *Service) LedgerXLSX(ctx context.Context, r Request, pairingID int64) (name string, body []byte, err error) {
	pr, es, tot, err := s.Ledger(ctx, r, pairingID)
	if err != nil {
		return "", nil, err
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, s.ledgerSheet(pr, es, tot)); err != nil {
		return "", nil, err
	}
	return s.t("ui.aid.ledger_file") + "-" + s.Today() + ".xlsx", buf.Bytes(), nil
}

// ledgerSheet is the fund ledger as a sheet with its totals.
func (s *Service) ledgerSheet(pr Pairing, es []Entry, tot Totals) xlsx.Sheet {
	t := s.t
	sheet := xlsx.Sheet{Name: t("ui.aid.ledger_sheet"), Title: t("ui.aid.ledger_heading", pr.Name, s.Today()),
		Header: []string{t("ui.aid.col.entry_on"), t("ui.aid.col.kind"), t("ui.aid.col.purpose"),
			t("ui.aid.col.allocated"), t("ui.aid.col.spent"), t("ui.aid.col.balance"), t("ui.aid.col.attachment")}}
	for _, e := range es {
		in, out := "", ""
		if e.Kind == EntryAllocation {
			in = FormatYuan(e.AmountFen)
		} else {
			out = FormatYuan(e.AmountFen)
		}
		att := ""
		if e.Attachment != nil {
			att = e.Attachment.Name
		}
		sheet.Rows = append(sheet.Rows, []xlsx.Cell{xlsx.Str(e.EntryOn), xlsx.Str(t("ui.aid.entry." + e.Kind)),
			xlsx.Str(e.Purpose), xlsx.Str(in), xlsx.Str(out), xlsx.Str(FormatYuan(e.BalanceFen)), xlsx.Str(att)})
	}
	sheet.Rows = append(sheet.Rows, []xlsx.Cell{xlsx.Str(t("ui.aid.total")), xlsx.Str(""), xlsx.Str(""),
		xlsx.Str(FormatYuan(tot.AllocatedFen)), xlsx.Str(FormatYuan(tot.SpentFen)), xlsx.Str(FormatYuan(tot.BalanceFen)), xlsx.Str("")})
	return sheet
}
