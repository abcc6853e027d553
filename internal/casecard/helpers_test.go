package casecard

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/i18n"
	"github.com/anguan/anguan/internal/idcard"
)

// All data in these tests is invented: 某某 names, the non-existent area
// code 659999, units named 某某县.

func testVocab() Vocabulary {
	return NewVocabulary(map[string]string{
		"arrest_review":      "审查逮捕",
		"prosecution_review": "审查起诉",
		"civil_supervision":  "民事诉讼监督",
		"petition":           "群众来信",
	})
}

// syntheticCards returns n distinct, valid cards as Parse returns them.
func syntheticCards(tb testing.TB, n int) []Card {
	tb.Helper()
	surnames := []string{"艾", "王", "李", "张", "阿", "吐", "买", "刘"}
	codes := testVocab().Codes()
	flags := []string{Yes, No, ""}
	base := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	out := make([]Card, n)
	for i := range out {
		recv := base.AddDate(0, 0, i%400)
		id, err := idcard.Build("659999", time.Date(1970+i%35, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), i%1000)
		if err != nil {
			tb.Fatal(err)
		}
		c := Card{
			Source:            SourceImport,
			StageNo:           fmt.Sprintf("某检刑审受〔2026〕%d号", i+1),
			UniformNo:         fmt.Sprintf("A659999%010d", i/2),
			Category:          codes[i%len(codes)],
			Name:              surnames[i%len(surnames)] + "某某涉嫌盗窃案",
			Department:        "第一检察部",
			Handler:           surnames[(i+3)%len(surnames)] + "某某",
			TransferringOrgan: "某某县公安局",
			Charges:           "盗窃罪、诈骗罪",
			ReceivedOn:        recv.Format(time.DateOnly),
			SuspectName:       surnames[i%len(surnames)] + "某某",
			SuspectID:         id,
			Custody:           flags[i%3],
			Measure:           "取保候审",
			Plea:              flags[(i+1)%3],
			Sentencing:        "确定刑",
			SentencingAdopted: "采纳",
			FastTrack:         No,
			Minor:             flags[(i+2)%3],
			Returns:           i % 3,
			Extensions:        i % 2,
			Decision:          "起诉",
			DocNo:             fmt.Sprintf("某检刑诉〔2026〕%d号", i+1),
		}
		if i%4 != 0 {
			c.PleaSignedOn = recv.AddDate(0, 0, 10).Format(time.DateOnly)
			c.DecidedOn = recv.AddDate(0, 0, 20).Format(time.DateOnly)
			c.ClosedOn = c.DecidedOn
			c.EnteredOn = recv.AddDate(0, 0, 21).Format(time.DateOnly)
		}
		if i%7 == 0 {
			c.Name = "王某某\n多行 案件名称" // line breaks survive every format
		}
		out[i] = c
	}
	return out
}

// rendered renders a message key as the interface shows it and fails the
// test if the key is missing or its arguments do not fit the template.
func rendered(t testing.TB, cat *i18n.Catalog, key string, args ...any) string {
	t.Helper()
	msg := cat.T(key, args...)
	if strings.Contains(msg, "⟦") || strings.Contains(msg, "%!") || !strings.ContainsFunc(msg, isHan) {
		t.Errorf("%s%v renders as %q", key, args, msg)
	}
	return msg
}

func isHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

// fileErr asserts that err is a *FileError with key, whose message
// renders and contains each of want.
func fileErr(t testing.TB, err error, key string, want ...string) {
	t.Helper()
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want a FileError %s", err, key)
	}
	if fe.Key != key {
		t.Fatalf("key = %s (%v), want %s", fe.Key, err, key)
	}
	msg := rendered(t, i18n.MustLoad(i18n.DefaultLang), fe.Key, fe.Args...)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not contain %q", msg, w)
		}
	}
}

// csvOf joins rows into CSV text (no quoting: the tests write it by hand
// where they need it).
func csvOf(rows ...string) []byte { return []byte(strings.Join(rows, "\n") + "\n") }

// rawXLSX builds a workbook whose first sheet holds sheetData as given,
// for cells no writer of ours produces (formulas, errors, numbers).
func rawXLSX(t testing.TB, sheetData string) []byte {
	t.Helper()
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	parts := []string{
		"xl/workbook.xml", `<workbook ` + ns + ` xmlns:r="` + rel + `"><sheets><sheet name="案卡" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", `<worksheet ` + ns + `><sheetData>` + sheetData + `</sheetData></worksheet>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// inline is an inline-string cell.
func inline(ref, text string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
}

// headerRow is row 1 with the given headers from column A.
func headerRow(h ...string) string {
	s := `<row r="1">`
	for i, x := range h {
		s += inline(string(rune('A'+i))+"1", x)
	}
	return s + `</row>`
}
