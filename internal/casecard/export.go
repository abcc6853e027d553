package casecard

import (
	"encoding/csv"
	"io"

	"github.com/anguan/anguan/internal/xlsx"
)

// sheetName is the tab holding the cards in exports and the template.
const sheetName = "案卡"

// WriteXLSX writes cards as a workbook in the documented layout: one row
// per card under the Columns headers, the category by its Chinese name,
// counts as numbers. Text is written as inline strings, which a
// spreadsheet program never evaluates, so no value becomes a formula.
// Parse reads the file back into the same cards.
func WriteXLSX(w io.Writer, cards []Card, vocab Vocabulary) error {
	rows := make([][]xlsx.Cell, len(cards))
	for i := range cards {
		rows[i] = xlsxRow(&cards[i], vocab)
	}
	return xlsx.Write(w, xlsx.Sheet{Name: sheetName, Header: headers(), Rows: rows})
}

func xlsxRow(c *Card, vocab Vocabulary) []xlsx.Cell {
	row := make([]xlsx.Cell, len(Columns))
	for k := range Columns {
		col := &Columns[k]
		switch col.Kind {
		case KindCount:
			row[k] = xlsx.Int(*c.countField(col.Key))
		case KindCategory:
			row[k] = xlsx.Str(vocab.Name(c.Category))
		default:
			row[k] = xlsx.Str(c.Value(col.Key))
		}
	}
	return row
}

// WriteCSV writes cards as a UTF-8 CSV file in the documented layout. The
// byte order mark makes Excel read it as UTF-8 rather than the system
// code page. A CSV cell has no type, so a value a spreadsheet program
// would take for a formula is defused with a leading apostrophe (OWASP,
// CSV Injection); cards parsed from files never hold one, but cards
// projected from cases may.
func WriteCSV(w io.Writer, cards []Card, vocab Vocabulary) error {
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	if err := cw.Write(headers()); err != nil {
		return err
	}
	rec := make([]string, len(Columns))
	for i := range cards {
		c := &cards[i]
		for k := range Columns {
			v := c.Value(Columns[k].Key)
			if Columns[k].Kind == KindCategory {
				v = vocab.Name(v)
			}
			rec[k] = defuse(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse prefixes a value that starts like a formula with an apostrophe.
func defuse(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}
