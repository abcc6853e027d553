package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/anguan/anguan/internal/ooxml"
)

// notice resembles a 案件流程监控通知书.
func notice() Document {
	return Document{
		Title: "案件流程监控通知书",
		Blocks: []Block{
			Paragraph{Text: "案件流程监控通知书", Title: true, Bold: true, Align: "center"},
			Paragraph{Text: "喀市检案管监〔2026〕3号", Align: "right"},
			Paragraph{Text: "本院第一检察部："},
			Paragraph{Text: "经流程监控，发现下列案件存在程序不规范问题，请于回复期限内核查纠正并书面回复。", Indent: true},
			Table{Header: true, Rows: [][]string{
				{"案件名称", "统一受案号", "承办检察官", "回复期限"},
				{"张某某涉嫌盗窃案", "喀市检刑受〔2026〕12号", "李某", "2026年3月20日"},
				{"王某危险驾驶案", "喀市检刑受〔2026〕15号"}, // short row: padded
			}},
			&Paragraph{Text: "问题：A<B&C>D，\"引号\"与'撇号'。", Indent: true, Size: 28},
			Paragraph{Text: "喀什市人民检察院\n2026年3月5日", Align: "right"},
		},
	}
}

func write(t testing.TB, d Document) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func readPart(t testing.TB, b []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// runTexts parses document.xml independently of Text and returns every w:t
// in order, failing if the XML is not well-formed.
func runTexts(t testing.TB, doc []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Space == nsW && se.Name.Local == "t" {
			var s string
			if err := dec.DecodeElement(&s, &se); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
	}
}

func TestNoticeRoundTrip(t *testing.T) {
	b := write(t, notice())
	doc := readPart(t, b, "word/document.xml")
	texts := runTexts(t, doc)
	want := []string{
		"案件流程监控通知书", "喀市检案管监〔2026〕3号", "本院第一检察部：",
		"案件名称", "统一受案号", "承办检察官", "回复期限",
		"张某某涉嫌盗窃案", "喀市检刑受〔2026〕12号", "李某", "2026年3月20日",
		"王某危险驾驶案", "喀市检刑受〔2026〕15号",
		"问题：A<B&C>D，\"引号\"与'撇号'。", "喀什市人民检察院", "2026年3月5日",
	}
	i := 0
	for _, s := range texts {
		if i < len(want) && s == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("w:t texts %q lack %q in order", texts, want[i])
	}
	if !bytes.Contains(doc, []byte("A&lt;B&amp;C&gt;D")) {
		t.Error("<&> not escaped in document.xml")
	}

	got, err := Text(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	wantText := strings.Join([]string{
		"案件流程监控通知书",
		"喀市检案管监〔2026〕3号",
		"本院第一检察部：",
		"经流程监控，发现下列案件存在程序不规范问题，请于回复期限内核查纠正并书面回复。",
		"案件名称", "统一受案号", "承办检察官", "回复期限",
		"张某某涉嫌盗窃案", "喀市检刑受〔2026〕12号", "李某", "2026年3月20日",
		"王某危险驾驶案", "喀市检刑受〔2026〕15号", "", "",
		"问题：A<B&C>D，\"引号\"与'撇号'。",
		"喀什市人民检察院\n2026年3月5日",
	}, "\n")
	if got != wantText {
		t.Errorf("Text =\n%s\nwant\n%s", got, wantText)
	}
	if title := readPart(t, b, "docProps/core.xml"); !bytes.Contains(title, []byte("<dc:title>案件流程监控通知书</dc:title>")) {
		t.Errorf("core.xml = %s", title)
	}
}

func TestContentTypesListEveryPart(t *testing.T) {
	for _, d := range []Document{notice(), illustrated(t)} {
		checkContentTypes(t, write(t, d))
	}
}

func checkContentTypes(t *testing.T, b []byte) {
	t.Helper()
	var types struct {
		Defaults []struct {
			Ext string `xml:"Extension,attr"`
		} `xml:"Default"`
		Overrides []struct {
			Part string `xml:"PartName,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(readPart(t, b, "[Content_Types].xml"), &types); err != nil {
		t.Fatal(err)
	}
	listed := make(map[string]bool)
	for _, o := range types.Overrides {
		listed[strings.TrimPrefix(o.Part, "/")] = true
	}
	for _, d := range types.Defaults {
		listed["*."+d.Ext] = true
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	parts := make(map[string]bool)
	for _, f := range zr.File {
		parts[f.Name] = true
		switch {
		case f.Name == "[Content_Types].xml":
		case strings.HasSuffix(f.Name, ".rels"):
			if !listed["*.rels"] {
				t.Error("no default content type for .rels")
			}
		case strings.HasSuffix(f.Name, ".png"):
			if !listed["*.png"] {
				t.Errorf("no default content type for %s", f.Name)
			}
		case !listed[f.Name]:
			t.Errorf("part %s has no content type override", f.Name)
		}
	}
	for p := range listed {
		if !strings.HasPrefix(p, "*.") && !parts[p] {
			t.Errorf("content type listed for missing part %s", p)
		}
	}
	for _, p := range []string{"word/document.xml", "word/styles.xml", "docProps/core.xml", "_rels/.rels"} {
		if !parts[p] {
			t.Errorf("missing part %s", p)
		}
	}
}

func TestStylesAndPage(t *testing.T) {
	b := write(t, notice())
	st := string(readPart(t, b, "word/styles.xml"))
	for _, want := range []string{
		`<w:rFonts w:ascii="仿宋" w:eastAsia="仿宋" w:hAnsi="仿宋" w:cs="仿宋"/><w:sz w:val="32"/><w:szCs w:val="32"/>`,
		`w:styleId="Title"`,
		`w:eastAsia="方正小标宋简体"`,
		`<w:sz w:val="44"/>`,
	} {
		if !strings.Contains(st, want) {
			t.Errorf("styles.xml lacks %s", want)
		}
	}
	if ft := string(readPart(t, b, "word/fontTable.xml")); !strings.Contains(ft, `<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>`) {
		t.Errorf("fontTable.xml gives no 宋体 fallback: %s", ft)
	}

	var doc struct {
		Body struct {
			Children []struct {
				XMLName xml.Name
			} `xml:",any"`
			Sect struct {
				Size struct {
					W int `xml:"w,attr"`
					H int `xml:"h,attr"`
				} `xml:"pgSz"`
				Margin struct {
					Top    int `xml:"top,attr"`
					Bottom int `xml:"bottom,attr"`
					Left   int `xml:"left,attr"`
					Right  int `xml:"right,attr"`
				} `xml:"pgMar"`
			} `xml:"sectPr"`
		} `xml:"body"`
	}
	if err := xml.Unmarshal(readPart(t, b, "word/document.xml"), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Body.Sect
	if s.Size.W != 11906 || s.Size.H != 16838 {
		t.Errorf("page = %+v, want A4", s.Size)
	}
	if m := s.Margin; m.Top != 2098 || m.Bottom != 1984 || m.Left != 1588 || m.Right != 1474 {
		t.Errorf("margins = %+v", m)
	}
	var kids []string
	for _, c := range doc.Body.Children {
		kids = append(kids, c.XMLName.Local)
	}
	if want := "p p p p tbl p p"; strings.Join(kids, " ") != want {
		t.Errorf("body children = %v, want %s then sectPr", kids, want)
	}
}

func TestParagraphMarkup(t *testing.T) {
	doc := string(readPart(t, write(t, notice()), "word/document.xml"))
	for _, want := range []string{
		// title: style, then alignment; bold run
		`<w:p><w:pPr><w:pStyle w:val="Title"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space="preserve">案件流程监控通知书</w:t></w:r></w:p>`,
		`<w:ind w:firstLineChars="200" w:firstLine="640"/>`, // two 16pt characters
		`<w:ind w:firstLineChars="200" w:firstLine="560"/></w:pPr><w:r><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>`,
		`<w:t xml:space="preserve">喀什市人民检察院</w:t><w:br/><w:t xml:space="preserve">2026年3月5日</w:t>`,
		`<w:jc w:val="right"/>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
}

func TestTableMarkup(t *testing.T) {
	b := write(t, Document{Blocks: []Block{
		Table{Header: true, Rows: [][]string{{"a", "b", "c"}, {"d"}, {}}},
		Table{Rows: [][]string{{}, {}}}, // no cells: omitted
		Table{},
	}})
	doc := string(readPart(t, b, "word/document.xml"))
	if n := strings.Count(doc, "<w:tbl>"); n != 1 {
		t.Errorf("%d tables written, want 1", n)
	}
	if n := strings.Count(doc, "<w:tc>"); n != 9 {
		t.Errorf("%d cells, want 9 (short rows padded)", n)
	}
	if n := strings.Count(doc, `<w:p>`); n != 9 {
		t.Errorf("%d paragraphs, want one per cell", n)
	}
	if n := strings.Count(doc, `w:val="single"`); n != 6 {
		t.Errorf("%d single borders, want 6", n)
	}
	if !strings.Contains(doc, `<w:tr><w:trPr><w:tblHeader/></w:trPr>`) || strings.Count(doc, "tblHeader") != 1 {
		t.Error("header row not marked as repeating, or other rows marked")
	}
	if !strings.Contains(doc, `<w:gridCol w:w="2948"/><w:gridCol w:w="2948"/><w:gridCol w:w="2948"/>`) {
		t.Errorf("grid does not split %d twips evenly: %s", textWidth, doc)
	}
	got, err := Text(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\nb\nc\nd\n\n\n\n\n"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

func TestSanitize(t *testing.T) {
	b := write(t, Document{
		Title:  "标题\x00\x1b",
		Blocks: []Block{Paragraph{Text: "a\x00b\x0bc\uFFFEd\xffe\tf\r\ng\rh"}, Table{Rows: [][]string{{"\x01格"}}}},
	})
	runTexts(t, readPart(t, b, "word/document.xml")) // well-formed
	got, err := Text(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if want := "abcd\uFFFDe\tf\ng\nh\n格"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if core := readPart(t, b, "docProps/core.xml"); !bytes.Contains(core, []byte("<dc:title>标题</dc:title>")) {
		t.Errorf("core.xml = %s", core)
	}
}

func TestWriteErrors(t *testing.T) {
	for name, blocks := range map[string][]Block{
		"alignment":    {Paragraph{Align: "justify"}},
		"negative":     {Paragraph{Size: -2}},
		"huge":         {Paragraph{Size: maxSize + 1}},
		"nil block":    {nil},
		"nil pointer":  {(*Table)(nil)},
		"second block": {Paragraph{}, Paragraph{Align: "middle"}},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, Document{Blocks: blocks}); err == nil {
			t.Errorf("%s: no error", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", name, buf.Len())
		}
	}
	if err := Write(io.Discard, Document{Blocks: []Block{&Table{Rows: [][]string{{"x"}}}, Paragraph{Align: "left", Size: 24}}}); err != nil {
		t.Errorf("valid blocks: %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	if !bytes.Equal(write(t, notice()), write(t, notice())) {
		t.Error("same input gave different bytes")
	}
}

// FuzzWrite checks that any text yields a well-formed document that reads
// back, sanitised, with line ends normalised to "\n".
func FuzzWrite(f *testing.F) {
	for _, s := range []string{"", "通知书", "<&>\"'", "a\x00b", "\r\n\t", "\xff", "\uFFFF", "]]>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var buf bytes.Buffer
		if err := Write(&buf, Document{Title: s, Blocks: []Block{Paragraph{Text: s}, Table{Rows: [][]string{{s}}}}}); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		for _, part := range []string{"word/document.xml", "docProps/core.xml"} {
			runTexts(t, readPart(t, b, part))
		}
		got, err := Text(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		norm := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(ooxml.Sanitize(s))
		if want := norm + "\n" + norm; got != want {
			t.Errorf("Text = %q, want %q", got, want)
		}
	})
}
