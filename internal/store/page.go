package store

import (
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/anguan/anguan/internal/apperr"
)

// where collects the conditions of a filtered query with numbered
// placeholders ($1, $2 …) valid on both engines.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose %d verbs are replaced by the placeholders
// of v, in order.
func (w *where) add(cond string, v ...any) {
	refs := make([]any, len(v))
	for i := range v {
		w.args = append(w.args, v[i])
		refs[i] = len(w.args)
	}
	w.conds = append(w.conds, fmt.Sprintf(cond, refs...))
}

func (w *where) sql() string { return strings.Join(w.conds, " AND ") }

// keysetPage scans rows fetched with LIMIT limit+1 and returns at most
// limit of them, and the cursor after the last one when there is more.
func keysetPage[T any](rows *sql.Rows, limit int, scan func(*sql.Rows) (T, error), key func(T) (string, int64)) ([]T, string, error) {
	out, more, err := readPage(rows, limit, scan)
	if err != nil || !more {
		return out, "", err
	}
	return out, encodeCursor(key(out[len(out)-1])), nil
}

// readPage scans rows fetched with LIMIT limit+1 into at most limit items
// and reports whether there was more.
func readPage[T any](rows *sql.Rows, limit int, scan func(*sql.Rows) (T, error)) ([]T, bool, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, false, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, false, err
	}
	if len(out) <= limit {
		return out, false, nil
	}
	return out[:limit], true, nil
}

// encodeIDCursor and decodeIDCursor are the cursor of a newest-first list
// keyed by id alone (findings, problems, cards).
func encodeIDCursor(id int64) string { return base64.RawURLEncoding.EncodeToString([]byte(itoa(id))) }

func decodeIDCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, err
	}
	id, err := strconv.ParseInt(string(b), 10, 64)
	if err == nil && id <= 0 {
		err = fmt.Errorf("cursor %d out of range", id)
	}
	return id, err
}

// afterID adds "col < id" for a cursor, or refuses a bad one on "next".
func (w *where) afterID(col, cursor string) error {
	if cursor == "" {
		return nil
	}
	id, err := decodeIDCursor(cursor)
	if err != nil {
		return apperr.Invalid("next", "err.cursor_invalid")
	}
	w.add(col+" < $%d", id)
	return nil
}

// idPage reads a newest-first page fetched with LIMIT limit+1 and returns
// at most limit items and the cursor after the last ("" at the end).
func idPage[T any](rows *sql.Rows, limit int, scan func(rowScanner) (T, error), id func(T) int64) ([]T, string, error) {
	out, more, err := readPage(rows, limit, func(r *sql.Rows) (T, error) { return scan(r) })
	if err != nil || !more {
		return out, "", err
	}
	return out, encodeIDCursor(id(out[len(out)-1])), nil
}
