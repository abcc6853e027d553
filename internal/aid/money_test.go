package aid

import (
	"archive/zip"
	"bytes"
	"testing"
)

func TestParseYuan(t *testing.T) {
	for _, c := range []struct {
		in  string
		fen int64
		key string
	}{
		{"1", 100, ""}, {"0.01", 1, ""}, {"12500.5", 1250050, ""}, {"12,500.50", 1250050, ""}, {" 3.10 ", 310, ""},
		{"0.1", 10, ""}, {"999999999999999", 99999999999999900, "err.aid_amount_too_large"},
		{"", 0, "err.required"}, {"-5", 0, "err.aid_amount_positive"}, {"0", 0, "err.aid_amount_positive"},
		{"0.00", 0, "err.aid_amount_positive"}, {"1.234", 0, "err.aid_amount_decimals"}, {"1.", 0, "err.aid_amount_format"},
		{".5", 0, "err.aid_amount_format"}, {"1e3", 0, "err.aid_amount_format"}, {"１２", 0, "err.aid_amount_format"},
		{"12.3.4", 0, "err.aid_amount_format"}, {"+1", 0, "err.aid_amount_format"}, {"1234567890123456", 0, "err.aid_amount_too_large"},
	} {
		fen, key := ParseYuan(c.in)
		if key != c.key || (key == "" && fen != c.fen) {
			t.Errorf("ParseYuan(%q) = %d, %q; want %d, %q", c.in, fen, key, c.fen, c.key)
		}
	}
	for fen, want := range map[int64]string{0: "0.00", 1: "0.01", 10: "0.10", 123456789: "1,234,567.89", -100050: "-1,000.50", 100000: "1,000.00"} {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %q, want %q", fen, got, want)
		}
	}
}

func TestHeadroom(t *testing.T) {
	es := []Entry{
		{Kind: EntryAllocation, EntryOn: "2026-01-10", AmountFen: 1000},
		{Kind: EntryExpenditure, EntryOn: "2026-02-01", AmountFen: 600},
		{Kind: EntryAllocation, EntryOn: "2026-03-01", AmountFen: 500},
		{Kind: EntryExpenditure, EntryOn: "2026-04-01", AmountFen: 800},
	}
	// Balances: 1000, 400, 900, 100.
	for on, want := range map[string]int64{"2026-01-01": 0, "2026-01-10": 100, "2026-02-15": 100, "2026-03-01": 100,
		"2026-04-01": 100, "2026-05-01": 100} {
		if got := Headroom(es, on); got != want {
			t.Errorf("Headroom(%s) = %d, want %d", on, got, want)
		}
	}
	if got := Headroom(es[:2], "2026-02-01"); got != 400 {
		t.Errorf("Headroom = %d, want 400", got)
	}
	tot := Sum(es)
	if tot != (Totals{AllocatedFen: 1500, SpentFen: 1400, BalanceFen: 100}) || es[2].BalanceFen != 900 {
		t.Errorf("Sum = %+v, running %d", tot, es[2].BalanceFen)
	}
}

// officeFile is a minimal Office archive holding the named main part.
func officeFile(t *testing.T, main string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range []string{"[Content_Types].xml", main} {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), TypePDF},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, TypeJPEG},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), TypePNG},
		{"xlsx", officeFile(t, "xl/workbook.xml"), TypeXLSX},
		{"docx", officeFile(t, "word/document.xml"), TypeDOCX},
		{"exe", []byte("MZ\x90\x00 this is a program"), ""},
		{"zip", officeFile(t, "readme.txt"), ""},
		{"text", []byte("hello"), ""},
		{"gif", []byte("GIF89a"), ""},
	} {
		if got := Sniff(c.data); got != c.want {
			t.Errorf("Sniff(%s) = %q, want %q", c.name, got, c.want)
		}
	}
}
