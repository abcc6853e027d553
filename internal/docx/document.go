package docx

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/ooxml"
)

// Page geometry in twips (1/20 pt): A4 with the margins GB/T 9704 sets for
// official documents (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
const (
	pageWidth    = 11906
	pageHeight   = 16838
	marginTop    = 2098
	marginBottom = 1984
	marginLeft   = 1588
	marginRight  = 1474
	textWidth    = pageWidth - marginLeft - marginRight
)

// sectPr sets the page; header and footer distances are Word's defaults.
var sectPr = `<w:sectPr>` +
	`<w:pgSz w:w="` + strconv.Itoa(pageWidth) + `" w:h="` + strconv.Itoa(pageHeight) + `"/>` +
	`<w:pgMar w:top="` + strconv.Itoa(marginTop) + `" w:right="` + strconv.Itoa(marginRight) +
	`" w:bottom="` + strconv.Itoa(marginBottom) + `" w:left="` + strconv.Itoa(marginLeft) +
	`" w:header="851" w:footer="992" w:gutter="0"/>` +
	`</w:sectPr>`

// writeDocument writes word/document.xml: the blocks, then the section
// properties, which the schema requires to be the body's last child. The
// drawing namespaces are declared on the root, where Word itself puts them.
func writeDocument(w *ooxml.PartWriter, blocks []Block) {
	w.WriteString(xml.Header + `<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsRel + `" xmlns:wp="` + nsWP +
		`" xmlns:a="` + nsA + `" xmlns:pic="` + nsPic + `"><w:body>`)
	images := 0
	for _, b := range blocks {
		switch b := b.(type) {
		case Paragraph:
			writeParagraph(w, b)
		case Table:
			writeTable(w, b)
		case Image:
			images++
			writeImage(w, b, images)
		}
	}
	w.WriteString(sectPr + `</w:body></w:document>`)
}

// writeParagraph writes p. Properties follow the CT_PPrBase and CT_RPr
// sequence orders (pStyle, ind, jc; b, bCs, sz, szCs), as Word rejects
// out-of-order properties.
func writeParagraph(w *ooxml.PartWriter, p Paragraph) {
	var ppr string
	if p.Title {
		ppr += `<w:pStyle w:val="Title"/>`
	}
	if p.Indent {
		size := p.Size
		switch {
		case size != 0:
		case p.Title:
			size = sizeTitle
		default:
			size = sizeBody
		}
		// Word uses firstLineChars and scales with the font; LibreOffice
		// only reads firstLine, two characters of this size in twips.
		ppr += `<w:ind w:firstLineChars="200" w:firstLine="` + strconv.Itoa(2*size*10) + `"/>`
	}
	if p.Align != "" {
		ppr += `<w:jc w:val="` + p.Align + `"/>`
	}
	var rpr string
	if p.Bold {
		rpr += `<w:b/><w:bCs/>`
	}
	if p.Size != 0 {
		rpr += sz(p.Size)
	}
	w.WriteString("<w:p>")
	if ppr != "" {
		w.WriteString("<w:pPr>" + ppr + "</w:pPr>")
	}
	writeRun(w, p.Text, rpr)
	w.WriteString("</w:p>")
}

// tableBorders draws every cell edge as a single ½-point black line.
const tableBorders = `<w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`</w:tblBorders>`

// writeTable writes t across the full text width in equal columns. Every
// cell gets a paragraph, since Word treats a cell without one as corrupt.
func writeTable(w *ooxml.PartWriter, t Table) {
	cols := 0
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return
	}
	widths := make([]string, cols)
	for i := range widths {
		wd := textWidth / cols
		if i == cols-1 {
			wd += textWidth % cols // the last column takes the rounding
		}
		widths[i] = strconv.Itoa(wd)
	}
	w.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="` + strconv.Itoa(textWidth) + `" w:type="dxa"/>` + tableBorders + `</w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		w.WriteString(`<w:gridCol w:w="` + wd + `"/>`)
	}
	w.WriteString(`</w:tblGrid>`)
	for i, row := range t.Rows {
		header := t.Header && i == 0
		w.WriteString("<w:tr>")
		if header {
			w.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for j, wd := range widths {
			w.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + wd + `" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>` +
				`<w:p><w:pPr><w:pStyle w:val="TableText"/>`)
			rpr := ""
			if header {
				w.WriteString(`<w:jc w:val="center"/>`)
				rpr = `<w:b/><w:bCs/>`
			}
			w.WriteString(`</w:pPr>`)
			if j < len(row) {
				writeRun(w, row[j], rpr)
			}
			w.WriteString(`</w:p></w:tc>`)
		}
		w.WriteString("</w:tr>")
	}
	w.WriteString("</w:tbl>")
}

// writeRun writes text as one run with properties rpr (the content of
// w:rPr, possibly empty). Line ends become <w:br/> and tabs <w:tab/>:
// inside <w:t> Word would show both as spaces.
func writeRun(w *ooxml.PartWriter, text, rpr string) {
	text = strings.ReplaceAll(ooxml.Sanitize(text), "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if text == "" {
		return
	}
	w.WriteString("<w:r>")
	if rpr != "" {
		w.WriteString("<w:rPr>" + rpr + "</w:rPr>")
	}
	for text != "" {
		i := strings.IndexAny(text, "\n\t")
		if i < 0 {
			i = len(text)
		}
		if i > 0 {
			w.WriteString(`<w:t xml:space="preserve">`)
			ooxml.WriteEscaped(w, text[:i])
			w.WriteString(`</w:t>`)
		}
		if i == len(text) {
			break
		}
		if text[i] == '\n' {
			w.WriteString("<w:br/>")
		} else {
			w.WriteString("<w:tab/>")
		}
		text = text[i+1:]
	}
	w.WriteString("</w:r>")
}

// writeImage writes img, the n-th image, as a centred paragraph holding an
// inline DrawingML picture: the markup Word writes for a picture "in line
// with text", which LibreOffice and WPS read too. docPr ids must be unique
// and positive within the document, hence n.
func writeImage(w *ooxml.PartWriter, img Image, n int) {
	cx, cy := strconv.FormatInt(img.WidthEMU, 10), strconv.FormatInt(img.HeightEMU, 10)
	id := strconv.Itoa(n)
	name := "image" + id + ".png"
	w.WriteString(`<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing>` +
		`<wp:inline distT="0" distB="0" distL="0" distR="0">` +
		`<wp:extent cx="` + cx + `" cy="` + cy + `"/>` +
		`<wp:effectExtent l="0" t="0" r="0" b="0"/>` +
		`<wp:docPr id="` + id + `" name="` + name + `" descr="`)
	ooxml.WriteEscaped(w, ooxml.Sanitize(img.AltText))
	w.WriteString(`"/>` +
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
		`<a:graphic><a:graphicData uri="` + nsPic + `"><pic:pic>` +
		`<pic:nvPicPr><pic:cNvPr id="0" name="` + name + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + imageRelID(n) + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="` + cx + `" cy="` + cy + `"/></a:xfrm>` +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
}
