package xlsx

import (
	"errors"
	"strconv"
)

// Excel's grid limits.
const (
	maxRows = 1 << 20 // 1048576
	maxCols = 1 << 14 // 16384, column XFD
)

// colName returns the letters of the zero-based column i: A…Z, AA…AZ, …
// It is bijective base 26 (there is no zero digit), hence the n-1 steps.
func colName(i int) string {
	var b [3]byte // XFD is the last column
	p := len(b)
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		p--
		b[p] = byte('A' + (n-1)%26)
	}
	return string(b[p:])
}

// cellRef returns the A1-style reference of zero-based column col in the
// one-based row.
func cellRef(col, row int) string { return colName(col) + strconv.Itoa(row) }

// colIndex returns the zero-based column of an A1-style reference such as
// "AB12"; the row digits are ignored.
func colIndex(ref string) (int, error) {
	n, i := 0, 0
	for ; i < len(ref) && 'A' <= ref[i] && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
		if n > maxCols {
			return 0, errors.New("xlsx: column out of range in " + strconv.Quote(ref))
		}
	}
	if i == 0 {
		return 0, errors.New("xlsx: bad cell reference " + strconv.Quote(ref))
	}
	return n - 1, nil
}
