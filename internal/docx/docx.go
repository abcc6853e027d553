// Package docx writes Word documents (.docx) from a flat list of paragraphs
// and tables, for official documents such as the 案件流程监控通知书. Its styles
// follow the usual layout of Chinese official documents (GB/T 9704): A4 paper,
// 三号仿宋 body text and a 二号小标宋 title. Only the standard library is used.
package docx

import (
	"archive/zip"
	"fmt"
	"io"

	"github.com/anguan/anguan/internal/ooxml"
)

// Block is a piece of document body: a Paragraph or a Table (or a pointer
// to one).
type Block interface{ block() }

// Paragraph is one paragraph of a single run of text. Newlines in Text
// become line breaks and tabs become tab characters.
type Paragraph struct {
	Text string
	// Title marks the document's title line, set in the Title style:
	// 方正小标宋简体 (Word substitutes 宋体 where it is missing), 22pt,
	// centred.
	Title bool
	Bold  bool
	// Size is the font size in half-points (32 is 16pt, 三号); 0 keeps the
	// style's size.
	Size int
	// Align is "", "left", "center" or "right"; "" keeps the style's
	// alignment, which is justified for body text.
	Align string
	// Indent indents the first line by two characters, as Chinese body
	// paragraphs are.
	Indent bool
}

// Table is a grid of plain-text cells with single borders, spread evenly
// across the text width. Short rows are padded with empty cells.
type Table struct {
	Rows [][]string
	// Header sets the first row bold and centred, and repeats it at the top
	// of each page the table runs onto.
	Header bool
}

func (Paragraph) block() {}
func (Table) block()     {}

// Document is a document's properties and body.
type Document struct {
	// Title is the document title shown in the file's properties.
	Title  string
	Blocks []Block
}

// Write writes d as a .docx package to w. Characters that XML 1.0 forbids
// (control characters other than tab, newline and carriage return) are
// dropped, invalid UTF-8 becomes U+FFFD, and tables without cells are left
// out. The blocks are checked before anything is written, so an error
// leaves w untouched.
func Write(w io.Writer, d Document) error {
	blocks, err := resolve(d.Blocks)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	static := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(d.Title)},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", styles},
		{"word/settings.xml", settings},
		{"word/fontTable.xml", fontTable},
	}
	for _, p := range static {
		if err := ooxml.WritePart(zw, p.name, func(w *ooxml.PartWriter) { w.WriteString(p.body) }); err != nil {
			return err
		}
	}
	if err := ooxml.WritePart(zw, "word/document.xml", func(w *ooxml.PartWriter) { writeDocument(w, blocks) }); err != nil {
		return err
	}
	return zw.Close()
}

// maxSize is Word's largest font size, 1638pt, in half-points.
const maxSize = 3276

// resolve checks the blocks and returns them as Paragraph and Table values.
func resolve(in []Block) ([]Block, error) {
	out := make([]Block, len(in))
	for i, b := range in {
		switch v := b.(type) {
		case *Paragraph:
			if v == nil {
				return nil, fmt.Errorf("docx: block %d is a nil *Paragraph", i)
			}
			b = *v
		case *Table:
			if v == nil {
				return nil, fmt.Errorf("docx: block %d is a nil *Table", i)
			}
			b = *v
		}
		switch v := b.(type) {
		case Paragraph:
			switch v.Align {
			case "", "left", "center", "right":
			default:
				return nil, fmt.Errorf("docx: block %d: alignment %q is not \"\", \"left\", \"center\" or \"right\"", i, v.Align)
			}
			if v.Size < 0 || v.Size > maxSize {
				return nil, fmt.Errorf("docx: block %d: size %d is outside 0 to %d half-points", i, v.Size, maxSize)
			}
		case Table:
		default:
			return nil, fmt.Errorf("docx: block %d has unsupported type %T", i, b)
		}
		out[i] = b
	}
	return out, nil
}
