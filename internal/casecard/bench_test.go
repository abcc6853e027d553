package casecard

import (
	"bytes"
	"runtime"
	"testing"
)

// BenchmarkParseXLSX100k parses and validates a 100,000-row workbook as
// WriteXLSX writes it (inline strings, the largest form per cell). The
// file is built once, outside the timed loop.
func BenchmarkParseXLSX100k(b *testing.B) {
	const n = 100000
	cards := syntheticCards(b, n)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, cards, testVocab()); err != nil {
		b.Fatal(err)
	}
	cards = nil
	runtime.GC()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		pv, err := Parse("案卡.xlsx", data, testVocab())
		if err != nil || len(pv.Cards) != n || len(pv.Errors) != 0 {
			b.Fatalf("err %v, %d cards, errors %v", err, len(pv.Cards), pv.Errors[:min(len(pv.Errors), 3)])
		}
	}
}
