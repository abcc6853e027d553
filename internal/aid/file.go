package aid

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
)

// MaxAttachmentBytes is the largest attachment accepted (10 MB).
const MaxAttachmentBytes = 10 << 20

// The attachment types accepted, recognised by content.
const (
	TypePDF  = "application/pdf"
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Upload is a file as received.
type Upload struct {
	Name string
	Data []byte
}

// Attachment describes a stored attachment (without its content).
type Attachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Sniff names the accepted type of data by its content, or "" when it is
// none of them. The name a client gives and the type it claims are never
// trusted: a renamed executable is refused whatever it is called. Office
// files are ZIP archives and are told apart by their main part.
func Sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return TypePDF
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return TypeJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return TypePNG
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return ""
		}
		has := map[string]bool{}
		for _, f := range zr.File {
			has[f.Name] = true
		}
		switch {
		case !has["[Content_Types].xml"]:
			return ""
		case has["xl/workbook.xml"]:
			return TypeXLSX
		case has["word/document.xml"]:
			return TypeDOCX
		}
	}
	return ""
}

// checkUpload validates an upload and describes it.
func checkUpload(u Upload) (Attachment, string) {
	name := strings.TrimSpace(path.Base(strings.ReplaceAll(u.Name, `\`, "/")))
	switch {
	case len(u.Data) == 0:
		return Attachment{}, "err.aid_file_empty"
	case len(u.Data) > MaxAttachmentBytes:
		return Attachment{}, "err.aid_file_too_large"
	}
	ct := Sniff(u.Data)
	if ct == "" {
		return Attachment{}, "err.aid_file_type"
	}
	if name == "" || name == "." || name == "/" {
		name = "attachment"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	sum := sha256.Sum256(u.Data)
	return Attachment{Name: name, ContentType: ct, Size: int64(len(u.Data)), SHA256: hex.EncodeToString(sum[:])}, ""
}
