package xlsx

import (
	"archive/zip"
	"bufio"
	"time"
)

// partTime is the modification time stamped on every part. A fixed time
// makes the same input produce the same bytes, which keeps exports cacheable
// and tests stable; 1980-01-01 is the earliest time a zip entry can hold.
var partTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// partWriter buffers one part. bufio.Writer keeps its first error and turns
// later writes into no-ops, so part bodies can write freely and writePart
// checks once at Flush.
type partWriter = bufio.Writer

// writePart adds the part name to zw with content produced by body.
func writePart(zw *zip.Writer, name string, body func(w *partWriter)) error {
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: partTime})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	body(w)
	return w.Flush()
}
