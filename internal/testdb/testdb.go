// Package testdb gives tests a real, fresh, migrated database on each
// engine: SQLite in a temporary directory always, and PostgreSQL when
// ANGUAN_TEST_POSTGRES holds a DSN (CI sets it). Each PostgreSQL database is
// created for the test and dropped after it.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/anguan/anguan/internal/store"
)

// Engine is one engine a test runs on.
type Engine struct {
	Name string
	// Open returns a fresh migrated database, closed and dropped at cleanup.
	Open func(t testing.TB) (*store.DB, string)
}

// Engines lists SQLite and, when configured, PostgreSQL.
func Engines(t testing.TB) []Engine {
	out := []Engine{{Name: "sqlite", Open: openSQLite}}
	if dsn := os.Getenv("ANGUAN_TEST_POSTGRES"); dsn != "" {
		out = append(out, Engine{Name: "postgres", Open: func(t testing.TB) (*store.DB, string) { return openPostgres(t, dsn) }})
	} else if os.Getenv("CI") != "" {
		t.Fatal("CI is set but ANGUAN_TEST_POSTGRES is empty: PostgreSQL tests would be skipped silently")
	}
	return out
}

// Each runs fn as a subtest on every engine.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, e := range Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db, _ := e.Open(t)
			fn(t, db)
		})
	}
}

func openSQLite(t testing.TB) (*store.DB, string) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "anguan.db")
	return open(t, dsn), dsn
}

func open(t testing.TB, dsn string) *store.DB {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// CreatePostgres makes a fresh empty database on the server of dsn and
// returns its DSN; drop removes it.
func CreatePostgres(t testing.TB, dsn string) (string, func()) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "anguan_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	}
}

func openPostgres(t testing.TB, dsn string) (*store.DB, string) {
	testDSN, drop := CreatePostgres(t, dsn)
	t.Cleanup(drop)
	return open(t, testDSN), testDSN
}
