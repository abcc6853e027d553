package store

import (
	"database/sql"
	"fmt"
	"strings"
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
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if len(out) <= limit {
		return out, "", nil
	}
	out = out[:limit]
	return out, encodeCursor(key(out[len(out)-1])), nil
}
