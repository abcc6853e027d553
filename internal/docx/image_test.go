package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"testing"
)

// testPNG is a w×h picture filled with c.
func testPNG(t testing.TB, w, h int, c color.Color) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// illustrated has two pictures between paragraphs and a table.
func illustrated(t testing.TB) Document {
	return Document{Title: "图表", Blocks: []Block{
		Paragraph{Text: "图一"},
		Image{PNG: testPNG(t, 120, 60, color.RGBA{200, 0, 0, 255}), AltText: "案件比趋势 <1:1.6> & \"图\""},
		Table{Rows: [][]string{{"月份", "数值"}, {"2026-03", "1.60"}}},
		&Image{PNG: testPNG(t, 40, 40, color.White), WidthEMU: CM(5), HeightEMU: CM(3)},
		Paragraph{Text: "完"},
	}}
}

func TestImages(t *testing.T) {
	d := illustrated(t)
	b := write(t, d)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	// Every XML part parses.
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(rc)
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
		}
		rc.Close()
	}
	// The media parts are the pictures, byte for byte.
	pics := [][]byte{d.Blocks[1].(Image).PNG, d.Blocks[3].(*Image).PNG}
	for i, want := range pics {
		if got := readPart(t, b, mediaName(i+1)); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the picture", mediaName(i+1))
		}
	}

	// Relationship ids: each blip's r:embed is an image relationship whose
	// target is that picture's part.
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(readPart(t, b, "word/_rels/document.xml.rels"), &rels); err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		if targets[r.ID] != "" {
			t.Errorf("relationship id %s used twice", r.ID)
		}
		targets[r.ID] = r.Type + " " + r.Target
	}
	doc := readPart(t, b, "word/document.xml")
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var embeds, docPrs []string
	var extents [][2]string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(space, local string) string {
			for _, a := range se.Attr {
				if a.Name.Space == space && a.Name.Local == local {
					return a.Value
				}
			}
			return ""
		}
		switch {
		case se.Name.Space == nsA && se.Name.Local == "blip":
			embeds = append(embeds, attr(nsRel, "embed"))
		case se.Name.Space == nsWP && se.Name.Local == "docPr":
			docPrs = append(docPrs, attr("", "id")+"|"+attr("", "descr"))
		case se.Name.Space == nsWP && se.Name.Local == "extent":
			extents = append(extents, [2]string{attr("", "cx"), attr("", "cy")})
		}
	}
	if len(embeds) != 2 {
		t.Fatalf("%d blips, want 2", len(embeds))
	}
	for i, id := range embeds {
		want := nsRel + "/image media/image" + string(rune('1'+i)) + ".png"
		if targets[id] != want {
			t.Errorf("blip %d embeds %q → %q, want %q", i, id, targets[id], want)
		}
	}
	if want := []string{"1|案件比趋势 <1:1.6> & \"图\"", "2|"}; strings.Join(docPrs, ",") != strings.Join(want, ",") {
		t.Errorf("docPr = %q, want %q", docPrs, want)
	}
	// Full text width, height by the 2:1 aspect; then the explicit size.
	if want := [][2]string{{"5615940", "2807970"}, {"1800000", "1080000"}}; len(extents) != 2 ||
		extents[0] != want[0] || extents[1] != want[1] {
		t.Errorf("extents = %v, want %v", extents, want)
	}

	got, err := Text(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	// A picture's paragraph reads back as an empty line.
	if want := "图一\n\n月份\n数值\n2026-03\n1.60\n\n完"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	if !bytes.Equal(b, write(t, illustrated(t))) {
		t.Error("same input gave different bytes")
	}
	// Without pictures, no png type and no image relationship.
	plain := write(t, notice())
	if bytes.Contains(readPart(t, plain, "[Content_Types].xml"), []byte("png")) ||
		bytes.Contains(readPart(t, plain, "word/_rels/document.xml.rels"), []byte("/image")) {
		t.Error("a document without pictures declares them")
	}
}

func TestImageErrors(t *testing.T) {
	good := testPNG(t, 10, 10, color.Black)
	for name, img := range map[string]Block{
		"empty":     Image{},
		"jpeg":      Image{PNG: []byte("\xff\xd8\xff\xe0\x00\x10JFIF")},
		"truncated": Image{PNG: good[:20]},
		"negative":  Image{PNG: good, WidthEMU: -1},
		"huge":      Image{PNG: good, HeightEMU: maxEMU + 1},
		"nil":       (*Image)(nil),
	} {
		var buf bytes.Buffer
		if err := Write(&buf, Document{Blocks: []Block{Paragraph{Text: "x"}, img}}); err == nil {
			t.Errorf("%s: no error", name)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", name, buf.Len())
		}
	}
}
