package casecard

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// FuzzParse: no input panics Parse, every problem with a file is a
// FileError, and every card it returns satisfies the layout: a stage
// number, a known category, ISO dates in range, flags and counts in
// their domains.
func FuzzParse(f *testing.F) {
	vocab := testVocab()
	cards := syntheticCards(f, 3)
	var xl, csvBuf bytes.Buffer
	if err := WriteXLSX(&xl, cards, vocab); err != nil {
		f.Fatal(err)
	}
	if err := WriteCSV(&csvBuf, cards, vocab); err != nil {
		f.Fatal(err)
	}
	f.Add("a.xlsx", xl.Bytes())
	f.Add("a.csv", csvBuf.Bytes())
	f.Add("a.csv", gb18030(f, string(bytes.TrimPrefix(csvBuf.Bytes(), utf8BOM))))
	f.Add("a.csv", csvOf(cellHeader, "S1,审查逮捕,名称,2026年3月4日,Y,2", "S2,arrest_review,,2026-02-30,是的,-1", "S1,审查逮捕"))
	f.Add("a.csv", []byte("\x00\x01garbage\xff\xfe"))
	f.Add("a.xlsx", []byte("PK\x03\x04truncated"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		pv, err := Parse(name, data, vocab)
		var fe *FileError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("error %v is not a FileError", err)
		}
		if len(pv.Cards) != len(pv.cardRows) || len(pv.Errors) > MaxErrors {
			t.Fatalf("%d cards, %d rows, %d errors", len(pv.Cards), len(pv.cardRows), len(pv.Errors))
		}
		stages := map[string]bool{}
		for i, c := range pv.Cards {
			if c.StageNo == "" || stages[c.StageNo] || trimCell(c.StageNo) != c.StageNo {
				t.Fatalf("card %d: stage number %q", i, c.StageNo)
			}
			stages[c.StageNo] = true
			if !vocab.Has(c.Category) {
				t.Fatalf("card %d: category %q", i, c.Category)
			}
			if c.Returns < 0 || c.Returns > MaxCount || c.Extensions < 0 || c.Extensions > MaxCount {
				t.Fatalf("card %d: counts %d, %d", i, c.Returns, c.Extensions)
			}
			for _, col := range Columns {
				v := c.Value(col.Key)
				switch col.Kind {
				case KindDate:
					if v == "" {
						continue
					}
					d, err := time.Parse(time.DateOnly, v)
					if err != nil || d.Year() < MinYear || d.Year() > MaxYear {
						t.Fatalf("card %d: %s = %q", i, col.Key, v)
					}
				case KindFlag:
					if v != "" && v != Yes && v != No {
						t.Fatalf("card %d: %s = %q", i, col.Key, v)
					}
				case KindText:
					if v != "" {
						if injection(v) != nil {
							t.Fatalf("card %d: %s = %q starts like a formula", i, col.Key, v)
						}
					}
				}
			}
		}
	})
}
