package docx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Text returns the text of the .docx file in r, which is size bytes long:
// the w:t text of word/document.xml in document order, with each paragraph
// (table cells included) ending a line. Line breaks and tabs inside a
// paragraph come back as "\n" and "\t", so the text of a Paragraph written
// by this package reads back unchanged. Paragraphs are joined with "\n",
// without a final newline.
//
// It is meant for checking generated documents in tests, not for extracting
// text from arbitrary Word files (fields, text boxes and tracked changes are
// not treated specially).
func Text(r io.ReaderAt, size int64) (string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return "", err
	}
	f, err := zr.Open("word/document.xml")
	if err != nil {
		return "", err
	}
	defer f.Close()
	var (
		paras      []string
		cur        strings.Builder
		inRun, inT bool
		dec        = xml.NewDecoder(f)
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx: word/document.xml: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space != nsW {
				continue
			}
			// Only run content counts: w:tab also names tab stops in pPr.
			switch tok.Name.Local {
			case "r":
				inRun = true
			case "t":
				inT = inRun
			case "br", "cr":
				if inRun {
					cur.WriteByte('\n')
				}
			case "tab":
				if inRun {
					cur.WriteByte('\t')
				}
			}
		case xml.EndElement:
			if tok.Name.Space != nsW {
				continue
			}
			switch tok.Name.Local {
			case "r":
				inRun = false
			case "t":
				inT = false
			case "p":
				paras = append(paras, cur.String())
				cur.Reset()
			}
		case xml.CharData:
			if inT {
				cur.Write(tok)
			}
		}
	}
	return strings.Join(paras, "\n"), nil
}
