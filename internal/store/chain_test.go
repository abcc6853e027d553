package store

import (
	"reflect"
	"testing"
)

func TestChainSQL(t *testing.T) {
	q, args := chainSQL([]stmt{
		{`INSERT INTO a (x, y) VALUES ($1, $2)`, []any{1, 2}},
		{`INSERT INTO b (x) VALUES ($1), ($2)`, []any{3, 4}},
		{`UPDATE c SET x = $1 WHERE id = $2`, []any{5, 6}},
	})
	want := `WITH w0 AS (INSERT INTO a (x, y) VALUES ($1, $2)), w1 AS (INSERT INTO b (x) VALUES ($3), ($4)) ` +
		`UPDATE c SET x = $5 WHERE id = $6`
	if q != want || !reflect.DeepEqual(args, []any{1, 2, 3, 4, 5, 6}) {
		t.Errorf("chainSQL = %q %v\nwant      %q", q, args, want)
	}
	if parts := nonEmpty([]stmt{{}, {`DELETE FROM a`, nil}, {}}); len(parts) != 1 {
		t.Errorf("nonEmpty kept %d statements, want 1", len(parts))
	}
	if got := shiftPlaceholders(`VALUES ($1, $10, $2)`, 10); got != `VALUES ($11, $20, $12)` {
		t.Errorf("shiftPlaceholders = %q", got)
	}
}
