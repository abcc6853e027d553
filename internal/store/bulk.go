package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// The bulk path of large seeds (anguan seed --scale): rows go in with COPY
// on PostgreSQL and with multi-row inserts of prepared statements on
// SQLite, inside one ordinary transaction, so the same transaction can
// also run SQL (numbers, card projection, the audit entry).

// rowWriter writes rows into table; cols is the column list as in SQL.
type rowWriter func(table, cols string, rows [][]any) error

// bulkWrite runs fn in one write transaction with a rowWriter for it.
func (db *DB) bulkWrite(ctx context.Context, fn func(tx *sql.Tx, put rowWriter) error) error {
	if db.engine != Postgres {
		return db.write(ctx, func(tx *sql.Tx) error {
			return fn(tx, func(table, cols string, rows [][]any) error {
				return sqliteInsert(ctx, tx, table, cols, rows)
			})
		})
	}
	// COPY needs the pgx connection under database/sql: a dedicated
	// connection carries both the transaction and the COPY, so the COPY
	// runs inside the transaction.
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	put := func(table, cols string, rows [][]any) error {
		if len(rows) == 0 {
			return nil
		}
		return conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("store: COPY needs the pgx driver, have %T", dc)
			}
			_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columnNames(cols), pgx.CopyFromRows(rows))
			return err
		})
	}
	if err := fn(tx, put); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func columnNames(cols string) []string {
	out := strings.Split(cols, ",")
	for i, c := range out {
		out[i] = strings.TrimSpace(c)
	}
	return out
}

// sqliteBulkRows is how many rows one SQLite insert carries. With "?"
// placeholders SQLite binds by position, so a large statement costs no
// more per row than a small one (named "$n" parameters are looked up by a
// linear scan each); 200 rows of 29 columns stay far under the 32,766
// parameter limit.
const sqliteBulkRows = 200

// sqliteInsert inserts rows with one prepared statement for full chunks.
func sqliteInsert(ctx context.Context, tx *sql.Tx, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	width := len(rows[0])
	head := "INSERT INTO " + table + " (" + cols + ") VALUES "
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
	stmt := func(n int) string { return head + strings.TrimSuffix(strings.Repeat(one+",", n), ",") }
	var full *sql.Stmt
	if len(rows) >= sqliteBulkRows {
		var err error
		if full, err = tx.PrepareContext(ctx, stmt(sqliteBulkRows)); err != nil {
			return err
		}
		defer full.Close()
	}
	args := make([]any, 0, sqliteBulkRows*width)
	for start := 0; start < len(rows); start += sqliteBulkRows {
		chunk := rows[start:min(start+sqliteBulkRows, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		var err error
		if len(chunk) == sqliteBulkRows {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, stmt(len(chunk)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
