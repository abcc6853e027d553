// Package ooxml holds what the Office Open XML writers (internal/xlsx and
// internal/docx) share: the zip parts of the package and XML text that
// every parser — Excel, WPS, Word, LibreOffice — accepts.
package ooxml

import (
	"archive/zip"
	"bufio"
	"time"
)

// PartTime is the modification time stamped on every part. A fixed time
// makes the same input produce the same bytes, which keeps exports cacheable
// and tests stable; 1980-01-01 is the earliest time a zip entry can hold.
var PartTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// PartWriter buffers one part. bufio.Writer keeps its first error and turns
// later writes into no-ops, so part bodies can write freely and WritePart
// checks once at Flush.
type PartWriter = bufio.Writer

// WritePart adds the part name to zw with content produced by body.
func WritePart(zw *zip.Writer, name string, body func(w *PartWriter)) error {
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: PartTime})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	body(w)
	return w.Flush()
}
