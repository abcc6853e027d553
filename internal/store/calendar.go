package store

import (
	"context"
	"database/sql"

	"github.com/anguan/anguan/internal/audit"
	"github.com/anguan/anguan/internal/calendar"
)

// CalendarYears returns every stored calendar year.
func (db *DB) CalendarYears(ctx context.Context) ([]calendar.Year, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT y.year, y.source, y.data, COALESCE(y.imported_by, 0),
		COALESCE(u.name, ''), y.imported_at FROM calendar_years y LEFT JOIN users u ON u.id = y.imported_by
		ORDER BY y.year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []calendar.Year
	for rows.Next() {
		var y calendar.Year
		var data string
		var at int64
		if err := rows.Scan(&y.Year, &y.Source, &data, &y.ImportedBy, &y.ImportedByName, &at); err != nil {
			return nil, err
		}
		y.Data, y.ImportedAt = []byte(data), ms(at)
		out = append(out, y)
	}
	return out, rows.Err()
}

// PutCalendarYears stores years, replacing a year already stored, with
// the audit record in the same transaction.
func (db *DB) PutCalendarYears(ctx context.Context, ys []calendar.Year, a audit.Record) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		for _, y := range ys {
			if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_years WHERE year = $1`, y.Year); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_years (year, source, data, imported_by, imported_at)
				VALUES ($1, $2, $3, $4, $5)`, y.Year, y.Source, string(y.Data), nullID(y.ImportedBy),
				y.ImportedAt.UnixMilli()); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, a)
	})
}
