// Package docx writes Word documents (.docx) from a flat list of paragraphs,
// tables and PNG pictures, for official documents such as the 案件流程监控通知书. Its styles
// follow the usual layout of Chinese official documents (GB/T 9704): A4 paper,
// 三号仿宋 body text and a 二号小标宋 title. Only the standard library is used.
package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"io"
	"strconv"

	"github.com/anguan/anguan/internal/ooxml"
)

// Block is a piece of document body: a Paragraph, a Table or an Image (or
// a pointer to one).
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

// Image is a PNG picture in a paragraph of its own, centred, inline with
// the text (it moves with the paragraphs around it). Word, WPS and
// LibreOffice show AltText to screen readers and where the picture cannot
// be drawn.
type Image struct {
	PNG []byte
	// WidthEMU and HeightEMU are the size on the page in EMU (914400 to the
	// inch, 360000 to the centimetre; see CM). A zero width takes the full
	// text width; a zero height keeps the picture's aspect ratio.
	WidthEMU, HeightEMU int64
	AltText             string
}

// CM converts centimetres to EMU for Image sizes.
func CM(cm float64) int64 { return int64(cm * emuPerCM) }

// TextWidthEMU is the width of the text area, the widest an Image should be.
const TextWidthEMU = textWidth * emuPerTwip

const (
	emuPerCM   = 360000
	emuPerTwip = 635
	// maxEMU bounds an image side at one metre: far beyond any page, well
	// inside the schema's ST_PositiveCoordinate.
	maxEMU = 100 * emuPerCM
)

func (Paragraph) block() {}
func (Table) block()     {}
func (Image) block()     {}

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
	images := 0
	for _, b := range blocks {
		if _, ok := b.(Image); ok {
			images++
		}
	}
	zw := zip.NewWriter(w)
	static := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes(images > 0)},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", coreProps(d.Title)},
		{"word/_rels/document.xml.rels", documentRels(images)},
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
	n := 0
	for _, b := range blocks {
		if img, ok := b.(Image); ok {
			n++
			// PNG data is already compressed: stored, not deflated again.
			f, err := zw.CreateHeader(&zip.FileHeader{Name: mediaName(n), Method: zip.Store, Modified: ooxml.PartTime})
			if err != nil {
				return err
			}
			if _, err := f.Write(img.PNG); err != nil {
				return err
			}
		}
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
		case *Image:
			if v == nil {
				return nil, fmt.Errorf("docx: block %d is a nil *Image", i)
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
		case Image:
			img, err := checkImage(v)
			if err != nil {
				return nil, fmt.Errorf("docx: block %d: %w", i, err)
			}
			b = img
		default:
			return nil, fmt.Errorf("docx: block %d has unsupported type %T", i, b)
		}
		out[i] = b
	}
	return out, nil
}

// pngMagic starts every PNG file.
var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// checkImage validates img and fills in a zero width or height from the
// picture's pixel size.
func checkImage(img Image) (Image, error) {
	if !bytes.HasPrefix(img.PNG, pngMagic) {
		return Image{}, errors.New("image is not a PNG file")
	}
	// The header gives the aspect ratio and catches a truncated file
	// before Word does.
	cfg, err := png.DecodeConfig(bytes.NewReader(img.PNG))
	if err != nil {
		return Image{}, fmt.Errorf("image: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Image{}, errors.New("image has no pixels")
	}
	if img.WidthEMU < 0 || img.HeightEMU < 0 || img.WidthEMU > maxEMU || img.HeightEMU > maxEMU {
		return Image{}, fmt.Errorf("image size %d×%d EMU outside 0 to %d", img.WidthEMU, img.HeightEMU, int64(maxEMU))
	}
	if img.WidthEMU == 0 {
		img.WidthEMU = TextWidthEMU
	}
	if img.HeightEMU == 0 {
		img.HeightEMU = max(img.WidthEMU*int64(cfg.Height)/int64(cfg.Width), 1)
		if img.HeightEMU > maxEMU {
			return Image{}, fmt.Errorf("image %d×%d pixels too tall for its width", cfg.Width, cfg.Height)
		}
	}
	return img, nil
}

// mediaName is the part name of the n-th image (1-based).
func mediaName(n int) string { return "word/media/image" + strconv.Itoa(n) + ".png" }

// imageRelID is the relationship id of the n-th image, after the three
// fixed relationships of documentRels.
func imageRelID(n int) string { return "rId" + strconv.Itoa(fixedRels+n) }
